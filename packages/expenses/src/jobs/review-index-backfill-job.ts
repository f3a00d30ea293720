import type { FanOutJob, PlanPage } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { ReviewIndexBackfill } from '../repository/review-index-backfill';
import { REVIEW_INDEX_BACKFILL_JOB } from './names';

/**
 * One-off operator job after deploying the review index (gsi3, 2026-12-02):
 * `npm run job -- expenses-review-index-backfill`. The planner pages every budget
 * (BudgetsFacade.allBudgetIds), as the day-totals fold does; each unit walks one budget's
 * expenses and adds the review index entry to those that need review and have none
 * (ReviewIndexBackfill: one conditional UpdateItem each), within the invocation's time budget,
 * the rest queued as the same unit from where it stopped. Until it has run, expenses imported
 * before the deploy are missing from GET .../expenses?reviewed=false and from the overview's
 * `toReview` (nothing else reads the index). Run it again at will: a second run changes nothing.
 */
export interface ReviewIndexUnit {
  budgetId: string;
  /** The budget's date index position to continue after (a unit queued again past the deadline). */
  after?: Record<string, string>;
}

export function reviewIndexBackfillJob(deps: { budgets: BudgetsFacade; backfill: ReviewIndexBackfill }): FanOutJob<ReviewIndexUnit> {
  return {
    name: REVIEW_INDEX_BACKFILL_JOB,
    async plan(_now, cursor): Promise<PlanPage<ReviewIndexUnit>> {
      const page = await deps.budgets.allBudgetIds(cursor);
      return { units: page.ids.map((budgetId) => ({ budgetId })), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },
    async work(unit, _now, ctx) {
      const { indexed, after } = await deps.backfill.indexSome(unit.budgetId, unit.after, ctx.deadline);
      if (indexed > 0) ctx.logger.info('review index entries added', { budgetId: unit.budgetId, indexed, finished: !after });
      return { done: indexed, ...(after ? { again: { budgetId: unit.budgetId, after: after as Record<string, string> } } : {}) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ReviewIndexUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('review index unit needs a budgetId');
      const after = unit.after;
      if (after !== undefined && (typeof after !== 'object' || after === null || !Object.values(after).every((v) => typeof v === 'string'))) {
        throw new Error('review index unit: after must be a key of strings');
      }
      return { budgetId: unit.budgetId, ...(after ? { after } : {}) };
    },
  };
}
