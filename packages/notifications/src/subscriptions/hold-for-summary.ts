import type { QuietSpan } from '../domain/quiet-hours';
import { QUIET_SUMMARY_JOB, type QuietSummaryUnit } from '../jobs/names';
import type { NotificationsRepository, SummaryKey } from '../repository/notifications.repository';
import type { AlertDeps } from './index';

/**
 * How long a summary's reservation is kept after its occurrence ends: past any redelivery of
 * its unit (the job queue's retries, a dead letter replayed within the 14 days they are kept).
 */
export const SUMMARY_RESERVATION_SECONDS = 14 * 24 * 60 * 60;

/**
 * A push held by quiet hours whose user asked for a summary (`quietHours.summary`): makes sure
 * ONE summary unit is queued for the end of this occurrence of the window, however many pushes
 * it holds. The first reserves it (a conditional PutItem of `notifications#summary#<end>` in the
 * user's partition, with a TTL) and queues the unit, held until `span.end`; the others find the
 * reservation and queue nothing. A unit that could not be queued gives the reservation back
 * (best effort) and fails the event: its redelivery, still in the window, tries again.
 */
export async function holdForSummary(
  d: { repository: NotificationsRepository; work: AlertDeps['work']; clock: AlertDeps['clock'] },
  userId: string,
  span: QuietSpan,
): Promise<void> {
  const key: SummaryKey = { userId, windowEnd: span.end.toISOString() };
  const expiresAt = Math.floor(span.end.getTime() / 1000) + SUMMARY_RESERVATION_SECONDS;
  if (!(await d.repository.reserveSummary(key, span.start.toISOString(), expiresAt))) return;
  const unit: QuietSummaryUnit = { userId, start: span.start.toISOString(), end: key.windowEnd };
  try {
    await d.work.enqueue(QUIET_SUMMARY_JOB, [unit], d.clock.now(), { notBefore: span.end });
  } catch (err) {
    await d.repository.releaseSummary(key).catch(() => undefined);
    throw err;
  }
}
