import type { Item } from './module-store';

/**
 * Cuts a Query read with `Limit: limit + 1` into a page of `limit` and its resume key.
 * More than `limit` items: there is more, and the page resumes after its last item (its key
 * attributes `keyAttributes`: the table's, plus the index's when the Query read an index).
 * Otherwise DynamoDB's own LastEvaluatedKey decides: it stops a page short of its Limit at
 * 1 MB read (or when a filter dropped items) and says so only there, so dropping it would end a
 * client's or a job's paging early.
 */
export function limitPage<T extends Item>(
  items: T[],
  limit: number,
  lastKey: Record<string, unknown> | undefined,
  keyAttributes: readonly string[],
): { items: T[]; lastKey?: Record<string, unknown> } {
  if (items.length <= limit) return lastKey ? { items, lastKey } : { items };
  const page = items.slice(0, limit);
  const last = page[page.length - 1]!;
  return { items: page, lastKey: Object.fromEntries(keyAttributes.map((a) => [a, last[a]])) };
}
