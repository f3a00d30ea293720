import type { Clock, EmailMessage } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { GuardKey, NotificationsRepository } from '../repository/notifications.repository';
import { sendClaimed } from './send-claimed';

/**
 * The email step of a budget alert and a pace alert, once their notification exists and the
 * guard says the email is not sent yet. `send` undefined: the member did not opt in (or the
 * account is gone): nothing sent, the email marked done all the same, so a redelivery does not
 * mail after all. Otherwise it is sent under the email's claim on the guard (sendClaimed), so
 * two deliveries of the event at once send one mail. Left: a process that dies between the
 * send and the mark mails again once the claim has lapsed.
 */
export async function emailOnce(
  d: { repository: Pick<NotificationsRepository, 'claimChannel' | 'releaseChannel' | 'markDelivered'>; clock: Clock },
  key: GuardKey,
  send: (() => Promise<void>) | undefined,
): Promise<void> {
  if (send && (await sendClaimed(d, key, 'email', send)) === 'settled') return;
  await d.repository.markDelivered(key, 'emailedAt', d.clock.now().toISOString());
}

/**
 * An alert mail with its one-click unsubscribe (RFC 8058: List-Unsubscribe headers) where the
 * deployment has a public API URL: it turns `notifications.email.budgetAlerts` off.
 */
export function withUnsubscribe(users: Pick<UsersFacade, 'unsubscribeUrl'>, userId: string, message: EmailMessage): EmailMessage {
  const unsubscribeUrl = users.unsubscribeUrl(userId, 'budget-alerts');
  return unsubscribeUrl ? { ...message, unsubscribeUrl } : message;
}
