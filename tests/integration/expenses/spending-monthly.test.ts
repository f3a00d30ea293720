import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Harness, type Team } from './harness';

/**
 * GET /v1/budgets/{budgetId}/spending/monthly?merchant=|tag=&from=YYYY-MM&to=YYYY-MM: one merchant's
 * (or tag's) spending month by month, read with the spending breakdown's walk. The test clock is
 * 2026-11-24 and the budget in UTC, so the default range is 2025-12..2026-11. Every expectation is
 * worked out by hand from the expenses made here:
 *
 *   M1 3000 2025-12-15 "Amazon"        [vacation-2026]
 *   M2 1200 2025-12-31 "AMAZON"
 *   M3  800 2026-01-01 "amazon"
 *   M4  500 2026-01-20 "Amazon"        refund (-500)
 *   M5 2501 2026-02-10 "Âmazon"        [Vacation-2026], split 2000 Food + 501 Home
 *   M6  999 2026-03-05 "Amazon Fresh"  (another merchant)
 *   M7  400 2026-01-10 "Bakery"        [vacation-2026]
 *   M8  100 2026-11-03 "Amazon"
 *   M9 7777 2024-11-30 "Amazon"        (before the default range)
 *   M10 9999 2026-02-11 "Amazon"       deleted
 */
let h: Harness;
let team: Team;
const path = (budget: { id: string }, query = '') => `/v1/budgets/${budget.id}/spending/monthly${query}`;

async function monthly(query: string, token = team.owner.token) {
  const res = await h.call('GET', path(team.budget, query), { token });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food', 'Home'] });
  const [food, home] = team.budget.categories.map((c) => c.id) as [string, string];
  const post = async (body: Record<string, unknown>) => {
    const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: team.editor.token, body });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  await post({ amount: 3000, occurredOn: '2025-12-15', categoryId: food, merchant: 'Amazon', tags: ['vacation-2026'] });
  await post({ amount: 1200, occurredOn: '2025-12-31', categoryId: food, merchant: 'AMAZON' });
  await post({ amount: 800, occurredOn: '2026-01-01', categoryId: home, merchant: 'amazon' });
  await post({ amount: 500, occurredOn: '2026-01-20', categoryId: home, merchant: 'Amazon', refund: true });
  await post({
    amount: 2501,
    occurredOn: '2026-02-10',
    merchant: 'Âmazon',
    tags: ['Vacation-2026'],
    splits: [
      { categoryId: food, amount: 2000 },
      { categoryId: home, amount: 501 },
    ],
  });
  await post({ amount: 999, occurredOn: '2026-03-05', categoryId: food, merchant: 'Amazon Fresh' });
  await post({ amount: 400, occurredOn: '2026-01-10', categoryId: food, merchant: 'Bakery', tags: ['vacation-2026'] });
  await post({ amount: 100, occurredOn: '2026-11-03', categoryId: food, merchant: 'Amazon' });
  await post({ amount: 7777, occurredOn: '2024-11-30', categoryId: food, merchant: 'Amazon' });
  const deleted = await post({ amount: 9999, occurredOn: '2026-02-11', categoryId: food, merchant: 'Amazon' });
  const removed = await h.call('DELETE', `/v1/budgets/${team.budget.id}/expenses/${deleted}`, { token: team.owner.token });
  expect(removed.status, removed.text).toBe(204);
});
afterAll(() => h.destroy());

describe('monthly spending of a merchant or a tag', () => {
  it('a merchant across the year edge: spellings folded, a refund lowering its month, a split counted whole, empty months as zeros', async () => {
    expect(await monthly('?merchant=AMAZON&from=2025-11&to=2026-03')).toEqual({
      merchant: 'AMAZON',
      // "Amazon" twice (M1, M4), "AMAZON", "amazon", "Âmazon" once each.
      label: 'Amazon',
      currency: 'USD',
      from: '2025-11',
      to: '2026-03',
      months: [
        { month: '2025-11', spent: 0, count: 0 },
        // M1 + M2: 3000 + 1200.
        { month: '2025-12', spent: 4200, count: 2 },
        // M3 - M4: 800 - 500.
        { month: '2026-01', spent: 300, count: 2 },
        // M5 whole (the deleted M10 not counted).
        { month: '2026-02', spent: 2501, count: 1 },
        // M6 is "Amazon Fresh": another merchant.
        { month: '2026-03', spent: 0, count: 0 },
      ],
      // 4200 + 300 + 2501 = 7001; 7001 / 5 = 1400.2 -> 1400.
      total: 7001,
      count: 5,
      averagePerMonth: 1400,
      firstOn: '2025-12-15',
      lastOn: '2026-02-10',
    });
  });

  it('by default the last 12 months through the current one, read by a viewer', async () => {
    const res = await monthly('?merchant=%20amazon%20', team.viewer.token);
    expect(res).toMatchObject({ from: '2025-12', to: '2026-11', label: 'Amazon', firstOn: '2025-12-15', lastOn: '2026-11-03' });
    expect(res.months).toHaveLength(12);
    expect(res.months[0]).toEqual({ month: '2025-12', spent: 4200, count: 2 });
    expect(res.months[11]).toEqual({ month: '2026-11', spent: 100, count: 1 });
    // M9 (2024-11-30) is before the range. 4200 + 300 + 2501 + 100 = 7101; 7101 / 12 = 591.75 -> 591.
    expect(res).toMatchObject({ total: 7101, count: 6, averagePerMonth: 591 });
  });

  it("one end alone, as the cash flow's range: `from` through the current month, or the 12 months up to `to`", async () => {
    expect(await monthly('?merchant=amazon&from=2026-02')).toMatchObject({ from: '2026-02', to: '2026-11', total: 2601, count: 2, averagePerMonth: 260 });
    // 2025-02..2026-01: M1 + M2 + M3 - M4 = 4500; 4500 / 12 = 375.
    expect(await monthly('?merchant=amazon&to=2026-01')).toMatchObject({ from: '2025-02', to: '2026-01', total: 4500, count: 4, averagePerMonth: 375 });
  });

  it('a tag: its spellings folded, every month listed', async () => {
    expect(await monthly('?tag=VACATION-2026&from=2025-12&to=2026-02')).toEqual({
      tag: 'VACATION-2026',
      // "vacation-2026" twice (M1, M7), "Vacation-2026" once.
      label: 'vacation-2026',
      currency: 'USD',
      from: '2025-12',
      to: '2026-02',
      months: [
        { month: '2025-12', spent: 3000, count: 1 },
        { month: '2026-01', spent: 400, count: 1 },
        { month: '2026-02', spent: 2501, count: 1 },
      ],
      // 5901 / 3 = 1967.
      total: 5901,
      count: 3,
      averagePerMonth: 1967,
      firstOn: '2025-12-15',
      lastOn: '2026-02-10',
    });
  });

  it('nothing matching: zeros, label, firstOn and lastOn null', async () => {
    expect(await monthly('?merchant=Nowhere&from=2026-10&to=2026-11')).toEqual({
      merchant: 'Nowhere',
      label: null,
      currency: 'USD',
      from: '2026-10',
      to: '2026-11',
      months: [
        { month: '2026-10', spent: 0, count: 0 },
        { month: '2026-11', spent: 0, count: 0 },
      ],
      total: 0,
      count: 0,
      averagePerMonth: 0,
      firstOn: null,
      lastOn: null,
    });
  });

  it('24 months at most: 2024-12..2026-11 answers (M9 the day before), 2024-11..2026-11 is a 400 naming from', async () => {
    const longest = await monthly('?merchant=amazon&from=2024-12&to=2026-11');
    expect(longest.months).toHaveLength(24);
    // 7101 / 24 = 295.875 -> 295.
    expect(longest).toMatchObject({ total: 7101, count: 6, averagePerMonth: 295, firstOn: '2025-12-15' });
    expectProblem(await h.call('GET', path(team.budget, '?merchant=amazon&from=2024-11&to=2026-11'), { token: team.owner.token }), 400, ['query.from']);
  });

  it('400s naming the field', async () => {
    const bad = async (query: string, field: string) => expectProblem(await h.call('GET', path(team.budget, query), { token: team.owner.token }), 400, [field]);
    await bad('', 'query.merchant');
    await bad('?merchant=amazon&tag=vacation-2026', 'query.tag');
    await bad('?merchant=%20%20', 'query.merchant');
    await bad('?tag=', 'query.tag');
    // Validated as the list's `?tag=` (a tag is at most 32 characters): a 400, not a series of zeros.
    await bad(`?tag=${'x'.repeat(33)}`, 'query.tag');
    // Ill-formed text as the list's `?merchant=` and this route's `?tag=` refuse it, not a series of zeros.
    for (const merchant of ['%00', 'amazon%00', '%01', 'amazon%7F']) await bad(`?merchant=${merchant}`, 'query.merchant');
    await bad('?merchant=amazon&from=2026-03&to=2026-02', 'query.from');
    await bad('?merchant=amazon&from=2026-13&to=2026-12', 'query.from');
    await bad('?merchant=amazon&from=2026-01-01&to=2026-02', 'query.from');
  });

  it('a stranger and an unknown budget get 404, no token 401', async () => {
    expectProblem(await h.call('GET', path(team.budget, '?merchant=amazon'), { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path({ id: '01JDNOSUCHBUDGET0000000000' }, '?merchant=amazon'), { token: team.owner.token }), 404);
    expectProblem(await h.call('GET', path(team.budget, '?merchant=amazon')), 401);
  });

  it("past the breakdown's bound: 422 naming from; at it the answer, in one Query of the date index", async () => {
    // 2025-11..2026-03 holds M1..M7: 7 expenses (the deleted M10 not in the index).
    const over = await call(h.expensesAppWith({ spending: { maxExpenses: 6 } }), 'GET', path(team.budget, '?merchant=amazon&from=2025-11&to=2026-03'), {
      token: team.owner.token,
    });
    expectProblem(over, 422, ['query.from']);
    expect(over.json.total).toBeUndefined();
    const app = h.expensesAppWith({ spending: { maxExpenses: 7 } });
    const { result: at, sent } = await commandsSentDuring(h.t.doc, () => call(app, 'GET', path(team.budget, '?merchant=amazon&from=2025-11&to=2026-03'), { token: team.owner.token }));
    expect(at.status, at.text).toBe(200);
    expect(at.json).toMatchObject({ total: 7001, count: 5 });
    expect(sent.map((c) => c.name).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    const queries = sent.filter((c) => c.name === 'QueryCommand');
    expect(queries.map((q) => [q.input.IndexName, q.input.Limit])).toEqual([['gsi1', 8]]);
  });

  it('an archived budget is still readable', async () => {
    const archived = await h.call('POST', `/v1/budgets/${team.budget.id}/archive`, { token: team.owner.token });
    expect(archived.status, archived.text).toBe(200);
    expect(await monthly('?merchant=amazon&from=2025-12&to=2025-12', team.viewer.token)).toMatchObject({ total: 4200, count: 2, averagePerMonth: 4200 });
  });
});

describe("months in the budget's time zone", () => {
  it('at 2026-11-30 12:00 UTC it is already December in Kiritimati (UTC+14): the default range ends in 2026-12, in UTC in 2026-11', async () => {
    const z = await createHarness({ clock: fixedClock('2026-11-30T12:00:00Z') });
    try {
      const owner = await z.signup('owner');
      const kiritimati = await z.createBudget(owner, { timezone: 'Pacific/Kiritimati' });
      const utc = await z.createBudget(owner, { timezone: 'UTC' });
      for (const budget of [kiritimati, utc]) {
        const res = await z.call('POST', `/v1/budgets/${budget.id}/expenses`, { token: owner.token, body: { amount: 700, occurredOn: '2026-11-30', merchant: 'Kiosk' } });
        expect(res.status, res.text).toBe(201);
      }
      const there = await z.call('GET', `/v1/budgets/${kiritimati.id}/spending/monthly?merchant=kiosk`, { token: owner.token });
      expect(there.status, there.text).toBe(200);
      // 2026-01..2026-12: November's 700 the 11th month, December (today there) the 12th, empty.
      expect(there.json).toMatchObject({ from: '2026-01', to: '2026-12', total: 700, count: 1, averagePerMonth: 58 });
      expect(there.json.months.slice(10)).toEqual([
        { month: '2026-11', spent: 700, count: 1 },
        { month: '2026-12', spent: 0, count: 0 },
      ]);
      const here = await z.call('GET', `/v1/budgets/${utc.id}/spending/monthly?merchant=kiosk`, { token: owner.token });
      expect(here.status, here.text).toBe(200);
      expect(here.json).toMatchObject({ from: '2025-12', to: '2026-11', total: 700, count: 1 });
    } finally {
      await z.destroy();
    }
  });
});
