import { withClaimedInbox, type Clock, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import { userSignedInFromNewPlace, type UserSignedInFromNewPlaceData } from '../events';
import { SIGN_IN_ALERT_MAIL_JOB, type SignInAlertUnit } from '../jobs/names';

export const USERS_SIGN_IN_ALERT = 'users-sign-in-alert';

/**
 * user.signed_in_from_new_place -> the "new sign-in to your account" mail, as a unit of the
 * users-sign-in-alert-mail job. The event is written in the transaction that starts the
 * session, so the mail exists exactly when the sign-in committed, and the login answers
 * without waiting for it; a queue that refuses the unit fails the delivery, and EventBridge
 * delivers again.
 *
 * Once per event: the claimed inbox (platform withClaimedInbox) claims the event before the
 * unit is queued and records it after, so a redelivered event queues nothing, nor does one
 * delivered while another delivery runs (a crash between the two queues it twice once the
 * claim has lapsed: the same mail id).
 */
export function signInAlert(d: { store: ModuleStore; clock: Clock; work: WorkQueue }): Subscription {
  return {
    name: USERS_SIGN_IN_ALERT,
    events: [userSignedInFromNewPlace],
    handle: withClaimedInbox(d.store, USERS_SIGN_IN_ALERT, d.clock, async (event) => {
      const { userId, at, device, deviceParts, network } = event.data as UserSignedInFromNewPlaceData;
      // An event from before `deviceParts` has none: the unit goes without, and the mail shows `device`.
      const unit: SignInAlertUnit = { userId, eventId: event.id, at, device, ...(deviceParts ? { deviceParts } : {}), network };
      await d.work.enqueue(SIGN_IN_ALERT_MAIL_JOB, [unit], d.clock.now());
    }),
  };
}
