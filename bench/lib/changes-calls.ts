import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { MeteredSystem } from './metered-system';

/** New changes between the client's token and the measured calls (issue 11's GET /changes case). */
export const NEW_CHANGES = 20;

/**
 * The two calls the changes bench compares, on a budget whose history is already written:
 * the app's GET /changes?since=<token> with NEW_CHANGES changes after the token (POSTed
 * here, so they spread over the change shards as real writes do), and the floor, one
 * strongly consistent Query of the budget's change partition (Limit 100).
 */
export async function changesCalls(s: MeteredSystem, token: string, budgetId: string) {
  const path = `/v1/budgets/${budgetId}/changes`;
  const first = await s.request('GET', `${path}?limit=1`, token);
  let since = String(first.json!.serverKnowledge);
  // Page to the end of the first sync, then make the new changes.
  for (let page = first; page.json!.hasMore; since = String(page.json!.serverKnowledge)) {
    page = await s.request('GET', `${path}?limit=500&since=${encodeURIComponent(since)}`, token);
  }
  for (let i = 0; i < NEW_CHANGES; i++) await s.request('POST', `/v1/budgets/${budgetId}/expenses`, token, { amount: 10 + i, occurredOn: '2026-11-05' });
  const url = `${path}?limit=100&since=${encodeURIComponent(since)}`;
  const appCall = async () => {
    const page = await s.request('GET', url, token);
    if (page.json!.expenses.length !== NEW_CHANGES) throw new Error(`GET /changes: ${page.json!.expenses.length} expenses, expected ${NEW_CHANGES}`);
  };
  const rawCall = async () => {
    await s.doc.send(
      new QueryCommand({
        TableName: s.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `expenses#changes#${budgetId}` },
        ConsistentRead: true,
        Limit: 100,
      }),
    );
  };
  return { appCall, rawCall };
}
