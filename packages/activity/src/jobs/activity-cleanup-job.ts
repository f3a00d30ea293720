import { deleteInStepsJob, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { ActivityRepository } from '../repository/activity.repository';
import { ACTIVITY_CLEANUP } from './names';

/**
 * The budget.deleted cascade of the activity log (platform deleteInStepsJob): the subscriber
 * queues one unit per deleted budget, and each invocation deletes the budget's entries in bounded
 * steps. A busy budget's log holds an entry per expense event of the last 90 days (tens of
 * thousands), so deleting it in the subscriber's one invocation could run past the function's
 * timeout.
 */

export interface ActivityCleanupUnit extends Record<string, string> {
  budgetId: string;
}

export function activityCleanupJob(d: { store: ModuleStore; repository: ActivityRepository }): FanOutJob<ActivityCleanupUnit> {
  return deleteInStepsJob<ActivityCleanupUnit>({
    name: ACTIVITY_CLEANUP,
    store: d.store,
    slice: (unit, limit) => d.repository.slice(unit.budgetId, limit),
    logMessage: 'activity log deleted',
    unit: { what: 'activity cleanup', fields: ['budgetId'] },
  });
}
