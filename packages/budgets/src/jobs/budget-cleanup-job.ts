import { deleteInStepsJob, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { BudgetLeftovers } from '../repository/budget-leftovers.repository';

/**
 * The budget.deleted cascade of the budgets module's own partitions (threshold and pace markers,
 * reports, invitations, settle-up payments: repository/budget-leftovers.repository.ts), as a
 * platform deleteInStepsJob, as the expenses module's (budget-data-cleanup) and the activity
 * log's: `budgets-on-budgets` queues one unit per deleted budget, and each invocation deletes
 * what is left in bounded steps and queues the rest as the same unit. Before, the subscriber
 * read every key and deleted them all in its one invocation, however many the budget's years had
 * gathered (a marker per period, line and threshold, never taken back; a report per period).
 */
export const BUDGET_CLEANUP = 'budgets-budget-cleanup';

export interface BudgetCleanupUnit extends Record<string, string> {
  budgetId: string;
}

export function budgetCleanupJob(d: {
  store: ModuleStore;
  leftovers: BudgetLeftovers;
  /** The clock the steps are timed on (tests pass one that moves by itself; production passes nothing). */
  now?: () => number;
}): FanOutJob<BudgetCleanupUnit> {
  return deleteInStepsJob<BudgetCleanupUnit>({
    name: BUDGET_CLEANUP,
    store: d.store,
    slice: (unit, limit) => d.leftovers.slice(unit.budgetId, limit),
    logMessage: 'budget markers, reports, invitations and settlements deleted',
    unit: { what: 'budget cleanup', fields: ['budgetId'] },
    ...(d.now ? { now: d.now } : {}),
  });
}
