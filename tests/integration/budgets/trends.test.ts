import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * GET /v1/budgets/{id}/trends against real expenses recorded through HTTP, on DynamoDB Local
 * with a fixed clock. Every expected figure is worked out here by hand from the expenses
 * written; each period is also compared with GET /summary for a day of it (the trend must
 * give exactly the summary's numbers).
 */
const clock = fixedClock('2026-11-24T12:00:00Z'); // a Tuesday
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);

const trendsRes = (budgetId: string, query = '', who: Account = owner) => as(t.app, who)('GET', `/v1/budgets/${budgetId}/trends${query}`);

const trends = async (budgetId: string, query = '', who: Account = owner) => {
  const res = await trendsRes(budgetId, query, who);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

/** GET /summary of the period containing `date`, as a trend lists it (no thresholds, no category `remaining`). */
async function summaryAsTrendPeriod(budgetId: string, date: string) {
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=${date}`);
  expect(res.status, res.text).toBe(200);
  const s = res.json;
  return {
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    limit: s.limit,
    carriedOver: s.carriedOver,
    available: s.available,
    spent: s.spent,
    remaining: s.remaining,
    categories: s.categories.map(({ categoryId, name, limit, group, spent }: Record<string, unknown>) => ({ categoryId, name, limit, group, spent })),
    groups: s.groups.map(({ name, categoryIds, limit, spent }: Record<string, unknown>) => ({ name, categoryIds, limit, spent })),
    uncategorizedSpent: s.uncategorizedSpent,
  };
}

type Cat = { categoryId: string; name: string; limit: number | null; group: string | null; spent: number };

describe('a monthly budget: split expenses, a removed category, an added one, empty and backdated months', () => {
  let budgetId: string;
  let groceries: string;
  let transport: string;
  let books: string;

  beforeAll(async () => {
    await setClock('2026-08-10T09:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }, { name: 'Gym', limit: 5_000 }],
    });
    budgetId = budget.id;
    [groceries, transport] = budget.categories.map((c: { id: string }) => c.id) as [string, string];
    const gym = budget.categories[2]!.id;
    await setClock('2026-11-24T12:00:00Z');
    const expenses = [
      { amount: 8_888, occurredOn: '2026-05-31' }, // before the six months asked: never listed
      { amount: 500, occurredOn: '2026-06-15' }, // June, before the budget was created (backdated)
      // July: nothing.
      { amount: 3_000, occurredOn: '2026-08-05', categoryId: groceries },
      { amount: 1_200, occurredOn: '2026-08-31', categoryId: transport },
      { amount: 2_000, occurredOn: '2026-09-30', categoryId: gym },
      { amount: 4_000, occurredOn: '2026-10-15', categoryId: gym },
      { amount: 700, occurredOn: '2026-11-01', categoryId: groceries },
      { amount: 103, occurredOn: '2026-11-30' },
      { amount: 9_999, occurredOn: '2026-12-01' }, // after the month asked: never listed
    ];
    for (const e of expenses) await addExpense(t.app, owner, budgetId, e);
    // One split expense on 1 September: 3,500 groceries, 1,000 transport, 500 uncategorized.
    const split = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses`, {
      body: {
        amount: 5_000,
        occurredOn: '2026-09-01',
        splits: [
          { categoryId: groceries, amount: 3_500 },
          { categoryId: transport, amount: 1_000 },
          { categoryId: null, amount: 500 },
        ],
      },
    });
    expect(split.status, split.text).toBe(201);
    // Gym is removed (its 6,000 now counts as uncategorized, as in the summary) and Books added.
    const changed = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, {
      body: { categories: [{ id: groceries, name: 'Groceries', limit: 40_000 }, { id: transport, name: 'Transport' }, { name: 'Books' }] },
    });
    expect(changed.status, changed.text).toBe(200);
    books = changed.json.categories[2].id;
  });

  /** A period of this budget (limit 100,000, no rollover) with its Groceries, Transport and Books spending. */
  const month = (start: string, end: string, spent: number, [g, tr]: [number, number], uncategorizedSpent: number) => ({
    periodStart: start,
    periodEnd: end,
    limit: 100_000,
    carriedOver: 0,
    available: 100_000,
    spent,
    remaining: 100_000 - spent,
    categories: [
      { categoryId: groceries, name: 'Groceries', limit: 40_000, group: null, spent: g },
      { categoryId: transport, name: 'Transport', limit: null, group: null, spent: tr },
      { categoryId: books, name: 'Books', limit: null, group: null, spent: 0 },
    ] satisfies Cat[],
    groups: [],
    uncategorizedSpent,
  });

  it('lists the six months ending with today by default, oldest first, with totals and averages', async () => {
    const got = await trends(budgetId); // today: 2026-11-24
    expect(got).toEqual({
      period: 'monthly',
      from: '2026-06-01',
      to: '2026-11-30',
      // 500 + 0 + 4,200 + 7,000 + 4,000 + 803 = 16,503; / 6 = 2,750.5, a half: away from zero.
      total: 16_503,
      average: 2_751,
      periods: [
        month('2026-06-01', '2026-06-30', 500, [0, 0], 500),
        month('2026-07-01', '2026-07-31', 0, [0, 0], 0),
        month('2026-08-01', '2026-08-31', 4_200, [3_000, 1_200], 0),
        // The split counts per part; Gym's 2,000 (removed) is uncategorized: 500 + 2,000.
        month('2026-09-01', '2026-09-30', 7_000, [3_500, 1_000], 2_500),
        month('2026-10-01', '2026-10-31', 4_000, [0, 0], 4_000),
        month('2026-11-01', '2026-11-30', 803, [700, 0], 103),
      ],
      categories: [
        { categoryId: groceries, name: 'Groceries', limit: 6 * 40_000, group: null, total: 7_200, average: 1_200 }, // the range's limit: six periods' 40,000
        { categoryId: transport, name: 'Transport', limit: null, group: null, total: 2_200, average: 367 }, // 366.67
        { categoryId: books, name: 'Books', limit: null, group: null, total: 0, average: 0 },
      ],
      groups: [],
      uncategorized: { total: 7_103, average: 1_184 }, // 500 + 2,500 + 4,000 + 103; 1,183.83
    });
  });

  it('gives each period exactly what the summary gives for it', async () => {
    const got = await trends(budgetId, '?periods=6&date=2026-11-24');
    for (const period of got.periods) expect(period).toEqual(await summaryAsTrendPeriod(budgetId, period.periodStart));
  });

  it('ends with the period containing `date`; periods=1 is that period alone', async () => {
    const two = await trends(budgetId, '?periods=2&date=2026-09-10');
    expect(two).toMatchObject({ from: '2026-08-01', to: '2026-09-30', total: 11_200, average: 5_600, uncategorized: { total: 2_500, average: 1_250 } });
    expect(two.periods.map((p: { periodStart: string }) => p.periodStart)).toEqual(['2026-08-01', '2026-09-01']);
    expect(two.categories.map((c: { total: number; average: number }) => [c.total, c.average])).toEqual([
      [6_500, 3_250],
      [2_200, 1_100],
      [0, 0],
    ]);
    const one = await trends(budgetId, '?periods=1&date=2026-12-01');
    expect(one).toMatchObject({ from: '2026-12-01', to: '2026-12-31', total: 9_999, average: 9_999, uncategorized: { total: 9_999, average: 9_999 } });
    expect(one.periods).toHaveLength(1);
  });

  it('reads the account, budget and membership in one BatchGetItem, then ONE Query of the running totals', async () => {
    const { result, commands, sent } = await commandsSentDuring(t.doc, () => trendsRes(budgetId, '?periods=24&date=2026-11-24'));
    expect(result.status, result.text).toBe(200);
    expect(result.json.periods).toHaveLength(24);
    expect(result.json.from).toBe('2024-12-01');
    expect(result.json.total).toBe(16_503 + 8_888);
    expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    const totals = sent.find((c) => c.name === 'QueryCommand')!;
    expect(totals.input).toMatchObject({ ConsistentRead: true });
    const bounds = totals.input.ExpressionAttributeValues as Record<string, string>;
    expect(bounds[':lo']).toContain('#2024-12');
    expect(bounds[':hi']).toContain('#2026-11');
  });
});

describe('a weekly budget with rollover', () => {
  it('lists ISO weeks with the carried-over amounts of the summary; a week before the first one carries nothing', async () => {
    // Monday 16 Nov 2026: the first week is 16..22 Nov. Weeks asked: 9..15 Nov (before it) to 7..13 Dec.
    await setClock('2026-11-16T09:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'weekly', limit: 10_000, rollover: true, categories: [{ name: 'Food' }] });
    const food = budget.categories[0]!.id;
    await setClock('2026-12-20T12:00:00Z');
    const expenses = [
      { amount: 4_000, occurredOn: '2026-11-15' }, // week 0 (Sunday), before the first week
      { amount: 1_000, occurredOn: '2026-11-16', categoryId: food }, // week 1
      // week 2: nothing
      { amount: 3_000, occurredOn: '2026-11-30', categoryId: food }, // week 3, November side
      { amount: 703, occurredOn: '2026-12-13' }, // week 4 (Sunday)
      { amount: 9_000, occurredOn: '2026-12-14' }, // week 5: after the asked week
    ];
    for (const e of expenses) await addExpense(t.app, owner, budget.id, e);
    // Week 3, December side: a split of 5,000, 2,000 food and 3,000 uncategorized.
    const split = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/expenses`, {
      body: { amount: 5_000, occurredOn: '2026-12-06', splits: [{ categoryId: food, amount: 2_000 }, { categoryId: null, amount: 3_000 }] },
    });
    expect(split.status, split.text).toBe(201);

    const week = (start: string, end: string, carriedOver: number, spent: number, foodSpent: number, uncategorizedSpent: number) => ({
      periodStart: start,
      periodEnd: end,
      limit: 10_000,
      carriedOver,
      available: 10_000 + carriedOver,
      spent,
      remaining: 10_000 + carriedOver - spent,
      categories: [{ categoryId: food, name: 'Food', limit: null, group: null, spent: foodSpent }],
      groups: [],
      uncategorizedSpent,
    });
    const { result, commands, sent } = await commandsSentDuring(t.doc, () => trendsRes(budget.id, '?periods=5&date=2026-12-09'));
    expect(result.status, result.text).toBe(200);
    expect(result.json).toEqual({
      period: 'weekly',
      from: '2026-11-09',
      to: '2026-12-13',
      total: 13_703, // 4,000 + 1,000 + 0 + 8,000 + 703; / 5 = 2,740.6
      average: 2_741,
      periods: [
        week('2026-11-09', '2026-11-15', 0, 4_000, 0, 4_000),
        week('2026-11-16', '2026-11-22', 0, 1_000, 1_000, 0),
        week('2026-11-23', '2026-11-29', 9_000, 0, 0, 0), // 10,000 - 1,000
        week('2026-11-30', '2026-12-06', 19_000, 8_000, 5_000, 3_000), // 2 x 10,000 - 1,000
        week('2026-12-07', '2026-12-13', 21_000, 703, 0, 703), // 3 x 10,000 - 9,000
      ],
      categories: [{ categoryId: food, name: 'Food', limit: null, group: null, total: 6_000, average: 1_200 }],
      groups: [],
      uncategorized: { total: 7_703, average: 1_541 }, // 1,540.6
    });
    for (const period of result.json.periods) expect(period).toEqual(await summaryAsTrendPeriod(budget.id, period.periodEnd));
    // One Query of November..December serves the five weeks and what each carries.
    expect([...commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    const bounds = sent.find((c) => c.name === 'QueryCommand')!.input.ExpressionAttributeValues as Record<string, string>;
    expect(bounds[':lo']).toContain('#2026-11');
    expect(bounds[':hi']).toContain('#2026-12');
  });

  it('refuses, as the summary does, a date whose carried-over amount would pass 2^53 - 1 (naming query.date)', async () => {
    await setClock('2026-11-24T12:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'weekly', limit: 1_000_000_000_000, rollover: true, categories: [] });
    // About 14,000 weeks after creation: 14,000 x 10^12 > 2^53 - 1 (about 9.007 x 10^15).
    expectProblem(await trendsRes(budget.id, '?periods=3&date=2300-01-01'), 400, ['query.date']);
    expectProblem(await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/summary?date=2300-01-01`), 400, ['query.date']);
    // Near its creation the same budget is fine.
    expect((await trends(budget.id, '?periods=3&date=2026-12-01')).periods[2].carriedOver).toBe(1_000_000_000_000);
  });
});

describe('GET /trends access and validation', () => {
  let budgetId: string;

  beforeAll(async () => {
    await setClock('2026-11-24T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, categories: [] });
    budgetId = budget.id;
    await addExpense(t.app, owner, budgetId, { amount: 1_234, occurredOn: '2026-11-02' });
  });

  it('is readable by a viewer; a stranger and an unknown budget get 404', async () => {
    const viewer = await signup(t.app, 'viewer');
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    expect(await trends(budgetId, '?periods=2', viewer)).toMatchObject({ from: '2026-10-01', to: '2026-11-30', total: 1_234, average: 617 });
    const stranger = await signup(t.app, 'stranger');
    expectProblem(await trendsRes(budgetId, '', stranger), 404);
    expectProblem(await trendsRes('01JDQ4V8M7ZK3X9A2B5C6D7E8F'), 404);
  });

  it.each(['0', '25', '-1', '1.5', 'abc', '', '6&periods=7', '1e1', '0x3'])('refuses periods=%s with a problem naming query.periods', async (periods) => {
    expectProblem(await trendsRes(budgetId, `?periods=${periods}`), 400, ['query.periods']);
  });

  it('accepts the bounds, 1 and 24', async () => {
    expect((await trends(budgetId, '?periods=1')).periods).toHaveLength(1);
    expect((await trends(budgetId, '?periods=24')).periods).toHaveLength(24);
  });

  it.each(['2026-02-30', '2026-1-05', 'tomorrow', '', '0001-01-01'])('refuses date=%s with a problem naming query.date', async (date) => {
    expectProblem(await trendsRes(budgetId, `?periods=3&date=${date}`), 400, ['query.date']);
  });

  it('refuses an unknown query parameter, naming it', async () => {
    expectProblem(await trendsRes(budgetId, '?periods=3&from=2026-01-01'), 400, ['query.from']);
  });
});
