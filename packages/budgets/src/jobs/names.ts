/**
 * The names of the module's operator jobs, apart from their code: create-module.ts declares the
 * jobs with them and loads each job's file on its first use (platform lazyJob).
 */
/** One-off operator job (`npm run job -- budgets-category-ids-backfill`): jobs/category-ids-backfill-job.ts. */
export const CATEGORY_IDS_BACKFILL_JOB = 'budgets-category-ids-backfill';
