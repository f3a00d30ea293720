import { problems } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';

export type Need = 'read' | 'write';

/**
 * Membership authorizes every expense route, asked of the budgets module's facade.
 * Not a member (or no such budget): 404, so a stranger never learns the budget exists.
 * Owners and editors write; viewers read.
 */
export async function authorize(budgets: BudgetsFacade, budgetId: string, userId: string, need: Need): Promise<BudgetAccess> {
  const access = await budgets.getAccess(budgetId, userId);
  if (!access) throw problems.notFound('Budget not found.');
  if (need === 'write' && access.role === 'viewer') {
    throw problems.forbidden('Viewers can read expenses but not change them.');
  }
  return access;
}
