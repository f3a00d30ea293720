import { expect } from 'vitest';

/**
 * A deleted budget leaves items behind on purpose: the expenses module's closed-budget
 * markers (one per totals shard), which stops an in-flight expense creation from outliving the cleanup and expires
 * after a day (see ExpensesRepository.closeBudget), and the activity module's closed markers
 * (one per shard), which stop a late entry the same way and expire after the log's 90 days
 * (ActivityRepository.close). "Nothing is left of the budget" in tests means nothing but
 * those markers, and each holds nothing but its keys and expiry.
 * Returns the items that are not such markers.
 */
/** Each marker kind and the partition it must be in. */
const CLOSED_MARKERS: Record<string, RegExp> = { 'closed-budget': /^expenses#closed#/, 'activity-closed': /^activity#closed#/ };

export function withoutClosedMarkers<T extends Record<string, unknown>>(items: T[]): T[] {
  return items.filter((item) => {
    const prefix = CLOSED_MARKERS[String(item.kind)];
    if (!prefix) return true;
    expect(String(item.pk)).toMatch(prefix);
    expect(Object.keys(item).sort()).toEqual(['expiresAt', 'kind', 'pk', 'sk']);
    return false;
  });
}
