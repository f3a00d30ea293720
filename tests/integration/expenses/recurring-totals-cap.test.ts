import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import type { Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * A recurring occurrence that would take its month's running totals past 2^53 - 1 minor units
 * is refused by the write (totals-cap.ts) like any other: the job skips that occurrence (the
 * definition moves on, a warning is logged) instead of failing and meeting it again every run;
 * the next occurrence, in a month with room, is recorded. Real job, DynamoDB Local, fixed clock;
 * the full month's totals items are written directly in their real key shape.
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { clock, created, req, run, collection } = suite;
let h: Harness;
let owner: User;
beforeAll(() => {
  h = suite.harness();
  owner = suite.owner();
});

describe('recurring occurrences and the running totals limit', { timeout: 60_000 }, () => {
  it('skips the occurrence the month cannot take, once, and records the next one', async () => {
    const b = await h.createBudget(owner);
    const keys = totalsKeys(h.t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const Item = { pk: keys.totalsPk(b.id), sk: keys.monthSk('2026-11', shard), total: Number.MAX_SAFE_INTEGER - 100 };
      await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item }));
    }
    const res = await req('POST', collection(b), { body: { amount: 500, schedule: { frequency: 'monthly', startsOn: '2026-11-24' } } });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    created.push(url);

    expect(await run()).toMatchObject({ due: 1, recorded: 0, skipped: 1, failed: 0 });
    expect((await req('GET', url)).json.nextOccurrenceOn).toBe('2026-12-24');
    expect((await req('GET', `/v1/budgets/${b.id}/expenses`)).json.items).toEqual([]);
    // Not met again.
    expect(await run()).toMatchObject({ due: 0, failed: 0 });

    clock.set('2026-12-24T12:00:00Z');
    expect(await run()).toMatchObject({ due: 1, recorded: 1, skipped: 0, failed: 0 });
    const items = (await req('GET', `/v1/budgets/${b.id}/expenses`)).json.items as { amount: number; occurredOn: string }[];
    expect(items.map((e) => [e.occurredOn, e.amount])).toEqual([['2026-12-24', 500]]);
  });
});
