import { problems } from '@budgeting/platform';
import type { BudgetRole } from '../contract';
import type { BudgetForCaller } from '../model';
import type { BudgetsRepository } from '../repository/budgets.repository';

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

export function requireRole(caller: BudgetForCaller, action: keyof typeof ACTIONS): void {
  const rule = ACTIONS[action];
  if (!(rule.roles as readonly BudgetRole[]).includes(caller.role)) {
    throw problems.forbidden(`${rule.detail} Your role is ${caller.role}.`);
  }
}
