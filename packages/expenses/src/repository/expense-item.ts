import { asKeyRecordOnItem, attr, type Item, type Key, type KeyRecordOnItem } from '@budgeting/platform';
import { resendTombstoneUntil } from '../domain/resend-tombstone';
import type { Expense } from '../model';
import type { ExpenseKeys } from './keys';
import { sharedAmountsOf, sharedExpenseFields, splitsOf } from './attributes';
import { partCategories } from '../domain/splits';
import { SPLIT_CATEGORIES_ATTRIBUTE, UNREVIEWED_ATTRIBUTE } from './stored-filters';
import { REFUND_ATTRIBUTE, refundField } from '../domain/refunds';

/**
 * An expense as its item in the table (keys.ts, "Expense"): how an Expense is written (toItem)
 * and read back (toExpense), and what the item holds beside the expense's fields (the
 * Idempotency-Key record, the import it came from). The writes (expenses.repository.ts) and the
 * reads (expense-queries.repository.ts, spending-reads.repository.ts) share it.
 */

export const EXPENSE_KIND = 'expense';
/** What a deleted expense leaves while its Idempotency-Key record lives, or for 24 h after its creation (see ExpensesRepository.remove). */
export const TOMBSTONE_KIND = 'expense-tombstone';
/** The expense item's attribute holding the Idempotency-Key record of the request that created it. */
export const KEY_RECORD_ATTRIBUTE = 'idempotency';

/** The refund flag of a stored (or projected) item: `{ refund: true }` or nothing. */
export const refundOf = (item: Record<string, unknown>) => refundField(item[REFUND_ATTRIBUTE] === true);

/** What toExpense reads of an item: an expense as the list shows it. */
export const EXPENSE_ATTRIBUTES = [
  'id', 'budgetId', 'amount', 'categoryId', 'splits', 'occurredOn', 'description', 'merchant', 'tags', 'foreign', 'sharedWith', 'sharedAmounts', UNREVIEWED_ATTRIBUTE,
  REFUND_ATTRIBUTE, 'recurringExpenseId', 'createdBy', 'version', 'createdAt', 'updatedAt',
] as const;

/**
 * The Idempotency-Key record (platform key-record-on-item.ts) the item of an expense read from
 * the table holds, if any: not a field of the expense (never shown), but carried by the object
 * the reads return so that an update or a delete of it keeps the record (replace, remove).
 * Non-enumerable, so neither a spread, JSON nor an equality check sees it.
 */
export const HELD_KEY_RECORD = Symbol('the Idempotency-Key record its item holds');

/**
 * Where an expense an import recorded came from: the import (`importId` on the item) and whether
 * that import matched bills (`matchRecurring: false` on the item only when it was run with
 * `?matchRecurring=false`). Not a field of the expense (the API never shows it): it is how the
 * recurring job knows an imported expense from one recorded by hand (bill matching, its half in
 * jobs/recurring-job.ts), so, like the Idempotency-Key record, the object a read returns holds
 * it (non-enumerable) and every later write of the item keeps it (replace, remove's restorable
 * copy, restore). Expenses imported before 2026-12-03 have none: the job never matches them.
 */
export interface ImportOrigin {
  importId: string;
  matchRecurring: boolean;
}
export const HELD_IMPORT = Symbol('the import that recorded it');
export type StoredExpense = Expense & { readonly [HELD_KEY_RECORD]?: KeyRecordOnItem; readonly [HELD_IMPORT]?: ImportOrigin };

/** `e` holding `origin` (what an import hands to createMany). */
export function withImportOrigin(e: Expense, origin: ImportOrigin): StoredExpense {
  return Object.defineProperty({ ...e }, HELD_IMPORT, { value: origin, enumerable: false });
}

/** The import an expense read from the table (or handed to createMany) came from, if any. */
export const importOriginOf = (e: Expense): ImportOrigin | undefined => (e as StoredExpense)[HELD_IMPORT];

/** The item attributes of an ImportOrigin (the job's Query and its condition check filter on them). */
export const IMPORT_ID_ATTRIBUTE = 'importId';
export const MATCH_RECURRING_ATTRIBUTE = 'matchRecurring';

/** The key of an expense's item (in the budget's expense partition). */
export function expenseKey(keys: ExpenseKeys, budgetId: string, expenseId: string): Key {
  return { pk: keys.budgetPk(budgetId), sk: keys.expenseSk(expenseId) };
}

/** The item of `e`, with its index attributes, the Idempotency-Key record and the import it came from when given. */
export function toItem(keys: ExpenseKeys, e: Expense, keyRecord?: KeyRecordOnItem, origin: ImportOrigin | undefined = importOriginOf(e)): Item {
  const { reviewed, ...stored } = e;
  const item: Item = { ...expenseKey(keys, e.budgetId, e.id), ...keys.indexAttributes(e), kind: EXPENSE_KIND, ...stored };
  // Only an expense that needs review carries the flag: a reviewed one (every expense recorded
  // by hand) is stored exactly as before review existed (issue 11: a create's bytes).
  if (!reviewed) item[UNREVIEWED_ATTRIBUTE] = true;
  // What the list by category filters the split partition on (no reader returns it).
  const categories = e.splits ? partCategories(e.splits) : [];
  if (categories.length > 0) item[SPLIT_CATEGORIES_ATTRIBUTE] = categories;
  if (keyRecord) item[KEY_RECORD_ATTRIBUTE] = keyRecord;
  if (origin) {
    item[IMPORT_ID_ATTRIBUTE] = origin.importId;
    if (!origin.matchRecurring) item[MATCH_RECURRING_ATTRIBUTE] = false;
  }
  return item;
}

export function toExpense(item: Item): StoredExpense {
  const { categoryId, ...rest } = sharedExpenseFields(item);
  const splits = splitsOf(item);
  const recurringExpenseId = attr.optionalStr(item, 'recurringExpenseId');
  const expense: Expense = {
    ...rest,
    categoryId,
    ...(splits ? { splits } : {}),
    ...sharedAmountsOf(item),
    occurredOn: attr.str(item, 'occurredOn'),
    // Absent (items written before review existed, and reviewed ones): reviewed.
    reviewed: item[UNREVIEWED_ATTRIBUTE] !== true,
    // Only on an occurrence its definition recorded (toItem stores it as any other field).
    ...(recurringExpenseId === undefined ? {} : { recurringExpenseId }),
    // Only on a refund (toItem stores `refund: true` as any other field; a purchase has none).
    ...refundOf(item),
  };
  const keyRecord = asKeyRecordOnItem(item[KEY_RECORD_ATTRIBUTE]);
  if (keyRecord) Object.defineProperty(expense, HELD_KEY_RECORD, { value: keyRecord, enumerable: false });
  if (typeof item[IMPORT_ID_ATTRIBUTE] === 'string') {
    const origin: ImportOrigin = { importId: item[IMPORT_ID_ATTRIBUTE], matchRecurring: item[MATCH_RECURRING_ATTRIBUTE] !== false };
    Object.defineProperty(expense, HELD_IMPORT, { value: origin, enumerable: false });
  }
  return expense;
}

/** The expense DELETE's resend tombstone (domain/resend-tombstone.ts): none for a recurring occurrence. */
export function tombstoneUntil(e: Expense, now: Date): number | undefined {
  return resendTombstoneUntil(e.createdAt, e.recurringExpenseId !== undefined, now);
}
