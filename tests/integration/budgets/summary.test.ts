import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/** GET /v1/budgets/{id}/summary against real expenses recorded through HTTP. */
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);

const summary = async (budgetId: string, date?: string, who = owner) => {
  const res = await as(t.app, who)('GET', `/v1/budgets/${budgetId}/summary${date ? `?date=${date}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

describe('a monthly budget without rollover', () => {
  it('sums this month by category, ignores other months, and lists the thresholds reached', async () => {
    await setClock('2026-11-24T12:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }],
      alertThresholds: [50, 80, 100],
    });
    const [groceries, transport] = budget.categories;
    await addExpense(t.app, owner, budget.id, { amount: 30_000, occurredOn: '2026-11-01', categoryId: groceries!.id });
    await addExpense(t.app, owner, budget.id, { amount: 12_000, occurredOn: '2026-11-30', categoryId: groceries!.id });
    await addExpense(t.app, owner, budget.id, { amount: 20_000, occurredOn: '2026-11-15', categoryId: transport!.id });
    await addExpense(t.app, owner, budget.id, { amount: 2_500, occurredOn: '2026-11-24' });
    await addExpense(t.app, owner, budget.id, { amount: 99_000, occurredOn: '2026-10-31' }); // previous month
    await addExpense(t.app, owner, budget.id, { amount: 99_000, occurredOn: '2026-12-01' }); // next month

    const s = await summary(budget.id); // today in UTC: 2026-11-24
    expect(s).toEqual({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      limit: 100_000,
      carriedOver: 0,
      available: 100_000,
      spent: 64_500,
      remaining: 35_500,
      categories: [
        // Its pace on 24 November (24 of 30 days elapsed, 7 left): 40,000 x 24 / 30 = 32,000 expected; over its limit.
        {
          categoryId: groceries!.id,
          name: 'Groceries',
          limit: 40_000,
          group: null,
          spent: 42_000,
          remaining: -2_000,
          pace: { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 32_000, status: 'over', dailyAllowance: 0 },
        },
        { categoryId: transport!.id, name: 'Transport', limit: null, group: null, spent: 20_000, remaining: null, pace: null },
      ],
      groups: [],
      uncategorizedSpent: 2_500,
      thresholdsCrossed: [
        { scope: 'budget', categoryId: null, threshold: 50 },
        { scope: 'category', categoryId: groceries!.id, threshold: 50 },
        { scope: 'category', categoryId: groceries!.id, threshold: 80 },
        { scope: 'category', categoryId: groceries!.id, threshold: 100 },
      ],
      // 100,000 x 24 / 30 = 80,000 expected; 64,500 is 15,500 behind (more than 5% = 5,000): under;
      // 35,500 left / 7 days = 5,071.43 -> 5,071 a day.
      pace: { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 80_000, status: 'under', dailyAllowance: 5_071 },
    });
    // Another date of the same month gives the same period; another month its own spending.
    expect((await summary(budget.id, '2026-11-01')).spent).toBe(64_500);
    expect(await summary(budget.id, '2026-12-31')).toMatchObject({ periodStart: '2026-12-01', spent: 99_000, carriedOver: 0 });
  });

  it('counts the spending of a removed category as uncategorized', async () => {
    await setClock('2026-11-24T12:00:00Z');
    const budget = await createBudget(t.app, owner);
    const [groceries, transport] = budget.categories;
    await addExpense(t.app, owner, budget.id, { amount: 700, occurredOn: '2026-11-02', categoryId: transport!.id });
    await addExpense(t.app, owner, budget.id, { amount: 300, occurredOn: '2026-11-02', categoryId: groceries!.id });
    await addExpense(t.app, owner, budget.id, { amount: 50, occurredOn: '2026-11-02' });
    const patched = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, {
      body: { categories: [{ id: groceries!.id, name: 'Groceries' }] },
    });
    expect(patched.status).toBe(200);
    const s = await summary(budget.id, '2026-11-02');
    expect(s.spent).toBe(1_050);
    expect(s.uncategorizedSpent).toBe(750);
    expect(s.categories).toEqual([{ categoryId: groceries!.id, name: 'Groceries', limit: null, group: null, spent: 300, remaining: null, pace: null }]);
  });

  it('is readable by viewers', async () => {
    const viewer = await signup(t.app, 'viewer');
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, viewer, 'viewer');
    expect((await summary(budget.id, '2026-11-24', viewer)).limit).toBe(100_000);
  });
});

describe('rollover', () => {
  it('carries limit - spent of every earlier period since the creation period, negative when overspent', async () => {
    await setClock('2026-08-15T09:00:00Z'); // created mid-August
    const budget = await createBudget(t.app, owner, { limit: 10_000, rollover: true, categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    await addExpense(t.app, owner, budget.id, { amount: 4_000, occurredOn: '2026-07-31' }); // before the budget's first period
    await addExpense(t.app, owner, budget.id, { amount: 3_000, occurredOn: '2026-08-01' });
    await addExpense(t.app, owner, budget.id, { amount: 12_000, occurredOn: '2026-09-30' });
    await addExpense(t.app, owner, budget.id, { amount: 1_000, occurredOn: '2026-11-02' });

    // August (first period): nothing before it.
    expect(await summary(budget.id, '2026-08-20')).toMatchObject({ carriedOver: 0, available: 10_000, spent: 3_000, remaining: 7_000 });
    // September: August left 7,000.
    expect(await summary(budget.id, '2026-09-01')).toMatchObject({ carriedOver: 7_000, available: 17_000, spent: 12_000, remaining: 5_000 });
    // October: 2 * 10,000 - 15,000.
    expect(await summary(budget.id, '2026-10-10')).toMatchObject({ carriedOver: 5_000, spent: 0, remaining: 15_000 });
    // November (default date): 3 * 10,000 - 15,000.
    expect(await summary(budget.id)).toMatchObject({
      periodStart: '2026-11-01',
      carriedOver: 15_000,
      available: 25_000,
      spent: 1_000,
      remaining: 24_000,
    });
    // A date before the budget existed carries nothing.
    expect(await summary(budget.id, '2026-07-15')).toMatchObject({ carriedOver: 0, spent: 4_000 });
  });

  it("starts where the budget was created in its time zone then, whatever time zone it is moved to later", async () => {
    // 00:30 UTC on 1 October is 02:30 in Berlin: the budget's first period is October.
    await setClock('2026-10-01T00:30:00Z');
    const budget = await createBudget(t.app, owner, { limit: 5_000, rollover: true, timezone: 'Europe/Berlin', categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    expect(await summary(budget.id, '2026-11-24')).toMatchObject({ carriedOver: 5_000, available: 10_000 });
    // In New York that instant was still 30 September, a month in which the budget did not exist:
    // moving the budget there gives no September limit to carry (nor a September to report or compare).
    const moved = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { timezone: 'America/New_York' } });
    expect(moved.status, moved.text).toBe(200);
    expect(await summary(budget.id, '2026-11-24')).toMatchObject({ carriedOver: 5_000, available: 10_000 });
    expect(await summary(budget.id, '2026-09-15')).toMatchObject({ carriedOver: 0 });
    expect(await summary(budget.id, '2026-10-15')).toMatchObject({ carriedOver: 0 });
    // And back: still October.
    expect((await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { timezone: 'Europe/Berlin' } })).status).toBe(200);
    expect(await summary(budget.id, '2026-11-24')).toMatchObject({ carriedOver: 5_000, available: 10_000 });
  });

  it('carries a negative amount after overspending, and nothing once rollover is off', async () => {
    await setClock('2026-10-01T00:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 5_000, rollover: true, categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    await addExpense(t.app, owner, budget.id, { amount: 8_000, occurredOn: '2026-10-20' });
    expect(await summary(budget.id, '2026-11-24')).toMatchObject({ carriedOver: -3_000, available: 2_000, remaining: 2_000 });
    await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { rollover: false } });
    expect(await summary(budget.id, '2026-11-24')).toMatchObject({ carriedOver: 0, available: 5_000 });
  });

  it('rolls weekly periods over a year boundary, in the budget time zone', async () => {
    // 2026-12-21T12:00Z is already Tuesday 22 Dec 01:00 in Auckland: the first week is 21..27 Dec.
    await setClock('2026-12-21T12:00:00Z');
    const budget = await createBudget(t.app, owner, {
      period: 'weekly',
      timezone: 'Pacific/Auckland',
      limit: 1_000,
      rollover: true,
      categories: [],
    });
    await addExpense(t.app, owner, budget.id, { amount: 600, occurredOn: '2026-12-27' }); // week 1 (Sunday)
    await addExpense(t.app, owner, budget.id, { amount: 100, occurredOn: '2026-12-28' }); // week 2 (Monday)
    await addExpense(t.app, owner, budget.id, { amount: 250, occurredOn: '2027-01-03' }); // week 2 (Sunday)
    await addExpense(t.app, owner, budget.id, { amount: 5, occurredOn: '2027-01-04' }); // week 3

    const week2 = await summary(budget.id, '2027-01-01');
    expect(week2).toMatchObject({ periodStart: '2026-12-28', periodEnd: '2027-01-03', spent: 350, carriedOver: 400, remaining: 1_050 });
    const week3 = await summary(budget.id, '2027-01-04');
    expect(week3).toMatchObject({ periodStart: '2027-01-04', periodEnd: '2027-01-10', spent: 5, carriedOver: 1_050 });
  });

  it('yearly: carries the previous calendar years', async () => {
    await setClock('2024-02-29T12:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'yearly', limit: 100_000, rollover: true, categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    await addExpense(t.app, owner, budget.id, { amount: 150_000, occurredOn: '2024-12-31' });
    await addExpense(t.app, owner, budget.id, { amount: 20_000, occurredOn: '2025-01-01' });
    expect(await summary(budget.id)).toMatchObject({
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      carriedOver: 30_000, // 2 * 100,000 - 170,000
      spent: 0,
    });
  });
});

describe("today in the budget's time zone", () => {
  it('picks the period by the local date around midnight', async () => {
    await setClock('2026-11-01T00:00:00Z');
    const paris = await createBudget(t.app, owner, { timezone: 'Europe/Paris' });
    const losAngeles = await createBudget(t.app, owner, { timezone: 'America/Los_Angeles' });
    await setClock('2026-11-30T23:30:00Z'); // 00:30 on 1 December in Paris, 15:30 on 30 November in Los Angeles
    expect((await summary(paris.id)).periodStart).toBe('2026-12-01');
    expect((await summary(losAngeles.id)).periodStart).toBe('2026-11-01');
    await setClock('2026-11-24T12:00:00Z');
  });
});

describe('pace', () => {
  it("against time in the budget's time zone: the current period with rollover, an ended one, a future one", async () => {
    await setClock('2026-10-01T08:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 30_000,
      rollover: true,
      timezone: 'Europe/Berlin',
      categories: [{ name: 'Food', limit: 9_000 }, { name: 'Misc' }],
    });
    const [food, misc] = budget.categories;
    await addExpense(t.app, owner, budget.id, { amount: 40_000, occurredOn: '2026-10-20', categoryId: misc!.id }); // October overspent by 10,000
    await addExpense(t.app, owner, budget.id, { amount: 6_000, occurredOn: '2026-11-03', categoryId: food!.id });
    await addExpense(t.app, owner, budget.id, { amount: 10_000, occurredOn: '2026-11-10', categoryId: misc!.id });
    // 23:30 UTC on 24 November is 00:30 on the 25th in Berlin: 25 of 30 days elapsed, 6 left (25..30).
    await setClock('2026-11-24T23:30:00Z');

    const november = await summary(budget.id);
    // Available 30,000 - 10,000 carried = 20,000; 20,000 x 25 / 30 = 16,666.67 -> 16,666 expected;
    // 16,000 spent is 666.67 behind, within 5% of 20,000 (1,000): on track; 4,000 left / 6 = 666.67 -> 666.
    expect(november).toMatchObject({ carriedOver: -10_000, available: 20_000, spent: 16_000, remaining: 4_000 });
    expect(november.pace).toEqual({ daysInPeriod: 30, daysElapsed: 25, daysLeft: 6, expectedSpent: 16_666, status: 'on-track', dailyAllowance: 666 });
    // Food against its own 9,000 (no rollover): 7,500 expected, 6,000 is 1,500 behind (> 450): under; 3,000 / 6 = 500.
    expect(november.categories.map((c: { pace: unknown }) => c.pace)).toEqual([
      { daysInPeriod: 30, daysElapsed: 25, daysLeft: 6, expectedSpent: 7_500, status: 'under', dailyAllowance: 500 },
      null,
    ]);

    // October ended: judged as a whole whatever its day asked. 40,000 of 30,000: over; Food spent nothing: under.
    const october = await summary(budget.id, '2026-10-15');
    expect(october.pace).toEqual({ daysInPeriod: 31, daysElapsed: 31, daysLeft: 0, expectedSpent: 30_000, status: 'over', dailyAllowance: 0 });
    expect(october.categories[0].pace).toEqual({ daysInPeriod: 31, daysElapsed: 31, daysLeft: 0, expectedSpent: 9_000, status: 'under', dailyAllowance: 0 });

    // December, paced on the 10th: 2 x 30,000 - 56,000 = 4,000 carried, 34,000 available; 10 elapsed, 22 left.
    // 34,000 x 10 / 31 = 10,967.74 -> 10,967; nothing spent: under; 34,000 / 22 = 1,545.45 -> 1,545.
    const december = await summary(budget.id, '2026-12-10');
    expect(december).toMatchObject({ carriedOver: 4_000, available: 34_000, spent: 0 });
    expect(december.pace).toEqual({ daysInPeriod: 31, daysElapsed: 10, daysLeft: 22, expectedSpent: 10_967, status: 'under', dailyAllowance: 1_545 });
    await setClock('2026-11-24T12:00:00Z');
  });
});

describe('summary errors', () => {
  it('is a 404 for an unknown budget', async () => {
    expectProblem(await as(t.app, owner)('GET', '/v1/budgets/01JDQ4V8M7ZK3X9A2B5C6D7E8F/summary'), 404);
  });
});

describe('a period whose spending passes 2^53 - 1 over the totals shards', () => {
  it('is a 400 naming query.date, never the rounded sum', async () => {
    await setClock('2026-11-24T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 1_000_000, categories: [{ name: 'Groceries' }] });
    const [groceries] = budget.categories;
    // Each of November's 4 totals shards holds about 2^51 in Groceries, as if about 2,250 expenses of
    // 10^12 had been recorded into each (written directly, in the real key shape): each shard within
    // the running totals' limit, the month 2^53 + 1 together, which no double holds (it reads 2^53).
    // limit - spent is then about -2^53 + 10^6: within the carried amounts' check.
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const amount = 2 ** 51 + (shard === 0 ? 1 : 0);
      const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk('2026-11', shard), total: amount, [`c_${groceries!.id}`]: amount, d05_total: amount, [`d05_c_${groceries!.id}`]: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-24`);
    expectProblem(res, 400, ['query.date']);
    // October holds nothing: its summary is answered as ever.
    expect((await summary(budget.id, '2026-10-15')).spent).toBe(0);
  });
});

describe("a rollover budget whose earlier periods' spending passes 2^53 - 1 over the totals shards", () => {
  it('is a 400 naming query.date, never a carriedOver from the rounded sum', async () => {
    await setClock('2026-10-05T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 1_000_000, rollover: true, categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    // October's 4 totals shards hold about 2^51 each (written directly, in the real key shape, as
    // if about 2,250 expenses of 10^12 had been recorded into each): each within the running
    // totals' limit, 2^53 + 1 together, which a double reads as 2^53. November carries
    // 1,000,000 - (2^53 + 1) = -9,007,199,253,740,993: within ±(2^53 - 1), so only the sum
    // read as it was shows the carry is not exact (read rounded, it is one minor unit off).
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const amount = 2 ** 51 + (shard === 0 ? 1 : 0);
      const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk('2026-10', shard), total: amount, uncategorized: amount, d05_total: amount, d05_uncategorized: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    const res = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-24`);
    expectProblem(res, 400, ['query.date']);
  });
});

describe("a month whose totals shards' running sum passes 2^53 - 1 on the way and comes back under it", () => {
  it('answers the exact spending, not one rounded on the way', async () => {
    await setClock('2026-11-24T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 1_000_000, categories: [] });
    // November's totals shards (written directly, in the real key shape): 2^53 - 1 in shard 0,
    // 2 in shard 1, refunds of 5 in shard 2 (each within the running totals' limit): 2^53 - 4
    // spent, a safe integer. Summed in doubles in shard order, 2^53 - 1 + 2 reads 2^53 and the
    // month 2^53 - 5, which looks exact.
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (const [shard, amount] of [[0, Number.MAX_SAFE_INTEGER], [1, 2], [2, -5]] as const) {
      const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk('2026-11', shard), total: amount, uncategorized: amount, d05_total: amount, d05_uncategorized: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    expect(await summary(budget.id, '2026-11-24')).toMatchObject({ spent: 9_007_199_254_740_988, uncategorizedSpent: 9_007_199_254_740_988, remaining: 1_000_000 - 9_007_199_254_740_988 });
    const daily = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/daily-spending?date=2026-11-24`);
    expect(daily.status, daily.text).toBe(200);
    expect(daily.json.period.days[4]).toEqual({ date: '2026-11-05', spent: 9_007_199_254_740_988, cumulative: 9_007_199_254_740_988 });
  });
});

describe("uncategorizedSpent summing removed categories' spending past 2^53 - 1 on the way", () => {
  it('is the exact sum, not one rounded on the way', async () => {
    await setClock('2026-11-24T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 1_000_000, categories: [] });
    // November's totals shards (written directly, in the real key shape): 2^53 - 1 in a category
    // since removed (shard 0), 2 in another removed one (shard 1), refunds of 5 without a category
    // (shard 2): uncategorizedSpent is 2^53 - 4; summed in doubles, the removed ones read 2^53.
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    const items = [
      { shard: 0, total: Number.MAX_SAFE_INTEGER, figure: 'c_01JDREMOVEDCATEGORY0000001', amount: Number.MAX_SAFE_INTEGER },
      { shard: 1, total: 2, figure: 'c_01JDREMOVEDCATEGORY0000002', amount: 2 },
      { shard: 2, total: -5, figure: 'uncategorized', amount: -5 },
    ];
    for (const { shard, total, figure, amount } of items) {
      const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk('2026-11', shard), total, [figure]: amount, d05_total: total, [`d05_${figure}`]: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    expect(await summary(budget.id, '2026-11-24')).toMatchObject({ spent: 9_007_199_254_740_988, uncategorizedSpent: 9_007_199_254_740_988 });
  });
});
