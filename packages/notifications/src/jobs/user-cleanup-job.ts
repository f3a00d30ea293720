import { deleteInSteps, type FanOutJob, type ModuleStore } from '@budgeting/platform';
import type { NotificationsRepository } from '../repository/notifications.repository';
import { USER_CLEANUP_JOB } from './names';

/**
 * The user.deleted cascade of a deleted account's partition, as a fan-out job without a
 * schedule: `notifications-on-users` releases the account's devices (at most 20: each leaves its
 * push endpoint's set, service/release-device.ts) and queues one unit. Each invocation deletes
 * what is left under `notifications#user#<userId>` (notifications, guards, devices, the read-all
 * mark, summary reservations) in bounded steps (platform deleteInSteps: an account keeps a
 * notification per alert, bill, comment, import... of 180 days, and items from before the
 * retention have no TTL), and queues the rest as the same unit. Before, the subscriber deleted it
 * page by page in its one invocation, however much there was. Idempotent: each slice is read
 * anew, so a redelivered unit finds only what is left.
 */

/** Keys per slice read (one Query page of keys only). */
const SLICE = 1_000;

export interface UserCleanupUnit {
  userId: string;
}

export function userCleanupJob(d: {
  store: ModuleStore;
  repository: NotificationsRepository;
  /** The clock the steps are timed on (tests pass one that moves by itself; production passes nothing). */
  now?: () => number;
}): FanOutJob<UserCleanupUnit> {
  return {
    name: USER_CLEANUP_JOB,
    async work(unit, _now, ctx) {
      const { deleted, finished } = await deleteInSteps(d.store, () => d.repository.sliceOfUser(unit.userId, SLICE), ctx.deadline, d.now);
      ctx.logger.info('notifications deleted with the account', { userId: unit.userId, deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: unit }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<UserCleanupUnit> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('notifications user cleanup unit needs a userId');
      return { userId: unit.userId };
    },
  };
}
