import { withInbox, type Clock, type ModuleStore, type Subscription } from '@budgeting/platform';
import { budgetDeleted, type BudgetDeletedData } from '@budgeting/budgets';
import type { ExpensesSpending } from '../service/spending.service';

/**
 * The expenses module's reactions to events (one Subscription per publisher, each one row of
 * the app's subscription table).
 *
 * budget.deleted: every expense and running total of the budget goes. The budget itself is
 * gone at once (DELETE /v1/budgets/{id}, or its owner's account deletion); its expenses follow
 * when this event is delivered, so the HTTP request never pays for a budget's whole history.
 * Deleting is naturally idempotent (each run reads what is left), so the inbox only saves the
 * work of a redelivery.
 */
export const EXPENSES_ON_BUDGETS = 'expenses-on-budgets';

export function expensesSubscriptions(d: { store: ModuleStore; clock: Clock; spending: ExpensesSpending }): Subscription[] {
  return [
    {
      name: EXPENSES_ON_BUDGETS,
      events: [budgetDeleted],
      handle: withInbox(d.store, EXPENSES_ON_BUDGETS, d.clock, async (event) => {
        await d.spending.deleteAllForBudget((event.data as BudgetDeletedData).budgetId);
      }),
    },
  ];
}
