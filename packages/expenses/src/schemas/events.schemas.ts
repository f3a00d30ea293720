import { z } from 'zod';

/**
 * The payload schemas of the expenses module's event contracts (events.ts), one builder per
 * contract. Imported on the first use of a contract, so that declaring them at start-up does
 * not load zod (issue 11).
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * A split expense's parts (absent on an expense that is not split, whose `categoryId` names
 * its category): each part's amount counts in its category (null: uncategorized), and they
 * add up to `amount`. A split expense's own `categoryId` is null.
 */
const splits = () =>
  z
    .array(z.object({ categoryId: z.string().min(1).nullable(), amount: z.number().int().positive(), description: z.string().optional() }))
    .min(2)
    .optional();

const expenseFacts = () => ({
  expenseId: z.string().min(1),
  budgetId: z.string().min(1),
  amount: z.number().int().positive(),
  /**
   * Only on a refund (a returned purchase): `amount` (positive) is money back, and the expense
   * spends `-amount` in its category (or its parts' categories). Absent: a purchase.
   */
  refund: z.literal(true).optional(),
  categoryId: z.string().min(1).nullable(),
  splits: splits(),
  occurredOn: date,
  merchant: z.string().nullable(),
  /**
   * The expense's description (absent when it has none; optional: events published before it
   * lack it), so a creation's and a deletion's activity entry say what it was, as an update's
   * `changes.description` does.
   */
  description: z.string().min(1).optional(),
  /** The expense's tags (absent when it has none), as stored: display spelling, order kept. */
  tags: z.array(z.string().min(1)).min(1).max(10).optional(),
  /**
   * What was paid in another currency (absent when none): minor units of that ISO 4217
   * currency. A record only: `amount` (the budget's currency) is what counts.
   */
  foreign: z.object({ amount: z.number().int().positive(), currency: z.string().regex(/^[A-Z]{3}$/) }).optional(),
  /**
   * Who shares it in the settle-up balances (absent: every member): 1..50 distinct user ids in
   * user id order, not checked against the members when written.
   */
  sharedWith: z.array(z.string().min(1)).min(1).max(50).optional(),
  /**
   * Who owes what of it in the settle-up balances, by exact amounts (absent: none; never with
   * `sharedWith`): 1..50 entries in user id order, adding up to `amount`.
   */
  sharedAmounts: z.array(z.object({ userId: z.string().min(1), amount: z.number().int().nonnegative() })).min(1).max(50).optional(),
});

/** Before and after of each changed field (absent text is null): the activity log shows them. */
const fieldChanges = () => z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }));

export const expenseRecorded = () =>
  z.object({
    ...expenseFacts(),
    createdBy: z.string().min(1),
    version: z.number().int().positive(),
    via: z.enum(['api', 'import', 'recurring']).optional(),
    recurringExpenseId: z.string().min(1).optional(),
    /** The categorization rule that gave a new expense its category (absent: sent with it, or none). */
    categorizedBy: z.object({ ruleId: z.string().min(1) }).optional(),
    /** The rule whose `renameTo` replaced the merchant sent (absent: none did); `merchant` is the renamed one. */
    renamedBy: z.object({ ruleId: z.string().min(1) }).optional(),
    /** Present when a deleted expense was put back (POST .../restore, same id and content): who did it. */
    restoredBy: z.string().min(1).optional(),
    /**
     * A recurring occurrence recorded now by a member (POST .../record-next): who asked for it.
     * Absent when the job recorded it. `createdBy` stays the definition's creator (the payer).
     */
    recordedBy: z.string().min(1).optional(),
  });

export const expenseUpdated = () =>
  z.object({
    ...expenseFacts(),
    updatedBy: z.string().min(1),
    version: z.number().int().positive(),
    previous: z.object({
      amount: z.number().int().positive(),
      /** Only when it was a refund before the change (its spending was `-amount`). */
      refund: z.literal(true).optional(),
      categoryId: z.string().min(1).nullable(),
      splits: splits(),
      occurredOn: date,
    }),
    changes: fieldChanges().optional(),
    /** The saved rule whose apply made this change (POST .../rules/{ruleId}/apply); absent for every other write. */
    ruleId: z.string().min(1).optional(),
  });

export const expenseDeleted = () =>
  z.object({ ...expenseFacts(), deletedBy: z.string().min(1) });

const commentFacts = () => ({
  budgetId: z.string().min(1),
  expenseId: z.string().min(1),
  commentId: z.string().min(1),
  authorId: z.string().min(1),
  /** The comment's text (1..1000 characters, as written). */
  text: z.string().min(1),
});

export const expenseCommentAdded = () =>
  z.object({
    ...commentFacts(),
    /** Who recorded the expense. */
    expenseCreatedBy: z.string().min(1),
    /** Everyone who had commented on the expense before (the author too, if they had): at most the cap of comments. */
    earlierCommenters: z.array(z.string().min(1)),
  });

export const expenseCommentDeleted = () => z.object({ ...commentFacts(), deletedBy: z.string().min(1) });

const count = () => z.number().int().nonnegative();

/**
 * Why a bulk job (an import, a merchant rename) failed, as a stable code beside its English
 * `failure` text, so a reader can word it in another language (the notifications module does):
 * - `stalled`: nothing moved for WORK_UNIT_STALLED_AFTER_MS (75 minutes), failed on a read or by its watchdog;
 * - `budget-deleted`: the budget was deleted while it ran;
 * - `budget-archived`: the budget was archived while it ran (its writes met the archive);
 * - `part-failed`: a part of the file (an import's chunk) or a page of the budget's expenses (a rename's) failed every attempt;
 * - `not-started`: its work could not be queued (or, without a queue, worked inline and failed).
 * A string, not an enum, in the contract: a code added later must not fail an older reader,
 * which words an unknown code as it would a failure without one.
 */
export const JOB_FAILURE_CODES = ['stalled', 'budget-deleted', 'budget-archived', 'part-failed', 'not-started'] as const;
export type JobFailureCode = (typeof JOB_FAILURE_CODES)[number];
const failureCode = () => z.string().regex(/^[a-z][a-z-]{0,39}$/);

export const expenseImportFinished = () =>
  z.object({
    budgetId: z.string().min(1),
    importId: z.string().min(1),
    /** Who started the import. */
    userId: z.string().min(1),
    status: z.enum(['succeeded', 'failed']),
    /** Rows of the file (a statement's: its debits), as the import record counts them. */
    total: count(),
    imported: count(),
    duplicates: count(),
    /** Rows that matched a bill the recurring job had recorded, not recorded again (absent in events published before bill matching). */
    matched: count().optional(),
    errorCount: count(),
    /** A bank statement (OFX/QFX) only: its credits and zero amounts, left out. */
    skipped: count().optional(),
    /**
     * `credits=income` on a format that reads credits only (as the import record): of `imported`,
     * the credits recorded as income entries (`imported - incomeImported` are expenses). Optional,
     * so an event without it (every other import, and events published before it) reads as before.
     */
    incomeImported: count().optional(),
    /** A failed import's reason (the record's error of line 0), at most 300 characters. */
    failure: z.string().min(1).max(300).optional(),
    /** Beside `failure`: its reason as a code (JOB_FAILURE_CODES; absent in events published before codes). */
    failureCode: failureCode().optional(),
  });

export const expenseMerchantRenameFinished = () =>
  z.object({
    budgetId: z.string().min(1),
    renameId: z.string().min(1),
    /** Who started the rename (its expenses' expense.updated name them as `updatedBy`). */
    startedBy: z.string().min(1),
    /** The merchant names renamed, as asked (matched ignoring case, accents and spacing). */
    from: z.array(z.string().min(1)).min(1),
    /** What they became. */
    to: z.string().min(1),
    status: z.enum(['succeeded', 'failed']),
    /** The budget's expenses read (all of them when it succeeded). */
    examined: count(),
    /** Expenses whose merchant became `to`. */
    renamed: count(),
    /** A failed rename's reason (the record's `failure`), at most 300 characters. */
    failure: z.string().min(1).max(300).optional(),
    /** Beside `failure`: its reason as a code (JOB_FAILURE_CODES; absent in events published before codes). */
    failureCode: failureCode().optional(),
  });

export const expenseImportUndoFinished = () =>
  z.object({
    budgetId: z.string().min(1),
    importId: z.string().min(1),
    /** Who asked for the undo (its expenses' expense.deleted name them as `deletedBy`). */
    startedBy: z.string().min(1),
    /**
     * Which run of the undo ended: 1 for the first, +1 each time a failed undo is asked again
     * (each run ends once, with its own event; a subscriber keys "told once" by importId and attempt).
     */
    attempt: z.number().int().positive(),
    status: z.enum(['succeeded', 'failed']),
    /** Expenses of the import deleted by the undo (all its runs). */
    removed: count(),
    /** Expenses of the import kept: changed since the import. */
    kept: count(),
    /** Expenses of the import someone had deleted before the undo reached them. */
    gone: count(),
    /** The import's `imported` when the undo started: removed + kept + gone once it has succeeded. */
    total: count(),
    /** A failed undo's reason (the record's `undo.failure`, English), at most 300 characters. */
    failure: z.string().min(1).max(300).optional(),
    /**
     * Beside `failure`: its reason as a code: stalled, budget-archived, part-failed, not-started,
     * expired (a part of the import expired first), import-undo-unavailable (an import recorded
     * before imports kept what they recorded). A string: codes may be added.
     */
    failureCode: failureCode().optional(),
  });

export const expenseRecurringDueSoon = () =>
  z.object({
    budgetId: z.string().min(1),
    recurringExpenseId: z.string().min(1),
    /** The occurrence's date: tomorrow in the budget's time zone when the event was published. */
    dueOn: date,
    /** What the job will record that day, as the definition says now (minor units of `currency`, the budget's). */
    amount: z.number().int().positive(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    categoryId: z.string().min(1).nullable(),
    splits: splits(),
    merchant: z.string().nullable(),
    description: z.string().nullable(),
  });

/**
 * An income entry's facts as its events carry them (packages/expenses/docs/income.md "Income and cash flow"):
 * `amount` in minor units of the budget's currency (1..MAX_AMOUNT_MINOR, as an expense's),
 * `receivedOn` the day its month's income counts it; `source` and `description` only when the
 * entry has them (trimmed, never empty).
 */
const incomeFacts = () => ({
  budgetId: z.string().min(1),
  incomeId: z.string().min(1),
  amount: z.number().int().positive(),
  receivedOn: date,
  source: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
});

export const incomeRecorded = () =>
  z.object({
    ...incomeFacts(),
    /** Who recorded it (the entry's `createdBy`). */
    createdBy: z.string().min(1),
    version: z.number().int().positive(),
    /**
     * `import`: a bank file's credit written by an import with `credits=income` (absent: a POST),
     * `importId` that import (so a receiver can tie the entry to the import's undo, whose
     * income.deleted events name the same `incomeId`s). `recurring`: an occurrence the recurring
     * income job recorded, `recurringIncomeId` its definition. Optional: added to v1 (additive).
     */
    via: z.enum(['import', 'recurring']).optional(),
    importId: z.string().min(1).optional(),
    recurringIncomeId: z.string().min(1).optional(),
    /**
     * An occurrence recorded now by a member (POST .../recurring-income/{id}/record-next): who
     * asked (`createdBy` stays the definition's creator, as the job's entries). Optional v1 field.
     */
    recordedBy: z.string().min(1).optional(),
    /** Present when a deleted entry was put back (POST .../income/{incomeId}/restore, same id and content): who did it. */
    restoredBy: z.string().min(1).optional(),
  });

/**
 * The entry as it is after the change, and `changes`: before and after of each field that
 * changed (`amount`, `receivedOn`, `source`, `description`; absent text is null), as
 * expense.updated's `changes`. A PATCH that sent the values the entry had carries none.
 */
export const incomeUpdated = () =>
  z.object({
    ...incomeFacts(),
    updatedBy: z.string().min(1),
    version: z.number().int().positive(),
    changes: fieldChanges(),
  });

/** What was deleted: the entry's facts as they were. */
export const incomeDeleted = () => z.object({ ...incomeFacts(), deletedBy: z.string().min(1) });
