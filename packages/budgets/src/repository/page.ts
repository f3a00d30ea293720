/**
 * One page of a Query. The repository asks DynamoDB for one item more than the page size:
 * if it comes back there is a next page, and the cursor is the key of the page's last item.
 * So the last page never ends with a useless `nextCursor` that leads to an empty page.
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
): Page<R> {
  const pageItems = items.slice(0, limit);
  const last = pageItems[pageItems.length - 1];
  const lastKey =
    items.length > limit && last ? Object.fromEntries(keyAttributes.map((a) => [a, last[a]])) : undefined;
  return { items: pageItems.map(map), lastKey };
}
