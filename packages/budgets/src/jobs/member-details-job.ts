import type { FanOutJob } from '@budgeting/platform';
import type { MemberDetailsRefresh } from '../subscriptions/member-details';

/**
 * user.email_changed and user.name_changed as a fan-out job without a schedule: the subscriber
 * queues one unit per event; each invocation refreshes the account's memberships' name and
 * email snapshots until its deadline, then queues the rest as the same unit
 * (subscriptions/member-details.ts).
 */
export const MEMBER_DETAILS = 'budgets-member-details';

export interface MemberDetailsUnit {
  userId: string;
}

export function memberDetailsJob(refresh: MemberDetailsRefresh): FanOutJob<MemberDetailsUnit> {
  return {
    name: MEMBER_DETAILS,
    async work(unit, _now, ctx) {
      return (await refresh.refresh(unit.userId, ctx.deadline)) ? {} : { again: unit };
    },
    parseUnit(raw) {
      const unit = raw as Partial<MemberDetailsUnit> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('member details unit needs a userId');
      return { userId: unit.userId };
    },
  };
}
