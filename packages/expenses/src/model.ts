import type { ForeignAmount } from './domain/foreign';
import type { AttachmentContentType } from './domain/attachments';
import type { Schedule } from './domain/recurrence';
import type { CsvMapping } from './domain/csv/layout';
import type { CreditsAs } from './domain/import-file';
import { partSpendingOf, spendingOf } from './domain/refunds';
import type { SharedAmount } from './domain/shared-amounts';

/** An expense as the module keeps it and the API returns it. Money in minor units. */
export interface Expense {
  id: string;
  budgetId: string;
  amount: number;
  /** null when uncategorized, and always null for a split expense (its parts name categories). */
  categoryId: string | null;
  /**
   * A split expense's parts (2..50, see domain/splits.ts): each spends `amount` of the
   * expense in its own category (null: uncategorized), and the parts add up to the expense's
   * `amount` exactly. Absent for an expense that is not split.
   */
  splits?: SplitPart[];
  occurredOn: string;
  description?: string;
  merchant?: string;
  /** Labels (domain/tags.ts): 1..10, distinct by searchKey, in the order sent. Absent when none. */
  tags?: string[];
  /**
   * What was actually paid in another currency (domain/foreign.ts): a record only, `amount`
   * is what counts. Absent when none.
   */
  foreign?: ForeignAmount;
  /**
   * Who shares it in the settle-up balances (domain/shared-with.ts): 1..50 distinct user ids in
   * user id order, each a member when written (service/shared-with-checks.ts). Absent: every
   * member. A recurring definition's occurrences carry the definition's; CSV imports record none.
   */
  sharedWith?: string[];
  /**
   * Who owes what of it in the settle-up balances, by exact amounts (domain/shared-amounts.ts):
   * 1..50 entries in user id order adding up to `amount`, never with `sharedWith`, each a member
   * when written. Absent: none. A recurring definition's occurrences carry the definition's.
   */
  sharedAmounts?: SharedAmount[];
  /**
   * A returned purchase (domain/refunds.ts, packages/expenses/docs/expense-fields.md "Refunds"): `amount` stays positive and the
   * expense spends `-amount` (spendingOf). Stored and shown only when true; absent: a purchase.
   */
  refund?: true;
  /**
   * false while it needs review (domain/review.ts): a bank's row (CSV or OFX import) until a
   * member looks at it. Stored only when false (`unreviewed: true` on the item): items written
   * before, and every expense recorded by hand, read as reviewed.
   */
  reviewed: boolean;
  /**
   * The recurring definition that recorded it (the hourly job or POST .../record-next; service/
   * occurrence-expense.ts): "from schedule X". Set only then and never by a client; kept by
   * every later write (PATCH, bulk edit, rename, restore), and after the definition is deleted
   * (it then names a definition that no longer exists). Absent on every other expense: recorded
   * by hand or imported (also an imported one the job matched an occurrence with: packages/expenses/docs/import-export.md, "Bill
   * matching"), and every occurrence recorded before the link existed (2026-12-04).
   */
  recurringExpenseId?: string;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One part of a split expense. Money in minor units; `description` absent when there is none. */
export interface SplitPart {
  categoryId: string | null;
  amount: number;
  description?: string;
}

/**
 * The part of an expense that the running totals depend on: the whole `amount` counts once
 * in the day's and month's total, and each part (or, unsplit, the whole amount) in its
 * category's figure. The amounts here are SIGNED spending (spendingOf): a refund's are
 * negative, so its create, PATCH (also one flipping `refund`), delete and restore move the
 * totals by the signed difference with no other code knowing about refunds.
 */
export interface Contribution {
  amount: number;
  categoryId: string | null;
  occurredOn: string;
  splits?: { categoryId: string | null; amount: number }[];
}

/** (Only the fields it reads: the totals check recounts from items read with just those, repository/totals-check.repository.ts.) */
export const contributionOf = (e: Pick<Expense, 'amount' | 'categoryId' | 'occurredOn' | 'splits' | 'refund'>): Contribution => ({
  amount: spendingOf(e),
  categoryId: e.categoryId,
  occurredOn: e.occurredOn,
  ...(e.splits ? { splits: e.splits.map((p) => ({ categoryId: p.categoryId, amount: partSpendingOf(e, p) })) } : {}),
});

/** A pause of a recurring definition (expense or income): [from, to) in the budget's time zone; `to` null while paused. */
export interface PauseInterval {
  from: string;
  to: string | null;
}

/**
 * A recurring definition's pause and skip history (domain/pause-history.ts), kept alike by
 * recurring expenses and recurring income on the definition itself.
 */
export interface PauseHistory {
  /**
   * The pause history (domain/pause-history.ts): calendar dates in the budget's time zone, `to`
   * null while paused, the last 24 kept. In the API (read-only; [] when absent). Absent on
   * definitions not paused since the history was kept.
   */
  pauses?: PauseInterval[];
  /** The dates skipped (POST .../skip), the last 24 kept. Internal, as skippedThrough. */
  skippedDates?: string[];
  /**
   * From this date on, `pauses` and `skippedDates` are the whole story (a passed, unsettled date
   * in neither was missed); before it, or without it, the bill status falls back to
   * `skippedThrough`. Set on create, and on the first pause, resume or skip of an older item.
   */
  historySince?: string;
}

/** When a recurring definition (expense or income) was created, as a calendar day. */
export interface CreationDay {
  /**
   * The day the definition was created, in its budget's time zone then (the `today` its first
   * occurrence was taken from). Kept because the budget's time zone may change later: createdAt's
   * date in the new zone can be a day off, which dropped (or added) a first date in the bill and
   * paycheck status. Internal, as skippedThrough; absent on definitions created before it was
   * kept (createdAt's date in the budget's current zone stands in).
   */
  createdOn?: string;
}

/**
 * A recurring expense: a standing instruction to record an expense on every occurrence of
 * its schedule (see recurrence.ts). `nextOccurrenceOn` is the next date not yet recorded
 * (null once the schedule has ended); the scheduled job moves it forward.
 */
export interface RecurringExpense extends PauseHistory, CreationDay {
  id: string;
  budgetId: string;
  amount: number;
  /** As an expense's: null when uncategorized, and always null for a split definition. */
  categoryId: string | null;
  /**
   * A split definition's parts, under the same rules as a split expense's (domain/splits.ts):
   * every occurrence the job records is a split expense with these parts. Absent when not split.
   */
  splits?: SplitPart[];
  description?: string;
  merchant?: string;
  /** As an expense's; every occurrence the job records carries them. Absent when none. */
  tags?: string[];
  /** As an expense's; every occurrence the job records carries it. Absent when none. */
  foreign?: ForeignAmount;
  /** As an expense's (domain/shared-with.ts); every occurrence the job records carries it. Absent: every member. */
  sharedWith?: string[];
  /** As an expense's (domain/shared-amounts.ts: adding up to `amount`, never with `sharedWith`); every occurrence recorded carries it. Absent: none. */
  sharedAmounts?: SharedAmount[];
  schedule: Schedule;
  /**
   * null once the schedule has ended, and while paused (a paused definition records nothing and
   * is out of the job's due index; resuming restarts from today, see RecurringService).
   */
  nextOccurrenceOn: string | null;
  /** Stored only when true: items written before pausing existed read as false. */
  paused: boolean;
  /**
   * The latest date skipped (POST .../skip), so a resume with the same schedule does not bring
   * a skipped date that is still ahead back; dropped when the schedule changes (a new schedule
   * has new dates). Internal: not part of the API's view.
   */
  skippedThrough?: string;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * A categorization rule of a budget (domain/categorization.ts): a new expense recorded without
 * a category whose merchant matches `merchant` (the whole merchant, or text found in it,
 * ignoring case and accents) takes `categoryId` and `tags`. Rules are tried by `position`,
 * then by creation (ids are ULIDs); the first that matches and whose category the budget still
 * has wins.
 */
/** A split rule's part (domain/rule-split.ts): a category of the budget and its integer percent. */
export interface RuleSplitPart {
  categoryId: string;
  percent: number;
}

export interface CategorizationRule {
  id: string;
  budgetId: string;
  merchant: MerchantMatch;
  /** Also required when present: the expense's amount within these bounds (minor units, inclusive). Absent: any amount. */
  amount?: AmountRange;
  /** Also required when present: the expense's description contains this text (searchKey folded). Absent: any description. */
  description?: DescriptionMatch;
  /** The category a matching new expense without one is filed under. Absent on a rename-only rule (it has `renameTo`). */
  categoryId?: string;
  /**
   * Instead of `categoryId` (never both): a matching new expense without a category becomes a
   * split expense, its amount divided by these percents (domain/rule-split.ts). 2..10 parts, distinct
   * categories, integer percents adding up to 100. Absent on a rule that files under one category.
   */
  split?: RuleSplitPart[];
  /** The merchant a matching new expense gets instead of the one sent (payee renaming). Absent when the rule renames nothing. */
  renameTo?: string;
  /** As an expense's tags (domain/tags.ts), added with the rule's categorization only. Absent when none. */
  tags?: string[];
  position: number;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Exactly one of the two, as sent (the match folds both sides with searchKey). */
export type MerchantMatch = { equals: string } | { contains: string };

/** A rule's amount condition: at least one bound, `min <= max` when both (integer minor units, both inclusive). */
export interface AmountRange {
  min?: number;
  max?: number;
}

/** A rule's description condition: text found anywhere in the expense's description (both folded by searchKey). */
export interface DescriptionMatch {
  contains: string;
}

/**
 * A receipt (photo or PDF) attached to an expense (domain/attachments.ts). Its bytes are an
 * object in storage (S3) that the client uploads and downloads itself through signed URLs;
 * this is its metadata. `pending` until the object is seen with the declared size and type.
 */
export interface Attachment {
  id: string;
  budgetId: string;
  expenseId: string;
  status: 'pending' | 'uploaded';
  contentType: AttachmentContentType;
  /** Bytes, exactly (the upload must match it). */
  size: number;
  fileName?: string;
  createdBy: string;
  createdAt: string;
  /** Until when the upload ticket is valid. */
  uploadExpiresAt: string;
  uploadedAt?: string;
}

/**
 * A comment on an expense (domain/comments.ts): a household's "what was this?". Written by an
 * owner or editor, read by every member, deleted by its author or the budget's owner. `authorId`
 * stays when the author's account is deleted (as the activity log keeps a deleted user's
 * entries): the comment then names a user who is no longer a member.
 */
export interface ExpenseComment {
  id: string;
  budgetId: string;
  expenseId: string;
  authorId: string;
  text: string;
  createdAt: string;
}

/**
 * A saved column mapping of a budget (an import profile, as Firefly III's import configurations
 * and Actual's remembered mappings): `POST .../expenses/import?profile=<id>` reads a bank's CSV
 * file with `mapping`, each mapping query parameter given overriding its field.
 */
export interface ImportProfile {
  id: string;
  budgetId: string;
  /** Unique in the budget by nameKey (case and spacing ignored). */
  name: string;
  mapping: CsvMapping;
  /**
   * What a credit of a file read with this profile becomes (the import's `credits`), when the
   * import's query does not say; absent: the import's default (skipped).
   */
  credits?: CreditsAs;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Money that came in (a salary, a freelance payment), recorded per budget next to its
 * expenses: `amount` in the budget's currency, positive, counted in its month's income total
 * (packages/expenses/docs/income.md "Income and cash flow"). Never spending: refunds stay expenses.
 */
export interface Income {
  id: string;
  budgetId: string;
  amount: number;
  /** The day the money arrived (YYYY-MM-DD): its month's income total counts it. */
  receivedOn: string;
  /** Who paid it ("Acme payroll"); absent when not given. */
  source?: string;
  description?: string;
  /** The recurring income whose occurrence this entry is (recorded by its job or record-next); absent otherwise. */
  recurringIncomeId?: string;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * A schedule of income (a monthly salary, a biweekly paycheck): the recurring income job records
 * an income entry of `amount` on each occurrence (packages/expenses/docs/income.md "Recurring income").
 * `nextOccurrenceOn` is null while paused and once the schedule has ended.
 */
export interface RecurringIncome extends PauseHistory, CreationDay {
  id: string;
  budgetId: string;
  amount: number;
  source?: string;
  description?: string;
  schedule: Schedule;
  nextOccurrenceOn: string | null;
  paused: boolean;
  /**
   * The latest date skipped (POST .../skip), so a resume never lands on it again (as a recurring
   * expense's); dropped by a changed schedule. Internal: not in the API.
   */
  skippedThrough?: string;
  /** Recorded entries are created by this user (the job records as them, while they may write). */
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
