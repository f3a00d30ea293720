import type { ModuleStore } from '@budgeting/platform';
import { expenseKeys } from './keys';

/**
 * How many expenses of a budget need review, counting at most `upTo`: ONE Query of the review
 * index (gsi3, keys.ts: only unreviewed expenses are in it), Select COUNT with Limit `upTo`, so
 * at most `upTo` index entries are read (and billed: about 0.3 KB each, ~4 RRU eventually
 * consistent for 100) whatever the backlog; none are sent. Eventually consistent in AWS like
 * the lists. Imports only keys.ts, so the overview's count never loads the module's deferred code.
 */
export async function unreviewedCount(store: ModuleStore, budgetId: string, upTo: number): Promise<number> {
  const { out } = await store.query({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk',
    ExpressionAttributeValues: { ':pk': expenseKeys(store).reviewPk(budgetId) },
    Select: 'COUNT',
    Limit: upTo,
  });
  return out.Count ?? 0;
}
