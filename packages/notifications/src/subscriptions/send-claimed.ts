import type { Clock } from '@budgeting/platform';
import type { ClaimedChannel, GuardKey, NotificationsRepository } from '../repository/notifications.repository';

/**
 * Runs a channel's `send` (an email, the pushes to a member's devices) under its claim on the
 * guard (claimChannel: one conditional UpdateItem right before it), so that of two deliveries of
 * the same event at once only one sends: the other meets the live claim and fails with
 * DeliveryInFlightError, to be delivered again. 'settled': another delivery
 * settled the channel meanwhile (or the guard is gone): nothing sent. A send that throws gives
 * the claim back (best effort: otherwise it lapses after DELIVERY_CLAIM_LEASE_SECONDS), so the
 * redelivery sends at once.
 */
export async function sendClaimed(
  d: { repository: Pick<NotificationsRepository, 'claimChannel' | 'releaseChannel'>; clock: Clock },
  key: GuardKey,
  channel: ClaimedChannel,
  send: () => Promise<void>,
): Promise<'sent' | 'settled'> {
  const until = await d.repository.claimChannel(key, channel, d.clock.now());
  if (until === undefined) return 'settled';
  try {
    await send();
    return 'sent';
  } catch (err) {
    await d.repository.releaseChannel(key, channel, until).catch(() => undefined);
    throw err;
  }
}
