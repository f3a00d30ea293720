import { deleteInSteps, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { BudgetLeftovers } from '../repository/budget-leftovers.repository';

/**
 * The budget.deleted cascade of the budgets module's own partitions (threshold and pace markers,
 * reports, invitations, settle-up payments: repository/budget-leftovers.repository.ts), as a
 * fan-out job without a schedule, as the expenses module's (budget-data-cleanup) and the
 * activity log's: `budgets-on-budgets` queues one unit per deleted budget, and each invocation
 * deletes what is left in bounded steps (platform deleteInSteps) and queues the rest as the
 * same unit. Before, the subscriber read every key and deleted them all in its one invocation,
 * however many the budget's years had gathered (a marker per period, line and threshold, never
 * taken back; a report per period). Idempotent: each slice is read anew, so a redelivered unit
 * finds only what is left.
 */
export const BUDGET_CLEANUP = 'budgets-budget-cleanup';

/** Keys per slice read (one Query page of keys only). */
const SLICE = 1_000;

export interface BudgetCleanupUnit {
  budgetId: string;
}

export function budgetCleanupJob(d: {
  store: ModuleStore;
  leftovers: BudgetLeftovers;
  /** The clock the steps are timed on (tests pass one that moves by itself; production passes nothing). */
  now?: () => number;
}): FanOutJob<BudgetCleanupUnit> {
  return {
    name: BUDGET_CLEANUP,
    async work(unit, _now, ctx) {
      const { deleted, finished } = await deleteInSteps(d.store, () => d.leftovers.slice(unit.budgetId, SLICE), ctx.deadline, d.now);
      ctx.logger.info('budget markers, reports, invitations and settlements deleted', { budgetId: unit.budgetId, deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: unit }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<BudgetCleanupUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('budget cleanup unit needs a budgetId');
      return { budgetId: unit.budgetId };
    },
  };
}
