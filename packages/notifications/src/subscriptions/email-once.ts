import type { Clock } from '@budgeting/platform';
import type { GuardKey, NotificationsRepository } from '../repository/notifications.repository';

/**
 * The email step of a budget alert and a pace alert, once their notification exists and the
 * guard says the email is not sent yet. `send` undefined: the member did not opt in (or the
 * account is gone): nothing sent, the email marked done all the same, so a redelivery does not
 * mail after all. Otherwise the email is CLAIMED on the guard first (claimEmail), so two
 * deliveries of the event at once send one mail: the second finds the claim and fails, to be
 * delivered again (DeliveryInFlightError), or finds it sent and stops. A failed send gives the
 * claim back and throws (the event is redelivered and only the unsent channels go again). Left:
 * a process that dies between the send and the mark mails again once the claim has lapsed.
 */
export async function emailOnce(
  d: { repository: Pick<NotificationsRepository, 'claimEmail' | 'releaseEmail' | 'markDelivered'>; clock: Clock },
  key: GuardKey,
  send: (() => Promise<void>) | undefined,
): Promise<void> {
  if (send) {
    const claimedUntil = await d.repository.claimEmail(key, d.clock.now());
    if (claimedUntil === undefined) return; // sent by another delivery meanwhile, or the guard is gone
    try {
      await send();
    } catch (err) {
      await d.repository.releaseEmail(key, claimedUntil).catch(() => undefined); // best effort: otherwise it lapses
      throw err;
    }
  }
  await d.repository.markDelivered(key, 'emailedAt', d.clock.now().toISOString());
}
