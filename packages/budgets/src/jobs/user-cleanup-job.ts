import type { FanOutJob } from '@budgeting/platform';
import type { UserCleanup } from '../subscriptions/user-cleanup';

/**
 * The user.deleted cascade as a fan-out job without a schedule: the subscriber queues one
 * unit per deleted account; each invocation deletes the account's owned budgets and removes
 * its other memberships until its deadline, then queues the rest as the same unit. Each owned
 * budget's deletion publishes budget.deleted, whose own cascades fan out in turn.
 */
export const USER_CLEANUP = 'budgets-user-cleanup';

export interface UserCleanupUnit {
  userId: string;
}

export function userCleanupJob(cleanup: UserCleanup): FanOutJob<UserCleanupUnit> {
  return {
    name: USER_CLEANUP,
    async work(unit, _now, ctx) {
      const finished = await cleanup.afterUserDeleted(unit.userId, ctx.deadline);
      return finished ? {} : { again: unit };
    },
    parseUnit(raw) {
      const unit = raw as Partial<UserCleanupUnit> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('user cleanup unit needs a userId');
      return { userId: unit.userId };
    },
  };
}
