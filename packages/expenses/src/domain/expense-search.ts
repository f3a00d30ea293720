import { problems, searchKey } from '@budgeting/platform';
import type { Expense } from '../model';
import { hasTag } from './tags';
import { isRefund } from './refunds';

/**
 * At most this many stored expenses are examined (read) by one list request, whatever its
 * filters match: with a search whose matches are sparse, the page then holds what was found
 * so far (maybe nothing) and a nextCursor resuming where the examination stopped. About
 * 1,000 x 0.3 KB = 300 KB read, about 37 RCU eventually consistent (packages/expenses/docs/search.md "Search").
 */
export const LIST_MAX_EXAMINED = 1000;

/**
 * The search filters of the expense list and the CSV export (beyond from/to/categoryId, which
 * the index's key condition handles; `categoryId=uncategorized` is matched by isUncategorized),
 * all combined with AND. Text is kept as its searchKey
 * (platform text.ts: case- and accent-insensitive), computed once per request.
 */
export interface ExpenseSearch {
  /** searchKey of a text found anywhere in the merchant or the description. */
  text?: string;
  /** searchKey of the merchant, matched whole. */
  merchant?: string;
  /** Inclusive bounds on `amount` (minor units; a split expense's whole amount). */
  minAmount?: number;
  maxAmount?: number;
  /** The user who recorded the expense. */
  createdBy?: string;
  /** The recurring expense that recorded it (Expense.recurringExpenseId): a bill's payments. */
  recurringExpenseId?: string;
  /** searchKey of a tag the expense must carry (compared with each stored tag's searchKey). */
  tag?: string;
  /** Only expenses in this review state (`reviewed=false`: the ones that need review). */
  reviewed?: boolean;
  /** Only refunds (`true`) or only purchases (`false`): domain/refunds.ts. */
  refund?: boolean;
}

/** The search of a request's query (`q`, `merchant`, `minAmount`, `maxAmount`, `createdBy`, `recurringExpenseId`, `tag`, `reviewed`, `refund`), or undefined when it names none. */
export function expenseSearchOf(query: {
  q?: string;
  merchant?: string;
  minAmount?: number;
  maxAmount?: number;
  createdBy?: string;
  recurringExpenseId?: string;
  tag?: string;
  reviewed?: 'true' | 'false';
  refund?: 'true' | 'false';
}): ExpenseSearch | undefined {
  const search: ExpenseSearch = {
    ...(query.q === undefined ? {} : { text: searchKey(query.q) }),
    ...(query.merchant === undefined ? {} : { merchant: searchKey(query.merchant) }),
    ...(query.minAmount === undefined ? {} : { minAmount: query.minAmount }),
    ...(query.maxAmount === undefined ? {} : { maxAmount: query.maxAmount }),
    ...(query.createdBy === undefined ? {} : { createdBy: query.createdBy }),
    ...(query.recurringExpenseId === undefined ? {} : { recurringExpenseId: query.recurringExpenseId }),
    ...(query.tag === undefined ? {} : { tag: searchKey(query.tag) }),
    ...(query.reviewed === undefined ? {} : { reviewed: query.reviewed === 'true' }),
    ...(query.refund === undefined ? {} : { refund: query.refund === 'true' }),
  };
  return Object.keys(search).length === 0 ? undefined : search;
}

/**
 * Does the expense match every filter of the search? Text is compared on searchKey of what is
 * stored, computed here from the stored merchant and descriptions: so expenses written before
 * search existed match exactly like new ones, and the write path stores nothing more. A split
 * expense is one expense: the amount bounds apply to its whole `amount` (not to a part's), and
 * `q` also looks in its parts' descriptions. A tag is matched whole against each stored tag's
 * searchKey (tags belong to the expense, not to a part).
 */
export function matchesSearch(
  e: Pick<Expense, 'amount' | 'createdBy' | 'merchant' | 'description' | 'splits' | 'tags'> & Partial<Pick<Expense, 'reviewed' | 'recurringExpenseId' | 'refund'>>,
  s: ExpenseSearch,
): boolean {
  // Not said: reviewed, as a stored item without the flag reads.
  if (s.reviewed !== undefined && (e.reviewed ?? true) !== s.reviewed) return false;
  if (s.refund !== undefined && isRefund(e) !== s.refund) return false;
  // The positive `amount` as stored, a refund's too (packages/expenses/docs/expense-fields.md "Refunds").
  if (s.minAmount !== undefined && e.amount < s.minAmount) return false;
  if (s.maxAmount !== undefined && e.amount > s.maxAmount) return false;
  if (s.createdBy !== undefined && e.createdBy !== s.createdBy) return false;
  // Exact, as stored: an expense recorded by hand or imported has none and never matches.
  if (s.recurringExpenseId !== undefined && e.recurringExpenseId !== s.recurringExpenseId) return false;
  if (s.merchant !== undefined && (e.merchant === undefined || searchKey(e.merchant) !== s.merchant)) return false;
  if (s.tag !== undefined && !hasTag(e.tags, s.tag)) return false;
  if (s.text !== undefined) {
    const text = s.text;
    const fields = [e.merchant, e.description, ...(e.splits ?? []).map((p) => p.description)];
    const found = fields.some((field) => field !== undefined && searchKey(field).includes(text));
    if (!found) return false;
  }
  return true;
}

/**
 * Does the expense hold spending the summary counts as `uncategorizedSpent` (the list's
 * `categoryId=uncategorized`, UNCATEGORIZED_KEY of the budgets contract, as the spending
 * breakdown's and daily-spending's `uncategorized`)? `categories` are the budget's current
 * category ids (the access check's). Listed:
 * - an expense without a category (categoryId null, not split);
 * - one filed under a category the budget no longer has;
 * - a split expense with at least one part without a category or in a removed category, listed
 *   whole (as a real category lists a split expense having a part in it): its `amount` is then
 *   more than what it adds to `uncategorizedSpent` when other parts are in kept categories.
 */
export function isUncategorized(e: Pick<Expense, 'categoryId' | 'splits'>, categories: ReadonlySet<string>): boolean {
  const outside = (categoryId: string | null) => outsideCategories(categoryId, categories);
  return e.splits && e.splits.length > 0 ? e.splits.some((p) => outside(p.categoryId)) : outside(e.categoryId);
}

/** Is spending filed under this category id (of an expense or a split part) uncategorized: none, or one the budget no longer has? */
export function outsideCategories(categoryId: string | null, categories: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean {
  return categoryId === null || !categories.has(categoryId);
}

/** The range checks of a list's (or an export's) filters that one field alone cannot make. */
export function checkListFilters(query: { from?: string; to?: string; minAmount?: number; maxAmount?: number }): void {
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw problems.validation([{ path: 'query.from', message: 'Must be on or before `to`' }]);
  }
  if (query.minAmount !== undefined && query.maxAmount !== undefined && query.minAmount > query.maxAmount) {
    throw problems.validation([{ path: 'query.minAmount', message: 'Must be at most `maxAmount`' }]);
  }
}
