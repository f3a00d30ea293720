import { firstIdAt } from '@budgeting/platform';
import { SUMMARY_WINDOW, summarized, summaryPush } from '../domain/summary-message';
import type { QuietSummaryUnit } from '../jobs/names';
import { pushSettled, type NotificationsRepository, type SummaryKey } from '../repository/notifications.repository';
import type { AlertDeps } from '../subscriptions/index';
import { pushOnce } from '../subscriptions/push-once';

export type SummaryDeps = Pick<AlertDeps, 'users' | 'push' | 'clock' | 'work'> & { repository: NotificationsRepository };

/**
 * When an occurrence of a user's quiet hours has ended: ONE push that sums up what it held and
 * is still unread, through the same push step as every notification (pushOnce: each device,
 * a gone one forgotten, a failed send fails the unit, which the queue delivers again), marked
 * `pushedAt` on the occurrence's reservation, so a second delivery sends nothing.
 *
 * Nothing is sent (and nothing written) when: the reservation is gone (the account was deleted
 * with its partition) or its push is marked; the account is gone or the user turned `summary`
 * (or the quiet hours) off meanwhile; they have no device; nothing in the occurrence is still
 * unread in a kind they have pushes on for.
 *
 * Reads: the reservation (GetItem) and the profile (users facade getById) at once, then the
 * devices (Query), then the notifications made during the occurrence (ONE Query, the newest
 * SUMMARY_WINDOW) with the read-all mark (GetItem) at once.
 */
export async function sendQuietSummary(d: SummaryDeps, unit: QuietSummaryUnit): Promise<void> {
  const key: SummaryKey = { userId: unit.userId, windowEnd: unit.end };
  const [reservation, user] = await Promise.all([d.repository.summary(key), d.users.getById(unit.userId)]);
  if (!reservation || pushSettled(reservation)) return;
  if (!user?.notifications.quietHours?.summary) return;
  const devices = await d.repository.devices(unit.userId);
  if (devices.length === 0) return;
  const [held, mark] = await Promise.all([
    d.repository.between(unit.userId, firstIdAt(Date.parse(unit.start)), firstIdAt(Date.parse(unit.end)), SUMMARY_WINDOW),
    d.repository.readAllMark(unit.userId),
  ]);
  const unread = summarized(held, mark, user.notifications.push);
  if (unread.length === 0) return;
  await pushOnce(d, key, devices, (deviceId) => summaryPush(unread, unit.end, deviceId, user.locale));
}
