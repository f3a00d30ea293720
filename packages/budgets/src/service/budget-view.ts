import type { BudgetView } from '../contract';
import type { BudgetForCaller } from '../model';

/**
 * A budget as one caller sees it (the Budget resource: no owner id, no storage details). The
 * HTTP handlers answer with it and the facade hands it to expenses for delta sync, so both
 * show exactly the same thing.
 */
export function budgetView({ budget, role }: BudgetForCaller): BudgetView {
  return {
    id: budget.id,
    name: budget.name,
    currency: budget.currency,
    period: budget.period,
    timezone: budget.timezone,
    limit: budget.limit,
    categories: budget.categories.map((c) => ({ ...c })),
    rollover: budget.rollover,
    alertThresholds: budget.alertThresholds,
    paceAlerts: budget.paceAlerts === true,
    // Always listed (empty when none), sorted by periodStart then categoryId (stored so).
    periodLimits: (budget.periodLimits ?? []).map((p) => ({ ...p })),
    // Only when some limit changed (a budget without history answers as before it existed).
    ...(budget.limitHistory?.length ? { limitHistory: budget.limitHistory.map((h) => ({ ...h })) } : {}),
    role,
    version: budget.version,
    createdAt: budget.createdAt,
    updatedAt: budget.updatedAt,
    ...(budget.archivedAt !== undefined ? { archivedAt: budget.archivedAt } : {}),
  };
}

/**
 * The ETag variant of a budget answer (platform setEtag): the caller's role, which the answer
 * names and the owner changes without a new budget version, so a member's conditional GET after
 * a role change gets the 200 with the new role, never a 304 for the old one. None for the owner
 * (the one role no change moves), whose ETag stays the plain version.
 */
export function budgetEtagVariant({ role }: BudgetForCaller): string | undefined {
  return role === 'owner' ? undefined : role;
}
