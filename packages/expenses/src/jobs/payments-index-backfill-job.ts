import type { FanOutJob, PlanPage } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { PaymentsIndexBackfill } from '../repository/payments-index-backfill';
import { PAYMENTS_INDEX_BACKFILL_JOB } from './names';

/**
 * One-off operator job after deploying the payments index (gsi4, 2026-12-04):
 * `npm run job -- expenses-payments-index-backfill`. The planner pages every budget
 * (BudgetsFacade.allBudgetIds), as the review index back-fill does; each unit reads ONE page of
 * one budget's expenses and adds the payments index entry to those a recurring expense recorded
 * that have none (PaymentsIndexBackfill: one conditional UpdateItem each), then queues the same
 * unit from the next page. Until it has run, payments recorded before the deploy are missing
 * from GET .../expenses?recurringExpenseId= and its export (nothing else reads the index). Run
 * it again at will: a second run changes nothing.
 */
export interface PaymentsIndexUnit {
  budgetId: string;
  /** The budget's date index position of the next page (a unit queued by the previous page's). */
  after?: Record<string, string>;
}

export function paymentsIndexBackfillJob(deps: { budgets: BudgetsFacade; backfill: PaymentsIndexBackfill }): FanOutJob<PaymentsIndexUnit> {
  return {
    name: PAYMENTS_INDEX_BACKFILL_JOB,
    async plan(_now, cursor): Promise<PlanPage<PaymentsIndexUnit>> {
      const page = await deps.budgets.allBudgetIds(cursor);
      return { units: page.ids.map((budgetId) => ({ budgetId })), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },
    async work(unit, _now, ctx) {
      const { indexed, after } = await deps.backfill.indexPage(unit.budgetId, unit.after);
      if (indexed > 0) ctx.logger.info('payments index entries added', { budgetId: unit.budgetId, indexed, finished: !after });
      return { done: indexed, ...(after ? { again: { budgetId: unit.budgetId, after: after as Record<string, string> } } : {}) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<PaymentsIndexUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('payments index unit needs a budgetId');
      const after = unit.after;
      if (after !== undefined && (typeof after !== 'object' || after === null || !Object.values(after).every((v) => typeof v === 'string'))) {
        throw new Error('payments index unit: after must be a key of strings');
      }
      return { budgetId: unit.budgetId, ...(after ? { after } : {}) };
    },
  };
}
