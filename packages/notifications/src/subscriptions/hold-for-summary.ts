import type { UsersFacade } from '@budgeting/users';
import type { QuietSpan } from '../domain/quiet-hours';
import type { SummaryKey } from '../repository/notifications.repository';
import type { SummariesRepository } from '../repository/summaries.repository';

/**
 * How long a summary's reservation is kept after its occurrence ends: it stops the occurrence
 * from being reserved (and summed up) twice, and it outlives any redelivery of its unit (the job
 * queue's retries, a dead letter replayed within the 14 days they are kept).
 */
export const SUMMARY_RESERVATION_SECONDS = 14 * 24 * 60 * 60;

/**
 * A push held by quiet hours whose user asked for a summary (`quietHours.summary`): makes sure
 * the occurrence of the window it falls in has ONE summary, however many pushes it holds. The
 * first reserves it: ONE conditional PutItem of `notifications#summary#<end>` in the user's
 * partition (with the account's check: a TransactWriteItems), with a TTL and the due index's
 * keys, which the scheduled job `notifications-quiet-summary` reads once the occurrence has
 * ended (jobs/quiet-summary-job.ts). The others fail the condition and write nothing, and so
 * does a push of an account deleted meanwhile (nothing left to sum up for). Nothing is queued
 * here: no unit waits.
 */
export async function holdForSummary(
  d: { summaries: SummariesRepository; users: Pick<UsersFacade, 'accountCheck'> },
  userId: string,
  span: QuietSpan,
): Promise<void> {
  const key: SummaryKey = { userId, windowEnd: span.end.toISOString() };
  const expiresAt = Math.floor(span.end.getTime() / 1000) + SUMMARY_RESERVATION_SECONDS;
  await d.summaries.reserveSummary(key, span.start.toISOString(), expiresAt, d.users.accountCheck(userId));
}
