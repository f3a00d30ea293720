import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * Category groups over HTTP on DynamoDB Local with a fixed clock: the group a category carries
 * (create, PATCH, GET), and the `groups` of the summary, the trends and the forecast, each
 * expected figure worked out here from the amounts posted (never from another answer).
 */
const clock = fixedClock('2026-11-10T12:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const get = async (path: string) => {
  const res = await as(t.app, owner)('GET', path);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

describe('a budget with groups', () => {
  let budgetId: string;
  let version: number;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await setClockFor(t, clock, owner, '2026-10-05T12:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 200_000,
      categories: [
        { name: 'Rent', limit: 90_000, group: '  Bills ' },
        { name: 'Groceries', limit: 40_000, group: 'Everyday' },
        { name: 'Gifts' },
        { name: 'Power', group: 'Bills' },
        { name: 'Transport', limit: 10_000, group: 'Everyday' },
        { name: 'Games', group: 'Fun', limit: null },
      ],
    });
    budgetId = budget.id;
    version = budget.version;
    for (const c of budget.categories as { id: string; name: string }[]) ids[c.name] = c.id;
    // October.
    await addExpense(t.app, owner, budgetId, { amount: 90_000, occurredOn: '2026-10-01', categoryId: ids.Rent });
    await addExpense(t.app, owner, budgetId, { amount: 4_000, occurredOn: '2026-10-03', categoryId: ids.Power });
    await addExpense(t.app, owner, budgetId, { amount: 12_000, occurredOn: '2026-10-04', categoryId: ids.Groceries });
    await addExpense(t.app, owner, budgetId, { amount: 700, occurredOn: '2026-10-05', categoryId: ids.Gifts });
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    // November.
    await addExpense(t.app, owner, budgetId, { amount: 90_000, occurredOn: '2026-11-01', categoryId: ids.Rent });
    await addExpense(t.app, owner, budgetId, { amount: 25_000, occurredOn: '2026-11-02', categoryId: ids.Groceries });
    await addExpense(t.app, owner, budgetId, { amount: 3_500, occurredOn: '2026-11-03', categoryId: ids.Transport });
    await addExpense(t.app, owner, budgetId, { amount: 1_200, occurredOn: '2026-11-04', categoryId: ids.Games });
    await addExpense(t.app, owner, budgetId, { amount: 800, occurredOn: '2026-11-05', categoryId: null });
  });

  it('keeps each category group (trimmed) and returns it wherever the budget is shown', async () => {
    const budget = await get(`/v1/budgets/${budgetId}`);
    expect(budget.categories.map((c: { name: string; group?: string }) => [c.name, c.group])).toEqual([
      ['Rent', 'Bills'],
      ['Groceries', 'Everyday'],
      ['Gifts', undefined],
      ['Power', 'Bills'],
      ['Transport', 'Everyday'],
      ['Games', 'Fun'],
    ]);
    expect(budget.categories[2]).not.toHaveProperty('group');
  });

  it('summary: each group sums its categories, in the order of its first category', async () => {
    const s = await get(`/v1/budgets/${budgetId}/summary`);
    expect(s.categories.map((c: { group: string | null }) => c.group)).toEqual(['Bills', 'Everyday', null, 'Bills', 'Everyday', 'Fun']);
    expect(s.groups).toEqual([
      { name: 'Bills', categoryIds: [ids.Rent, ids.Power], limit: 90_000, spent: 90_000, remaining: 0 },
      { name: 'Everyday', categoryIds: [ids.Groceries, ids.Transport], limit: 40_000 + 10_000, spent: 25_000 + 3_500, remaining: 50_000 - 28_500 },
      { name: 'Fun', categoryIds: [ids.Games], limit: null, spent: 1_200, remaining: null },
    ]);
  });

  it('trends: each period lists its groups, and the range sums and averages them', async () => {
    const tr = await get(`/v1/budgets/${budgetId}/trends?periods=2&date=2026-11-10`);
    const line = (name: string, limit: number | null, spent: number) => ({ name, limit, spent });
    const strip = (gs: { name: string; limit: number | null; spent: number }[]) => gs.map((g) => line(g.name, g.limit, g.spent));
    expect(strip(tr.periods[0].groups)).toEqual([line('Bills', 90_000, 94_000), line('Everyday', 50_000, 12_000), line('Fun', null, 0)]);
    expect(strip(tr.periods[1].groups)).toEqual([line('Bills', 90_000, 90_000), line('Everyday', 50_000, 28_500), line('Fun', null, 1_200)]);
    expect(tr.groups).toEqual([
      { name: 'Bills', categoryIds: [ids.Rent, ids.Power], limit: 2 * 90_000, total: 184_000, average: 92_000 }, // the range's limit: both periods'
      { name: 'Everyday', categoryIds: [ids.Groceries, ids.Transport], limit: 2 * 50_000, total: 40_500, average: 20_250 },
      { name: 'Fun', categoryIds: [ids.Games], limit: null, total: 1_200, average: 600 },
    ]);
  });

  it('forecast: scheduled spending joins its category group', async () => {
    const res = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/recurring-expenses`, {
      body: { amount: 2_000, categoryId: ids.Transport, description: 'Bus pass', schedule: { frequency: 'monthly', startsOn: '2026-11-20' } },
    });
    expect(res.status, res.text).toBe(201);
    const f = await get(`/v1/budgets/${budgetId}/forecast`);
    expect(f.groups).toEqual([
      { name: 'Bills', categoryIds: [ids.Rent, ids.Power], limit: 90_000, spent: 90_000, scheduled: 0, projectedSpent: 90_000, projectedRemaining: 0 },
      { name: 'Everyday', categoryIds: [ids.Groceries, ids.Transport], limit: 50_000, spent: 28_500, scheduled: 2_000, projectedSpent: 30_500, projectedRemaining: 19_500 },
      { name: 'Fun', categoryIds: [ids.Games], limit: null, spent: 1_200, scheduled: 0, projectedSpent: 1_200, projectedRemaining: null },
    ]);
  });

  it('PATCH moves a category to another group; a removed category leaves its group', async () => {
    const categories = [
      { id: ids.Rent, name: 'Rent', limit: 90_000, group: 'Bills' },
      { id: ids.Groceries, name: 'Groceries', limit: 40_000, group: 'Everyday' },
      { id: ids.Gifts, name: 'Gifts', group: 'Fun' },
      // Power is removed; Transport moves from Everyday to Bills; Games leaves its group.
      { id: ids.Transport, name: 'Transport', limit: 10_000, group: 'Bills' },
      { id: ids.Games, name: 'Games', group: null },
    ];
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: { categories }, headers: { 'if-match': `"${version}"` } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.categories.find((c: { id: string }) => c.id === ids.Transport).group).toBe('Bills');
    expect(res.json.categories.find((c: { id: string }) => c.id === ids.Games)).not.toHaveProperty('group');

    const s = await get(`/v1/budgets/${budgetId}/summary`);
    expect(s.groups).toEqual([
      { name: 'Bills', categoryIds: [ids.Rent, ids.Transport], limit: 100_000, spent: 90_000 + 3_500, remaining: 100_000 - 93_500 },
      { name: 'Everyday', categoryIds: [ids.Groceries], limit: 40_000, spent: 25_000, remaining: 15_000 },
      { name: 'Fun', categoryIds: [ids.Gifts], limit: null, spent: 0, remaining: null },
    ]);
    // The removed Power's October spending is uncategorized there now, in no group.
    const october = await get(`/v1/budgets/${budgetId}/summary?date=2026-10-10`);
    expect(october.uncategorizedSpent).toBe(4_000);
    expect(october.groups.find((g: { name: string }) => g.name === 'Bills')).toMatchObject({ spent: 90_000 });
  });
});

describe('validation', () => {
  const create = (categories: unknown[]) => as(t.app, owner)('POST', '/v1/budgets', { body: { name: 'B', limit: 1_000, categories } });

  it.each([
    ['51 characters', 'x'.repeat(51)],
    ['blank', '   '],
    ['not a string', 7],
  ])('refuses a group that is %s, naming categories.0.group', async (_, group) => {
    expectProblem(await create([{ name: 'A', group }]), 400, ['categories.0.group']);
  });

  it('accepts 50 characters', async () => {
    const res = await create([{ name: 'A', group: 'x'.repeat(50) }]);
    expect(res.status, res.text).toBe(201);
  });

  it('refuses two spellings of one group that differ only in case, naming the later one', async () => {
    expectProblem(await create([{ name: 'A', group: 'Bills' }, { name: 'B', group: 'bills' }]), 400, ['categories.1.group']);
  });

  it('refuses a bad group in a PATCH too', async () => {
    const budget = await createBudget(t.app, owner, { categories: [{ name: 'A' }] });
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { categories: [{ id: budget.categories[0]!.id, name: 'A', group: '' }] } });
    expectProblem(res, 400, ['categories.0.group']);
  });
});
