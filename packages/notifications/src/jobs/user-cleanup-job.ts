import { deleteInStepsJob, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { NotificationsRepository } from '../repository/notifications.repository';
import { USER_CLEANUP_JOB } from './names';

/**
 * The user.deleted cascade of a deleted account's partition (platform deleteInStepsJob):
 * `notifications-on-users` releases the account's devices (at most 20: each leaves its push
 * endpoint's set, service/release-device.ts) and queues one unit. Each invocation deletes what is
 * left under `notifications#user#<userId>` (notifications, guards, devices, the read-all mark,
 * summary reservations) in bounded steps: an account keeps a notification per alert, bill,
 * comment, import... of 180 days, and items from before the retention have no TTL.
 */

export interface UserCleanupUnit extends Record<string, string> {
  userId: string;
}

export function userCleanupJob(d: {
  store: ModuleStore;
  repository: NotificationsRepository;
  /** The clock the steps are timed on (tests pass one that moves by itself; production passes nothing). */
  now?: () => number;
}): FanOutJob<UserCleanupUnit> {
  return deleteInStepsJob<UserCleanupUnit>({
    name: USER_CLEANUP_JOB,
    store: d.store,
    slice: (unit, limit) => d.repository.sliceOfUser(unit.userId, limit),
    logMessage: 'notifications deleted with the account',
    unit: { what: 'notifications user cleanup', fields: ['userId'] },
    ...(d.now ? { now: d.now } : {}),
  });
}
