import { attr, type Item } from '@budgeting/platform';
import { FREQUENCIES, type Schedule } from '../domain/recurrence';
import type { Expense, RecurringExpense, SplitPart } from '../model';
import type { SharedAmount } from '../domain/shared-amounts';

/**
 * The expense module's own attribute readers, built on the platform's (attr): a schedule map,
 * and what an expense and a recurring expense share.
 */
export function schedule(item: Item, field: string): Schedule {
  const map = attr.map(item, field);
  const endsOn = attr.optionalStr(map, 'endsOn');
  const count = attr.nullableNum(map, 'count');
  return {
    frequency: attr.oneOf(map, 'frequency', FREQUENCIES),
    interval: attr.num(map, 'interval'),
    startsOn: attr.str(map, 'startsOn'),
    ...(endsOn === undefined ? {} : { endsOn }),
    ...(count === null ? {} : { count }),
  };
}

/** The attributes an expense and a recurring expense share, read from a stored item. */
export function sharedExpenseFields(item: Item): Omit<Expense & RecurringExpense, 'occurredOn' | 'schedule' | 'nextOccurrenceOn' | 'paused' | 'reviewed'> {
  const description = attr.optionalStr(item, 'description');
  const merchant = attr.optionalStr(item, 'merchant');
  const tags = attr.nullableStrList(item, 'tags');
  const foreign = attr.optionalMap(item, 'foreign');
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str, amount: attr.num, categoryId: attr.nullableStr }),
    ...(description === undefined ? {} : { description }),
    ...(merchant === undefined ? {} : { merchant }),
    ...(tags === null || tags.length === 0 ? {} : { tags }),
    ...(foreign === undefined ? {} : { foreign: { amount: attr.num(foreign, 'amount'), currency: attr.str(foreign, 'currency') } }),
    ...sharedWithOf(item),
    ...attr.fields(item, { createdBy: attr.str, version: attr.num, createdAt: attr.str, updatedAt: attr.str }),
  };
}

/** `sharedWith` as stored on an expense or a recurring definition (a list of user ids), `{}` when absent (every member shares it). */
export function sharedWithOf(item: Item): { sharedWith?: string[] } {
  const ids = attr.nullableStrList(item, 'sharedWith');
  return ids === null || ids.length === 0 ? {} : { sharedWith: ids };
}

/** `sharedAmounts` as stored on an expense (a list of `{userId, amount}` maps), `{}` when absent. */
export function sharedAmountsOf(item: Item): { sharedAmounts?: SharedAmount[] } {
  if (item.sharedAmounts === undefined || item.sharedAmounts === null) return {};
  const parts = attr.mapList(item, 'sharedAmounts').map((part) => ({ userId: attr.str(part, 'userId'), amount: attr.num(part, 'amount') }));
  return parts.length === 0 ? {} : { sharedAmounts: parts };
}

/** A split expense's parts as stored (a list of maps), or undefined for an expense that is not split. */
export function splitsOf(item: Item): SplitPart[] | undefined {
  if (item.splits === undefined) return undefined;
  return attr.mapList(item, 'splits').map((part) => {
    const description = attr.optionalStr(part, 'description');
    return { categoryId: attr.nullableStr(part, 'categoryId'), amount: attr.num(part, 'amount'), ...(description === undefined ? {} : { description }) };
  });
}
