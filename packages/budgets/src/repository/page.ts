import { limitPage } from '@budgeting/platform';

/**
 * One page of a Query. The repository asks DynamoDB for one item more than the page size:
 * if it comes back there is a next page, and the cursor is the key of the page's last item.
 * So the last page never ends with a useless `nextCursor` that leads to an empty page. A
 * Query that DynamoDB cut short at 1 MB (fewer items, its own LastEvaluatedKey) keeps that key
 * as the cursor (platform limitPage), so paging never ends early.
 */
export interface Page<T> {
  items: T[];
  /** The key to continue after, or undefined on the last page. */
  lastKey: Record<string, unknown> | undefined;
}

export function toPage<T extends Record<string, unknown>, R>(
  items: T[],
  limit: number,
  keyAttributes: readonly string[],
  map: (item: T) => R,
  /** The Query's LastEvaluatedKey (undefined when it read to the end, or when the caller paged on itself). */
  queryLastKey?: Record<string, unknown>,
): Page<R> {
  const page = limitPage(items, limit, queryLastKey, keyAttributes);
  return { items: page.items.map(map), lastKey: page.lastKey };
}
