import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobKeys, totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS, shardOf } from '../../../packages/expenses/src/repository/totals-deltas';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { itemsOfKind } from '../jobs/support';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * The running totals never pass 2^53 - 1 minor units (Number.MAX_SAFE_INTEGER, the largest
 * amount a number holds exactly): the write that would take a month's totals item past it is
 * refused as a whole (409 naming `amount`: no expense, no totals move, no change entry), one
 * that reaches it exactly is recorded. A totals item near the limit is written directly, in
 * the real key shape (about 9,000 expenses at the largest amount would be needed otherwise).
 * DynamoDB Local, through HTTP.
 */
const MAX = Number.MAX_SAFE_INTEGER;
let h: Harness;
let owner: User;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

const keys = () => totalsKeys(h.t.system.deps.storeFor('expenses'));
const totalsKey = (b: Budget, month: string, shard: number) => ({ pk: keys().totalsPk(b.id), sk: keys().monthSk(month, shard) });

/** Every shard of `month` holds `total` (and as much uncategorized on day 20), as if that much had been spent. */
async function fillMonth(b: Budget, month: string, total: number) {
  for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
    await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { ...totalsKey(b, month, shard), total, uncategorized: total, d20_total: total, d20_uncategorized: total } }));
  }
}

async function totalsItem(b: Budget, month: string, shard: number) {
  return (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: totalsKey(b, month, shard), ConsistentRead: true }))).Item;
}
const allShards = async (b: Budget, month: string) => Promise.all(Array.from({ length: TOTALS_SHARDS }, (_, shard) => totalsItem(b, month, shard)));
const changeEntries = async (b: Budget) => (await itemsOfKind(h.t, 'expense-change')).filter((e) => String(e.pk).endsWith(b.id));
const post = (b: Budget, body: unknown) => h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: owner.token, body });
const listed = async (b: Budget) => (await h.call('GET', `/v1/budgets/${b.id}/expenses?limit=100`, { token: owner.token })).json.items as { id: string }[];

function expectTotalsLimit(res: Awaited<ReturnType<typeof post>>, month: string) {
  expectProblem(res, 409, ['amount']);
  expect(res.json.detail).toBe(`The running totals of ${month} would pass the largest exact amount, ${MAX} minor units; nothing was recorded.`);
}

describe('the running totals stop at 2^53 - 1', { timeout: 60_000 }, () => {
  it('a create past it is refused with nothing written; one reaching it exactly is recorded', async () => {
    const b = await h.createBudget(owner);
    await fillMonth(b, '2026-11', MAX - 1_000);
    const before = await allShards(b, '2026-11');

    // Uncategorized, and in a category (the refusal names the amount, not the category's check).
    expectTotalsLimit(await post(b, { amount: 1_001, occurredOn: '2026-11-20' }), '2026-11');
    expectTotalsLimit(await post(b, { amount: 1_001, occurredOn: '2026-11-20', categoryId: b.categories[0]!.id }), '2026-11');
    expect(await listed(b)).toEqual([]);
    expect(await allShards(b, '2026-11')).toEqual(before);
    expect(await changeEntries(b)).toEqual([]);

    // Other months are not concerned.
    const december = await post(b, { amount: 1_001, occurredOn: '2026-12-01' });
    expect(december.status, december.text).toBe(201);

    const exact = await post(b, { amount: 1_000, occurredOn: '2026-11-20' });
    expect(exact.status, exact.text).toBe(201);
    const shard = shardOf(String(exact.json.id));
    expect(await totalsItem(b, '2026-11', shard)).toMatchObject({ total: MAX, uncategorized: MAX, d20_total: MAX, d20_uncategorized: MAX });
    expect((await changeEntries(b)).length).toBe(2);
  });

  it('an update raising the amount past it is refused; lowering it, moving its category or deleting it is not', async () => {
    const b = await h.createBudget(owner);
    const created = await post(b, { amount: 5_000, occurredOn: '2026-11-20' });
    expect(created.status, created.text).toBe(201);
    const id = String(created.json.id);
    const shard = shardOf(id);
    // Its shard now as full as can be (the other shards too, so the month's figures stay consistent: 5,000 of each are this expense's).
    await fillMonth(b, '2026-11', MAX);
    const path = `/v1/budgets/${b.id}/expenses/${id}`;
    const patch = (body: unknown) => h.call('PATCH', path, { token: owner.token, body });

    const refused = await patch({ amount: 5_001 });
    expectTotalsLimit(refused, '2026-11');
    expect((await h.call('GET', path, { token: owner.token })).json).toMatchObject({ amount: 5_000, version: 1 });
    expect((await totalsItem(b, '2026-11', shard))!.total).toBe(MAX);
    expect((await changeEntries(b)).length).toBe(1);

    // A split of the same amount into both categories: the total stays, only category figures move.
    const [g, t] = b.categories.map((c) => c.id);
    const split = await patch({ splits: [{ categoryId: g, amount: 2_000 }, { categoryId: t, amount: 3_000 }] });
    expect(split.status, split.text).toBe(200);
    expect(await totalsItem(b, '2026-11', shard)).toMatchObject({ total: MAX, uncategorized: MAX - 5_000, [`c_${g}`]: 2_000, [`c_${t}`]: 3_000 });

    const lower = await patch({ amount: 4_000, splits: null });
    expect(lower.status, lower.text).toBe(200);
    expect((await totalsItem(b, '2026-11', shard))!.total).toBe(MAX - 1_000);

    // Moved to another month: this month's total falls, December's grows (from nothing).
    const moved = await patch({ occurredOn: '2026-12-02' });
    expect(moved.status, moved.text).toBe(200);
    expect((await totalsItem(b, '2026-11', shard))!.total).toBe(MAX - 5_000);
    expect((await totalsItem(b, '2026-12', shard))!.total).toBe(4_000);

    // ... and back into the full month past the limit: refused, nothing moved.
    await fillMonth(b, '2026-11', MAX - 3_999);
    expectTotalsLimit(await patch({ occurredOn: '2026-11-21' }), '2026-11');
    expect((await totalsItem(b, '2026-12', shard))!.total).toBe(4_000);

    const deleted = await h.call('DELETE', path, { token: owner.token });
    expect(deleted.status, deleted.text).toBe(204);
    expect((await totalsItem(b, '2026-12', shard))!.total).toBe(0);
  });

  it('an offline push answers the refused mutations with the problem and applies the others', async () => {
    const b = await h.createBudget(owner);
    const kept = await post(b, { amount: 100, occurredOn: '2026-11-20' });
    expect(kept.status, kept.text).toBe(201);
    await fillMonth(b, '2026-11', MAX - 50);
    const res = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: owner.token,
      body: {
        mutations: [
          { op: 'create', expense: { amount: 51, occurredOn: '2026-11-20' } },
          { op: 'create', expense: { amount: 51, occurredOn: '2026-12-20' } },
          { op: 'update', id: kept.json.id, baseVersion: 1, patch: { amount: 151 } },
          { op: 'update', id: kept.json.id, baseVersion: 1, patch: { amount: 150 } },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    const results = res.json.results as { status: string; problem?: { status: number; errors: { path: string }[] } }[];
    expect(results.map((r) => r.status)).toEqual(['error', 'applied', 'error', 'applied']);
    for (const refused of [results[0]!, results[2]!]) {
      expect(refused.problem).toMatchObject({ status: 409, errors: [{ path: 'amount' }] });
    }
    const items = await listed(b);
    expect(items.map((e) => (e as unknown as { amount: number }).amount).sort()).toEqual([150, 51].sort());
  });

  it('a CSV import records the rows that fit and lists the others as errors', async () => {
    const b = await h.createBudget(owner);
    await fillMonth(b, '2026-11', MAX - 150);
    // 2.00 cannot fit any shard; two 0.50 rows fit even in one shard (100 <= 150); December is free.
    const file = ['date,amount,category,description,merchant', '2026-11-05,0.50,,a,', '2026-11-06,2.00,,b,', '2026-11-07,0.50,,c,', '2026-12-01,1.00,,d,'].join('\n');
    const res = await h.call('POST', `/v1/budgets/${b.id}/expenses/import`, {
      token: owner.token,
      rawBody: `${file}\n`,
      headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
    });
    expect([200, 201, 202]).toContain(res.status);
    let record = res.json;
    for (let i = 0; i < 100 && (record.status === 'queued' || record.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      record = (await h.call('GET', `/v1/budgets/${b.id}/imports/${record.id}`, { token: owner.token })).json;
    }
    expect(record).toMatchObject({ status: 'succeeded', total: 4, processed: 4, imported: 3, duplicates: 0, errorCount: 1 });
    expect(record.errors).toEqual([{ line: 3, message: `amount: would take the running totals of 2026-11 past ${MAX} minor units; not imported` }]);
    const amounts = (await listed(b)).map((e) => (e as unknown as { amount: number }).amount).sort((x, y) => x - y);
    expect(amounts).toEqual([50, 50, 100]);
    const november = (await allShards(b, '2026-11')).reduce((sum, item) => sum + (item!.total as number) - (MAX - 150), 0);
    expect(november).toBe(100);
  });

  it("lists at most 100 of an import's refused rows and counts them all (chunks of 60: the third finds the list full)", async () => {
    const b = await h.createBudget(owner);
    await fillMonth(b, '2026-11', MAX);
    const rows = Array.from({ length: 130 }, (_, n) => `2026-11-${String(1 + (n % 28)).padStart(2, '0')},0.01,,row ${n},`);
    const res = await call(h.expensesAppWith({ csv: { chunkRows: 60 } }), 'POST', `/v1/budgets/${b.id}/expenses/import`, {
      token: owner.token,
      rawBody: `date,amount,category,description,merchant\n${rows.join('\n')}\n`,
      headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 130, processed: 130, imported: 0, errorCount: 130 });
    const lines = (res.json.errors as { line: number }[]).map((e) => e.line);
    // 100 different lines of the file, in line order: the first two chunks' 120 (chunks are cut
    // from the rows ordered by date, not by line), cut to 100; the third chunk's only counted.
    expect(lines.length).toBe(100);
    expect(new Set(lines).size).toBe(100);
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
    expect(lines.every((line) => line >= 2 && line <= 131)).toBe(true);
    // Stored: two chunks' lines (60 + 60); the third chunk met a full list and only counted its own.
    const key = importJobKeys(h.t.system.deps.storeFor('expenses')).record(b.id, String(res.json.id));
    const stored = (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: key, ConsistentRead: true }))).Item!;
    expect((stored.writeErrors as unknown[]).length).toBe(120);
    expect(await listed(b)).toEqual([]);
    expect(await changeEntries(b)).toEqual([]);
  });
});
