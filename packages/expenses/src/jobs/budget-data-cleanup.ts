import { deleteInSteps, type Clock, type FanOutJob, type ModuleStore, type ObjectStorage } from '@budgeting/platform';
import { budgetObjectPrefix } from '../domain/attachments';
import type { BudgetDataRepository } from '../repository/budget-data.repository';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { BUDGET_DATA_CLEANUP } from './names';

/**
 * The budget.deleted cascade of the expenses module, as a fan-out job without a schedule: the
 * subscriber only queues one unit per deleted budget, and each invocation deletes the budget's
 * data in steps of 100 keys (platform deleteInSteps) while the next step still fits in its
 * time budget, then queues the rest as the same unit. So a budget with 100,000 expenses is
 * removed across as many invocations as it takes, none running past its time budget.
 *
 * The budget is closed first (every invocation does it again: a put, idempotent), so no
 * expense, recurring expense or occurrence can be recorded behind the cleanup's back (see
 * ExpensesRepository.closeBudget). Deleting is naturally idempotent: each slice is read anew.
 *
 * Attachments' files go first, by the budget's object prefix (ListObjectsV2 + DeleteObjects,
 * 1,000 keys a request, while time remains): by prefix, not by item, so a file whose item a
 * crash lost goes too; while any are left, the unit is queued again before an item is touched.
 */

/** Keys per slice read (one Query page of keys only, about 100 KB); deleted 100 at a time. */
const SLICE = 1_000;

export interface CleanupUnit {
  budgetId: string;
}

export function budgetDataCleanup(deps: {
  store: ModuleStore;
  expenses: ExpensesRepository;
  data: BudgetDataRepository;
  clock: Clock;
  storage: ObjectStorage;
}): FanOutJob<CleanupUnit> & { deleteSome(budgetId: string, deadline: number): Promise<{ deleted: number; finished: boolean }> } {
  async function deleteSome(budgetId: string, deadline: number) {
    await deps.expenses.closeBudget(budgetId, deps.clock.now());
    const files = await deps.storage.deletePrefix(budgetObjectPrefix(budgetId), deadline);
    if (!files.finished) return { deleted: files.deleted, finished: false };
    return deleteInSteps(deps.store, () => deps.data.slice(budgetId, SLICE), deadline);
  }
  return {
    name: BUDGET_DATA_CLEANUP,
    deleteSome,
    async work(unit, _now, ctx) {
      const { deleted, finished } = await deleteSome(unit.budgetId, ctx.deadline);
      ctx.logger.info('budget data deleted', { budgetId: unit.budgetId, deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: unit }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<CleanupUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('cleanup unit needs a budgetId');
      return { budgetId: unit.budgetId };
    },
  };
}
