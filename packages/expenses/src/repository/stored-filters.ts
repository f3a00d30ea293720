import type { ExpenseSearch } from '../domain/expense-search';
import type { StoredFilter } from './index-stream';
import { REFUND_ATTRIBUTE } from '../domain/refunds';

/** A split expense's item: the distinct categories of its parts (see ExpenseQueries.indexStream). */
export const SPLIT_CATEGORIES_ATTRIBUTE = 'splitCategoryIds';

/**
 * An expense that needs review (Expense.reviewed false) carries `unreviewed: true`; a reviewed
 * one has no such attribute (so a manual create writes nothing for it, and items stored before
 * review existed read as reviewed).
 */
export const UNREVIEWED_ATTRIBUTE = 'unreviewed';

/**
 * The part of a search DynamoDB can check exactly on the stored attributes (amount, author, the
 * recurring expense that recorded it, review),
 * as a FilterExpression; undefined when there is none. Text is not: `contains` is case- and
 * accent-sensitive.
 */
export function storedFilter(s: ExpenseSearch): StoredFilter | undefined {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (s.minAmount !== undefined || s.maxAmount !== undefined) names['#amount'] = 'amount';
  if (s.minAmount !== undefined) {
    conditions.push('#amount >= :minAmount');
    values[':minAmount'] = s.minAmount;
  }
  if (s.maxAmount !== undefined) {
    conditions.push('#amount <= :maxAmount');
    values[':maxAmount'] = s.maxAmount;
  }
  if (s.createdBy !== undefined) {
    conditions.push('#createdBy = :createdBy');
    names['#createdBy'] = 'createdBy';
    values[':createdBy'] = s.createdBy;
  }
  if (s.recurringExpenseId !== undefined) {
    // The occurrence's link (toItem stores it as any other field): absent on other expenses, which fail it.
    conditions.push('#recurringExpenseId = :recurringExpenseId');
    names['#recurringExpenseId'] = 'recurringExpenseId';
    values[':recurringExpenseId'] = s.recurringExpenseId;
  }
  if (s.reviewed !== undefined) {
    // Presence is the flag (see UNREVIEWED_ATTRIBUTE): no value to compare.
    conditions.push(s.reviewed ? 'attribute_not_exists(#unreviewed)' : 'attribute_exists(#unreviewed)');
    names['#unreviewed'] = UNREVIEWED_ATTRIBUTE;
  }
  if (s.refund !== undefined) {
    // Presence is the flag, as review's (a purchase's item has no `refund` attribute).
    conditions.push(s.refund ? 'attribute_exists(#refund)' : 'attribute_not_exists(#refund)');
    names['#refund'] = REFUND_ATTRIBUTE;
  }
  return conditions.length === 0 ? undefined : { expression: conditions.join(' AND '), names, values };
}

/** The split partition's filter of a list by category: the split expenses with a part in it. */
export function splitCategoryFilter(categoryId: string): StoredFilter {
  return { expression: 'contains(#categories, :category)', names: { '#categories': SPLIT_CATEGORIES_ATTRIBUTE }, values: { ':category': categoryId } };
}

/**
 * A list by category read from another partition than the category's (a bill's payments, gsi4):
 * filed under it (a split expense has no categoryId of its own) or a split expense with a part
 * in it, what the category's gsi2 partition and the split partition's filter hold together.
 */
export function categoryFilter(categoryId: string): StoredFilter {
  return {
    expression: '#categoryId = :category OR contains(#categories, :category)',
    names: { '#categoryId': 'categoryId', '#categories': SPLIT_CATEGORIES_ATTRIBUTE },
    values: { ':category': categoryId },
  };
}

/** Both filters (AND); either may be absent. Their names and values do not overlap. */
export function both(a: StoredFilter | undefined, b: StoredFilter | undefined): StoredFilter | undefined {
  if (!a || !b) return a ?? b;
  return { expression: `(${a.expression}) AND (${b.expression})`, names: { ...a.names, ...b.names }, values: { ...a.values, ...b.values } };
}
