import type { ModuleStore } from '@budgeting/platform';
import { expenseKeys } from './keys';

/**
 * How many expenses of a budget need review, counting at most `upTo`: Queries of the review
 * index (gsi3, keys.ts: only unreviewed expenses are in it), Select COUNT with Limit what is
 * left to count, so at most `upTo` index entries are read (and billed: about 0.3 KB each, ~4 RRU
 * eventually consistent for 100) whatever the backlog; none are sent. Usually ONE Query; more
 * only when DynamoDB cut a page at 1 MB before `upTo` (a COUNT is cut by the size of the items
 * it reads like any Query: expenses as large as the schema allows, ~80 KB each, are about a
 * dozen a page), so the badge never shows a dozen where there are twenty. Eventually consistent
 * in AWS like the lists. Imports only keys.ts, so the overview's count never loads the module's
 * deferred code.
 */
export async function unreviewedCount(store: ModuleStore, budgetId: string, upTo: number): Promise<number> {
  let counted = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const { out, lastKey } = await store.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': expenseKeys(store).reviewPk(budgetId) },
      Select: 'COUNT',
      Limit: upTo - counted,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    counted += out.Count ?? 0;
    startKey = lastKey;
  } while (startKey && counted < upTo);
  return counted;
}
