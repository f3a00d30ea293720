/**
 * What the module builds on first use (create-module.ts), in ONE file: esbuild makes a chunk of
 * every `import()` target and splits the files they share with the start-up code into chunks of
 * their own, and each chunk costs a cold start a module load (about 0.5-1 ms), so several small
 * lazy imports cost more than they save (issue 11,
 * bench/HISTORY.md#cold-start-jobs-subscribers-and-services-on-first-use-featlazyinit-2026-11-30).
 * The routes' services, the expenses themselves (and their change log) and the jobs: a budget
 * summary needs none of them.
 */
export { createRouteServices } from './route-services';
export { ExpensesRepository } from '../repository/expenses.repository';
export { ExpenseQueries } from '../repository/expense-queries.repository';
export { SpendingReads } from '../repository/spending-reads.repository';
export { AttachmentsRepository } from '../repository/attachments.repository';
export { CommentsRepository } from '../repository/comments.repository';
export { CalendarFeedsRepository } from '../repository/calendar-feeds.repository';
export { csvImportJob } from '../jobs/csv-import-job';
export { importWatchdogJob } from '../jobs/import-watchdog-job';
export { importUndoJob } from '../jobs/import-undo-job';
export { importUndoWatchdogJob } from '../jobs/import-undo-watchdog-job';
export { merchantRenameJob } from '../jobs/merchant-rename-job';
export { merchantRenameWatchdogJob } from '../jobs/merchant-rename-watchdog-job';
export { tagRenameJob } from '../jobs/tag-rename-job';
export { tagRenameWatchdogJob } from '../jobs/tag-rename-watchdog-job';
export { recurringJob } from '../jobs/recurring-job';
export { recurringIncomeJob } from '../jobs/recurring-income-job';
export { recurringRemindersJob } from '../jobs/recurring-reminders-job';
export { RecurringRemindersRepository } from '../repository/recurring-reminders.repository';
export { budgetDataCleanup } from '../jobs/budget-data-cleanup';
export { attachmentsResweep } from '../jobs/attachments-resweep';
export { foldDayTotalsJob } from '../jobs/fold-day-totals-job';
export { DayTotalsFold } from '../repository/day-totals-fold';
export { reviewIndexBackfillJob } from '../jobs/review-index-backfill-job';
export { ReviewIndexBackfill } from '../repository/review-index-backfill';
export { paymentsIndexBackfillJob } from '../jobs/payments-index-backfill-job';
export { PaymentsIndexBackfill } from '../repository/payments-index-backfill';
export { exportCalendarFeeds, exportComments, exportPages } from './export-pages';
export { RulesRepository } from '../repository/rules.repository';
export { ImportProfilesRepository } from '../repository/import-profiles.repository';
export { IncomeRepository } from '../repository/income.repository';
