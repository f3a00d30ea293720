import type { FanOutJob, PlanPage } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { DayTotalsFold } from '../repository/day-totals-fold';
import { FOLD_DAY_TOTALS_JOB } from './names';

/**
 * One-off operator job after deploying the month items that hold the day figures
 * (2026-11-30): `npm run job -- expenses-fold-day-totals`. The planner pages every budget
 * (BudgetsFacade.allBudgetIds); each unit folds one budget's old day items into its month
 * items (DayTotalsFold: one transaction per day item, never counting twice), in steps within
 * the invocation's time budget, the rest queued as the same unit. A budget without day items
 * costs one Query. Run it again at will: a second run changes nothing.
 */
export interface FoldUnit {
  budgetId: string;
}

export function foldDayTotalsJob(deps: { budgets: BudgetsFacade; fold: DayTotalsFold }): FanOutJob<FoldUnit> {
  return {
    name: FOLD_DAY_TOTALS_JOB,
    async plan(_now, cursor): Promise<PlanPage<FoldUnit>> {
      const page = await deps.budgets.allBudgetIds(cursor);
      return { units: page.ids.map((budgetId) => ({ budgetId })), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },
    async work(unit, _now, ctx) {
      const { folded, finished } = await deps.fold.foldSome(unit.budgetId, ctx.deadline);
      if (folded > 0) ctx.logger.info('day totals folded', { budgetId: unit.budgetId, folded, finished });
      return { done: folded, ...(finished ? {} : { again: unit }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<FoldUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('fold unit needs a budgetId');
      return { budgetId: unit.budgetId };
    },
  };
}
