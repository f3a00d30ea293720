import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newId, shardOf } from '@budgeting/platform';
import type { TestSystem } from '../../support/test-system';

/** What seeding needs of a test system (the bench passes its own). */
export type Table = Pick<TestSystem, 'doc' | 'tableName'>;

/**
 * Bulk seeding for the scale tests: one budget (or definition, or expense) is made through
 * HTTP, so its items are exactly what the system writes; its items are then copied under new
 * ids with BatchWriteItem (25 per request), re-sharding the due-index keys that depend on the
 * id. Thousands of items in seconds, not minutes of HTTP.
 */
const SHARDS = 16;

export async function batchPut(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  // A few requests at a time: DynamoDB Local on a small machine does not like a flood.
  for (let i = 0; i < chunks.length; i += 4) {
    await Promise.all(
      chunks.slice(i, i + 4).map(async (chunk) => {
        let pending: unknown[] = chunk.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
          pending = (out.UnprocessedItems?.[tableName] ?? []) as unknown[];
        }
      }),
    );
  }
}

export async function partition(t: Table, pk: string): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.doc.send(
      new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Copies of a budget (its item and memberships) under `count` new ids; the new ids. */
export async function cloneBudgets(t: Table, budgetId: string, count: number): Promise<string[]> {
  const template = await partition(t, `budgets#budget#${budgetId}`);
  const ids: string[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    ids.push(id);
    for (const item of template) {
      const copy = JSON.parse(JSON.stringify(item).split(budgetId).join(id)) as Record<string, unknown>;
      if (typeof copy.gsi2pk === 'string' && copy.gsi2pk.startsWith('budgets#reports-due#')) copy.gsi2pk = `budgets#reports-due#${shardOf(id, SHARDS)}`;
      items.push(copy);
    }
  }
  await batchPut(t.doc, t.tableName, items);
  return ids;
}

/** Copies of a recurring definition into each of `budgetIds` (their own partitions), `perBudget` each. */
export async function cloneDefinitions(t: Table, budgetId: string, recurringId: string, budgetIds: string[], perBudget: number): Promise<number> {
  const [template] = (await partition(t, `expenses#budget#${budgetId}`)).filter((i) => i.sk === `expenses#recurring#${recurringId}`);
  if (!template) throw new Error('definition not found');
  const items: Record<string, unknown>[] = [];
  for (const target of budgetIds) {
    for (let i = 0; i < perBudget; i++) {
      const id = newId();
      const copy = JSON.parse(JSON.stringify(template).split(recurringId).join(id).split(budgetId).join(target)) as Record<string, unknown>;
      copy.gsi1pk = `expenses#due#${shardOf(id, SHARDS)}`;
      items.push(copy);
    }
  }
  await batchPut(t.doc, t.tableName, items);
  return items.length;
}

/** `count` copies of an expense item of a budget (ids fresh, same day): raw history to delete. */
export async function cloneExpenses(t: Table, budgetId: string, expenseId: string, count: number): Promise<void> {
  const [template] = (await partition(t, `expenses#budget#${budgetId}`)).filter((i) => i.sk === `expenses#expense#${expenseId}`);
  if (!template) throw new Error('expense not found');
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) items.push(JSON.parse(JSON.stringify(template).split(expenseId).join(newId())) as Record<string, unknown>);
  await batchPut(t.doc, t.tableName, items);
}

/** `count` activity-log entries of a budget, as the activity subscriber writes them. */
export async function seedActivity(t: Table, budgetId: string, count: number): Promise<void> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    const at = new Date(Date.UTC(2026, 11, 1) + i * 1_000).toISOString();
    items.push({ pk: `activity#budget#${budgetId}`, sk: `activity#entry#${at}#${id}`, kind: 'activity', id, at, budgetId, type: 'expense.recorded', actorId: 'someone' });
  }
  await batchPut(t.doc, t.tableName, items);
}
