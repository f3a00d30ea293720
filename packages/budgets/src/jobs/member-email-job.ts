import type { FanOutJob } from '@budgeting/platform';
import type { MemberEmailRefresh } from '../subscriptions/member-email';

/**
 * user.email_changed as a fan-out job without a schedule: the subscriber queues one unit per
 * change; each invocation refreshes the account's memberships until its deadline, then queues
 * the rest as the same unit (subscriptions/member-email.ts).
 */
export const MEMBER_EMAIL = 'budgets-member-email';

export interface MemberEmailUnit {
  userId: string;
}

export function memberEmailJob(refresh: MemberEmailRefresh): FanOutJob<MemberEmailUnit> {
  return {
    name: MEMBER_EMAIL,
    async work(unit, _now, ctx) {
      return (await refresh.afterEmailChanged(unit.userId, ctx.deadline)) ? {} : { again: unit };
    },
    parseUnit(raw) {
      const unit = raw as Partial<MemberEmailUnit> | null;
      if (!unit || typeof unit.userId !== 'string' || unit.userId.length === 0) throw new Error('member email unit needs a userId');
      return { userId: unit.userId };
    },
  };
}
