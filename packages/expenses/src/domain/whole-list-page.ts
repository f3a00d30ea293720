/**
 * One page of a list that is read whole because a cap bounds it (a budget's rules, its import
 * profiles), in the list's order: the items after the previous page's last one (`isAfter`, by
 * its sort key, so an item added or deleted meanwhile moves no other across the page's edge),
 * at most `limit` of them, and `last` (the page's last item) when more follow.
 */
export function wholeListPage<T>(ordered: readonly T[], limit: number, isAfter?: (item: T) => boolean): { items: T[]; last: T | undefined } {
  const rest = isAfter ? ordered.filter(isAfter) : ordered;
  const items = rest.slice(0, limit);
  return { items, last: rest.length > limit ? items[items.length - 1] : undefined };
}
