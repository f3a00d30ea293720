import { ProblemError, problems } from '@budgeting/platform';
import type { BudgetRole } from '../contract';
import type { BudgetForCaller } from '../model';
import type { BudgetsRepository } from '../repository/budgets.repository';
import { BUDGETS_PROBLEMS } from '../problems';

/**
 * Membership is what authorizes every budget route. A budget the caller does not belong to
 * answers 404 exactly like one that does not exist, so strangers never learn it exists;
 * members whose role is too weak get 403.
 */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export const isPlausibleId = (id: string) => ID_SHAPE.test(id);

export class AccessService {
  constructor(private readonly budgets: BudgetsRepository) {}

  /** The budget as the caller sees it, or null when it is not visible to them. */
  async find(budgetId: string, userId: string): Promise<BudgetForCaller | null> {
    if (!isPlausibleId(budgetId)) return null;
    return this.budgets.findForCaller(budgetId, userId);
  }

  async require(budgetId: string, userId: string): Promise<BudgetForCaller> {
    const found = await this.find(budgetId, userId);
    if (!found) throw budgetNotFound(budgetId);
    return found;
  }
}

export const budgetNotFound = (budgetId: string) => problems.notFound(`Budget ${budgetId} was not found.`);

/**
 * The 409 of any write to an archived budget or its contents (docs/budget-lifecycle.md "Archiving a budget"): the
 * same answer from every module (expenses asks it through the package's index).
 */
export const budgetArchived = (budgetId: string) =>
  new ProblemError(BUDGETS_PROBLEMS['budget-archived'], `Budget ${budgetId} is archived and read-only; its owner can unarchive it first (POST /v1/budgets/${budgetId}/unarchive).`,
  );

/** Refuses (409 budget-archived) a write to an archived budget. */
export function requireActive(budget: { id: string; archivedAt?: string }): void {
  if (budget.archivedAt !== undefined) throw budgetArchived(budget.id);
}

const ACTIONS = {
  settings: { roles: ['owner'], detail: 'Only the owner can change or delete the budget.' },
  members: { roles: ['owner'], detail: "Only the owner can manage the budget's members." },
  reports: { roles: ['owner', 'editor'], detail: 'Only the owner and editors can generate reports.' },
  settlements: { roles: ['owner', 'editor'], detail: 'Only the owner and editors can record settle-up payments.' },
  periodLimits: { roles: ['owner', 'editor'], detail: 'Only the owner and editors can change per-period category limits (move money, set or clear them).' },
} as const satisfies Record<string, { roles: readonly BudgetRole[]; detail: string }>;

/**
 * Whether `role` may change the budget's categories (they are its settings, PATCH of the
 * budget): the same rule for resources of other modules that hang on the categories (the
 * expenses module's categorization rules), so the two cannot drift apart.
 */
export function mayEditCategories(role: BudgetRole): boolean {
  return (ACTIONS.settings.roles as readonly BudgetRole[]).includes(role);
}

/**
 * 403 unless the caller's role may do `action`; then 409 budget-archived when the budget is
 * archived and the action writes to it (every action but `reports`, whose on-request report only
 * snapshots an ended period). `archived: 'allowed'`: the few writes an archived budget still
 * takes (deleting it, archiving and unarchiving it, removing a member).
 */
export function requireRole(caller: BudgetForCaller, action: keyof typeof ACTIONS, archived?: 'allowed'): void {
  const rule = ACTIONS[action];
  if (!(rule.roles as readonly BudgetRole[]).includes(caller.role)) {
    throw problems.forbidden(`${rule.detail} Your role is ${caller.role}.`);
  }
  if (archived !== 'allowed' && action !== 'reports') requireActive(caller.budget);
}
