import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, clockSuite, createBudget, expectProblem, type Account } from './helpers';

/**
 * Category rollover through HTTP on DynamoDB Local: `rollover: true` on a category with a
 * limit, `rolloverSince` set by the server, and the summary's category line carrying
 * `carriedOver`/`available` (remaining = available - spent) from the same one totals Query;
 * the trends, forecast, report and overview built from those lines; copy; budget.updated.
 * Every expected amount is worked out by hand from the expenses written here.
 */
const suite = clockSuite('2026-08-15T09:00:00Z');
const { setClock, get, line } = suite;
let t: TestSystem;
let owner: Account;
beforeAll(() => ({ t, owner } = suite.accounts));

let budgetId: string;
let food: string;
let transport: string;
let fun: string;

describe('category rollover', () => {
  it('is set on create: rollover and the server-set rolloverSince (the first period) on that category only', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [{ name: 'Food', limit: 10_000, rollover: true }, { name: 'Transport', limit: 5_000 }, { name: 'Fun' }],
    });
    budgetId = budget.id;
    [food, transport, fun] = budget.categories.map((c) => c.id) as [string, string, string];
    expect(budget.categories).toEqual([
      { id: food, name: 'Food', limit: 10_000, rollover: true, rolloverSince: '2026-08-01' },
      { id: transport, name: 'Transport', limit: 5_000 },
      { id: fun, name: 'Fun' },
    ]);
    expect((await get(`/v1/budgets/${budgetId}`)).categories[0]).toEqual({ id: food, name: 'Food', limit: 10_000, rollover: true, rolloverSince: '2026-08-01' });
  });

  it('refuses rollover without a limit, and a rolloverSince sent by a client, naming the field', async () => {
    expectProblem(await as(t.app, owner)('POST', '/v1/budgets', { body: { name: 'X', limit: 1, categories: [{ name: 'A', rollover: true }] } }), 400, ['categories.0.rollover']);
    const patch = (categories: unknown[]) => as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories } });
    expectProblem(await patch([{ id: food, name: 'Food', limit: null, rollover: true }]), 400, ['categories.0.rollover']);
    expectProblem(await patch([{ id: food, name: 'Food', limit: 10_000, rollover: true, rolloverSince: '2026-01-01' }]), 400, ['categories.0.rolloverSince']);
    expectProblem(await patch([{ id: food, name: 'Food', limit: 10_000, rollover: 'yes' }]), 400, ['categories.0.rollover']);
    // Another category's rolloverSince, or one on a category without rollover or a new one: still named.
    expectProblem(await patch([{ id: transport, name: 'Transport', limit: 5_000, rollover: true, rolloverSince: '2026-08-01' }]), 400, ['categories.0.rolloverSince']);
    expectProblem(await patch([{ name: 'New', limit: 1, rollover: true, rolloverSince: '2026-08-01' }]), 400, ['categories.0.rolloverSince']);
    expectProblem(await patch([{ id: food, name: 'Food', limit: 10_000, rollover: true, rolloverSince: 'August' }]), 400, ['categories.0.rolloverSince']);
  });

  it('accepts rolloverSince sent back unchanged: the GET body\'s categories PATCHed back change nothing', async () => {
    const got = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    expect(got.json.categories[0].rolloverSince).toBe('2026-08-01');
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories: got.json.categories }, headers: { 'if-match': got.headers.get('etag')! } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual(got.json);
    expect(res.headers.get('etag')).toBe(got.headers.get('etag'));
  });

  it('is turned on by PATCH in a later period: rolloverSince is that period; a category that kept it keeps its own', async () => {
    await setClock('2026-10-20T12:00:00Z');
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, {
      body: {
        categories: [
          { id: food, name: 'Food', limit: 10_000, rollover: true },
          { id: transport, name: 'Transport', limit: 5_000, rollover: true },
          { id: fun, name: 'Fun' },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.categories).toEqual([
      { id: food, name: 'Food', limit: 10_000, rollover: true, rolloverSince: '2026-08-01' },
      { id: transport, name: 'Transport', limit: 5_000, rollover: true, rolloverSince: '2026-10-01' },
      { id: fun, name: 'Fun' },
    ]);
  });

  it('the summary: carriedOver and available per rollover line, from ONE totals Query; split parts counted per part', async () => {
    await setClock('2026-11-24T12:00:00Z');
    await addExpense(t.app, owner, budgetId, { amount: 5_000, occurredOn: '2026-07-30', categoryId: food }); // before the budget's first period
    await addExpense(t.app, owner, budgetId, { amount: 4_000, occurredOn: '2026-08-10', categoryId: food });
    await addExpense(t.app, owner, budgetId, { amount: 13_000, occurredOn: '2026-09-05', categoryId: food }); // overspent by 3,000
    await addExpense(t.app, owner, budgetId, { amount: 2_000, occurredOn: '2026-09-20', categoryId: transport }); // before Transport's rollover
    const split = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses`, {
      body: { amount: 9_000, occurredOn: '2026-10-12', splits: [{ categoryId: food, amount: 6_000 }, { categoryId: transport, amount: 3_000 }] },
    });
    expect(split.status, split.text).toBe(201);
    await addExpense(t.app, owner, budgetId, { amount: 12_000, occurredOn: '2026-11-03', categoryId: food }); // over its limit, within its available
    await addExpense(t.app, owner, budgetId, { amount: 1_000, occurredOn: '2026-11-04', categoryId: transport });
    await addExpense(t.app, owner, budgetId, { amount: 700, occurredOn: '2026-11-05', categoryId: fun });

    const { result, commands, sent } = await commandsSentDuring(t.doc, () => as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=2026-11-24`));
    expect(result.status, result.text).toBe(200);
    const s = result.json;
    // The budget itself does not roll over.
    expect(s).toMatchObject({ limit: 100_000, carriedOver: 0, available: 100_000, spent: 13_700, remaining: 86_300 });
    // Food since August: 3 x 10,000 - (4,000 + 13,000 + 6,000) = 7,000; 17,000 available, 12,000 spent.
    expect(line(s.categories, food)).toMatchObject({ limit: 10_000, carriedOver: 7_000, available: 17_000, spent: 12_000, remaining: 5_000 });
    // Transport since October: 5,000 - 3,000 (its split part) = 2,000; September's 2,000 is before its rollover.
    expect(line(s.categories, transport)).toMatchObject({ limit: 5_000, carriedOver: 2_000, available: 7_000, spent: 1_000, remaining: 6_000 });
    // Fun: the line it always had (no carriedOver, no available).
    expect(line(s.categories, fun)).toEqual({ categoryId: fun, name: 'Fun', limit: null, group: null, spent: 700, remaining: null, pace: null });
    // Thresholds stay on the category's own limit: Food's 12,000 is past 80% and 100% of 10,000.
    expect(s.thresholdsCrossed).toEqual([
      { scope: 'category', categoryId: food, threshold: 80 },
      { scope: 'category', categoryId: food, threshold: 100 },
    ]);
    // Cost unchanged: 3 requests, ONE Query of the totals, from August (Food's rolloverSince) to November.
    expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    const totals = sent.filter((c) => JSON.stringify(c.input).includes('expenses#totals#'));
    expect(totals.map((c) => c.name)).toEqual(['QueryCommand']);
    const values = totals[0]!.input.ExpressionAttributeValues as Record<string, string>;
    expect(values[':lo']).toContain('#2026-08');
    expect(values[':hi']).toContain('#2026-11');

    // Earlier periods, each by hand. September: Food carries August's 6,000; Transport not rolling yet then (since October).
    expect(line((await get(`/v1/budgets/${budgetId}/summary?date=2026-09-10`)).categories, food)).toMatchObject({ carriedOver: 6_000, available: 16_000, spent: 13_000, remaining: 3_000 });
    const october = await get(`/v1/budgets/${budgetId}/summary?date=2026-10-15`);
    // October: 2 x 10,000 - 17,000 = 3,000; Transport's first period carries nothing.
    expect(line(october.categories, food)).toMatchObject({ carriedOver: 3_000, available: 13_000, spent: 6_000, remaining: 7_000 });
    expect(line(october.categories, transport)).toMatchObject({ carriedOver: 0, available: 5_000, spent: 3_000, remaining: 2_000 });
  });

  it('trends: every period\'s rollover lines are its summary\'s', async () => {
    const trends = await get(`/v1/budgets/${budgetId}/trends?periods=4&date=2026-11-24`);
    expect(trends.periods.map((p: { categories: { categoryId: string }[] }) => line(p.categories, food).carriedOver)).toEqual([0, 6_000, 3_000, 7_000]);
    expect(trends.periods.map((p: { categories: { categoryId: string }[] }) => line(p.categories, transport).carriedOver)).toEqual([0, 0, 0, 2_000]);
    for (const p of trends.periods) {
      const s = await get(`/v1/budgets/${budgetId}/summary?date=${p.periodStart}`);
      for (const id of [food, transport]) {
        const { carriedOver, available, spent } = line(s.categories, id);
        expect(line(p.categories, id)).toMatchObject({ carriedOver, available, spent });
      }
      expect(line(p.categories, fun)).toEqual({ categoryId: fun, name: 'Fun', limit: null, group: null, spent: line(s.categories, fun).spent });
    }
  });

  it('forecast: the summary\'s carriedOver and available, projectedRemaining = available - projectedSpent', async () => {
    const f = await get(`/v1/budgets/${budgetId}/forecast?date=2026-11-24`);
    expect(line(f.categories, food)).toMatchObject({ carriedOver: 7_000, available: 17_000, spent: 12_000, scheduled: 0, projectedSpent: 12_000, projectedRemaining: 5_000 });
    expect(line(f.categories, transport)).toMatchObject({ carriedOver: 2_000, available: 7_000, projectedRemaining: 6_000 });
    expect(line(f.categories, fun)).not.toHaveProperty('carriedOver');
  });

  it('report of an ended period: its rollover lines carry the summary\'s figures, and the page shows them', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/reports`, { body: { date: '2026-10-15' } });
    expect(res.status, res.text).toBe(201);
    expect(line(res.json.byCategory, food)).toMatchObject({ carriedOver: 3_000, available: 13_000, spent: 6_000 });
    expect(line(res.json.byCategory, transport)).toMatchObject({ carriedOver: 0, available: 5_000, spent: 3_000 });
    expect(line(res.json.byCategory, fun)).toEqual({ categoryId: fun, name: 'Fun', limit: null, group: null, spent: 0 });
    const page = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/reports/${res.json.id}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    // Food's row: what it carried in, and what is left of its available (13,000 - 6,000 = 70.00), not of its limit (40.00).
    expect(page.text).toMatch(/Food<\/td><td class="n"><span>100\.00<\/span> \(<span>30\.00<\/span> carried over\)<\/td><td class="n"><span>60\.00<\/span><\/td><td class="n"><span>70\.00<\/span>/);
  });

  it('overview: a category over its limit but within its available is not over', async () => {
    const o = await get('/v1/me/overview');
    expect(o.items.find((i: { budgetId: string }) => i.budgetId === budgetId)).toMatchObject({ spent: 13_700, categoriesOver: 0 });
  });

  it('turned off: rolloverSince removed, the line as without rollover; on again: a new rolloverSince, carrying restarts', async () => {
    const patch = (rollover: boolean) =>
      as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, {
        body: { categories: [{ id: food, name: 'Food', limit: 10_000, rollover: true }, { id: transport, name: 'Transport', limit: 5_000, rollover }, { id: fun, name: 'Fun' }] },
      });
    const off = await patch(false);
    expect(off.status, off.text).toBe(200);
    expect(off.json.categories[1]).toEqual({ id: transport, name: 'Transport', limit: 5_000 });
    const s = await get(`/v1/budgets/${budgetId}/summary?date=2026-11-24`);
    expect(line(s.categories, transport)).toEqual({
      categoryId: transport,
      name: 'Transport',
      limit: 5_000,
      group: null,
      spent: 1_000,
      remaining: 4_000,
      pace: expect.objectContaining({ daysInPeriod: 30 }),
    });
    const on = await patch(true);
    expect(on.json.categories[1]).toEqual({ id: transport, name: 'Transport', limit: 5_000, rollover: true, rolloverSince: '2026-11-01' });
    expect(line((await get(`/v1/budgets/${budgetId}/summary?date=2026-11-24`)).categories, transport)).toMatchObject({ carriedOver: 0, available: 5_000, remaining: 4_000 });
  });

  it('budget.updated carries the categories before and after, rollover and rolloverSince included', async () => {
    const out = await t.doc.send(
      new ScanCommand({
        TableName: t.tableName,
        FilterExpression: 'begins_with(pk, :prefix) AND detailType = :type',
        ExpressionAttributeValues: { ':prefix': 'budgets#outbox#', ':type': 'budget.updated' },
        ConsistentRead: true,
      }),
    );
    const updates = (out.Items ?? [])
      .map((item) => JSON.parse(item.detail as string) as { id: string; data: { budgetId: string; changes: { categories: { before: unknown[]; after: unknown[] } } } })
      .filter((e) => e.data.budgetId === budgetId)
      .sort((a, b) => a.id.localeCompare(b.id));
    // Turned on in October, off and on again in November.
    expect(updates).toHaveLength(3);
    expect(updates[0]!.data.changes.categories.before[1]).toEqual({ id: transport, name: 'Transport', limit: 5_000 });
    expect(updates[0]!.data.changes.categories.after[1]).toEqual({ id: transport, name: 'Transport', limit: 5_000, rollover: true, rolloverSince: '2026-10-01' });
    expect(updates[1]!.data.changes.categories.after[1]).toEqual({ id: transport, name: 'Transport', limit: 5_000 });
  });

  it('copy: rollover copied, rolloverSince the copy\'s first period', async () => {
    await setClock('2026-12-02T12:00:00Z');
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/copy`, { body: { name: 'Next' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.categories.map(({ id: _id, ...c }: { id: string }) => c)).toEqual([
      { name: 'Food', limit: 10_000, rollover: true, rolloverSince: '2026-12-01' },
      { name: 'Transport', limit: 5_000, rollover: true, rolloverSince: '2026-12-01' },
      { name: 'Fun' },
    ]);
  });
});
