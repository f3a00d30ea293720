/** Public entry of the expenses module: the only file other packages may import. */
export { expenseRecorded, expenseUpdated, expenseDeleted, expenseCommentAdded, expenseCommentDeleted, expenseImportFinished, expenseMerchantRenameFinished, expenseImportUndoFinished, expenseRecurringDueSoon, incomeRecorded, incomeUpdated, incomeDeleted } from './events';
export type { ExpenseRecordedData, ExpenseUpdatedData, ExpenseDeletedData, ExpenseCommentAddedData, ExpenseCommentDeletedData, ExpenseImportFinishedData, ExpenseMerchantRenameFinishedData, ExpenseImportUndoFinishedData, ExpenseRecurringDueSoonData, IncomeRecordedData, IncomeUpdatedData, IncomeDeletedData, JobFailureCode } from './events';
export type { Expense, RecurringExpense } from './model';
// The short form of a comment other modules show (activity entry, notification): plain, zod-free.
export { commentExcerpt } from './domain/comments';
export type { ExpensesExportFacade, ExpensesExportSection } from './contract';
export type { ExpenseActivitySource } from './service/activity-source';
export { RECURRING_JOB, RECURRING_INCOME_JOB, RECURRING_REMINDERS_JOB, BUDGET_DATA_CLEANUP } from './jobs/names';
export type { RecurringJobOptions, RecurringRunReport } from './jobs/recurring-job';
export type { RecurringIncomeRunReport } from './jobs/recurring-income-job';
export {
  createExpensesModule,
  type ExpensesModulePorts,
  type MemberLocalePort,
  type CredentialNoticePort,
  type ExpensesModuleOptions,
} from './create-module';
