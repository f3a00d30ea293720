import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { ANY_WRITE, holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { partition } from '../jobs/seed';

/**
 * Data the expenses module derives from its expenses, written by a job while a member writes the
 * expense (round 13). Most derived data is held by construction: the review inbox (gsi3) and a
 * bill's payments (gsi4) are attributes of the expense item every write puts whole, and the merchant
 * and tag suggestions and possible duplicates are computed on read. What a job writes apart from
 * the expense's own write is tested here: the review index backfill's UpdateItem and the day-totals
 * fold's transaction. The invariant: what stays stored describes the expense as the member left it.
 *
 * Driven without sleeps: the job's first write naming the expense (or the day item) is held until the
 * member's request, served by a second system on the same table, has answered.
 */
const clock = fixedClock('2026-12-06T12:00:00Z');
let t: TestSystem;
let other: TestSystem;
let owner: Actor;
const ctx = () => ({ logger: t.system.deps.logger });

beforeAll(async () => {
  t = await createTestSystem({ clock });
  other = await createTestSystem({ clock, tableName: t.tableName });
  owner = await signUp(t.app, 'derived-owner');
});
afterAll(async () => {
  await other?.destroy();
  await t?.destroy();
});

type Answer = { status: number; text: string; json: any };
const api = (method: string, url: string, body?: unknown): Promise<Answer> => as(t.app, owner)(method, url, body === undefined ? {} : { body });
const meanwhile = (method: string, url: string, body?: unknown): Promise<Answer> => as(other.app, owner)(method, url, body === undefined ? {} : { body });

async function budget() {
  return (await createBudget(t.app, owner, { name: 'Derived', currency: 'EUR', timezone: 'UTC' })).id as string;
}

async function expense(budgetId: string, body: Record<string, unknown>) {
  const res = await api('POST', `/v1/budgets/${budgetId}/expenses`, { occurredOn: '2026-12-05', amount: 7_00, ...body });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

const expenseKey = (budgetId: string, id: string) => ({ pk: `expenses#budget#${budgetId}`, sk: `expenses#expense#${id}` });

/** The review inbox as the app reads it, and the overview's count. */
async function inbox(budgetId: string) {
  const res = await api('GET', `/v1/budgets/${budgetId}/expenses?reviewed=false`);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { id: string }[]).map((e) => e.id);
}

describe('the review index backfill meets a review or a delete of the expense', { timeout: 120_000 }, () => {
  /** An expense that needs review, stored as before the index (the flag without the gsi3 entry). */
  async function unindexed(budgetId: string) {
    const id = await expense(budgetId, { merchant: 'Fuel', reviewed: false });
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: expenseKey(budgetId, id), UpdateExpression: 'REMOVE gsi3pk, gsi3sk' }));
    expect(await inbox(budgetId)).toEqual([]);
    return id;
  }

  it('reviewed meanwhile: not put back in the inbox', async () => {
    const budgetId = await budget();
    const id = await unindexed(budgetId);
    let reviewed: Answer | undefined;
    await holdingFirstWrite(t, id, async () => (reviewed = await meanwhile('PATCH', `/v1/budgets/${budgetId}/expenses/${id}`, { reviewed: true })), () =>
      t.system.jobs.plan('expenses-review-index-backfill', new Date(), ctx()),
    );
    expect(reviewed?.status, reviewed?.text).toBe(200);
    expect(await inbox(budgetId)).toEqual([]);
    const item = (await partition(t, `expenses#budget#${budgetId}`)).find((i) => i.sk === expenseKey(budgetId, id).sk)!;
    expect(Object.keys(item).filter((k) => k.startsWith('gsi3') || k === 'unreviewed')).toEqual([]);
  });

  it('deleted meanwhile: only its tombstone left, nothing in the inbox', async () => {
    const budgetId = await budget();
    const id = await unindexed(budgetId);
    let deleted: Answer | undefined;
    await holdingFirstWrite(t, id, async () => (deleted = await meanwhile('DELETE', `/v1/budgets/${budgetId}/expenses/${id}`)), () =>
      t.system.jobs.plan('expenses-review-index-backfill', new Date(), ctx()),
    );
    expect(deleted?.status, deleted?.text).toBe(204);
    expect(await inbox(budgetId)).toEqual([]);
    expect((await api('GET', `/v1/budgets/${budgetId}/expenses/${id}`)).status).toBe(404);
    // Only the delete's tombstone (delta sync's), without an index entry.
    const left = (await partition(t, `expenses#budget#${budgetId}`)).filter((i) => i.sk === expenseKey(budgetId, id).sk);
    expect(left.map((i) => [i.kind, Object.keys(i).filter((k) => k.startsWith('gsi'))])).toEqual([['expense-tombstone', []]]);
  });
});

describe('the day-totals fold meets an expense written on the day it folds', { timeout: 120_000 }, () => {
  it("the day's figure counts the old day item and the new expense, each once", async () => {
    const budgetId = await budget();
    await expense(budgetId, { amount: 12_00, occurredOn: '2026-12-03' });
    // As stored before 2026-11-30: the day's figures on a day item, the month item only month-level.
    const totalsPk = `expenses#totals#${budgetId}`;
    const [month] = await partition(t, totalsPk);
    const [, , , shard] = String(month!.sk).split('#');
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: totalsPk, sk: month!.sk }, UpdateExpression: 'REMOVE d03_total, d03_uncategorized' }));
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: totalsPk, sk: `expenses#day#2026-12-03#${shard}`, total: 12_00, uncategorized: 12_00 } }));

    let written: Answer | undefined;
    await holdingFirstWrite(
      t,
      'expenses#day#2026-12-03',
      async () => (written = await meanwhile('POST', `/v1/budgets/${budgetId}/expenses`, { occurredOn: '2026-12-03', amount: 5_00 })),
      () => t.system.jobs.plan('expenses-fold-day-totals', new Date(), ctx()),
      ANY_WRITE,
    );
    expect(written?.status, written?.text).toBe(201);
    const items = await partition(t, totalsPk);
    expect(items.filter((i) => String(i.sk).startsWith('expenses#day#'))).toEqual([]);
    const sum = (figure: string) => items.reduce((s, i) => s + (typeof i[figure] === 'number' ? i[figure] : 0), 0);
    expect(sum('d03_total')).toBe(17_00);
    expect(sum('total')).toBe(17_00);
    expect((await t.system.facades.spending.totalsBetween(budgetId, '2026-12-03', '2026-12-03')).total).toBe(17_00);
  });
});
