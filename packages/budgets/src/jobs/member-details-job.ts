import type { FanOutJob, WorkQueue } from '@budgeting/platform';
import type { MemberDetailsRefresh } from '../subscriptions/member-details';

/**
 * user.email_changed and user.name_changed as a fan-out job without a schedule: the subscriber
 * queues one unit per event; each invocation refreshes the account's memberships' name and
 * email snapshots until its deadline, then queues the rest as the same unit
 * (subscriptions/member-details.ts).
 *
 * The refresh lists the account's memberships through gsi1, which is eventually consistent: a
 * membership created just BEFORE the change (so its creation's version check passed) may not be
 * in the index yet when the unit lists it, and would keep the older name and email. So a unit
 * queued by the event, once it has finished, queues ONE delayed second pass of itself
 * (`secondPass`), which reads and refreshes the same way and queues nothing more. A redelivered
 * first unit queues one more second pass per delivery (the queue's own retries, no more); a
 * first unit's continuation (`again`) is still the first pass, and only its last part queues.
 */
export const MEMBER_DETAILS = 'budgets-member-details';

/**
 * How long after the change the second pass runs, counted from the unit's tick (when the
 * subscriber queued it, after the change committed, so after the missed membership's creation
 * committed): a GSI usually shows a write well under a second later, and a minute leaves room
 * for a lagging one while keeping a stale snapshot short; well within one queue delay
 * (MAX_QUEUE_DELAY_SECONDS), so the pass is a single delayed message. A lag longer than this is
 * not covered: that membership keeps the older snapshot until the account's next change.
 */
export const MEMBER_DETAILS_SECOND_PASS_AFTER_MS = 60_000;

export interface MemberDetailsUnit {
  userId: string;
  /** The delayed second pass (queued by the first; queues nothing itself). Absent: the first pass. */
  secondPass?: true;
}

export function memberDetailsJob(refresh: Pick<MemberDetailsRefresh, 'refresh'>, work: WorkQueue): FanOutJob<MemberDetailsUnit> {
  return {
    name: MEMBER_DETAILS,
    async work(unit, now, ctx) {
      if (!(await refresh.refresh(unit.userId, ctx.deadline))) return { again: unit };
      if (!unit.secondPass) {
        // Thrown when refused: the unit is delivered again (its refresh then writes nothing) and queues it then.
        await work.enqueue(MEMBER_DETAILS, [{ userId: unit.userId, secondPass: true } satisfies MemberDetailsUnit], now, {
          notBefore: new Date(now.getTime() + MEMBER_DETAILS_SECOND_PASS_AFTER_MS),
        });
      }
      return {};
    },
    parseUnit(raw) {
      const unit = raw as Partial<Record<keyof MemberDetailsUnit, unknown>> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('member details unit needs a userId');
      if (unit.secondPass !== undefined && unit.secondPass !== true) throw new Error('member details unit: secondPass must be true when given');
      return unit.secondPass ? { userId: unit.userId, secondPass: true } : { userId: unit.userId };
    },
  };
}
