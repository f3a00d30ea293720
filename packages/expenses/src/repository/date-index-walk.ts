import type { ModuleStore } from '@budgeting/platform';
import { expenseKeys } from './keys';

/** Which expenses a walk reads: a budget's, dated in [from, to] (an open end reaches past every date). */
export interface DateIndexWalk {
  budgetId: string;
  from: string | undefined;
  to: string | undefined;
  /** The only attributes each Query returns (a projection saves transfer, not read units). */
  attributes: readonly string[];
  /** The most expenses the caller will use; one more is read to tell "cut short" from "ended". */
  maxExpenses: number;
  /** Newest first (the list's order) instead of oldest first. */
  newestFirst?: boolean;
}

/**
 * The one bounded walk over a budget's date index (gsi1, the expense list's own Query) that
 * the reads of "every expense in a range" share (settle-up balances, the spending breakdown,
 * the merchant window): a page at a time, each page handed to `visit` and dropped, so memory
 * holds only what the caller keeps. Each Query's Limit is what is left to reach
 * `maxExpenses` + 1, so at most `maxExpenses` + 1 items are read whatever the budget holds;
 * past `maxExpenses` the walk stops with `tooMany` after visiting the page's items up to
 * `maxExpenses` (a caller that must not answer with a cut-short range ignores them). Read units
 * are billed by the whole items read, 0.5 per 4 KB a page (the index projects every
 * attribute), eventually consistent in AWS like the lists. Deleted expenses are not in it.
 */
export async function walkDateIndex(
  store: ModuleStore,
  walk: DateIndexWalk,
  visit: (items: Record<string, unknown>[]) => void,
): Promise<{ examined: number; tooMany: boolean }> {
  const keys = expenseKeys(store);
  const { lo, hi } = keys.dateRange(walk.from, walk.to);
  const names = Object.fromEntries(walk.attributes.map((a) => [`#${a}`, a]));
  let examined = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.query<Record<string, unknown>>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': keys.budgetPk(walk.budgetId), ':lo': lo, ':hi': hi },
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ...(walk.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: walk.maxExpenses + 1 - examined,
      ExclusiveStartKey: startKey,
    });
    const room = walk.maxExpenses - examined;
    examined += page.items.length;
    visit(page.items.length > room ? page.items.slice(0, room) : page.items);
    if (examined > walk.maxExpenses) return { examined, tooMany: true };
    startKey = page.lastKey;
  } while (startKey);
  return { examined, tooMany: false };
}
