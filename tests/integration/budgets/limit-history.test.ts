import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * Limit history through HTTP on DynamoDB Local: a PATCH of a limit applies from the current
 * period on (earlier periods keep theirs, rollover carries their old limits), unless
 * `limitChangesApplyTo: "allPeriods"`. Every expected amount is worked out by hand.
 */
const clock = fixedClock('2026-08-15T09:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);
const summary = async (budgetId: string, date: string) => {
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=${date}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const patch = (budgetId: string, body: unknown) => as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body });

let budgetId: string;
let food: string;

describe('limit history', { timeout: 60_000 }, () => {
  it('a monthly rollover budget created in August: no history shown (the answer as before)', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, rollover: true, categories: [{ name: 'Food', limit: 4_000, rollover: true }] });
    budgetId = budget.id;
    food = budget.categories[0]!.id;
    expect('limitHistory' in budget).toBe(false);
    // August spending: 3,000 on food, 3,000 uncategorized.
    await addExpense(t.app, owner, budgetId, { amount: 3_000, occurredOn: '2026-08-10', categoryId: food });
    await addExpense(t.app, owner, budgetId, { amount: 3_000, occurredOn: '2026-08-12' });
    // A PATCH in the budget's first period records nothing (no earlier period exists).
    const first = await patch(budgetId, { limit: 10_000, categories: [{ id: food, name: 'Food', limit: 4_000, rollover: true }] });
    expect(first.status, first.text).toBe(200);
    expect('limitHistory' in first.json).toBe(false);
  });

  it('a PATCH in September applies from September: August keeps 10,000 and Food 4,000', async () => {
    await setClock('2026-09-10T12:00:00Z');
    const res = await patch(budgetId, { limit: 12_000, categories: [{ id: food, name: 'Food', limit: 5_000, rollover: true }] });
    expect(res.status, res.text).toBe(200);
    expect(res.json.limitHistory).toEqual([
      { before: '2026-09-01', limit: 10_000 },
      { before: '2026-09-01', categoryId: food, limit: 4_000 },
    ]);
    expect((await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`)).json.limitHistory).toEqual(res.json.limitHistory);

    const august = await summary(budgetId, '2026-08-20');
    expect(august).toMatchObject({ periodStart: '2026-08-01', limit: 10_000, carriedOver: 0, available: 10_000, spent: 6_000, remaining: 4_000 });
    expect(august.categories[0]).toMatchObject({ categoryId: food, limit: 4_000, carriedOver: 0, available: 4_000, spent: 3_000, remaining: 1_000 });

    // September carries August's OLD limits: 10,000 - 6,000 = 4,000 (not 12,000 - 6,000), Food 4,000 - 3,000 = 1,000.
    const september = await summary(budgetId, '2026-09-20');
    expect(september).toMatchObject({ periodStart: '2026-09-01', limit: 12_000, carriedOver: 4_000, available: 16_000, spent: 0, remaining: 16_000 });
    expect(september.categories[0]).toMatchObject({ categoryId: food, limit: 5_000, carriedOver: 1_000, available: 6_000, remaining: 6_000 });

    // The trends list each period at its own limits, as its summary.
    const trends = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/trends?periods=2&date=2026-09-20`);
    expect(trends.status, trends.text).toBe(200);
    expect(trends.json.periods.map((p: { limit: number; carriedOver: number }) => [p.limit, p.carriedOver])).toEqual([
      [10_000, 0],
      [12_000, 4_000],
    ]);
  });

  it('a second change in September keeps what applied before it (10,000), not the intermediate 12,000', async () => {
    const res = await patch(budgetId, { limit: 11_000 });
    expect(res.status, res.text).toBe(200);
    expect(res.json.limitHistory).toEqual([
      { before: '2026-09-01', limit: 10_000 },
      { before: '2026-09-01', categoryId: food, limit: 4_000 },
    ]);
    expect(await summary(budgetId, '2026-08-20')).toMatchObject({ limit: 10_000 });
    expect(await summary(budgetId, '2026-09-20')).toMatchObject({ limit: 11_000, carriedOver: 4_000, available: 15_000 });
  });

  it('"allPeriods" re-values August too and drops that limit\'s history (Food keeps its own)', async () => {
    const res = await patch(budgetId, { limit: 13_000, limitChangesApplyTo: 'allPeriods' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.limitHistory).toEqual([{ before: '2026-09-01', categoryId: food, limit: 4_000 }]);
    expect(await summary(budgetId, '2026-08-20')).toMatchObject({ limit: 13_000, remaining: 7_000 });
    // 13,000 - 6,000 carried into September.
    expect(await summary(budgetId, '2026-09-20')).toMatchObject({ limit: 13_000, carriedOver: 7_000, available: 20_000 });
  });

  it('names limitChangesApplyTo when it is not one of its values', async () => {
    expectProblem(await patch(budgetId, { limit: 1, limitChangesApplyTo: 'sometimes' }), 400, ['limitChangesApplyTo']);
  });

  it('a copy starts with its limits and no history', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/copy`, { body: { name: 'Copy' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ limit: 13_000 });
    expect('limitHistory' in res.json).toBe(false);
  });

  it('a change of period kind drops the history (its periods are gone)', async () => {
    const res = await patch(budgetId, { period: 'weekly' });
    expect(res.status, res.text).toBe(200);
    expect('limitHistory' in res.json).toBe(false);
  });
});
