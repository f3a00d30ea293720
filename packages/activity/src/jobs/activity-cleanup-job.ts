import { deleteInSteps, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { ActivityRepository } from '../repository/activity.repository';
import { ACTIVITY_CLEANUP } from './names';

/**
 * The budget.deleted cascade of the activity log, as a fan-out job without a schedule: the
 * subscriber queues one unit per deleted budget; each invocation deletes the budget's entries
 * in bounded steps (platform deleteInSteps) and queues the rest as the same unit. A busy
 * budget's log holds an entry per expense event of the last 90 days (tens of thousands), so
 * deleting it in the subscriber's one invocation could run past the function's timeout.
 * Idempotent: each slice is read anew, so a redelivered unit finds only what is left.
 */

/** Keys per slice read (one Query page of keys only). */
const SLICE = 1_000;

export interface ActivityCleanupUnit {
  budgetId: string;
}

export function activityCleanupJob(d: { store: ModuleStore; repository: ActivityRepository }): FanOutJob<ActivityCleanupUnit> {
  return {
    name: ACTIVITY_CLEANUP,
    async work(unit, _now, ctx) {
      const { deleted, finished } = await deleteInSteps(d.store, () => d.repository.slice(unit.budgetId, SLICE), ctx.deadline);
      ctx.logger.info('activity log deleted', { budgetId: unit.budgetId, deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: unit }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ActivityCleanupUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('activity cleanup unit needs a budgetId');
      return { budgetId: unit.budgetId };
    },
  };
}
