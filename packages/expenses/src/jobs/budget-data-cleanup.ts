import { deleteInStepsJob, type Clock, type FanOutJob, type ModuleStore, type ObjectStorage } from '@budgeting/platform';
import { budgetObjectPrefix } from '../domain/attachments';
import type { BudgetDataRepository } from '../repository/budget-data.repository';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { BUDGET_DATA_CLEANUP } from './names';

/**
 * The budget.deleted cascade of the expenses module (platform deleteInStepsJob): the subscriber
 * only queues one unit per deleted budget, and each invocation deletes the budget's data in
 * bounded steps while the next still fits in its time budget, then queues the rest as the same
 * unit. So a budget with 100,000 expenses is removed across as many invocations as it takes,
 * none running past its time budget.
 *
 * Every invocation first closes the budget (a put, idempotent), so no expense, recurring expense
 * or occurrence can be recorded behind the cleanup's back (see ExpensesRepository.closeBudget);
 * then deletes the attachments' files by the budget's object prefix (ListObjectsV2 +
 * DeleteObjects, 1,000 keys a request, while time remains): by prefix, not by item, so a file
 * whose item a crash lost goes too; while any are left, the unit is queued again before an item
 * is touched.
 */

export interface CleanupUnit extends Record<string, string> {
  budgetId: string;
}

export function budgetDataCleanup(deps: {
  store: ModuleStore;
  expenses: ExpensesRepository;
  data: BudgetDataRepository;
  clock: Clock;
  storage: ObjectStorage;
}): FanOutJob<CleanupUnit> {
  return deleteInStepsJob<CleanupUnit>({
    name: BUDGET_DATA_CLEANUP,
    store: deps.store,
    before: async (unit, deadline) => {
      await deps.expenses.closeBudget(unit.budgetId, deps.clock.now());
      return deps.storage.deletePrefix(budgetObjectPrefix(unit.budgetId), deadline);
    },
    slice: (unit, limit) => deps.data.slice(unit.budgetId, limit),
    logMessage: 'budget data deleted',
    unit: { what: 'budget data cleanup', fields: ['budgetId'] },
  });
}
