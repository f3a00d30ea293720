import { withInbox, type Clock, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import { budgetDeleted, type BudgetDeletedData } from '@budgeting/budgets';
import { BUDGET_DATA_CLEANUP } from '../jobs/names';

/**
 * The expenses module's reactions to events (one Subscription per publisher, each one row of
 * the app's subscription table).
 *
 * budget.deleted: every expense and running total of the budget goes. The budget itself is
 * gone at once (DELETE /v1/budgets/{id}, or its owner's account deletion); its expenses follow
 * when this event is delivered, so the HTTP request never pays for a budget's whole history.
 * The subscriber only queues the cleanup (service/budget-data-cleanup.ts), which runs in as
 * many invocations as the budget's size needs. Queueing twice (a redelivery before the inbox
 * was written) is harmless: the cleanup is idempotent.
 */
export const EXPENSES_ON_BUDGETS = 'expenses-on-budgets';

export function expensesSubscriptions(d: { store: ModuleStore; clock: Clock; work: WorkQueue }): Subscription[] {
  return [
    {
      name: EXPENSES_ON_BUDGETS,
      events: [budgetDeleted],
      handle: withInbox(d.store, EXPENSES_ON_BUDGETS, d.clock, async (event) => {
        await d.work.enqueue(BUDGET_DATA_CLEANUP, [{ budgetId: (event.data as BudgetDeletedData).budgetId }], d.clock.now());
      }),
    },
  ];
}
