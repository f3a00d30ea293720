import { firstIdAt } from '@budgeting/platform';
import { SUMMARY_WINDOW, summarized, summaryPush } from '../domain/summary-message';
import type { QuietSummaryUnit } from '../jobs/names';
import { pushSettled, type NotificationsRepository, type SummaryKey } from '../repository/notifications.repository';
import type { AlertDeps } from '../subscriptions/index';
import { pushOnce } from '../subscriptions/push-once';

export type SummaryDeps = Pick<AlertDeps, 'users' | 'push' | 'clock'> & { repository: NotificationsRepository };

/** What became of a due summary: pushed, or not (and why, for the job's report). */
export type SummaryOutcome = 'pushed' | 'gone' | 'already' | 'off' | 'no-device' | 'nothing-unread';

/**
 * When an occurrence of a user's quiet hours has ended (the scheduled tick found its reservation
 * in the due index): ONE push that sums up what it held and is still unread, through the same
 * push step as every notification (pushOnce: each device, a gone one forgotten, a failed send
 * fails the unit, which the queue delivers again), marked `pushedAt` on the occurrence's
 * reservation in the same UpdateItem that takes it out of the due index, so neither a second
 * delivery nor the next tick sends it again.
 *
 * Nothing is sent when: the reservation is gone (the account was deleted with its partition)
 * or its push is marked; the account is gone or the user turned `summary` (or the quiet hours)
 * off meanwhile; they have no device; nothing in the occurrence is still unread in a kind they
 * have pushes on for. Then the reservation (if any) is taken out of the index (one UpdateItem)
 * and stays, unindexed, until its TTL.
 *
 * Reads: the reservation (GetItem) and the profile (users facade getById) at once, then the
 * devices (Query), then the notifications made during the occurrence (ONE Query, the newest
 * SUMMARY_WINDOW) with the read-all mark (GetItem) at once.
 */
export async function sendQuietSummary(d: SummaryDeps, unit: QuietSummaryUnit): Promise<SummaryOutcome> {
  const key: SummaryKey = { userId: unit.userId, windowEnd: unit.end };
  const [reservation, user] = await Promise.all([d.repository.summary(key), d.users.getById(unit.userId)]);
  if (!reservation) return 'gone';
  const outcome = await summaryOf(d, unit, key, reservation, user);
  if (outcome !== 'pushed') await d.repository.unindexSummary(key);
  return outcome;
}

async function summaryOf(
  d: SummaryDeps,
  unit: QuietSummaryUnit,
  key: SummaryKey,
  reservation: NonNullable<Awaited<ReturnType<NotificationsRepository['summary']>>>,
  user: Awaited<ReturnType<SummaryDeps['users']['getById']>>,
): Promise<Exclude<SummaryOutcome, 'gone'>> {
  if (pushSettled(reservation)) return 'already';
  if (!user?.notifications.quietHours?.summary) return 'off';
  const devices = await d.repository.devices(unit.userId);
  if (devices.length === 0) return 'no-device';
  const [held, mark] = await Promise.all([
    d.repository.between(unit.userId, firstIdAt(Date.parse(unit.start)), firstIdAt(Date.parse(unit.end)), SUMMARY_WINDOW),
    d.repository.readAllMark(unit.userId),
  ]);
  const unread = summarized(held, mark, user.notifications.push);
  if (unread.length === 0) return 'nothing-unread';
  await pushOnce(d, key, devices, (deviceId) => summaryPush(unread, unit.end, deviceId, user.locale));
  return 'pushed';
}
