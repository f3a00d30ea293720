import { firstIdAt, type PushMessage } from '@budgeting/platform';
import { SUMMARY_WINDOW, summarized, summaryPush } from '../domain/summary-message';
import type { QuietSummaryUnit } from '../jobs/names';
import { pushSettled, type SummaryKey } from '../repository/notifications.repository';
import type { SummariesRepository } from '../repository/summaries.repository';
import type { AlertDeps, LoadedRepositories } from '../subscriptions/index';
import type { Device } from '../model';
import { quietSpanAt } from '../domain/quiet-hours';
import { holdForSummary } from '../subscriptions/hold-for-summary';
import { pushToDevices } from '../subscriptions/push-once';

export type SummaryDeps = Pick<AlertDeps, 'users' | 'push' | 'clock'> & LoadedRepositories;

/** What became of a due summary: pushed, or not (and why, for the job's report). */
export type SummaryOutcome = 'pushed' | 'gone' | 'already' | 'off' | 'still-quiet' | 'no-device' | 'nothing-unread';

/**
 * When an occurrence of a user's quiet hours has ended (the scheduled tick found its reservation
 * in the due index): ONE push that sums up what it held and is still unread, at most once
 * (pushClaimed: the unit claims the reservation before it sends, each device as every
 * notification's push does), marked `pushedAt` on the occurrence's reservation in the same
 * UpdateItem that takes it out of the due index, so neither a second delivery nor the next tick
 * sends it again.
 *
 * Nothing is sent when: the reservation is gone (the account was deleted with its partition)
 * or its push is marked; the account is gone or the user turned `summary` (or the quiet hours)
 * off meanwhile; the quiet hours as they are NOW still hold (changed during the night: a later
 * `to`, another time zone): then the summary moves to the end of the occurrence that holds now
 * (reserved as a held push reserves it, from the earlier of the two starts, so it covers this
 * night's notifications too), 'still-quiet' (until feat/me it was pushed at the old end, inside
 * the quiet hours the user had set meanwhile); they have no device; nothing in the occurrence is still unread in a kind they
 * have pushes on for. Then the reservation (if any) is taken out of the index (one UpdateItem)
 * and stays, unindexed, until its TTL.
 *
 * Reads: the reservation (GetItem) and the profile (users facade getById) at once, then the
 * devices (Query), then the notifications made during the occurrence (ONE Query, the newest
 * SUMMARY_WINDOW) with the read-all mark (GetItem) at once. Writes, when pushed: the claim and
 * the mark (two UpdateItems).
 */
export async function sendQuietSummary(d: SummaryDeps, unit: QuietSummaryUnit): Promise<SummaryOutcome> {
  const key: SummaryKey = { userId: unit.userId, windowEnd: unit.end };
  const [reservation, user] = await Promise.all([d.summaries.summary(key), d.users.getById(unit.userId)]);
  if (!reservation) return 'gone';
  const outcome = await summaryOf(d, unit, key, reservation, user);
  if (outcome !== 'pushed') await d.summaries.unindexSummary(key);
  return outcome;
}

async function summaryOf(
  d: SummaryDeps,
  unit: QuietSummaryUnit,
  key: SummaryKey,
  reservation: NonNullable<Awaited<ReturnType<SummariesRepository['summary']>>>,
  user: Awaited<ReturnType<SummaryDeps['users']['getById']>>,
): Promise<Exclude<SummaryOutcome, 'gone'>> {
  if (pushSettled(reservation)) return 'already';
  if (!user?.notifications.quietHours?.summary) return 'off';
  const quietNow = quietSpanAt(user.notifications.quietHours, d.clock.now(), user.timezone);
  if (quietNow) {
    const start = new Date(Math.min(quietNow.start.getTime(), Date.parse(unit.start)));
    await holdForSummary(d, unit.userId, { start, end: quietNow.end });
    return 'still-quiet';
  }
  const devices = await d.devices.devices(unit.userId);
  if (devices.length === 0) return 'no-device';
  const [held, mark] = await Promise.all([
    d.repository.between(unit.userId, firstIdAt(Date.parse(unit.start)), firstIdAt(Date.parse(unit.end)), SUMMARY_WINDOW),
    d.repository.readAllMark(unit.userId),
  ]);
  const unread = summarized(held, mark, user.notifications.push);
  if (unread.length === 0) return 'nothing-unread';
  return pushClaimed(d, key, devices, (deviceId) => summaryPush(unread, unit.end, deviceId, user.locale));
}

/**
 * The push, at most once per night: the unit first claims the reservation (claimSummary, a
 * conditional UpdateItem), so of two units of the same night (two ticks at the same moment, a
 * redelivery racing the first delivery) only one sends. Then, as pushOnce, every device; once
 * one took it the night counts as pushed (`pushedAt`, out of the index) even if another failed:
 * a retry would send it twice to the first. When none took it and a send failed, the claim is
 * given back and the unit fails, so the queue's next delivery tries again. A unit that dies
 * between the claim and the end keeps the claim: that summary is lost, never doubled.
 */
async function pushClaimed(
  d: SummaryDeps,
  key: SummaryKey,
  devices: Device[],
  message: (deviceId: string) => PushMessage,
): Promise<'pushed' | 'already'> {
  const at = d.clock.now().toISOString();
  if (!(await d.summaries.claimSummary(key, at))) return 'already';
  const { took, failure } = await pushToDevices(d, devices, message);
  if (failure !== undefined && took.length === 0) {
    await d.summaries.releaseSummary(key, at);
    throw failure;
  }
  await d.repository.markDelivered(key, 'pushedAt', at);
  return 'pushed';
}
