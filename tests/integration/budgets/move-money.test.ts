import { beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, createBudget, expectProblem, type Account } from './helpers';
import { periodLimitsSuite } from './period-limits-harness';

/**
 * packages/budgets/docs/periods-and-limits.md "Move money" through HTTP on DynamoDB Local: POST /v1/budgets/{id}/move-money writes per-period
 * category limits (`periodLimits` on the budget), which the summary of THAT period uses (the next
 * one unchanged), category rollover carries period by period, and the threshold subscriber
 * alerts against. Every expected amount is worked out by hand from the expenses written here.
 */
const suite = periodLimitsSuite();
const { setClock, get, line } = suite;
let t: TestSystem;
let owner: Account;
let editor: Account;
let viewer: Account;
let stranger: Account;
beforeAll(() => ({ t, owner, editor, viewer, stranger } = suite.accounts));
const move = (who: Account, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  as(t.app, who)('POST', `/v1/budgets/${budgetId}/move-money`, { body, headers });

let budgetId: string;
let food: string;
let fun: string;
let misc: string;

describe('move money', { timeout: 120_000 }, () => {
  it('setup: a budget created in September; Food rolls over; expenses in September and October', async () => {
    const created = await suite.foodBudget({ alertThresholds: [80, 100] });
    ({ budgetId, food, fun, misc } = created);
    expect(created.budget.periodLimits).toEqual([]);
  });

  it('moves 2,000 from Fun to Food in October: the answer is the budget with its new ETag and sorted periodLimits', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    const res = await move(owner, { from: fun, to: food, amount: 2_000, date: '2026-10-31' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`);
    const expected = [
      { periodStart: '2026-10-01', categoryId: food, limit: 12_000 },
      { periodStart: '2026-10-01', categoryId: fun, limit: 3_000 },
    ].sort((a, b) => (a.categoryId < b.categoryId ? -1 : 1));
    expect(res.json.periodLimits).toEqual(expected);
    expect(res.json.version).toBe(before.version + 1);
    // The categories' own limits do not move.
    expect(res.json.categories.map((c: { limit?: number }) => c.limit)).toEqual([10_000, 5_000, undefined]);
    const got = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    expect(got.json).toEqual(res.json);
    expect(got.headers.get('etag')).toBe(res.headers.get('etag'));
    // budget.updated, in the same transaction: the two categories' October limits before and after.
    const event = await theEvent(t, 'budget.updated', { budgetId, version: before.version + 1 });
    expect(event.envelope.data).toEqual({
      budgetId,
      version: before.version + 1,
      changed: ['periodLimits'],
      updatedBy: owner.id,
      changes: {
        periodLimits: {
          before: [
            { periodStart: '2026-10-01', categoryId: fun, limit: 5_000 },
            { periodStart: '2026-10-01', categoryId: food, limit: 10_000 },
          ],
          after: [
            { periodStart: '2026-10-01', categoryId: fun, limit: 3_000 },
            { periodStart: '2026-10-01', categoryId: food, limit: 12_000 },
          ],
        },
      },
    });
  });

  it('shows in the summary of October only; November carries October at its moved limit', async () => {
    const sep = await get(`/v1/budgets/${budgetId}/summary?date=2026-09-15`);
    expect(line(sep.categories, food)).toMatchObject({ limit: 10_000, carriedOver: 0, available: 10_000, spent: 8_000, remaining: 2_000 });
    expect(line(sep.categories, fun)).toMatchObject({ limit: 5_000 });

    // October: Food's limit 12,000, carrying September's 10,000 - 8,000 = 2,000: available 14,000, 12,000 spent.
    const oct = await get(`/v1/budgets/${budgetId}/summary?date=2026-10-15`);
    expect(line(oct.categories, food)).toMatchObject({ limit: 12_000, carriedOver: 2_000, available: 14_000, spent: 12_000, remaining: 2_000 });
    expect(line(oct.categories, fun)).toMatchObject({ limit: 3_000, spent: 0, remaining: 3_000 });
    expect(line(oct.categories, misc)).toMatchObject({ limit: null });
    // The budget's own limit does not move.
    expect(oct.limit).toBe(100_000);

    // November (the next period): the categories' own limits again; Food carries September's 2,000 +
    // October's 12,000 - 12,000 = 0, so 2,000 (at the unmoved 10,000 it would carry 2,000 - 2,000 = 0).
    const nov = await get(`/v1/budgets/${budgetId}/summary?date=2026-11-15`);
    expect(line(nov.categories, food)).toMatchObject({ limit: 10_000, carriedOver: 2_000, available: 12_000, spent: 0, remaining: 12_000 });
    expect(line(nov.categories, fun)).toMatchObject({ limit: 5_000, remaining: 5_000 });

    // Trends and the forecast use the same lines, period by period.
    const trends = await get(`/v1/budgets/${budgetId}/trends?periods=3&date=2026-11-15`);
    expect(trends.periods.map((p: { categories: { categoryId: string }[] }) => line(p.categories, food).limit)).toEqual([10_000, 12_000, 10_000]);
    expect(trends.periods.map((p: { categories: { categoryId: string }[] }) => line(p.categories, fun).limit)).toEqual([5_000, 3_000, 5_000]);
    // A range line's limit is the range's: each period's own limit summed, October's moved one
    // included (September to November: Fun 5,000 + 3,000 + 5,000, Food 10,000 + 12,000 + 10,000).
    expect(line(trends.categories, fun).limit).toBe(13_000);
    expect(line(trends.categories, food).limit).toBe(32_000);
    expect(line(trends.categories, misc).limit).toBeNull();
    // September and October: 5,000 + 3,000 (not the last period's 3,000 alone).
    const octTrends = await get(`/v1/budgets/${budgetId}/trends?periods=2&date=2026-10-15`);
    expect(line(octTrends.categories, fun).limit).toBe(8_000);
    // October alone: its own moved limit.
    const octOnly = await get(`/v1/budgets/${budgetId}/trends?periods=1&date=2026-10-15`);
    expect(line(octOnly.categories, fun).limit).toBe(3_000);
    const forecast = await get(`/v1/budgets/${budgetId}/forecast?date=2026-10-15`);
    expect(line(forecast.categories, fun)).toMatchObject({ limit: 3_000 });
  });

  it("a threshold alert is a percent of the period's limit", async () => {
    // 2,700 on Fun in October: 90% of its October limit of 3,000 (54% of its own 5,000).
    const expense = await addExpense(t.app, owner, budgetId, { amount: 2_700, occurredOn: '2026-10-12', categoryId: fun });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
    const crossings = (await outboxEvents(t, 'budget.threshold_crossed')).map((e) => e.envelope.data).filter((d) => d.budgetId === budgetId);
    // Food too: 12,000 spent of its October limit of 12,000 is 100% (thresholds stay percents of a
    // rollover category's limit, not of its available).
    const october = { budgetId, periodStart: '2026-10-01', periodEnd: '2026-10-31', scope: 'category', currency: 'USD' };
    expect(crossings).toHaveLength(3);
    expect(crossings).toEqual(
      expect.arrayContaining([
        { ...october, categoryId: fun, threshold: 80, spent: 2_700, limit: 3_000 },
        { ...october, categoryId: food, threshold: 80, spent: 12_000, limit: 12_000 },
        { ...october, categoryId: food, threshold: 100, spent: 12_000, limit: 12_000 },
      ]),
    );
    const oct = await get(`/v1/budgets/${budgetId}/summary?date=2026-10-15`);
    expect(oct.thresholdsCrossed).toEqual([
      { scope: 'category', categoryId: food, threshold: 80 },
      { scope: 'category', categoryId: fun, threshold: 80 },
      { scope: 'category', categoryId: food, threshold: 100 },
    ]);
  });

  it('refuses bad moves naming the field, and changes nothing', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    expectProblem(await move(owner, { from: food, to: food, amount: 1 }), 400, ['to']);
    expectProblem(await move(owner, { from: food, to: fun, amount: 0 }), 400, ['amount']);
    expectProblem(await move(owner, { from: food, to: fun, amount: 1.5 }), 400, ['amount']);
    expectProblem(await move(owner, { from: food, to: fun }), 400, ['amount']);
    expectProblem(await move(owner, { from: food, to: fun, amount: 1, date: '2026-02-30' }), 400, ['date']);
    expectProblem(await move(owner, { from: food, to: fun, amount: 1, note: 'x' }), 400, ['note']);
    expectProblem(await move(owner, { from: 'nope', to: fun, amount: 1 }), 422, ['from']);
    expectProblem(await move(owner, { from: food, to: 'nope', amount: 1 }), 422, ['to']);
    expectProblem(await move(owner, { from: misc, to: fun, amount: 1 }), 422, ['from']);
    expectProblem(await move(owner, { from: food, to: misc, amount: 1 }), 422, ['to']);
    // Both categories wrong: one answer naming both, as every bad field is.
    expectProblem(await move(owner, { from: 'nope', to: misc, amount: 1 }), 422, ['from', 'to']);
    expectProblem(await move(owner, { from: misc, to: 'nope', amount: 1 }), 422, ['from', 'to']);
    // Fun's October limit is 3,000: moving 3,001 out of it would take it below 0.
    expectProblem(await move(owner, { from: fun, to: food, amount: 3_001, date: '2026-10-01' }), 422, ['amount']);
    expect(await get(`/v1/budgets/${budgetId}`)).toEqual(before);
  });

  it('owner and editor only: a viewer gets 403, a stranger 404', async () => {
    expectProblem(await move(viewer, { from: food, to: fun, amount: 1 }), 403);
    expectProblem(await move(stranger, { from: food, to: fun, amount: 1 }), 404);
    const res = await move(editor, { from: food, to: fun, amount: 1_000, date: '2026-12-01' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.periodLimits.filter((p: { periodStart: string }) => p.periodStart === '2026-12-01')).toHaveLength(2);
    // Moving it back removes December's overrides (equal to the categories' limits).
    const back = await move(editor, { from: fun, to: food, amount: 1_000, date: '2026-12-01' });
    expect(back.status, back.text).toBe(200);
    expect(back.json.periodLimits.map((p: { periodStart: string }) => p.periodStart)).toEqual(['2026-10-01', '2026-10-01']);
  });

  it('defaults to the period of today in the budget\'s time zone', async () => {
    const auckland = await createBudget(t.app, owner, { timezone: 'Pacific/Auckland', categories: [{ name: 'A', limit: 1_000 }, { name: 'B', limit: 1_000 }] });
    const [a, b] = auckland.categories.map((c) => c.id) as [string, string];
    // 30 November 12:00 UTC is 1 December 01:00 in Auckland.
    await setClock('2026-11-30T12:00:00Z');
    const res = await as(t.app, owner)('POST', `/v1/budgets/${auckland.id}/move-money`, { body: { from: a, to: b, amount: 100 } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.periodLimits.map((p: { periodStart: string }) => p.periodStart)).toEqual(['2026-12-01', '2026-12-01']);
    await setClock('2026-11-20T09:00:00Z');
  });

  it('honours If-Match like PATCH: a stale ETag is a 412, the current one moves', async () => {
    const current = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    const etag = current.headers.get('etag')!;
    expectProblem(await move(owner, { from: food, to: fun, amount: 100, date: '2027-01-05' }, { 'If-Match': `"${current.json.version - 1}"` }), 412);
    const ok = await move(owner, { from: food, to: fun, amount: 100, date: '2027-01-05' }, { 'If-Match': etag });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('etag')).toBe(`"${current.json.version + 1}"`);
    // The ETag it replaced is stale now.
    expectProblem(await move(owner, { from: food, to: fun, amount: 100, date: '2027-01-05' }, { 'If-Match': etag }), 412);
  });

  it('with an Idempotency-Key, its If-Match is part of the request: the retry replays, another If-Match with the key is a 422', async () => {
    const current = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`);
    const body = { from: food, to: fun, amount: 50, date: '2027-01-06' };
    const headers = { 'Idempotency-Key': 'move-if-match-1', 'If-Match': current.headers.get('etag')! };
    const first = await move(owner, body, headers);
    expect(first.status, first.text).toBe(200);
    const retry = await move(owner, body, headers);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    // Another precondition is another request (as a PATCH's or the period-limits PUT's), not this one's answer.
    expectProblem(await move(owner, body, { ...headers, 'If-Match': `"${current.json.version + 7}"` }), 422);
    expectProblem(await move(owner, body, { 'Idempotency-Key': 'move-if-match-1' }), 422);
    expect((await get(`/v1/budgets/${budgetId}`)).version).toBe(current.json.version + 1);
  });

  it('loses no move when two run concurrently (without If-Match both apply; with the same If-Match one is a 412)', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    const both = await Promise.all([
      move(owner, { from: food, to: fun, amount: 700, date: '2027-02-10' }),
      move(editor, { from: fun, to: food, amount: 200, date: '2027-02-20' }),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const after = await get(`/v1/budgets/${budgetId}`);
    expect(after.version).toBe(before.version + 2);
    // Food 10,000 - 700 + 200 = 9,500; Fun 5,000 + 700 - 200 = 5,500.
    const feb = after.periodLimits.filter((p: { periodStart: string }) => p.periodStart === '2027-02-01');
    expect(Object.fromEntries(feb.map((p: { categoryId: string; limit: number }) => [p.categoryId, p.limit]))).toEqual({ [food]: 9_500, [fun]: 5_500 });

    const etag = `"${after.version}"`;
    const pinned = await Promise.all([
      move(owner, { from: food, to: fun, amount: 10, date: '2027-03-01' }, { 'If-Match': etag }),
      move(editor, { from: food, to: fun, amount: 20, date: '2027-03-01' }, { 'If-Match': etag }),
    ]);
    expect(pinned.map((r) => r.status).sort()).toEqual([200, 412]);
    const won = pinned.find((r) => r.status === 200)!;
    const last = await get(`/v1/budgets/${budgetId}`);
    expect(last.version).toBe(after.version + 1);
    expect(last.periodLimits).toEqual(won.json.periodLimits);
  });

  it('PATCH drops the overrides of a removed category, and all of them with another period kind', async () => {
    const current = await get(`/v1/budgets/${budgetId}`);
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, {
      body: { categories: current.categories.filter((c: { id: string }) => c.id !== fun).map(({ rolloverSince: _s, ...c }: Record<string, unknown>) => c) },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.periodLimits.every((p: { categoryId: string }) => p.categoryId === food)).toBe(true);
    expect(res.json.periodLimits.length).toBeGreaterThan(0);
    const event = await theEvent(t, 'budget.updated', { budgetId, version: res.json.version });
    expect(event.envelope.data.changed).toEqual(['categories', 'periodLimits']);
    const weekly = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { period: 'weekly' } });
    expect(weekly.status, weekly.text).toBe(200);
    expect(weekly.json.periodLimits).toEqual([]);
  });
});
