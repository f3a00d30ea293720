import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from '../../support/test-system';
import { as, createBudget, type Account } from './helpers';
import { periodLimitsSuite } from './period-limits-harness';

/**
 * POST /v1/budgets/{id}/copy carries the source's per-period limits of the copy's first period
 * and later (under the copy's categories of the same names), in the create's one transaction;
 * those of earlier periods stay behind. Through HTTP on DynamoDB Local.
 */
const suite = periodLimitsSuite();
const { setClock, get, line } = suite;
let t: TestSystem;
let owner: Account;
beforeAll(() => ({ t, owner } = suite.accounts));

describe('copy and per-period limits', { timeout: 120_000 }, () => {
  it("carries the overrides of the copy's first period and later, not earlier ones", async () => {
    const source = await createBudget(t.app, owner, { limit: 100_000, categories: [{ name: 'Food', limit: 10_000 }, { name: 'Fun', limit: 5_000 }, { name: 'Misc' }] });
    const [food, fun] = source.categories.map((c) => c.id) as [string, string];
    await setClock('2026-11-20T09:00:00Z');
    const put = async (categoryId: string, limit: number, date: string) => {
      const res = await as(t.app, owner)('PUT', `/v1/budgets/${source.id}/period-limits`, { body: { categoryId, limit, date } });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    await put(food, 12_000, '2026-10-10'); // October: before the copy's first period (November)
    await put(food, 9_000, '2026-11-10'); // November: the copy's first period
    await put(fun, 4_000, '2027-01-10'); // January: later
    const before = await get(`/v1/budgets/${source.id}`);

    const res = await as(t.app, owner)('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'Copy with moves' } });
    expect(res.status, res.text).toBe(201);
    const copy = res.json;
    const [copyFood, copyFun] = copy.categories.map((c: { id: string }) => c.id) as [string, string];
    expect(copyFood).not.toBe(food);
    expect(copy.periodLimits).toEqual(
      [
        { periodStart: '2026-11-01', categoryId: copyFood, limit: 9_000 },
        { periodStart: '2027-01-01', categoryId: copyFun, limit: 4_000 },
      ].sort((a, b) => (a.periodStart === b.periodStart ? (a.categoryId < b.categoryId ? -1 : 1) : a.periodStart < b.periodStart ? -1 : 1)),
    );
    // Stored with the budget (GET shows it) and used by the copy's November summary.
    expect((await get(`/v1/budgets/${copy.id}`)).periodLimits).toEqual(copy.periodLimits);
    const nov = await get(`/v1/budgets/${copy.id}/summary?date=2026-11-20`);
    expect(line(nov.categories, copyFood)).toMatchObject({ limit: 9_000 });
    expect(line(nov.categories, copyFun)).toMatchObject({ limit: 5_000 });
    // The source is unchanged.
    expect(await get(`/v1/budgets/${source.id}`)).toEqual(before);
  });

  it('a source without overrides gives a copy without any', async () => {
    const source = await createBudget(t.app, owner, { limit: 1_000, categories: [{ name: 'Food', limit: 500 }] });
    const res = await as(t.app, owner)('POST', `/v1/budgets/${source.id}/copy`, { body: { name: 'Plain copy' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.periodLimits).toEqual([]);
  });
});
