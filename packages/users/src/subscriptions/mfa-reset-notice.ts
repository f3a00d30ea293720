import { withClaimedInbox, type Clock, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import { userMfaResetByOperator, type UserMfaResetByOperatorData } from '../events';
import { MFA_RESET_NOTICE_MAIL_JOB, type MfaResetNoticeUnit } from '../jobs/names';

export const USERS_MFA_RESET_NOTICE = 'users-mfa-reset-notice';

/**
 * user.mfa_reset_by_operator -> the notice to the account's address, as a unit of the
 * users-mfa-reset-notice-mail job. The event is the reset's audit record, written in the
 * reset's transaction, so the notice exists exactly when the reset committed; a queue that
 * refuses the unit fails the delivery, and EventBridge delivers again. (Before, the operation
 * mailed it itself after the commit, and a failed send was only logged.)
 *
 * Once per event: the claimed inbox (platform withClaimedInbox) claims the event before the
 * unit is queued and records it after, so a redelivered event queues nothing, nor does one
 * delivered while another delivery runs (a crash between the two queues it twice once the
 * claim has lapsed: the same mail id).
 *
 * An event with `noticeWithheld` (the account was suspended when reset) queues nothing: a
 * suspended account gets no mail, and the decision is the reset's, not the delivery's (the
 * suspension may be lifted before the event arrives).
 */
export function mfaResetNotice(d: { store: ModuleStore; clock: Clock; work: WorkQueue }): Subscription {
  return {
    name: USERS_MFA_RESET_NOTICE,
    events: [userMfaResetByOperator],
    handle: withClaimedInbox(d.store, USERS_MFA_RESET_NOTICE, d.clock, async (event) => {
      const { userId, noticeWithheld } = event.data as UserMfaResetByOperatorData;
      if (noticeWithheld) return;
      const unit: MfaResetNoticeUnit = { userId, eventId: event.id, at: event.occurredAt };
      await d.work.enqueue(MFA_RESET_NOTICE_MAIL_JOB, [unit], d.clock.now());
    }),
  };
}
