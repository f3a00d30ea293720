import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * GET /v1/budgets/{id}/daily-spending through HTTP on DynamoDB Local, with a fixed clock
 * (2026-11-10, a Tuesday, in UTC). Every expected day below is worked out by hand from the
 * expenses recorded here.
 */
const clock = fixedClock('2026-11-10T12:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const dailyRes = (budgetId: string, query = '', who: Account = owner) => as(t.app, who)('GET', `/v1/budgets/${budgetId}/daily-spending${query}`);

const daily = async (budgetId: string, query = '', who: Account = owner) => {
  const res = await dailyRes(budgetId, query, who);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

/** `count` days from `first` (a month's day 1..), all without spending, each with the running sum `cumulative`. */
const quiet = (month: string, fromDay: number, toDay: number, cumulative: number) =>
  Array.from({ length: toDay - fromDay + 1 }, (_, i) => ({ date: `${month}-${String(fromDay + i).padStart(2, '0')}`, spent: 0, cumulative }));

describe('GET /daily-spending of a monthly budget', () => {
  let budgetId: string;
  let groceries: string;
  let transport: string;

  beforeAll(async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 100_000, categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }] });
    budgetId = budget.id;
    groceries = budget.categories[0]!.id;
    transport = budget.categories[1]!.id;
    await addExpense(t.app, owner, budgetId, { amount: 6_000, occurredOn: '2026-10-02', categoryId: groceries });
    await addExpense(t.app, owner, budgetId, { amount: 1_000, occurredOn: '2026-10-31' });
    await addExpense(t.app, owner, budgetId, { amount: 8_500, occurredOn: '2026-11-01', categoryId: transport });
    await addExpense(t.app, owner, budgetId, { amount: 4_000, occurredOn: '2026-11-02', categoryId: groceries });
    const split = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses`, {
      body: { amount: 3_000, occurredOn: '2026-11-02', splits: [{ categoryId: groceries, amount: 2_000 }, { categoryId: transport, amount: 1_000 }] },
    });
    expect(split.status, split.text).toBe(201);
    // Groceries' limit in November only (per-period limits): 35,000 instead of 40,000.
    const set = await as(t.app, owner)('PUT', `/v1/budgets/${budgetId}/period-limits`, { body: { categoryId: groceries, limit: 35_000, date: '2026-11-05' } });
    expect(set.status, set.text).toBe(200);
  });

  it('lists this period day by day up to today and every day of the previous one, with running sums', async () => {
    const body = await daily(budgetId);
    expect(body.budgetId).toBe(budgetId);
    expect(body.currency).toBe('USD');
    expect(body.categoryId).toBeUndefined();
    expect(body.period).toEqual({
      start: '2026-11-01',
      end: '2026-11-30',
      limit: 100_000,
      spent: 15_500,
      days: [{ date: '2026-11-01', spent: 8_500, cumulative: 8_500 }, { date: '2026-11-02', spent: 7_000, cumulative: 15_500 }, ...quiet('2026-11', 3, 10, 15_500)],
    });
    expect(body.previous).toEqual({
      start: '2026-10-01',
      end: '2026-10-31',
      limit: 100_000,
      spent: 7_000,
      days: [
        { date: '2026-10-01', spent: 0, cumulative: 0 },
        { date: '2026-10-02', spent: 6_000, cumulative: 6_000 },
        ...quiet('2026-10', 3, 30, 6_000),
        { date: '2026-10-31', spent: 1_000, cumulative: 7_000 },
      ],
    });
  });

  it("gives one category's figures, split parts in their own categories, with its limit in each period", async () => {
    const food = await daily(budgetId, `?categoryId=${groceries}`);
    expect(food.categoryId).toBe(groceries);
    expect(food.period.limit).toBe(35_000);
    expect(food.previous.limit).toBe(40_000);
    expect(food.period.days.slice(0, 2)).toEqual([
      { date: '2026-11-01', spent: 0, cumulative: 0 },
      { date: '2026-11-02', spent: 6_000, cumulative: 6_000 },
    ]);
    expect(food.period.spent).toBe(6_000);
    expect(food.previous.spent).toBe(6_000);
    const travel = await daily(budgetId, `?categoryId=${transport}`);
    expect(travel.period.limit).toBeNull();
    expect(travel.period.days.slice(0, 2)).toEqual([
      { date: '2026-11-01', spent: 8_500, cumulative: 8_500 },
      { date: '2026-11-02', spent: 1_000, cumulative: 9_500 },
    ]);
    expect(travel.previous.spent).toBe(0);
  });

  it('lists every day of a period that has ended, and none of one that has not started', async () => {
    const october = await daily(budgetId, '?date=2026-10-15');
    expect(october.period.start).toBe('2026-10-01');
    expect(october.period.days).toHaveLength(31);
    expect(october.period.spent).toBe(7_000);
    expect(october.previous).toEqual({ start: '2026-09-01', end: '2026-09-30', limit: 100_000, spent: 0, days: quiet('2026-09', 1, 30, 0) });
    const december = await daily(budgetId, '?date=2026-12-05');
    expect(december.period).toEqual({ start: '2026-12-01', end: '2026-12-31', limit: 100_000, spent: 0, days: [] });
    expect(december.previous.days).toHaveLength(30);
    expect(december.previous.spent).toBe(15_500);
  });

  it('costs the access read and ONE Query of the running totals', async () => {
    const { result, commands } = await commandsSentDuring(t.doc, () => dailyRes(budgetId));
    expect(result.status).toBe(200);
    expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
  });

  it('answers any member, viewers included, and 404 to others; bad input is a 400 naming it', async () => {
    const viewer = await signup(t.app, 'viewer');
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    expect((await daily(budgetId, '', viewer)).period.spent).toBe(15_500);
    const stranger = await signup(t.app, 'stranger');
    expectProblem(await dailyRes(budgetId, '', stranger), 404);
    expectProblem(await dailyRes(budgetId, '?categoryId=01JDQ4V8M8A1B2C3D4E5F6G7H8'), 400, ['query.categoryId']);
    expectProblem(await dailyRes(budgetId, '?date=2026-13-01'), 400, ['query.date']);
    expectProblem(await dailyRes(budgetId, '?days=7'), 400);
  });
});

describe('GET /daily-spending?categoryId=uncategorized', () => {
  it("gives the summary's uncategorized line: no category, split parts without one, then a removed category's spending; no limit", async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 50_000, categories: [{ name: 'Food', limit: 20_000 }, { name: 'Gone' }] });
    const food = budget.categories[0]!.id;
    const gone = budget.categories[1]!.id;
    await addExpense(t.app, owner, budget.id, { amount: 700, occurredOn: '2026-10-05' });
    await addExpense(t.app, owner, budget.id, { amount: 900, occurredOn: '2026-10-05', categoryId: food });
    await addExpense(t.app, owner, budget.id, { amount: 250, occurredOn: '2026-11-01' });
    const split = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/expenses`, {
      body: { amount: 2_000, occurredOn: '2026-11-03', splits: [{ categoryId: food, amount: 1_500 }, { categoryId: null, amount: 500 }] },
    });
    expect(split.status, split.text).toBe(201);
    await addExpense(t.app, owner, budget.id, { amount: 1_100, occurredOn: '2026-11-04', categoryId: gone });
    await addExpense(t.app, owner, budget.id, { amount: 50, occurredOn: '2026-11-04' });

    // Gone is still a category: its 1,100 is not uncategorized. Nov: 250 (1st), 500 (3rd), 50 (4th).
    const before = await daily(budget.id, '?categoryId=uncategorized');
    expect(before.categoryId).toBe('uncategorized');
    expect(before.period).toEqual({
      start: '2026-11-01',
      end: '2026-11-30',
      limit: null,
      spent: 800,
      days: [
        { date: '2026-11-01', spent: 250, cumulative: 250 },
        { date: '2026-11-02', spent: 0, cumulative: 250 },
        { date: '2026-11-03', spent: 500, cumulative: 750 },
        { date: '2026-11-04', spent: 50, cumulative: 800 },
        ...quiet('2026-11', 5, 10, 800),
      ],
    });
    expect(before.previous).toEqual({
      start: '2026-10-01',
      end: '2026-10-31',
      limit: null,
      spent: 700,
      days: [...quiet('2026-10', 1, 4, 0), { date: '2026-10-05', spent: 700, cumulative: 700 }, ...quiet('2026-10', 6, 31, 700)],
    });

    // Gone removed: its 1,100 on the 4th counts as uncategorized, as in the summary.
    const removed = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { categories: [{ id: food, name: 'Food', limit: 20_000 }] } });
    expect(removed.status, removed.text).toBe(200);
    const after = await daily(budget.id, '?categoryId=uncategorized');
    expect(after.period.days.slice(2, 5)).toEqual([
      { date: '2026-11-03', spent: 500, cumulative: 750 },
      { date: '2026-11-04', spent: 1_150, cumulative: 1_900 },
      { date: '2026-11-05', spent: 0, cumulative: 1_900 },
    ]);
    expect(after.period.spent).toBe(1_900);
    expect(after.previous.spent).toBe(700);
    const summary = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary`);
    expect(summary.json.uncategorizedSpent).toBe(1_900);
    // Food's line is unchanged by it: 1,500 on the 3rd.
    expect((await daily(budget.id, `?categoryId=${food}`)).period.spent).toBe(1_500);

    const { result, commands } = await commandsSentDuring(t.doc, () => dailyRes(budget.id, '?categoryId=uncategorized'));
    expect(result.status).toBe(200);
    expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    // The removed category is no longer one of the budget's; any other word is not `uncategorized`.
    expectProblem(await dailyRes(budget.id, `?categoryId=${gone}`), 400, ['query.categoryId']);
    expectProblem(await dailyRes(budget.id, '?categoryId=Uncategorized'), 400, ['query.categoryId']);
    expectProblem(await dailyRes(budget.id, '?categoryId=none'), 400, ['query.categoryId']);
  });
});

describe('GET /daily-spending with an expense dated ahead', () => {
  it("lists this period up to that expense's day, so that `spent` is the summary's", async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { categories: [] });
    await addExpense(t.app, owner, budget.id, { amount: 300, occurredOn: '2026-11-04' });
    await addExpense(t.app, owner, budget.id, { amount: 1_200, occurredOn: '2026-11-20' });
    const body = await daily(budget.id);
    expect(body.period.days).toHaveLength(20);
    expect(body.period.days.at(-1)).toEqual({ date: '2026-11-20', spent: 1_200, cumulative: 1_500 });
    expect(body.period.spent).toBe(1_500);
    const summary = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary`);
    expect(summary.json.spent).toBe(body.period.spent);
  });
});

describe('GET /daily-spending of a weekly budget', () => {
  it('compares this ISO week with the one before', async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'weekly', limit: 5_000, categories: [] });
    await addExpense(t.app, owner, budget.id, { amount: 500, occurredOn: '2026-11-03' });
    await addExpense(t.app, owner, budget.id, { amount: 700, occurredOn: '2026-11-09' });
    await addExpense(t.app, owner, budget.id, { amount: 700, occurredOn: '2026-11-10' });
    // Sunday 2026-11-08 ends the previous week: not in this one.
    await addExpense(t.app, owner, budget.id, { amount: 900, occurredOn: '2026-11-08' });
    const body = await daily(budget.id);
    expect(body.period).toEqual({
      start: '2026-11-09',
      end: '2026-11-15',
      limit: 5_000,
      spent: 1_400,
      days: [
        { date: '2026-11-09', spent: 700, cumulative: 700 },
        { date: '2026-11-10', spent: 700, cumulative: 1_400 },
      ],
    });
    expect(body.previous).toEqual({
      start: '2026-11-02',
      end: '2026-11-08',
      limit: 5_000,
      spent: 1_400,
      days: [
        { date: '2026-11-02', spent: 0, cumulative: 0 },
        { date: '2026-11-03', spent: 500, cumulative: 500 },
        ...quiet('2026-11', 4, 7, 500).map((d) => ({ ...d, date: `2026-11-0${d.date.slice(-1)}` })),
        { date: '2026-11-08', spent: 900, cumulative: 1_400 },
      ],
    });
  });
});

describe("GET /daily-spending with a day's spending past 2^53 - 1 over the totals shards", () => {
  it('is a 400 naming query.date, also when refunds earlier in the period keep every running sum safe', async () => {
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 100_000, categories: [] });
    // November's 4 totals shards (written directly, in the real key shape): refunds of about
    // 2^51 each on the 2nd (2^53 - 3 together), purchases of about 2^51 each on the 3rd (2^53 + 1
    // together, which a double reads as 2^53); each shard's month is within the running totals'
    // limit, and so is the month's (4). The running sums read -(2^53 - 3) and 3: both safe, the
    // second one minor unit short.
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const refunds = -(2 ** 51) + (shard === 0 ? 3 : 0);
      const purchases = 2 ** 51 + (shard === 0 ? 1 : 0);
      const Item = {
        pk: keys.totalsPk(budget.id),
        sk: keys.monthSk('2026-11', shard),
        total: refunds + purchases,
        uncategorized: refunds + purchases,
        d02_total: refunds,
        d02_uncategorized: refunds,
        d03_total: purchases,
        d03_uncategorized: purchases,
      };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    expectProblem(await dailyRes(budget.id), 400, ['query.date']);
  });
});
