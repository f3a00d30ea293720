import type { BudgetsFacade, TransactCheck } from '@budgeting/budgets';

/**
 * The check, for a notification's transaction (NotificationsRepository.createOnce), that its
 * recipient is still a member of the budget: the subscriber read the members before, and a
 * member removed since must not be told about a budget they left.
 */
export function memberCheck(budgets: Pick<BudgetsFacade, 'membersCheck'>, budgetId: string, userId: string): TransactCheck {
  const [check] = budgets.membersCheck(budgetId, [userId]);
  if (!check) throw new Error(`the budgets facade gave no membership check for ${userId}`);
  return check;
}
