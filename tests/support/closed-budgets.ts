import { expect } from 'vitest';

/**
 * A deleted budget leaves items behind on purpose: the expenses module's closed-budget
 * markers (one per totals shard), which stops an in-flight expense creation from outliving the cleanup and expires
 * after a day (see ExpensesRepository.closeBudget). "Nothing is left of the budget" in tests
 * means nothing but those markers, and each holds nothing but its keys and expiry.
 * Returns the items that are not such markers.
 */
export function withoutClosedMarkers<T extends Record<string, unknown>>(items: T[]): T[] {
  return items.filter((item) => {
    if (item.kind !== 'closed-budget') return true;
    expect(String(item.pk)).toMatch(/^expenses#closed#/);
    expect(Object.keys(item).sort()).toEqual(['expiresAt', 'kind', 'pk', 'sk']);
    return false;
  });
}
