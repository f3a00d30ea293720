import type { FanOutJob, PlanPage } from '@budgeting/platform';
import type { BudgetsFacade } from '../contract';
import type { CategoryIdsBackfill } from '../repository/category-ids-backfill';
import { CATEGORY_IDS_BACKFILL_JOB } from './names';

/**
 * One-off operator job after deploying `categoryIds` on the budget item (2026-11-30):
 * `npm run job -- budgets-category-ids-backfill`. The planner pages every budget
 * (BudgetsFacade.allBudgetIds: the sharded report due index, so after budgets-rekey-due-index),
 * as the expenses module's back-fills do; each unit gives ONE
 * budget item the ids of its own categories when it has none (CategoryIdsBackfill: one
 * strongly consistent GetItem, and one conditional UpdateItem only for an item without them).
 * Until it has run, such a budget's categories check passes whatever category a write names and
 * its one-round-trip creates naming a category take the read-first path. Run it again at will:
 * a second run reads each budget once and writes nothing.
 */
export interface CategoryIdsUnit {
  budgetId: string;
}

export function categoryIdsBackfillJob(deps: { budgets: Pick<BudgetsFacade, 'allBudgetIds'>; backfill: CategoryIdsBackfill }): FanOutJob<CategoryIdsUnit> {
  return {
    name: CATEGORY_IDS_BACKFILL_JOB,
    async plan(_now, cursor): Promise<PlanPage<CategoryIdsUnit>> {
      const page = await deps.budgets.allBudgetIds(cursor);
      return { units: page.ids.map((budgetId) => ({ budgetId })), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },
    async work(unit, _now, ctx) {
      const outcome = await deps.backfill.fill(unit.budgetId);
      if (outcome !== 'filled') return {};
      ctx.logger.info('budget category ids added', { budgetId: unit.budgetId });
      return { done: 1 };
    },
    parseUnit(raw) {
      const unit = raw as Partial<CategoryIdsUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('category ids unit needs a budgetId');
      return { budgetId: unit.budgetId };
    },
  };
}
