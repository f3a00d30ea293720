/**
 * The names of the module's fan-out jobs, apart from their code: create-module.ts declares the
 * jobs with them and loads each job's file on its first use (platform lazyJob), and the
 * subscriber that queues units names them without loading the job.
 */
export const ACTIVITY_CLEANUP = 'activity-budget-cleanup';
