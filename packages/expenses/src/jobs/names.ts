/**
 * The names (and schedule) of the module's fan-out jobs, apart from their code: create-module.ts
 * declares the jobs with them and loads each job's file on its first use (platform lazyJob),
 * and the subscribers and services that queue units name them without loading the jobs.
 */
export const RECURRING_JOB = 'recurring-expenses';
export const RECURRING_SCHEDULE = 'rate(1 hour)';
/** Recurring income recorded as income entries, from its own due index on the same schedule: jobs/recurring-income-job.ts. */
export const RECURRING_INCOME_JOB = 'recurring-income';
/** Bill reminders (expense.recurring_due_soon), read from the recurring job's due index on the same schedule: jobs/recurring-reminders-job.ts. */
export const RECURRING_REMINDERS_JOB = 'recurring-reminders';
export const BUDGET_DATA_CLEANUP = 'expenses-budget-cleanup';
export const CSV_IMPORT_JOB = 'expenses-csv-import';
/** An import's undo, one unit per stored chunk of the import: jobs/import-undo-job.ts. */
export const IMPORT_UNDO_JOB = 'expenses-import-undo';
/** A started undo's watchdog, a delayed unit that fails it once stalled, unread: jobs/import-undo-watchdog-job.ts. */
export const IMPORT_UNDO_WATCHDOG_JOB = 'expenses-import-undo-watchdog';
/** The deletion cascades' second pass over receipts uploaded late: jobs/attachments-resweep.ts. */
export const ATTACHMENTS_RESWEEP = 'expenses-attachments-resweep';
/** One-off operator job (`npm run job -- expenses-fold-day-totals`): jobs/fold-day-totals-job.ts. */
export const FOLD_DAY_TOTALS_JOB = 'expenses-fold-day-totals';
/** One-off operator job (`npm run job -- expenses-review-index-backfill`): jobs/review-index-backfill-job.ts. */
export const REVIEW_INDEX_BACKFILL_JOB = 'expenses-review-index-backfill';
/** One-off operator job (`npm run job -- expenses-payments-index-backfill`): jobs/payments-index-backfill-job.ts. */
export const PAYMENTS_INDEX_BACKFILL_JOB = 'expenses-payments-index-backfill';
/** A merchant renamed across a budget's expenses, a page per unit: jobs/merchant-rename-job.ts. */
export const MERCHANT_RENAME_JOB = 'expenses-merchant-rename';
/** A started import's watchdog, a delayed unit that fails it once stalled, unread: jobs/import-watchdog-job.ts. */
export const IMPORT_WATCHDOG_JOB = 'expenses-import-watchdog';
/** A started merchant rename's watchdog, a delayed unit that fails it once stalled, unread: jobs/merchant-rename-watchdog-job.ts. */
export const MERCHANT_RENAME_WATCHDOG_JOB = 'expenses-merchant-rename-watchdog';
/** A tag renamed or removed across a budget's expenses, a page per unit (the merchant rename's job with the tag kind): jobs/tag-rename-job.ts. */
export const TAG_RENAME_JOB = 'expenses-tag-rename';
/** A started tag rename's watchdog: jobs/tag-rename-watchdog-job.ts. */
export const TAG_RENAME_WATCHDOG_JOB = 'expenses-tag-rename-watchdog';
/** Operator operation (`npm run job -- expenses-totals-check --budget <id> [--month YYYY-MM] [--repair yes]`): service/totals-check.ts. */
export const TOTALS_CHECK_OPERATION = 'expenses-totals-check';
/**
 * The daily rolling verification of the running totals (`expenses-totals-check` without repair,
 * a bounded number of budgets a day, resuming where yesterday stopped): jobs/totals-verify-job.ts.
 */
export const TOTALS_VERIFY_JOB = 'expenses-totals-verify';
export const TOTALS_VERIFY_SCHEDULE = 'rate(1 day)';
