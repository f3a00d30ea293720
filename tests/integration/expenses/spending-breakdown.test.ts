import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/actors';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Harness, type Team } from './harness';

/**
 * GET /v1/budgets/{budgetId}/spending?by=merchant|tag|member|category|group: a range's expenses grouped on
 * read. The test clock is 2026-11-24 and the budget monthly in UTC, so the default range is
 * 2026-11-01..2026-11-30. Every expectation is worked out by hand from the expenses made here:
 *
 *   A 1000 2026-11-02 "Café Nero"     [Coffee, Work]  owner
 *   B  500 2026-11-05 "CAFE NERO"     [coffee]        editor
 *   C 2000 2026-11-10 "Corner Market" (split)         editor
 *   D  300 2026-11-12 (no merchant)   [Work]          owner
 *   E  700 2026-11-20 "Café Nero"                     editor
 *   F 9999 2026-11-15 "Ghost"         [ghost]         owner, deleted
 *   G 4000 2026-10-31 "Old"                           owner (before the period)
 *
 * November: A..E, total 4500, 5 expenses.
 */
let h: Harness;
let team: Team;
const path = (budget: { id: string }, query = '') => `/v1/budgets/${budget.id}/spending${query}`;

async function breakdown(query: string, token = team.owner.token) {
  const res = await h.call('GET', path(team.budget, query), { token });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Food', 'Home'] });
  const [food, home] = team.budget.categories.map((c) => c.id) as [string, string];
  const post = async (token: string, body: Record<string, unknown>) => {
    const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token, body });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  await post(team.owner.token, { amount: 1000, occurredOn: '2026-11-02', categoryId: food, merchant: 'Café Nero', tags: ['Coffee', 'Work'] });
  await post(team.editor.token, { amount: 500, occurredOn: '2026-11-05', categoryId: food, merchant: 'CAFE NERO', tags: ['coffee'] });
  await post(team.editor.token, {
    amount: 2000,
    occurredOn: '2026-11-10',
    merchant: 'Corner Market',
    splits: [
      { categoryId: food, amount: 1500 },
      { categoryId: home, amount: 500 },
    ],
  });
  await post(team.owner.token, { amount: 300, occurredOn: '2026-11-12', categoryId: home, tags: ['Work'] });
  await post(team.editor.token, { amount: 700, occurredOn: '2026-11-20', categoryId: food, merchant: 'Café Nero' });
  const ghost = await post(team.owner.token, { amount: 9999, occurredOn: '2026-11-15', categoryId: food, merchant: 'Ghost', tags: ['ghost'] });
  await post(team.owner.token, { amount: 4000, occurredOn: '2026-10-31', categoryId: home, merchant: 'Old' });
  const removed = await h.call('DELETE', `/v1/budgets/${team.budget.id}/expenses/${ghost}`, { token: team.owner.token });
  expect(removed.status, removed.text).toBe(204);
});
afterAll(() => h.destroy());

describe('spending breakdown', () => {
  it('by merchant: folded case and accents, the most frequent spelling, no merchant as key "", the current period by default', async () => {
    expect(await breakdown('?by=merchant')).toEqual({
      by: 'merchant',
      from: '2026-11-01',
      to: '2026-11-30',
      currency: 'USD',
      total: 4500,
      count: 5,
      items: [
        // 1000 + 500 + 700; "Café Nero" twice, "CAFE NERO" once. 2200 / 4500 = 0.48888...
        { key: 'cafe nero', label: 'Café Nero', amount: 2200, count: 3, share: 0.4889 },
        // The split expense counts whole. 2000 / 4500 = 0.44444...
        { key: 'corner market', label: 'Corner Market', amount: 2000, count: 1, share: 0.4444 },
        // 300 / 4500 = 0.06666...
        { key: '', label: null, amount: 300, count: 1, share: 0.0667 },
      ],
      other: { amount: 0, count: 0 },
    });
  });

  it('limit: the rest in other', async () => {
    const res = await breakdown('?by=merchant&limit=1');
    expect(res.items).toEqual([{ key: 'cafe nero', label: 'Café Nero', amount: 2200, count: 3, share: 0.4889 }]);
    expect(res.other).toEqual({ amount: 2300, count: 2 });
    expect(res.total).toBe(4500);
  });

  it('by tag: an expense in each of its tags (items past total), untagged ones in key ""', async () => {
    expect(await breakdown('?by=tag&from=2026-11-01&to=2026-11-30')).toEqual({
      by: 'tag',
      from: '2026-11-01',
      to: '2026-11-30',
      currency: 'USD',
      total: 4500,
      count: 5,
      items: [
        // C and E: 2700 / 4500 = 0.6.
        { key: '', label: null, amount: 2700, count: 2, share: 0.6 },
        // A and B; "Coffee" and "coffee" once each: the smaller by code units, "Coffee". 1500 / 4500 = 0.33333...
        { key: 'coffee', label: 'Coffee', amount: 1500, count: 2, share: 0.3333 },
        // A and D: 1300 / 4500 = 0.28888...
        { key: 'work', label: 'Work', amount: 1300, count: 2, share: 0.2889 },
      ],
      other: { amount: 0, count: 0 },
    });
  });

  it('by member: who recorded each expense, read by a viewer; a member without a name is labelled by their email', async () => {
    const res = await breakdown('?by=member', team.viewer.token);
    expect(res.total).toBe(4500);
    expect(res.items).toEqual([
      // B + C + E: 3200 / 4500 = 0.71111...
      { key: team.editor.id, label: team.editor.email, amount: 3200, count: 3, share: 0.7111 },
      // A + D: 1300 / 4500 = 0.28888...
      { key: team.owner.id, label: team.owner.email, amount: 1300, count: 2, share: 0.2889 },
    ]);
  });

  it("by member: labelled by the member's name; a former member keeps the user id; ONE Query more than by merchant", async () => {
    const [kim, sam, pat] = await Promise.all([
      signUp(h.app, 'kim', { name: 'Kim Lee' }),
      signUp(h.app, 'sam', { name: 'Sam Roe' }),
      signUp(h.app, 'pat', { name: 'Pat Gone' }),
    ]);
    const budget = await h.createBudget(kim);
    await h.addMember(budget, kim, sam, 'editor');
    await h.addMember(budget, kim, pat, 'editor');
    const spend = async (who: { token: string }, amount: number) => {
      const res = await h.call('POST', `/v1/budgets/${budget.id}/expenses`, { token: who.token, body: { amount, occurredOn: '2026-11-03' } });
      expect(res.status, res.text).toBe(201);
    };
    await spend(kim, 600);
    await spend(sam, 900);
    await spend(pat, 300);
    const removed = await h.call('DELETE', `/v1/budgets/${budget.id}/members/${pat.id}`, { token: kim.token });
    expect(removed.status, removed.text).toBe(204);

    const { result, sent } = await commandsSentDuring(h.t.doc, () => h.call('GET', path(budget, '?by=member'), { token: sam.token }));
    expect(result.status, result.text).toBe(200);
    expect(result.json).toMatchObject({ total: 1800, count: 3 });
    expect(result.json.items).toEqual([
      // 900 / 1800 = 0.5; 600 / 1800 = 0.33333...; 300 / 1800 = 0.16666...
      { key: sam.id, label: 'Sam Roe', amount: 900, count: 1, share: 0.5 },
      { key: kim.id, label: 'Kim Lee', amount: 600, count: 1, share: 0.3333 },
      // Pat left the budget: their expense stays, under their id.
      { key: pat.id, label: pat.id, amount: 300, count: 1, share: 0.1667 },
    ]);
    // The access BatchGetItem, the date index walk (one page) and ONE Query of the memberships (the base table).
    const queries = (commands: typeof sent) => commands.filter((c) => c.name === 'QueryCommand').map((q) => q.input.IndexName ?? 'table');
    expect(sent.filter((c) => c.name === 'BatchGetItemCommand')).toHaveLength(1);
    expect(queries(sent).sort()).toEqual(['gsi1', 'table']);
    expect(sent).toHaveLength(3);
    // by=merchant reads no member.
    const merchant = await commandsSentDuring(h.t.doc, () => h.call('GET', path(budget, '?by=merchant'), { token: sam.token }));
    expect(merchant.result.status).toBe(200);
    expect(queries(merchant.sent)).toEqual(['gsi1']);
  });

  it("by category (and group): split parts in their own categories, uncategorized and a removed category under 'uncategorized', the current names; the same total as by merchant and the summary", async () => {
    // A budget of its own (monthly, UTC): Food, Home, Fun, Gone.
    //   1 1000 2026-11-02 Food
    //   2 2000 2026-11-03 split: Food 1200, Home 500, none 300
    //   3  400 2026-11-04 uncategorized
    //   4  600 2026-11-05 Gone (removed below)
    //   5  250 2026-11-06 Fun
    //   6  800 2026-10-31 Home (before November)
    // Then Home renamed House, Food and House in group "Everyday", Fun ungrouped, Gone removed.
    // November: 1000 + 2000 + 400 + 600 + 250 = 4250, 5 expenses.
    const budget = await h.createBudget(team.owner, { categories: ['Food', 'Home', 'Fun', 'Gone'] });
    const [food, home, fun, gone] = budget.categories.map((c) => c.id) as [string, string, string, string];
    const post = async (body: Record<string, unknown>) => {
      const res = await h.call('POST', `/v1/budgets/${budget.id}/expenses`, { token: team.owner.token, body });
      expect(res.status, res.text).toBe(201);
    };
    await post({ amount: 1000, occurredOn: '2026-11-02', categoryId: food, merchant: 'Shop' });
    await post({
      amount: 2000,
      occurredOn: '2026-11-03',
      merchant: 'Shop',
      splits: [
        { categoryId: food, amount: 1200 },
        { categoryId: home, amount: 500 },
        { categoryId: null, amount: 300 },
      ],
    });
    await post({ amount: 400, occurredOn: '2026-11-04', categoryId: null, merchant: 'Kiosk' });
    await post({ amount: 600, occurredOn: '2026-11-05', categoryId: gone });
    await post({ amount: 250, occurredOn: '2026-11-06', categoryId: fun, merchant: 'Kiosk' });
    await post({ amount: 800, occurredOn: '2026-10-31', categoryId: home });
    const patched = await h.call('PATCH', `/v1/budgets/${budget.id}`, {
      token: team.owner.token,
      body: {
        categories: [
          { id: food, name: 'Food', group: 'Everyday' },
          { id: home, name: 'House', group: 'Everyday' },
          { id: fun, name: 'Fun' },
        ],
      },
    });
    expect(patched.status, patched.text).toBe(200);
    const get = async (query: string) => {
      const res = await h.call('GET', path(budget, query), { token: team.owner.token });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };

    const byCategory = await get('?by=category&from=2026-11-01&to=2026-11-30');
    expect(byCategory).toEqual({
      by: 'category',
      from: '2026-11-01',
      to: '2026-11-30',
      currency: 'USD',
      total: 4250,
      count: 5,
      items: [
        // 1 + 2's Food part: 1000 + 1200 = 2200; 2200 / 4250 = 0.51764... -> 0.5176.
        { key: food, label: 'Food', amount: 2200, count: 2, share: 0.5176 },
        // 2's part without a category, 3, and 4 in the removed Gone: 300 + 400 + 600 = 1300; 1300 / 4250 = 0.30588... -> 0.3059.
        { key: 'uncategorized', label: 'Uncategorized', amount: 1300, count: 3, share: 0.3059 },
        // 2's Home part, under Home's current name. 500 / 4250 = 0.11764... -> 0.1176.
        { key: home, label: 'House', amount: 500, count: 1, share: 0.1176 },
        // 250 / 4250 = 0.05882... -> 0.0588.
        { key: fun, label: 'Fun', amount: 250, count: 1, share: 0.0588 },
      ],
      other: { amount: 0, count: 0 },
    });
    // The split expense counts once in each of its three groups: 2 + 3 + 1 + 1 = 7 counts for 5 expenses.

    // limit: Food and uncategorized listed, House and Fun summed in other.
    const limited = await get('?by=category&limit=2');
    expect(limited.items.map((i: { key: string }) => i.key)).toEqual([food, 'uncategorized']);
    expect(limited.other).toEqual({ amount: 750, count: 2 });
    expect(limited.total).toBe(4250);

    // by group: Food and House in Everyday (the split once), the rest in no group.
    const byGroup = await get('?by=group');
    expect(byGroup.items).toEqual([
      // 1000 + 1200 + 500 = 2700; 2700 / 4250 = 0.63529... -> 0.6353.
      { key: 'Everyday', label: 'Everyday', amount: 2700, count: 2, share: 0.6353 },
      // 300 + 400 + 600 + 250 = 1550; 1550 / 4250 = 0.36470... -> 0.3647.
      { key: '', label: null, amount: 1550, count: 4, share: 0.3647 },
    ]);
    expect(byGroup).toMatchObject({ by: 'group', total: 4250, count: 5 });

    // The same total whatever `by`: by merchant, November and a range across the month's edge.
    expect(await get('?by=merchant&from=2026-11-01&to=2026-11-30')).toMatchObject({ total: 4250, count: 5 });
    // 2026-10-31..2026-11-03: 800 + 1000 + 2000 = 3800.
    const edgeCategory = await get('?by=category&from=2026-10-31&to=2026-11-03');
    const edgeMerchant = await get('?by=merchant&from=2026-10-31&to=2026-11-03');
    expect(edgeCategory).toMatchObject({ total: 3800, count: 3 });
    expect(edgeMerchant).toMatchObject({ total: 3800, count: 3 });
    // House: the October 800 and the split's 500.
    expect(edgeCategory.items).toContainEqual({ key: home, label: 'House', amount: 1300, count: 2, share: 0.3421 });

    // November is exactly a period: the summary's spent, and its uncategorizedSpent is the uncategorized item.
    const summary = await h.call('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-24`, { token: team.owner.token });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.spent).toBe(4250);
    expect(summary.json.uncategorizedSpent).toBe(1300);
    const summaryFood = (summary.json.categories as { categoryId: string; spent: number }[]).find((c) => c.categoryId === food);
    expect(summaryFood?.spent).toBe(2200);
    // The uncategorized item's key is daily-spending's `categoryId` for the same line (one constant, budgets' contract).
    const uncategorized = (byCategory.items as { key: string; label: string | null }[]).find((i) => i.label === 'Uncategorized');
    const daily = await h.call('GET', `/v1/budgets/${budget.id}/daily-spending?date=2026-11-24&categoryId=${uncategorized?.key}`, { token: team.owner.token });
    expect(daily.status, daily.text).toBe(200);
    expect(daily.json).toMatchObject({ categoryId: 'uncategorized', period: { start: '2026-11-01', end: '2026-11-30', limit: null, spent: 1300 } });
  });

  it('by category on the shared expenses: C\'s parts in Food and Home; the same requests as by merchant (no read more for the names)', async () => {
    const [food, home] = team.budget.categories.map((c) => c.id) as [string, string];
    const { result, sent } = await commandsSentDuring(h.t.doc, () => h.call('GET', path(team.budget, '?by=category'), { token: team.viewer.token }));
    expect(result.status, result.text).toBe(200);
    expect(result.json).toMatchObject({ by: 'category', from: '2026-11-01', to: '2026-11-30', total: 4500, count: 5 });
    expect(result.json.items).toEqual([
      // A + B + C's 1500 + E = 3700 / 4500 = 0.82222... -> 0.8222.
      { key: food, label: 'Food', amount: 3700, count: 4, share: 0.8222 },
      // C's 500 + D = 800 / 4500 = 0.17777... -> 0.1778.
      { key: home, label: 'Home', amount: 800, count: 2, share: 0.1778 },
    ]);
    // The access BatchGetItem and the date index walk, as by merchant.
    expect(sent.map((c) => c.name).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
  });

  it('any range: both ends included', async () => {
    const res = await breakdown('?by=merchant&from=2026-10-31&to=2026-11-02');
    expect(res).toMatchObject({ from: '2026-10-31', to: '2026-11-02', total: 5000, count: 2 });
    // 4000 / 5000 = 0.8, 1000 / 5000 = 0.2.
    expect(res.items).toEqual([
      { key: 'old', label: 'Old', amount: 4000, count: 1, share: 0.8 },
      { key: 'cafe nero', label: 'Café Nero', amount: 1000, count: 1, share: 0.2 },
    ]);
    const empty = await breakdown('?by=tag&from=2026-12-01&to=2026-12-31');
    expect(empty).toMatchObject({ total: 0, count: 0, items: [], other: { amount: 0, count: 0 } });
  });

  it('a stranger and an unknown budget get 404, no token 401', async () => {
    expectProblem(await h.call('GET', path(team.budget, '?by=merchant'), { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path({ id: '01JDNOSUCHBUDGET0000000000' }, '?by=merchant'), { token: team.owner.token }), 404);
    expectProblem(await h.call('GET', path(team.budget, '?by=merchant')), 401);
  });

  it('400s naming the field: by missing or unknown, a reversed or too long range, one end alone, a bad limit', async () => {
    const bad = async (query: string, field: string) =>
      expectProblem(await h.call('GET', path(team.budget, query), { token: team.owner.token }), 400, [field]);
    await bad('', 'query.by');
    await bad('?by=payee', 'query.by');
    // The same rule as the balances' range (platform requestedDayRange): reversed names `from`, too long both.
    await bad('?by=merchant&from=2026-11-02&to=2026-11-01', 'query.from');
    // 2025-11-01..2026-11-02: 367 days.
    await bad('?by=merchant&from=2025-11-01&to=2026-11-02', 'query.from');
    await bad('?by=merchant&from=2025-11-01&to=2026-11-02', 'query.to');
    await bad('?by=merchant&from=2026-11-01', 'query.to');
    await bad('?by=merchant&to=2026-11-01', 'query.from');
    await bad('?by=merchant&from=2026-13-01&to=2026-12-01', 'query.from');
    await bad('?by=merchant&limit=0', 'query.limit');
    await bad('?by=merchant&limit=101', 'query.limit');
    // 2025-11-02..2026-11-02: 366 days, the longest.
    expect((await breakdown('?by=merchant&from=2025-11-02&to=2026-11-02')).total).toBe(5000);
  });

  it('past the bound on expenses examined: 422 naming from, never a partial answer; at the bound the answer (the deleted one not read)', async () => {
    const over = await call(h.expensesAppWith({ spending: { maxExpenses: 4 } }), 'GET', path(team.budget, '?by=merchant'), { token: team.owner.token });
    expectProblem(over, 422, ['query.from']);
    expect(over.json.total).toBeUndefined();
    const app = h.expensesAppWith({ spending: { maxExpenses: 5 } });
    const { result: at, sent } = await commandsSentDuring(h.t.doc, () => call(app, 'GET', path(team.budget, '?by=member'), { token: team.owner.token }));
    expect(at.status, at.text).toBe(200);
    expect(at.json).toMatchObject({ total: 4500, count: 5 });
    // One Query of the date index, asking for at most 5 + 1 (and by=member the one of the memberships).
    const queries = sent.filter((c) => c.name === 'QueryCommand' && c.input.IndexName !== undefined);
    expect(queries.map((q) => [q.input.IndexName, q.input.Limit])).toEqual([['gsi1', 6]]);
  });
});
