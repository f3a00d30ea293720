import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { expectSuggestionListGuards } from './suggestion-lists';
import { createHarness, type Budget, type Harness, type Team } from './harness';
import { importExpenses } from './seed';

/**
 * GET /v1/budgets/{budgetId}/merchants: payee autocomplete computed on read from the
 * budget's newest expenses. The test clock is 2026-11-24 (UTC budget), so the 180-day window
 * starts on 2026-05-29. Every expectation is written out by hand from the expenses made here.
 */
let h: Harness;
let team: Team;
let food: string;
let home: string;
const path = (budget: { id: string }, query = '') => `/v1/budgets/${budget.id}/merchants${query}`;

async function suggest(query = '', token = team.owner.token) {
  const res = await h.call('GET', path(team.budget, query), { token });
  expect(res.status, res.text).toBe(200);
  return res;
}

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food', 'Home'] });
  [food, home] = team.budget.categories.map((c) => c.id) as [string, string];
  const post = async (body: Record<string, unknown>) => {
    const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: team.editor.token, body });
    expect(res.status, res.text).toBe(201);
  };
  await post({ amount: 450, occurredOn: '2026-11-20', categoryId: food, merchant: 'Café Nero' });
  await post({ amount: 300, occurredOn: '2026-11-10', categoryId: food, merchant: 'CAFE NERO' });
  await post({ amount: 500, occurredOn: '2026-11-01', categoryId: home, merchant: 'cafe  nero' });
  await post({ amount: 3000, occurredOn: '2026-11-18', categoryId: home, merchant: 'Corner Market' });
  // A split expense: counted, but it casts no category vote.
  await post({
    amount: 2000,
    occurredOn: '2026-11-19',
    merchant: 'corner market',
    splits: [
      { categoryId: food, amount: 1500 },
      { categoryId: food, amount: 500 },
    ],
  });
  await post({ amount: 120, occurredOn: '2026-11-21', merchant: 'Bakery' }); // uncategorized
  await post({ amount: 777, occurredOn: '2026-11-22', categoryId: food }); // no merchant
  await importExpenses(h, team.budget, team.owner, [
    { amount: 9000, occurredOn: '2026-10-01', categoryId: home, merchant: 'Nerolac Paints' },
    // The window's first day, and the day before it.
    { amount: 100, occurredOn: '2026-05-29', categoryId: food, merchant: 'Edge Shop' },
    { amount: 100, occurredOn: '2026-05-28', categoryId: food, merchant: 'Old Shop' },
  ]);
});
afterAll(() => h.destroy());

describe('merchant suggestions', () => {
  it('groups by merchant ignoring case, accents and spacing, newest spelling, ordered by count then last use', async () => {
    const res = await suggest();
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    expect(res.json).toEqual({
      items: [
        { merchant: 'Café Nero', count: 3, lastUsedOn: '2026-11-20', lastAmount: 450, categoryId: food },
        // The split expense (the newest, so its spelling and amount) casts no vote: Home from the other.
        { merchant: 'corner market', count: 2, lastUsedOn: '2026-11-19', lastAmount: 2000, categoryId: home },
        { merchant: 'Bakery', count: 1, lastUsedOn: '2026-11-21', lastAmount: 120, categoryId: null },
        { merchant: 'Nerolac Paints', count: 1, lastUsedOn: '2026-10-01', lastAmount: 9000, categoryId: home },
        { merchant: 'Edge Shop', count: 1, lastUsedOn: '2026-05-29', lastAmount: 100, categoryId: food },
      ],
      // 9 expenses dated in the window (one without a merchant; Old Shop's is the day before it).
      window: { from: '2026-05-29', expensesExamined: 9, complete: true },
    });
  });

  it('q: the start of the merchant or of a later word, ignoring case and accents', async () => {
    const names = async (q: string) => (await suggest(`?q=${encodeURIComponent(q)}`)).json.items.map((s: { merchant: string }) => s.merchant);
    expect(await names('cafe')).toEqual(['Café Nero']);
    expect(await names('CAFÉ')).toEqual(['Café Nero']);
    expect(await names('cafe\u0301 n')).toEqual(['Café Nero']);
    expect(await names('nero')).toEqual(['Café Nero', 'Nerolac Paints']);
    expect(await names('MARK')).toEqual(['corner market']);
    expect(await names('ero')).toEqual([]);
    expect(await names('old')).toEqual([]); // outside the window
  });

  it('limit cuts the ordered list', async () => {
    expect((await suggest('?limit=2')).json.items.map((s: { merchant: string }) => s.merchant)).toEqual(['Café Nero', 'corner market']);
    expect((await suggest('?limit=50')).json.items).toHaveLength(5);
  });

  it('any member reads it (a viewer too); a stranger gets 404, no token 401; bad limit or q: 400 naming the field', async () => {
    await expectSuggestionListGuards(h, team, path);
  });
});

describe('the window', () => {
  let budget: Budget;

  beforeAll(async () => {
    budget = await h.createBudget(team.owner, { categories: ['Food'] });
    const cat = budget.categories[0]!.id;
    // Newest first: 5 "New Place" expenses on 2026-11-20..16, then 3 "Old Place" on 11-10..08.
    await importExpenses(h, budget, team.owner, [
      ...[20, 19, 18, 17, 16].map((d) => ({ amount: 100 + d, occurredOn: `2026-11-${d}`, categoryId: cat, merchant: 'New Place' })),
      ...[10, 9, 8].map((d) => ({ amount: 200 + d, occurredOn: `2026-11-${String(d).padStart(2, '0')}`, categoryId: cat, merchant: 'Old Place' })),
    ]);
  });

  it('reads at most the bound (+1 to know it was cut), only the projected attributes, and says it is incomplete', async () => {
    const app = h.expensesAppWith({ merchants: { maxExpenses: 5 } });
    const owner = team.owner;
    const { result: res, sent } = await commandsSentDuring(h.t.doc, () => call(app, 'GET', path(budget), { token: owner.token }));
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      items: [{ merchant: 'New Place', count: 5, lastUsedOn: '2026-11-20', lastAmount: 120, categoryId: budget.categories[0]!.id }],
      window: { from: '2026-11-16', expensesExamined: 5, complete: false },
    });
    const queries = sent.filter((c) => c.name === 'QueryCommand');
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect(q.input).toMatchObject({ IndexName: 'gsi1', ScanIndexForward: false, ProjectionExpression: '#merchant, #categoryId, #amount, #occurredOn, #refund' }); // the refund flag: the bill finder leaves refunds out
    }
    expect(queries.reduce((sum, q) => sum + Number(q.input.Limit), 0)).toBeLessThanOrEqual(6);
    // The access check (one BatchGetItem) and the window's Queries: nothing else, nothing written.
    expect(sent.map((c) => c.name).filter((n) => n !== 'QueryCommand')).toEqual(['BatchGetItemCommand']);
  });

  it('exactly as many as the bound is complete; the days bound leaves older ones out', async () => {
    const atBound = await call(h.expensesAppWith({ merchants: { maxExpenses: 8 } }), 'GET', path(budget), { token: team.owner.token });
    expect(atBound.json.window).toEqual({ from: '2026-05-29', expensesExamined: 8, complete: true });
    expect(atBound.json.items.map((s: { merchant: string; count: number }) => [s.merchant, s.count])).toEqual([
      ['New Place', 5],
      ['Old Place', 3],
    ]);
    // 10 days up to 2026-11-24: from 2026-11-15, so Old Place (11-08..10) is not counted.
    const tenDays = await call(h.expensesAppWith({ merchants: { days: 10 } }), 'GET', path(budget), { token: team.owner.token });
    expect(tenDays.json).toMatchObject({ window: { from: '2026-11-15', expensesExamined: 5, complete: true } });
    expect(tenDays.json.items.map((s: { merchant: string }) => s.merchant)).toEqual(['New Place']);
  });
});
