import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { commandsSentDuring } from '../../support/sent-commands';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * GET /v1/budgets/{id}/spending-insights through HTTP on DynamoDB Local, with a fixed clock: a
 * monthly Europe/Berlin budget created on 15 July 2026, asked at 23:30 UTC on 10 November,
 * already the 11th in Berlin (day 11 of November). Every expected figure below is worked out by
 * hand from the expenses recorded here.
 */
const clock = fixedClock('2026-07-15T10:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const insightsRes = (budgetId: string, query = '', who: Account = owner) => as(t.app, who)('GET', `/v1/budgets/${budgetId}/spending-insights${query}`);

const insights = async (budgetId: string, query = '', who: Account = owner) => {
  const res = await insightsRes(budgetId, query, who);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

describe('GET /spending-insights of a monthly Europe/Berlin budget', () => {
  let budgetId: string;
  let dining: string;
  let rent: string;

  beforeAll(async () => {
    await setClockFor(t, clock, owner, '2026-07-15T10:00:00Z');
    const budget = await createBudget(t.app, owner, {
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      limit: 150_000,
      categories: [{ name: 'Dining' }, { name: 'Rent', hidden: true }],
    });
    budgetId = budget.id;
    dining = budget.categories[0]!.id;
    rent = budget.categories[1]!.id;
    const spend = (occurredOn: string, amount: number, categoryId?: string) => addExpense(t.app, owner, budgetId, { amount, occurredOn, ...(categoryId ? { categoryId } : {}) });
    // July (the budget's first period): by day 11, Dining 7,000.
    await spend('2026-07-05', 7_000, dining);
    // August by day 11: Dining 23,000, Rent 50,000, uncategorized 500 (73,500).
    await spend('2026-08-02', 23_000, dining);
    await spend('2026-08-01', 50_000, rent);
    await spend('2026-08-11', 500);
    // September by day 11: Dining 21,500, Rent 50,000 (71,500).
    await spend('2026-09-11', 21_500, dining);
    await spend('2026-09-01', 50_000, rent);
    // October by day 11: Dining 20,000, Rent 50,000, uncategorized 1,000 (71,000); the 12th is past day 11.
    await spend('2026-10-05', 20_000, dining);
    await spend('2026-10-12', 5_000, dining);
    await spend('2026-10-01', 50_000, rent);
    await spend('2026-10-11', 1_000);
    // November by day 11: Dining 31,200, Rent 50,000, uncategorized 700 (81,900); the 12th is after the date.
    await spend('2026-11-03', 31_200, dining);
    await spend('2026-11-01', 50_000, rent);
    await spend('2026-11-11', 700);
    await spend('2026-11-12', 9_999, dining);
    // 23:30 UTC on the 10th is 00:30 on the 11th in Berlin (CET, UTC+1).
    await setClockFor(t, clock, owner, '2026-11-10T23:30:00Z');
  });

  it("compares day 11 in Berlin with the three previous months' first 11 days", async () => {
    const body = await insights(budgetId);
    // Total: usual (71,000 + 71,500 + 73,500) / 3 = 72,000; +9,900 = 13.75% -> 13.8; 81,900 < 90,000 (125%): usual.
    // Dining: usual 64,500 / 3 = 21,500; +9,700 = 45.116% -> 45.1; 31,200 >= 26,875 and 9,700 >= 1,000: above.
    // Uncategorized: usual 1,500 / 3 = 500; +200 = 40.0%; 700 >= 625 but 200 < 1,000: usual.
    expect(body).toEqual({
      budgetId,
      currency: 'EUR',
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      date: '2026-11-11',
      dayOfPeriod: 11,
      periods: 3,
      total: { categoryId: null, name: 'Total', spentSoFar: 81_900, usualSoFar: 72_000, difference: 9_900, changePercent: 13.8, status: 'usual' },
      categories: [
        { categoryId: dining, name: 'Dining', spentSoFar: 31_200, usualSoFar: 21_500, difference: 9_700, changePercent: 45.1, status: 'above' },
        { categoryId: 'uncategorized', name: 'Uncategorized', spentSoFar: 700, usualSoFar: 500, difference: 200, changePercent: 40, status: 'usual' },
        { categoryId: rent, name: 'Rent', hidden: true, spentSoFar: 50_000, usualSoFar: 50_000, difference: 0, changePercent: 0, status: 'usual' },
      ],
    });
    // A floor of 200 makes the uncategorized line's +200 unusual.
    const lowFloor = await insights(budgetId, '?minDifference=200');
    expect(lowFloor.categories[1]).toMatchObject({ categoryId: 'uncategorized', status: 'above' });
  });

  it('averages only the periods since the budget was created; none before its first one', async () => {
    // Six asked, four exist (July..October). Total: usual (7,000 + 216,000) / 4 = 55,750; +26,150 = 46.905% -> 46.9: above.
    // Dining: (7,000 + 64,500) / 4 = 17,875; +13,325 = 74.545% -> 74.5: above. Rent: 150,000 / 4 = 37,500; +12,500 = 33.3%: above.
    const six = await insights(budgetId, '?periods=6');
    expect(six.periods).toBe(4);
    expect(six.total).toEqual({ categoryId: null, name: 'Total', spentSoFar: 81_900, usualSoFar: 55_750, difference: 26_150, changePercent: 46.9, status: 'above' });
    expect(six.categories.map((c: { categoryId: string; usualSoFar: number; changePercent: number; status: string }) => [c.categoryId, c.usualSoFar, c.changePercent, c.status])).toEqual([
      [dining, 17_875, 74.5, 'above'],
      [rent, 37_500, 33.3, 'above'],
      ['uncategorized', 375, 86.7, 'usual'],
    ]);
    // 20 July: day 20 of the first period, nothing before it.
    const first = await insights(budgetId, '?date=2026-07-20');
    expect(first).toMatchObject({ periodStart: '2026-07-01', dayOfPeriod: 20, periods: 0 });
    expect(first.total).toEqual({ categoryId: null, name: 'Total', spentSoFar: 7_000, usualSoFar: 0, difference: 7_000, changePercent: null, status: 'usual' });
    // No uncategorized spending in July nor before: no uncategorized line.
    expect(first.categories.map((c: { categoryId: string }) => c.categoryId)).toEqual([dining, rent]);
  });

  it('counts a shorter month whole against a later day (30 September against 31 October: the whole of September)', async () => {
    // Day 31 of October against August (1..31) and September (1..30): Dining (23,000 + 21,500) / 2 = 22,250 against 25,000.
    const body = await insights(budgetId, '?date=2026-10-31&periods=2');
    expect(body).toMatchObject({ dayOfPeriod: 31, periods: 2 });
    expect(body.categories.find((c: { categoryId: string }) => c.categoryId === dining)).toEqual({
      categoryId: dining,
      name: 'Dining',
      spentSoFar: 25_000,
      usualSoFar: 22_250,
      difference: 2_750,
      changePercent: 12.4,
      status: 'usual',
    });
  });

  it('costs the access read and ONE Query of the running totals', async () => {
    const { result, commands } = await commandsSentDuring(t.doc, () => insightsRes(budgetId, '?periods=6'));
    expect(result.status).toBe(200);
    expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
  });

  it('answers any member, viewers included, and 404 to others; bad input is a 400 naming it', async () => {
    const viewer = await signup(t.app, 'viewer');
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    expect((await insights(budgetId, '', viewer)).total.spentSoFar).toBe(81_900);
    const stranger = await signup(t.app, 'stranger');
    expectProblem(await insightsRes(budgetId, '', stranger), 404);
    expectProblem(await insightsRes('01JDQ4V8M7ZK3X9A2B5C6D7E8F'), 404);
    expectProblem(await insightsRes(budgetId, '?periods=7'), 400, ['query.periods']);
    expectProblem(await insightsRes(budgetId, '?periods=0'), 400, ['query.periods']);
    expectProblem(await insightsRes(budgetId, '?date=2026-02-30'), 400, ['query.date']);
    expectProblem(await insightsRes(budgetId, '?minDifference=-1'), 400, ['query.minDifference']);
    expectProblem(await insightsRes(budgetId, '?minDifference=1000000000001'), 400, ['query.minDifference']);
  });
});

describe('GET /spending-insights of a yearly budget', () => {
  it("compares the year's day 60 with the previous years' day 60, from the budget's first year on", async () => {
    await setClockFor(t, clock, owner, '2024-03-01T12:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'yearly', limit: 1_000_000, categories: [{ name: 'Travel' }] });
    const spend = (occurredOn: string, amount: number) => addExpense(t.app, owner, budget.id, { amount, occurredOn });
    // Day 60 is 29 February in 2024 (a leap year), 1 March in 2025 and 2026.
    await spend('2024-02-29', 4_000);
    await spend('2024-03-01', 9_000);
    await spend('2025-03-01', 6_000);
    await spend('2025-03-02', 8_000);
    await spend('2026-01-15', 10_000);
    await spend('2026-03-02', 1);
    await setClockFor(t, clock, owner, '2026-03-01T12:00:00Z');
    // 2023 is before the budget's first year: 2 periods. Usual (4,000 + 6,000) / 2 = 5,000; +5,000 = +100.0%: above.
    const body = await insights(budget.id);
    expect(body).toMatchObject({ periodStart: '2026-01-01', periodEnd: '2026-12-31', date: '2026-03-01', dayOfPeriod: 60, periods: 2 });
    expect(body.total).toEqual({ categoryId: null, name: 'Total', spentSoFar: 10_000, usualSoFar: 5_000, difference: 5_000, changePercent: 100, status: 'above' });
    expect(body.categories.map((c: { categoryId: string; spentSoFar: number; usualSoFar: number }) => [c.categoryId, c.spentSoFar, c.usualSoFar])).toEqual([
      ['uncategorized', 10_000, 5_000],
      [budget.categories[0]!.id, 0, 0],
    ]);
  });
});

describe('GET /spending-insights past 2^53 - 1', () => {
  it('refuses (400 naming query.date) a range whose spending sums past 2^53 - 1 over the totals shards, even when the difference is small', async () => {
    await setClockFor(t, clock, owner, '2026-09-01T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 1_000_000 });
    // Each of the 4 totals shards of October and November holds about 2^51 on the 5th, as if about
    // 2,250 expenses of 10^12 had been recorded into each (written directly, in the real key shape):
    // each shard within the running totals' limit, the month 2^53 + 1 together, which no double holds.
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (const month of ['2026-10', '2026-11']) {
      for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
        const amount = 2 ** 51 + (shard === 0 ? 1 : 0);
        const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk(month, shard), total: amount, uncategorized: amount, d05_total: amount, d05_uncategorized: amount };
        await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
      }
    }
    // Day 30 of November (the whole month) against October's first 30 days: 2^53 + 1 both, a difference of 0.
    expectProblem(await insightsRes(budget.id, '?date=2026-11-30&periods=1'), 400, ['query.date']);
  });
});
