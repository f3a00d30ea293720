import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, readCostDuring } from '../../support/sent-commands';
import { createHarness, type Harness, type Team } from './harness';
import { importExpenses, seedExpenses, type ImportedBody } from './seed';

/**
 * GET /v1/budgets/{budgetId}/rules/suggestions: categorization rules learnt from how the members
 * file merchants, computed on read from the budget's newest expenses. The test clock is
 * 2026-11-24T12:00Z (UTC budget), so the 180-day window starts on 2026-05-29. Every expectation
 * is written out by hand from the expenses made here. The rules themselves: domain/rule-suggestions.test.ts.
 */
let h: Harness;
let team: Team;
let groceries: string;
let fun: string;
let coffee: string;
const path = (budget: { id: string }, query = '') => `/v1/budgets/${budget.id}/rules/suggestions${query}`;

async function suggest(token = team.owner.token, query = '') {
  const res = await h.call('GET', path(team.budget, query), { token });
  expect(res.status, res.text).toBe(200);
  return res;
}

const filed = (merchant: string, categoryId: string, dates: string[]): ImportedBody[] => dates.map((occurredOn) => ({ amount: 1500, occurredOn, categoryId, merchant }));

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Fun', 'Coffee'] });
  [groceries, fun, coffee] = team.budget.categories.map((c) => c.id) as [string, string, string];
  await importExpenses(h, team.budget, team.editor, [
    // 4 of 5 in Groceries (80%): suggested, spelled as most of them.
    ...filed('Tesco', groceries, ['2026-11-20', '2026-11-10', '2026-11-03']),
    { amount: 1500, occurredOn: '2026-11-18', categoryId: fun, merchant: 'TESCO' },
    { amount: 1500, occurredOn: '2026-10-27', categoryId: groceries, merchant: 'tesco' },
    // One merchant, case and accents aside: 3 of 3 in Coffee.
    ...filed('Café Nero', coffee, ['2026-11-19', '2026-11-05']),
    { amount: 1500, occurredOn: '2026-11-12', categoryId: coffee, merchant: 'CAFE NERO' },
    // 3 of 5 (60%): not consistent enough.
    ...filed('Lidl', groceries, ['2026-11-21', '2026-11-14', '2026-11-07']),
    ...filed('Lidl', fun, ['2026-11-17', '2026-11-09']),
    // 2 expenses: too few.
    ...filed('Aldi', groceries, ['2026-11-22', '2026-11-15']),
    // Consistent, but a rule files it already (made below).
    ...filed('Pret A Manger', coffee, ['2026-11-16', '2026-11-08', '2026-11-01']),
    // Consistent, but before the window's first day (2026-05-29).
    ...filed('Shell', fun, ['2026-05-10', '2026-05-18', '2026-05-28']),
  ]);
  // A refund and a split expense at Tesco are not counted: counted, the refund in Fun would make it 4 of 6.
  await seedExpenses(h, team.budget, team.editor, [
    { amount: 500, occurredOn: '2026-11-21', categoryId: fun, merchant: 'Tesco', refund: true },
    { amount: 900, occurredOn: '2026-11-23', merchant: 'Tesco', splits: [{ categoryId: fun, amount: 600 }, { categoryId: coffee, amount: 300 }] },
  ]);
  const rule = await h.call('POST', `/v1/budgets/${team.budget.id}/rules`, { token: team.owner.token, body: { merchant: { contains: 'pret' }, categoryId: coffee } });
  expect(rule.status, rule.text).toBe(201);
});
afterAll(() => h.destroy());

describe('categorization rule suggestions', () => {
  it('suggests the merchants filed 80% alike with 3 expenses or more, not those a rule handles, most expenses first', async () => {
    const res = await suggest();
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    expect(res.json).toEqual({
      items: [
        { merchant: 'Tesco', categoryId: groceries, expenses: 5, share: 80, lastOn: '2026-11-20', rule: { merchant: { equals: 'Tesco' }, categoryId: groceries } },
        { merchant: 'Café Nero', categoryId: coffee, expenses: 3, share: 100, lastOn: '2026-11-19', rule: { merchant: { equals: 'Café Nero' }, categoryId: coffee } },
      ],
      // Tesco 7 (the refund and the split included), Café Nero 3, Lidl 5, Aldi 2, Pret 3; not Shell.
      window: { from: '2026-05-29', expensesExamined: 20, complete: true },
    });
    expect((await suggest(team.owner.token, '?limit=1')).json.items.map((s: { merchant: string }) => s.merchant)).toEqual(['Tesco']);
  });

  it('any member reads it (a viewer too); a stranger or no such budget 404, no token 401, a bad limit 400 naming query.limit', async () => {
    const owner = (await suggest()).json;
    expect((await suggest(team.viewer.token)).json).toEqual(owner);
    expect((await suggest(team.editor.token)).json).toEqual(owner);
    expectProblem(await h.call('GET', path(team.budget), { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path({ id: '01JDNOSUCHBUDGET0000000000' }), { token: team.owner.token }), 404);
    expectProblem(await h.call('GET', path(team.budget)), 401);
    for (const limit of ['0', '51', 'abc', '']) {
      expectProblem(await h.call('GET', path(team.budget, `?limit=${limit}`), { token: team.owner.token }), 400, ['query.limit']);
    }
    expectProblem(await h.call('GET', path(team.budget, '?cursor=x'), { token: team.owner.token }), 400);
  });

  it('reads the access, the window (projected, bounded) and the rules in one Query; writes nothing; a cut window says so', async () => {
    const app = h.expensesAppWith({ ruleSuggestions: { maxExpenses: 4 } });
    const { result: res, sent } = await commandsSentDuring(h.t.doc, () => call(app, 'GET', path(team.budget), { token: team.viewer.token }));
    expect(res.status, res.text).toBe(200);
    // The newest 4: Tesco's split 11-23, Aldi 11-22, Lidl and Tesco's refund 11-21: nothing counted 3 times.
    expect(res.json).toEqual({ items: [], window: { from: '2026-11-21', expensesExamined: 4, complete: false } });
    const windowQueries = sent.filter((c) => c.name === 'QueryCommand' && c.input.IndexName === 'gsi1');
    for (const q of windowQueries) expect(q.input).toMatchObject({ ScanIndexForward: false, ProjectionExpression: '#merchant, #categoryId, #amount, #occurredOn, #refund' });
    expect(windowQueries.reduce((sum, q) => sum + Number(q.input.Limit), 0)).toBeLessThanOrEqual(5);
    // The access BatchGetItem, the window, and ONE Query of the rules; nothing written.
    expect(sent.map((c) => c.name).sort()).toEqual(['BatchGetItemCommand', ...windowQueries.map(() => 'QueryCommand'), 'QueryCommand']);
  });

  it('costs about 0.09 RCU an expense of the window (measured, packages/expenses/docs/rules.md "What one call costs")', async () => {
    // Another budget: 300 imported expenses inside the window, 12 merchants.
    const busy = await h.team({ categories: ['Groceries'] });
    const category = busy.budget.categories[0]!.id;
    const days = (i: number) => `2026-${String(6 + Math.floor(i / 60)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    await importExpenses(h, busy.budget, busy.editor, Array.from({ length: 300 }, (_, i) => ({ amount: 1000 + i, occurredOn: days(i), categoryId: category, merchant: `Shop ${i % 12}` })));
    const { result, readUnits, reads } = await readCostDuring(h.t.doc, () => h.call('GET', path(busy.budget), { token: busy.owner.token }));
    expect(result.status, result.text).toBe(200);
    expect(result.json.window).toMatchObject({ expensesExamined: 300, complete: true });
    expect(result.json.items).toHaveLength(12);
    // The window's Query reads whole items (a projection does not lower read units): imported
    // expenses of about 0.7 KB, eventually consistent (0.5 RCU per 4 KB). Measured 2026-12-04:
    // 27.5 RCU for 300 (0.09 an expense: a full window of 1,000 about 90 RCU), the rules' Query
    // 0 (none; one rule item more is a few hundred bytes), the access BatchGetItem 3.
    const window = reads.filter((r) => r.name === 'Query').reduce((sum, r) => sum + r.units, 0);
    expect(window).toBeGreaterThan(300 * 0.05);
    expect(window).toBeLessThanOrEqual(300 * 0.12);
    expect(readUnits).toBeLessThanOrEqual(window + 5);
  });

  it("posting a suggestion's rule as is creates it (201), files new expenses there, and the suggestion is gone", async () => {
    const tesco = (await suggest()).json.items.find((s: { merchant: string }) => s.merchant === 'Tesco');
    const posted = await h.call('POST', `/v1/budgets/${team.budget.id}/rules`, { token: team.owner.token, body: tesco.rule });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.json).toMatchObject({ merchant: { equals: 'Tesco' }, categoryId: groceries });
    expect((await suggest()).json.items.map((s: { merchant: string }) => s.merchant)).toEqual(['Café Nero']);
    const created = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: team.editor.token, body: { amount: 700, occurredOn: '2026-11-24', merchant: 'TÉSCO' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.categoryId).toBe(groceries);
  });

  it('a merchant a split rule already files is no suggestion: its rule would never fire behind the split rule', async () => {
    // Another budget: 3 Costco expenses filed by hand in Groceries (before the split rule), then a
    // split rule for Costco (60% Groceries, 40% Fun) that every new Costco expense now takes.
    const split = await h.team({ categories: ['Groceries', 'Fun'] });
    const [food, play] = split.budget.categories.map((c) => c.id) as [string, string];
    await importExpenses(h, split.budget, split.editor, filed('Costco', food, ['2026-11-20', '2026-11-13', '2026-11-06']));
    const splitRule = await h.call('POST', `/v1/budgets/${split.budget.id}/rules`, {
      token: split.owner.token,
      body: { merchant: { equals: 'Costco' }, split: [{ categoryId: food, percent: 60 }, { categoryId: play, percent: 40 }] },
    });
    expect(splitRule.status, splitRule.text).toBe(201);
    const newOne = await h.call('POST', `/v1/budgets/${split.budget.id}/expenses`, { token: split.editor.token, body: { amount: 1000, occurredOn: '2026-11-24', merchant: 'Costco' } });
    expect(newOne.status, newOne.text).toBe(201);
    expect(newOne.json.splits).toEqual([
      { categoryId: food, amount: 600 },
      { categoryId: play, amount: 400 },
    ]);
    // The rules already handle Costco (the split rule files every new expense there): nothing to suggest.
    const res = await h.call('GET', path(split.budget), { token: split.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items).toEqual([]);
  });
});
