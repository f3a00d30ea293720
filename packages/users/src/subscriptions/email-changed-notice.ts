import { withClaimedInbox, type Clock, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import { userEmailChanged, type UserEmailChangedData } from '../events';
import { EMAIL_CHANGE_MAIL_JOB, type EmailChangeMailUnit } from '../jobs/names';

export const USERS_EMAIL_CHANGED_NOTICE = 'users-email-changed-notice';

/**
 * user.email_changed -> the notice to the OLD address ("your email was changed to ..."), as a
 * `changed` unit of the email change's mail job (jobs/email-change-mail-job.ts). The event is
 * written in the confirmation's transaction, so the notice exists exactly when the change
 * committed: a queue that refuses the unit fails the delivery, and EventBridge delivers again.
 *
 * Once per event: the claimed inbox (platform withClaimedInbox) claims the event before the
 * unit is queued and records it after, so a redelivered event queues nothing, nor does one
 * delivered while another delivery runs. At least once, as every mail here: a crash between the
 * queueing and the inbox write queues it twice (the mail's id, the event's, is the same).
 * An event written before the addresses were added to it carries none: its confirmation
 * queued the notice itself, so there is nothing to do.
 */
export function emailChangedNotice(d: { store: ModuleStore; clock: Clock; work: WorkQueue }): Subscription {
  return {
    name: USERS_EMAIL_CHANGED_NOTICE,
    events: [userEmailChanged],
    handle: withClaimedInbox(d.store, USERS_EMAIL_CHANGED_NOTICE, d.clock, async (event) => {
      const { userId, previousEmail, email, locale } = event.data as UserEmailChangedData;
      if (!previousEmail || !email) return;
      const unit: EmailChangeMailUnit = { kind: 'changed', userId, eventId: event.id, previousEmail, email, ...(locale ? { locale } : {}) };
      await d.work.enqueue(EMAIL_CHANGE_MAIL_JOB, [unit], d.clock.now());
    }),
  };
}
