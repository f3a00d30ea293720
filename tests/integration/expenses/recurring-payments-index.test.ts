import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenAtClock } from '../../support/actors';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';
import { callAs, runRecurringJob } from './recurring-harness';
import { addDays, importExpenses } from './seed';

/**
 * A bill's payment history from its own sparse index (gsi4): `GET .../expenses?recurringExpenseId=`
 * on DynamoDB Local, with the real recurring job and record-next, in a budget where 1,500
 * expenses entered by hand are newer than every payment. Read as the date index walk did, no
 * page would have held a payment: a search examines at most 1,000 expenses a request.
 *
 * Rent (category Home, 1,200.00): R1 2026-09-05 (job), R2 2026-10-05 (job), R3 2026-10-20
 * (record-next, November's paid early). Gym (no category, 30.00): G1 2026-09-07, G2 2026-10-07
 * (job). The 1,500 by hand: 2026-10-21 .. 2026-11-19, 50 a day. Every expected list below is
 * written out from these dates.
 */
const clock = fixedClock('2026-09-01T12:00:00Z');
let h: Harness;
let team: Team;
let budget: Budget;
const rent = { id: '', url: '' };
const gym = { id: '', url: '' };
/** The recorded expenses, by name (R1..R3, G1, G2). */
const e: Record<string, string> = {};
const name = (id: string) => Object.keys(e).find((k) => e[k] === id) ?? id;

const req = (method: string, url: string, body?: unknown) => callAs(h, team.owner, method, url, body === undefined ? {} : { body });
const list = (query: string) => `/v1/budgets/${budget.id}/expenses?${query}`;
const rawKey = (id: string) => ({ pk: `expenses#budget#${budget.id}`, sk: `expenses#expense#${id}` });
const rawItem = async (id: string) => (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: rawKey(id), ConsistentRead: true }))).Item;

/** One page of `query`: the names of its expenses and its nextCursor. */
async function page(query: string): Promise<{ names: string[]; nextCursor: string | null }> {
  const res = await req('GET', list(query));
  expect(res.status, res.text).toBe(200);
  return { names: res.json.items.map((x: { id: string }) => name(x.id)), nextCursor: res.json.nextCursor };
}

async function define(body: Record<string, unknown>) {
  const res = await req('POST', `/v1/budgets/${budget.id}/recurring-expenses`, body);
  expect(res.status, res.text).toBe(201);
  return { id: res.json.id as string, url: res.headers.get('location')! };
}

async function runOn(day: string, recorded: number) {
  clock.set(`${day}T12:00:00Z`);
  expect(await runRecurringJob(h)).toMatchObject({ recorded, failed: 0 });
}

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team({ timezone: 'UTC', categories: ['Food', 'Home'] });
  budget = team.budget;
  const home = budget.categories[1]!.id;
  Object.assign(rent, await define({ amount: 120_000, merchant: 'Rent', categoryId: home, schedule: { frequency: 'monthly', startsOn: '2026-09-05' } }));
  Object.assign(gym, await define({ amount: 3_000, merchant: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-09-07' } }));
  for (const day of ['2026-09-05', '2026-09-07', '2026-10-05', '2026-10-07']) await runOn(day, 1);
  clock.set('2026-10-20T12:00:00Z');
  const early = await req('POST', `${rent.url}/record-next`, { occurredOn: '2026-10-20' });
  expect(early.status, early.text).toBe(200);
  clock.set('2026-11-20T12:00:00Z');
  // 1,500 not from a bill, all newer than every payment: one CSV import (about 32 to a
  // transaction) rather than 1,500 create calls (a transaction each): 4x faster, the same items.
  const bodies = Array.from({ length: 1_500 }, (_, i) => ({ amount: 100 + i, occurredOn: addDays('2026-10-21', i % 30), merchant: `Shop ${i}`, categoryId: null }));
  await importExpenses(h, budget, { ...team.editor, token: await tokenAtClock(h.t, team.editor) }, bodies);
  // Name the payments from the raw items of the budget's partition (not through the list under test).
  const all = await req('GET', list('limit=100&from=2026-09-01&to=2026-10-20'));
  for (const x of all.json.items as { id: string; occurredOn: string; recurringExpenseId?: string }[]) {
    const month = Number(x.occurredOn.slice(5, 7)) - 8;
    if (x.recurringExpenseId === rent.id) e[x.occurredOn === '2026-10-20' ? 'R3' : `R${month}`] = x.id;
    if (x.recurringExpenseId === gym.id) e[`G${month}`] = x.id;
  }
  expect((all.json.items as { id: string }[]).map((x) => name(x.id))).toEqual(['R3', 'G2', 'R2', 'G1', 'R1']);
}, 600_000);
afterEach(() => clock.set('2026-11-20T12:00:00Z'));
afterAll(async () => {
  // The job sees every definition of the table: remove this file's.
  for (const url of [rent.url, gym.url]) await req('DELETE', url);
  await h.destroy();
});

describe("a bill's payments from the payments index (gsi4)", { timeout: 300_000 }, () => {
  it('one page holds all three payments, newest first, and says it is the last: ONE Query of the bill partition, no filter', async () => {
    const { result, sent } = await commandsSentDuring(h.t.doc, () => req('GET', list(`recurringExpenseId=${rent.id}`)));
    expect(result.status, result.text).toBe(200);
    expect(result.json.items.map((x: { id: string }) => name(x.id))).toEqual(['R3', 'R2', 'R1']);
    expect(result.json.nextCursor).toBeNull();
    const queries = sent.filter((c) => c.name === 'QueryCommand');
    expect(queries).toHaveLength(1);
    expect(queries[0]!.input).toMatchObject({ IndexName: 'gsi4', ScanIndexForward: false, Limit: 51 });
    expect(queries[0]!.input.ExpressionAttributeValues).toMatchObject({ ':pk': `expenses#budget#${budget.id}#recurring#${rent.id}` });
    expect(queries[0]!.input.FilterExpression).toBeUndefined();
    // Another bill's partition holds only its own.
    expect(await page(`recurringExpenseId=${gym.id}`)).toEqual({ names: ['G2', 'G1'], nextCursor: null });
    expect(await page('recurringExpenseId=01JDNOSUCHRECURRING0000000')).toEqual({ names: [], nextCursor: null });
  });

  it('pages with limit=2: a full page, then the rest; the cursor is bound to the bill', async () => {
    const first = await page(`recurringExpenseId=${rent.id}&limit=2`);
    expect(first.names).toEqual(['R3', 'R2']);
    expect(first.nextCursor).not.toBeNull();
    const cursor = encodeURIComponent(first.nextCursor!);
    expect(await page(`recurringExpenseId=${rent.id}&limit=2&cursor=${cursor}`)).toEqual({ names: ['R1'], nextCursor: null });
    const other = await req('GET', list(`recurringExpenseId=${gym.id}&limit=2&cursor=${cursor}`));
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.json)).toContain('query.cursor');
  });

  it('resumes a cursor the date index walk gave (a gsi1 position, same binding) at the same place in gsi4', async () => {
    const r3 = (await rawItem(e.R3!))!;
    // What the walk's cursor held after R3: its gsi1 key, bound to the budget and the filter (service listBinding).
    const binding = JSON.stringify(['expenses', budget.id, null, null, null, null, null, null, null, null, 'recurringExpenseId', rent.id]);
    const old = h.t.system.deps.cursors.encode({ pk: r3.pk, sk: r3.sk, gsi1pk: r3.gsi1pk, gsi1sk: r3.gsi1sk }, binding)!;
    expect(await page(`recurringExpenseId=${rent.id}&cursor=${encodeURIComponent(old)}`)).toEqual({ names: ['R2', 'R1'], nextCursor: null });
  });

  it('bounds the Query by from/to, and applies the other filters on the partition', async () => {
    expect((await page(`recurringExpenseId=${rent.id}&from=2026-10-01&to=2026-10-31`)).names).toEqual(['R3', 'R2']);
    expect((await page(`recurringExpenseId=${rent.id}&from=2026-10-06`)).names).toEqual(['R3']);
    expect((await page(`recurringExpenseId=${rent.id}&to=2026-10-04`)).names).toEqual(['R1']);
    expect((await page(`recurringExpenseId=${gym.id}&from=2026-10-08`)).names).toEqual([]);
    expect((await page(`recurringExpenseId=${rent.id}&minAmount=120001`)).names).toEqual([]);
    expect((await page(`recurringExpenseId=${rent.id}&q=ren&createdBy=${team.owner.id}`)).names).toEqual(['R3', 'R2', 'R1']);
  });

  it('with categoryId reads the bill partition (the narrower one) with the category as a filter', async () => {
    const [food, home] = budget.categories.map((c) => c.id);
    const { result, sent } = await commandsSentDuring(h.t.doc, () => req('GET', list(`recurringExpenseId=${rent.id}&categoryId=${home}`)));
    expect(result.json.items.map((x: { id: string }) => name(x.id))).toEqual(['R3', 'R2', 'R1']);
    const queries = sent.filter((c) => c.name === 'QueryCommand');
    expect(queries.map((q) => q.input.IndexName)).toEqual(['gsi4']);
    expect(queries[0]!.input.FilterExpression).toBe('#categoryId = :category OR contains(#categories, :category)');
    expect((await page(`recurringExpenseId=${rent.id}&categoryId=${food}`)).names).toEqual([]);
    expect((await page(`recurringExpenseId=${gym.id}&categoryId=${home}`)).names).toEqual([]);
  });

  it('stores the entry on a payment (the same date sort key as gsi1) and never on an expense entered by hand', async () => {
    expect(await rawItem(e.R3!)).toMatchObject({
      gsi4pk: `expenses#budget#${budget.id}#recurring#${rent.id}`,
      gsi4sk: `expenses#date#2026-10-20#${e.R3}`,
      gsi1sk: `expenses#date#2026-10-20#${e.R3}`,
    });
    const manual = await req('POST', `/v1/budgets/${budget.id}/expenses`, { amount: 999, occurredOn: '2026-10-05', merchant: 'Rent' });
    expect(manual.status, manual.text).toBe(201);
    const item = (await rawItem(manual.json.id))!;
    expect(item.gsi4pk).toBeUndefined();
    expect(item.gsi4sk).toBeUndefined();
    expect((await page(`recurringExpenseId=${rent.id}`)).names).toEqual(['R3', 'R2', 'R1']);
    expect((await req('DELETE', `/v1/budgets/${budget.id}/expenses/${manual.json.id}`)).status).toBe(204);
  });

  it('a deleted payment leaves the history (its restorable copy has no entry) and a restore puts it back', async () => {
    expect((await req('DELETE', `/v1/budgets/${budget.id}/expenses/${e.G2}`)).status).toBe(204);
    expect((await page(`recurringExpenseId=${gym.id}`)).names).toEqual(['G1']);
    const copy = (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: { pk: `expenses#budget#${budget.id}`, sk: `expenses#deleted#${e.G2}` } }))).Item!;
    expect(copy.gsi4pk).toBeUndefined();
    expect(copy.recurringExpenseId).toBe(gym.id);
    const restored = await req('POST', `/v1/budgets/${budget.id}/expenses/${e.G2}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect((await page(`recurringExpenseId=${gym.id}`)).names).toEqual(['G2', 'G1']);
  });

  it('exports the same rows as the list', async () => {
    const res = await req('GET', `/v1/budgets/${budget.id}/expenses/export?recurringExpenseId=${rent.id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.text.split('\r\n')).toEqual([
      'date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed,recurringExpenseId',
      `2026-10-20,1200.00,Home,,Rent,,,,true,${rent.id}`,
      `2026-10-05,1200.00,Home,,Rent,,,,true,${rent.id}`,
      `2026-09-05,1200.00,Home,,Rent,,,,true,${rent.id}`,
      '',
    ]);
  });

  it('the back-fill job indexes payments written before the index, page by page, and a second run changes nothing', async () => {
    const payments = ['R3', 'R2', 'R1', 'G2', 'G1'].map((n) => e[n]!);
    const written = new Map(await Promise.all(payments.map(async (id) => [id, (await rawItem(id))!] as const)));
    // As the code before the index stored them: the link without the entry.
    for (const id of payments) {
      await h.t.doc.send(new UpdateCommand({ TableName: h.t.tableName, Key: rawKey(id), UpdateExpression: 'REMOVE gsi4pk, gsi4sk' }));
      expect((await rawItem(id))!.gsi4pk).toBeUndefined();
    }
    expect(await page(`recurringExpenseId=${rent.id}`)).toEqual({ names: [], nextCursor: null });
    const aManualOne = (await req('GET', list('limit=1'))).json.items[0].id as string;
    const manualBefore = await rawItem(aManualOne);

    const ctx = { logger: h.t.system.deps.logger };
    // 1,505 expenses, 500 a unit: the payments (the oldest) are on the budget's fourth page.
    await h.t.system.jobs.plan('expenses-payments-index-backfill', new Date(), ctx);
    for (const id of payments) expect(await rawItem(id)).toEqual(written.get(id));
    expect(await rawItem(aManualOne)).toEqual(manualBefore);
    expect(await page(`recurringExpenseId=${rent.id}`)).toEqual({ names: ['R3', 'R2', 'R1'], nextCursor: null });
    expect(await page(`recurringExpenseId=${gym.id}`)).toEqual({ names: ['G2', 'G1'], nextCursor: null });

    await h.t.system.jobs.plan('expenses-payments-index-backfill', new Date(), ctx);
    for (const id of payments) expect(await rawItem(id)).toEqual(written.get(id));
    expect(await rawItem(aManualOne)).toEqual(manualBefore);
  });
});
