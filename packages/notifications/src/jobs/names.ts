/**
 * The module's fan-out job names (and schedule), apart from their code: create-module.ts
 * declares the job with them and loads the job's file on its first use (platform lazyJob).
 */

/** The user.deleted cascade of the account's partition (`notifications-on-users` queues it): jobs/user-cleanup-job.ts. */
export const USER_CLEANUP_JOB = 'notifications-user-cleanup';

/** The quiet-hours summaries whose occurrence has ended, one unit per user: jobs/quiet-summary-job.ts. */
export const QUIET_SUMMARY_JOB = 'notifications-quiet-summary';

/**
 * Every 15 minutes: a summary goes at most 15 minutes after the quiet hours end (a window ends
 * on a whole minute of the user's wall clock, often not on the hour: 06:30, or 07:00 in a zone of
 * half-hour offset), and the schedule costs 96 ticks a day whatever the number of users; a tick
 * with nothing due is SUMMARY_DUE_SHARDS Queries. An hourly one would make a summary up to an
 * hour late; every minute would be 1,440 ticks a day for a summary nobody needs to the minute.
 */
export const QUIET_SUMMARY_SCHEDULE = 'rate(15 minutes)';

/** Whose quiet hours, and the occurrence (ISO-8601 instants: its first quiet minute, its end). */
export interface QuietSummaryUnit {
  userId: string;
  start: string;
  end: string;
}
