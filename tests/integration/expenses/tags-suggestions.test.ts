import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { expectSuggestionListGuards } from './suggestion-lists';
import { createHarness, type Harness, type Team } from './harness';

/**
 * GET /v1/budgets/{budgetId}/tags: tag autocomplete computed on read from the merchant
 * suggestions' window. The test clock is 2026-11-24 (UTC budget), so the 180-day window starts
 * on 2026-05-29. Every expectation is written out by hand from the expenses made here.
 */
let h: Harness;
let team: Team;
const path = (budget: { id: string }, query = '') => `/v1/budgets/${budget.id}/tags${query}`;

async function suggest(query = '', token = team.owner.token) {
  const res = await h.call('GET', path(team.budget, query), { token });
  expect(res.status, res.text).toBe(200);
  return res;
}

const tagsOf = (res: { json: { items: { tag: string }[] } }) => res.json.items.map((s) => s.tag);

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food', 'Home'] });
  const [food, home] = team.budget.categories.map((c) => c.id) as [string, string];
  const post = async (body: Record<string, unknown>) => {
    const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: team.editor.token, body });
    expect(res.status, res.text).toBe(201);
  };
  await post({ amount: 450, occurredOn: '2026-11-20', categoryId: food, tags: ['Vacation-2026', 'reimbursable'] });
  await post({ amount: 300, occurredOn: '2026-11-10', categoryId: food, tags: ['vacation-2026'] });
  await post({ amount: 500, occurredOn: '2026-11-01', categoryId: home, tags: ['VACATION-2026', 'Café'] });
  await post({ amount: 120, occurredOn: '2026-11-21', tags: ['cafe'] }); // uncategorized
  await post({ amount: 777, occurredOn: '2026-11-22', categoryId: food }); // no tags
  // A split expense's tags count as any other's.
  await post({
    amount: 2000,
    occurredOn: '2026-11-19',
    tags: ['Reimbursable'],
    splits: [
      { categoryId: food, amount: 1500 },
      { categoryId: home, amount: 500 },
    ],
  });
  // The window's first day, and the day before it.
  await post({ amount: 100, occurredOn: '2026-05-29', categoryId: food, tags: ['edge'] });
  await post({ amount: 100, occurredOn: '2026-05-28', categoryId: food, tags: ['old'] });
});
afterAll(() => h.destroy());

describe('tag suggestions', () => {
  it('groups tags ignoring case and accents, newest spelling, ordered by count then last use', async () => {
    const res = await suggest();
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    expect(res.json).toEqual({
      items: [
        // 11-20, 11-10, 11-01: spelled as on 11-20.
        { tag: 'Vacation-2026', count: 3, lastUsedOn: '2026-11-20' },
        // Café (11-01) and cafe (11-21) are one tag; 2 like reimbursable, but used later.
        { tag: 'cafe', count: 2, lastUsedOn: '2026-11-21' },
        // 11-20 and the split expense of 11-19 (its spelling older).
        { tag: 'reimbursable', count: 2, lastUsedOn: '2026-11-20' },
        { tag: 'edge', count: 1, lastUsedOn: '2026-05-29' },
      ],
      // 7 expenses dated in the window (one without tags; "old" is the day before it).
      window: { from: '2026-05-29', expensesExamined: 7, complete: true },
    });
  });

  it('q: the start of the tag or of one of its words, ignoring case and accents', async () => {
    const tags = async (q: string) => tagsOf(await suggest(`?q=${encodeURIComponent(q)}`));
    expect(await tags('vaca')).toEqual(['Vacation-2026']);
    expect(await tags('2026')).toEqual(['Vacation-2026']);
    expect(await tags('CAFÉ')).toEqual(['cafe']);
    expect(await tags('caf')).toEqual(['cafe']);
    expect(await tags('e')).toEqual(['edge']);
    expect(await tags('burs')).toEqual([]); // not the start of a word
    expect(await tags('old')).toEqual([]); // outside the window
  });

  it('limit cuts the ordered list', async () => {
    expect(tagsOf(await suggest('?limit=2'))).toEqual(['Vacation-2026', 'cafe']);
    expect((await suggest('?limit=50')).json.items).toHaveLength(4);
  });

  it('any member reads it (a viewer too); a stranger gets 404, no token 401; bad limit or q: 400 naming the field', async () => {
    await expectSuggestionListGuards(h, team, path);
  });

  it('reads at most the bound (+1 to know it was cut), only tags and dates, and says it is incomplete', async () => {
    const app = h.expensesAppWith({ merchants: { maxExpenses: 3 } });
    const owner = team.owner;
    const { result: res, sent } = await commandsSentDuring(h.t.doc, () => call(app, 'GET', path(team.budget), { token: owner.token }));
    expect(res.status, res.text).toBe(200);
    // The newest three: 11-22 (no tags), 11-21 (cafe), 11-20 (Vacation-2026, reimbursable).
    expect(res.json).toEqual({
      items: [
        { tag: 'cafe', count: 1, lastUsedOn: '2026-11-21' },
        { tag: 'reimbursable', count: 1, lastUsedOn: '2026-11-20' },
        { tag: 'Vacation-2026', count: 1, lastUsedOn: '2026-11-20' },
      ],
      window: { from: '2026-11-20', expensesExamined: 3, complete: false },
    });
    const queries = sent.filter((c) => c.name === 'QueryCommand');
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect(q.input).toMatchObject({ IndexName: 'gsi1', ScanIndexForward: false, ProjectionExpression: '#tags, #occurredOn' });
    }
    expect(queries.reduce((sum, q) => sum + Number(q.input.Limit), 0)).toBeLessThanOrEqual(4);
    // The access check (one BatchGetItem) and the window's Queries: nothing else, nothing written.
    expect(sent.map((c) => c.name).filter((n) => n !== 'QueryCommand')).toEqual(['BatchGetItemCommand']);
  });
});
