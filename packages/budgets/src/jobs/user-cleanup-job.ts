import type { FanOutJob, WorkQueue } from '@budgeting/platform';
import type { UserCleanup } from '../subscriptions/user-cleanup';

/**
 * The user.deleted cascade as a fan-out job without a schedule: the subscriber queues one
 * unit per deleted account; each invocation deletes the account's owned budgets and removes
 * its other memberships until its deadline, then queues the rest as the same unit. Each owned
 * budget's deletion publishes budget.deleted, whose own cascades fan out in turn.
 *
 * The cleanup lists the account's memberships through gsi1, which is eventually consistent: a
 * budget created, or a membership added, just BEFORE the deletion (their transactions check the
 * account, so none comes after) may not be in the index yet when the unit lists it, and nothing
 * else would ever find it: the budget and its expenses, or the membership, would outlive the
 * account. So a unit queued by the event, once it has finished, queues ONE delayed second pass
 * of itself (`secondPass`), which lists and removes the same way and queues nothing more, as the
 * memberships' name snapshots' refresh does (member-details-job.ts). A first unit's continuation
 * (`again`) is still the first pass, and only its last part queues.
 */
export const USER_CLEANUP = 'budgets-user-cleanup';

/**
 * How long after the deletion the second pass runs, counted from the unit's tick (when the
 * subscriber queued it, after the deletion committed): a GSI usually shows a write well under a
 * second later, and a minute leaves room for a lagging one (as MEMBER_DETAILS_SECOND_PASS_AFTER_MS).
 */
export const USER_CLEANUP_SECOND_PASS_AFTER_MS = 60_000;

export interface UserCleanupUnit {
  userId: string;
  /** The delayed second pass (queued by the first; queues nothing itself). Absent: the first pass. */
  secondPass?: true;
}

export function userCleanupJob(cleanup: UserCleanup, work: WorkQueue): FanOutJob<UserCleanupUnit> {
  return {
    name: USER_CLEANUP,
    async work(unit, now, ctx) {
      const finished = await cleanup.afterUserDeleted(unit.userId, ctx.deadline);
      if (!finished) return { again: unit };
      if (!unit.secondPass) {
        // Thrown when refused: the unit is delivered again (its cleanup then finds nothing) and queues it then.
        await work.enqueue(USER_CLEANUP, [{ userId: unit.userId, secondPass: true } satisfies UserCleanupUnit], now, {
          notBefore: new Date(now.getTime() + USER_CLEANUP_SECOND_PASS_AFTER_MS),
        });
      }
      return {};
    },
    parseUnit(raw) {
      const unit = raw as Partial<Record<keyof UserCleanupUnit, unknown>> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('user cleanup unit needs a userId');
      if (unit.secondPass !== undefined && unit.secondPass !== true) throw new Error('user cleanup unit: secondPass must be true when given');
      return unit.secondPass ? { userId: unit.userId, secondPass: true } : { userId: unit.userId };
    },
  };
}
