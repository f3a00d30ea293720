/**
 * The module's fan-out job names, apart from their code: create-module.ts declares the job with
 * it and loads the job's file on its first unit (platform lazyJob); the subscribers that queue
 * units name it without loading the job.
 */

/** One unit per occurrence of a user's quiet hours that held a push, held until it ends: jobs/quiet-summary-job.ts. */
export const QUIET_SUMMARY_JOB = 'notifications-quiet-summary';

/** Whose quiet hours, and the occurrence (ISO-8601 instants: its first quiet minute, its end). */
export interface QuietSummaryUnit {
  userId: string;
  start: string;
  end: string;
}
