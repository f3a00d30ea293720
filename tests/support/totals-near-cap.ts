import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { totalsKeys } from '../../packages/expenses/src/repository/keys';
import type { TestSystem } from './test-system';

/**
 * Puts `shards` of a budget's running totals of `month` near the 2^53 - 1 cap each (what about
 * 9,000 expenses of 10^12 make), written directly in their real key shape: each shard within the
 * limit, their sum past it, so a period holding the month has no exact figure.
 */
export async function monthTotalsNearCap(t: Pick<TestSystem, 'system' | 'doc' | 'tableName'>, budgetId: string, month: string, shards: readonly number[] = [0, 1]): Promise<void> {
  const keys = totalsKeys(t.system.deps.storeFor('expenses'));
  for (const shard of shards) {
    const Item = { pk: keys.totalsPk(budgetId), sk: keys.monthSk(month, shard), total: Number.MAX_SAFE_INTEGER - 100 };
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
  }
}
