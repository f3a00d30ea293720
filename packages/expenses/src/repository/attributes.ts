import type { Item } from '@budgeting/platform';
import { FREQUENCIES, type Frequency, type Schedule } from '../domain/recurrence';
import type { Expense, RecurringExpense } from '../model';

/**
 * Typed reads of a stored item's attributes, so repositories map items into the module's
 * types without casts. The module wrote every item itself; an attribute of the wrong type
 * means a corrupt item, and reading it throws instead of passing a wrong value on.
 */
function corrupt(field: string, expected: string): never {
  throw new TypeError(`stored item: attribute ${field} is not ${expected}`);
}

export function str(item: Item, field: string): string {
  const value = item[field];
  return typeof value === 'string' ? value : corrupt(field, 'a string');
}

export function num(item: Item, field: string): number {
  const value = item[field];
  return typeof value === 'number' ? value : corrupt(field, 'a number');
}

/** A string attribute that may be absent (undefined). */
export function optionalStr(item: Item, field: string): string | undefined {
  return item[field] === undefined ? undefined : str(item, field);
}

/** A string attribute stored as null (or absent) when unset. */
export function nullableStr(item: Item, field: string): string | null {
  return item[field] === undefined || item[field] === null ? null : str(item, field);
}

export function schedule(item: Item, field: string): Schedule {
  const value = item[field];
  if (typeof value !== 'object' || value === null) return corrupt(field, 'a schedule');
  const map: Item = Object.fromEntries(Object.entries(value));
  const endsOn = optionalStr(map, 'endsOn');
  const frequency = str(map, 'frequency');
  const known = FREQUENCIES.find((f): f is Frequency => f === frequency) ?? corrupt(`${field}.frequency`, 'a frequency');
  return {
    frequency: known,
    interval: num(map, 'interval'),
    startsOn: str(map, 'startsOn'),
    ...(endsOn === undefined ? {} : { endsOn }),
  };
}

/** The attributes an expense and a recurring expense share, read from a stored item. */
export function sharedExpenseFields(item: Item): Omit<Expense & RecurringExpense, 'occurredOn' | 'schedule' | 'nextOccurrenceOn'> {
  const description = optionalStr(item, 'description');
  const merchant = optionalStr(item, 'merchant');
  return {
    id: str(item, 'id'),
    budgetId: str(item, 'budgetId'),
    amount: num(item, 'amount'),
    categoryId: nullableStr(item, 'categoryId'),
    ...(description === undefined ? {} : { description }),
    ...(merchant === undefined ? {} : { merchant }),
    createdBy: str(item, 'createdBy'),
    version: num(item, 'version'),
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
  };
}
