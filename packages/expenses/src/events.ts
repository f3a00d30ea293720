import { defineEvent } from '@budgeting/platform';
import type { z } from 'zod';

/**
 * The expenses module's event contracts. Each is written to the outbox in the same
 * transaction as the expense change and the running totals it moves, so an event exists
 * exactly when its change committed. Amounts are minor units of the budget's currency.
 */

/** The payload schemas, imported (with zod) on the first use of one of the contracts below. */
const schemas = () => import('./schemas/events.schemas');

/**
 * `via` (optional: absent means a single API write): how it was recorded, so the activity log
 * can tell an import or a recurring occurrence (`recurringExpenseId`, recorded by the schedule
 * on behalf of `createdBy`, the definition's creator) from a write by hand; `recordedBy`
 * (optional): the member who recorded that occurrence now (POST .../record-next), absent when
 * the schedule did (`createdBy` stays the creator, who paid it). `categorizedBy`
 * (optional): the categorization rule that filled in the category of an expense recorded
 * without one (POST, offline push, CSV import; domain/categorization.ts). `restoredBy`
 * (optional): a deleted expense put back (POST .../restore) under its id, as it was; to a
 * subscriber it is new spending like any other, so it is this event, not one of its own.
 */
export const expenseRecorded = defineEvent('expenses', 'expense.recorded', 1, async () => (await schemas()).expenseRecorded());

/**
 * `previous` carries what the totals moved away from, so subscribers can adjust their own views.
 * `ruleId` (optional): the saved categorization rule whose apply (POST .../rules/{ruleId}/apply)
 * made the change; absent for every other write (a PATCH, a bulk edit, a rename by hand).
 */
export const expenseUpdated = defineEvent('expenses', 'expense.updated', 1, async () => (await schemas()).expenseUpdated());

export const expenseDeleted = defineEvent('expenses', 'expense.deleted', 1, async () => (await schemas()).expenseDeleted());

export type ExpenseRecordedData = z.infer<typeof expenseRecorded.data>;
export type ExpenseUpdatedData = z.infer<typeof expenseUpdated.data>;
export type ExpenseDeletedData = z.infer<typeof expenseDeleted.data>;

/**
 * A comment on an expense (POST .../comments), in the comment's own transaction. `text` in
 * full; `expenseCreatedBy` and `earlierCommenters` (everyone who had commented on the expense
 * before, as its count item knew when the comment was written) say whom it concerns, so a
 * subscriber (notifications) needs no read of the expenses module.
 */
export const expenseCommentAdded = defineEvent('expenses', 'expense.comment_added', 1, async () => (await schemas()).expenseCommentAdded());

/** A comment deleted (DELETE .../comments/{id}) by its author or the budget's owner; `text` is what it said. Not published when a comment goes with its expense. */
export const expenseCommentDeleted = defineEvent('expenses', 'expense.comment_deleted', 1, async () => (await schemas()).expenseCommentDeleted());

export type ExpenseCommentAddedData = z.infer<typeof expenseCommentAdded.data>;
export type ExpenseCommentDeletedData = z.infer<typeof expenseCommentDeleted.data>;

/**
 * A CSV or bank-statement import job ended (`succeeded` or `failed`), published exactly once per
 * import, in the transaction that moves its record to that status (ImportJobsRepository: the
 * last chunk's finish, a failure, a stalled import marked on read; an import with nothing to
 * queue, with its record). `userId` started it (notifications tells them). Counts as the
 * record's (GET .../imports/{importId}); `failure`: the reason of a failed one (English), with
 * `failureCode` beside it (JobFailureCode: stalled, budget-deleted, budget-archived, part-failed, not-started;
 * optional, absent on events published before codes). No row contents.
 */
export const expenseImportFinished = defineEvent('expenses', 'expense.import_finished', 1, async () => (await schemas()).expenseImportFinished());

export type ExpenseImportFinishedData = z.infer<typeof expenseImportFinished.data>;

/**
 * A merchant rename (POST .../merchants/rename) ended (`succeeded` or `failed`), published
 * exactly once per rename, in the transaction that moves its record to that status
 * (MerchantRenamesRepository: the last page counted, a failure, a stalled rename failed by a
 * reader or by its watchdog), as an import's expense.import_finished. `startedBy` asked for it
 * (notifications tells them). `from`, `to` and the counts as the record's (GET
 * .../merchant-renames/{renameId}); `failure`: a failed one's reason, with `failureCode` beside
 * it as an import's. No expense contents: each renamed expense has its own expense.updated.
 */
export const expenseMerchantRenameFinished = defineEvent('expenses', 'expense.merchant_rename_finished', 1, async () => (await schemas()).expenseMerchantRenameFinished());

export type ExpenseMerchantRenameFinishedData = z.infer<typeof expenseMerchantRenameFinished.data>;

/**
 * An import's undo (POST .../imports/{importId}/undo) ended (`succeeded` or `failed`), published
 * once per run of the undo, in the write that moves its `undo` to that status
 * (ImportUndoRepository: the last chunk counted, a unit's failure, a stall failed by a reader or
 * by its watchdog; an import with no chunks, with the undo's start), as an import's
 * expense.import_finished: two units finishing together or a unit delivered again find the undo
 * ended and write nothing. A failed undo asked again is a new run (`attempt` + 1) that ends with
 * an event of its own. `startedBy` asked for it (notifications tells them). Counts as the
 * record's `undo` (GET .../imports/{importId}); `failure` with `failureCode` beside it. No
 * expense contents: each removed expense has its own expense.deleted.
 */
export const expenseImportUndoFinished = defineEvent('expenses', 'expense.import_undo_finished', 1, async () => (await schemas()).expenseImportUndoFinished());

export type ExpenseImportUndoFinishedData = z.infer<typeof expenseImportUndoFinished.data>;

/** Why an import or a merchant rename failed, as a code (the events' `failureCode`; schemas/events.schemas.ts says each). */
export type { JobFailureCode } from './schemas/events.schemas';

/**
 * A recurring expense's next occurrence is due tomorrow (its day begins within 15 hours in the
 * budget's time zone: from 09:00 there the day before; domain/reminders.ts): published once per (definition, occurrence) by the
 * hourly `recurring-reminders` job, in ONE transaction with the occurrence's reminder marker
 * (RecurringRemindersRepository), never for a paused definition or a skipped date.
 * Notifications tells every member; webhooks deliver it.
 */
export const expenseRecurringDueSoon = defineEvent('expenses', 'expense.recurring_due_soon', 1, async () => (await schemas()).expenseRecurringDueSoon());

export type ExpenseRecurringDueSoonData = z.infer<typeof expenseRecurringDueSoon.data>;

/**
 * An income entry recorded (POST .../income), changed (PATCH) or deleted (DELETE): each put to
 * the outbox in the income write's own transaction (IncomeRepository: the entry, its month's
 * total, the writer guard and this item), so it exists exactly when the write committed.
 * Income is not in the expenses change log (delta sync carries expenses only), so unlike an
 * expense's these are outbox items of their own. `income.updated` carries `changes` (before
 * and after of each changed field), `income.deleted` what was deleted. The activity log copies
 * them (`activity-on-income`), webhooks deliver them. An entry a bank file's import wrote
 * (`credits=income`, ImportsRepository.recordIncome: the entry, its marker and this item in one
 * transaction) is published as recorded too, with `via: "import"` and its `importId` (optional);
 * an occurrence of a recurring income (the recurring income job, through the income create's own
 * write) with `via: "recurring"` and its `recurringIncomeId` (optional).
 */
export const incomeRecorded = defineEvent('expenses', 'income.recorded', 1, async () => (await schemas()).incomeRecorded());
export const incomeUpdated = defineEvent('expenses', 'income.updated', 1, async () => (await schemas()).incomeUpdated());
export const incomeDeleted = defineEvent('expenses', 'income.deleted', 1, async () => (await schemas()).incomeDeleted());

export type IncomeRecordedData = z.infer<typeof incomeRecorded.data>;
export type IncomeUpdatedData = z.infer<typeof incomeUpdated.data>;
export type IncomeDeletedData = z.infer<typeof incomeDeleted.data>;
