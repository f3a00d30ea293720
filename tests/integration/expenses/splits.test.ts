import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget as createBudgetWithLimits } from '../../support/actors';
import { deliver, itemsUnder, outboxEvents, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Split expenses through HTTP (DynamoDB Local): one expense spread over several categories
 * of its budget. Each part counts in its category's figures of the running totals (the
 * summary, the alerts), the whole amount once in the total; every representation carries
 * the parts (GET, lists, the list by category, delta sync, offline push, events, CSV export).
 */
let h: Harness;
let team: Team;
let groceries: string;
let household: string;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Household', 'Transport'] });
  [groceries, household] = team.budget.categories.map((c) => c.id) as [string, string];
});
afterAll(() => h.destroy());

const path = (b: Budget = team.budget) => `/v1/budgets/${b.id}/expenses`;
const post = (body: Record<string, unknown>, b: Budget = team.budget) => h.call('POST', path(b), { token: team.owner.token, body });
const patch = (id: string, body: Record<string, unknown>, b: Budget = team.budget) => h.call('PATCH', `${path(b)}/${id}`, { token: team.owner.token, body });
const receipt = (extra: Record<string, unknown> = {}) => ({
  amount: 12000,
  occurredOn: '2026-11-20',
  merchant: 'Supermarket',
  splits: [
    { categoryId: groceries, amount: 8000, description: ' Food ' },
    { categoryId: household, amount: 4000 },
  ],
  ...extra,
});

/** The summary of November 2026: total spent, spent per category (categories spending nothing left out), uncategorized. */
async function november(b: Budget = team.budget) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-11-24`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  const byCategory = Object.fromEntries((res.json.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
  return { spent: res.json.spent as number, byCategory, uncategorized: res.json.uncategorizedSpent as number };
}

async function freshBudget(categories = ['Groceries', 'Household', 'Transport']) {
  const b = await h.createBudget(team.owner, { categories });
  return { b, ids: b.categories.map((c) => c.id) };
}

describe('split expenses', { timeout: 120_000 }, () => {
  it('records a split expense: categoryId null, the parts in every representation, each part in its category', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids as [string, string];
    const res = await post({ ...receipt(), splits: [{ categoryId: g, amount: 8000, description: ' Food ' }, { categoryId: hh, amount: 3000 }, { categoryId: null, amount: 1000 }] }, b);
    expect(res.status, res.text).toBe(201);
    const splits = [{ categoryId: g, amount: 8000, description: 'Food' }, { categoryId: hh, amount: 3000 }, { categoryId: null, amount: 1000 }];
    expect(res.json).toMatchObject({ amount: 12000, categoryId: null, splits, occurredOn: '2026-11-20', version: 1 });
    await h.expectCreated(res, path(b), team.owner);
    expect((await h.listExpenses(b, team.owner.token)).map((e) => e.splits)).toEqual([splits]);
    expect(await november(b)).toEqual({ spent: 12000, byCategory: { [g]: 8000, [hh]: 3000 }, uncategorized: 1000 });

    const recorded = await theEvent(h.t, 'expense.recorded', { expenseId: res.json.id });
    expect(recorded.envelope.data).toMatchObject({ amount: 12000, categoryId: null, splits });
  });

  it('the activity log shows the parts of a created, changed and deleted split expense', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids as [string, string];
    const created = await post({ amount: 100, occurredOn: '2026-11-20', splits: [{ categoryId: g, amount: 60 }, { categoryId: hh, amount: 40 }] }, b);
    const changed = await patch(created.json.id, { splits: [{ categoryId: g, amount: 10 }, { categoryId: null, amount: 90 }] }, b);
    expect(changed.status, changed.text).toBe(200);
    expect((await h.call('DELETE', `${path(b)}/${created.json.id}`, { token: team.owner.token })).status).toBe(204);
    const res = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    const byAction = Object.fromEntries((res.json.items as any[]).map((e) => [e.action, e.changes?.splits]));
    const before = [{ categoryId: g, amount: 60 }, { categoryId: hh, amount: 40 }];
    const after = [{ categoryId: g, amount: 10 }, { categoryId: null, amount: 90 }];
    expect(byAction).toEqual({
      'expense.created': { before: null, after: before },
      'expense.updated': { before, after },
      'expense.deleted': { before: after, after: null },
    });
  });

  it('is one transaction carrying as many items as a create without splits', async () => {
    const { b, ids } = await freshBudget();
    const items = async (body: Record<string, unknown>) => {
      const { result, sent } = await commandsSentDuring(h.t.doc, () => post(body, b));
      expect(result.status, result.text).toBe(201);
            return (writeItemsOf(sent) as Record<string, any>[]).map((i) => Object.keys(i)[0]);
    };
    const single = await items({ amount: 500, occurredOn: '2026-11-03', categoryId: ids[0] });
    const split = await items({ amount: 500, occurredOn: '2026-11-03', splits: [{ categoryId: ids[0], amount: 200 }, { categoryId: ids[1], amount: 300 }] });
    expect(split).toEqual(single);
    // The budget's one ConditionCheck checks both parts' categories.
    const { sent } = await commandsSentDuring(h.t.doc, () => post({ amount: 9, occurredOn: '2026-11-03', splits: [{ categoryId: ids[0], amount: 4 }, { categoryId: ids[2], amount: 5 }] }, b));
    const checks = (sent.find((c) => c.name === 'TransactWriteItemsCommand')!.input.TransactItems as any[]).filter((i) => i.ConditionCheck?.ConditionExpression?.includes('categoryIds'));
    expect(checks).toHaveLength(1);
    expect(Object.values(checks[0].ConditionCheck.ExpressionAttributeValues).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('refuses splits that do not fit, naming the field, and writes nothing', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids as [string, string];
    const parts = (a: number, c: number) => [{ categoryId: g, amount: a }, { categoryId: hh, amount: c }];
    for (const occurredOn of [{ occurredOn: '2026-11-20' }, {}]) {
      expectProblem(await post({ amount: 100, splits: parts(50, 49), ...occurredOn }, b), 400, ['splits']);
      expectProblem(await post({ amount: 100, categoryId: g, splits: parts(50, 50), ...occurredOn }, b), 400, ['categoryId']);
      // A part's category that is not the budget's: the check rides the transaction (with a
      // day named), fails, and the read-first path names the part.
      expectProblem(await post({ amount: 100, splits: [{ categoryId: g, amount: 50 }, { categoryId: 'not-ours', amount: 50 }], ...occurredOn }, b), 400, ['splits.1.categoryId']);
      expectProblem(await post({ amount: 100, splits: [{ categoryId: g, amount: 100 }], ...occurredOn }, b), 400, ['splits']);
      expectProblem(await post({ amount: 100, splits: [{ categoryId: g, amount: 100 }, { categoryId: hh, amount: 0 }], ...occurredOn }, b), 400, ['splits.1.amount']);
      expectProblem(await post({ amount: 100, splits: [{ categoryId: g, amount: 99.5 }, { categoryId: hh, amount: 0.5 }], ...occurredOn }, b), 400, ['splits.0.amount', 'splits.1.amount']);
      expectProblem(await post({ amount: 51, splits: Array.from({ length: 51 }, () => ({ categoryId: g, amount: 1 })), ...occurredOn }, b), 400, ['splits']);
      expectProblem(await post({ amount: 100, splits: [{ categoryId: g, amount: 50, note: 'x' }, { categoryId: hh, amount: 50 }], ...occurredOn }, b), 400, ['splits.0.note']);
    }
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);
    expect(await november(b)).toEqual({ spent: 0, byCategory: {}, uncategorized: 0 });
    // 50 parts is the most.
    expect((await post({ amount: 50, occurredOn: '2026-11-20', splits: Array.from({ length: 50 }, () => ({ categoryId: g, amount: 1 })) }, b)).status).toBe(201);
  });

  it('PATCH changes the parts, refuses amount alone, removes them with splits: null, splits a single-category expense; totals stay exact', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh, tr] = ids as [string, string, string];
    const created = await post({ amount: 12000, occurredOn: '2026-11-20', splits: [{ categoryId: g, amount: 8000 }, { categoryId: hh, amount: 4000 }] }, b);
    const id = created.json.id as string;

    let res = await patch(id, { splits: [{ categoryId: g, amount: 2000 }, { categoryId: tr, amount: 10000 }] }, b);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ version: 2, categoryId: null, splits: [{ categoryId: g, amount: 2000 }, { categoryId: tr, amount: 10000 }] });
    expect(await november(b)).toEqual({ spent: 12000, byCategory: { [g]: 2000, [tr]: 10000 }, uncategorized: 0 });
    const updated = await theEvent(h.t, 'expense.updated', { expenseId: id, version: 2 });
    expect(updated.envelope.data).toMatchObject({
      splits: [{ categoryId: g, amount: 2000 }, { categoryId: tr, amount: 10000 }],
      previous: { amount: 12000, categoryId: null, splits: [{ categoryId: g, amount: 8000 }, { categoryId: hh, amount: 4000 }] },
      changes: { splits: expect.any(Object) },
    });

    expectProblem(await patch(id, { amount: 13000 }, b), 400, ['splits']);
    expectProblem(await patch(id, { categoryId: g }, b), 400, ['categoryId']);
    expectProblem(await patch(id, { splits: [{ categoryId: g, amount: 1 }, { categoryId: 'nope', amount: 11999 }] }, b), 400, ['splits.1.categoryId']);
    expectProblem(await patch(id, { splits: [{ categoryId: g, amount: 1 }, { categoryId: hh, amount: 2 }] }, b), 400, ['splits']);
    expect((await h.call('GET', `${path(b)}/${id}`, { token: team.owner.token })).json.version).toBe(2);

    res = await patch(id, { amount: 13000, splits: [{ categoryId: g, amount: 6500 }, { categoryId: null, amount: 6500 }] }, b);
    expect(res.status, res.text).toBe(200);
    expect(await november(b)).toEqual({ spent: 13000, byCategory: { [g]: 6500 }, uncategorized: 6500 });

    res = await patch(id, { splits: null, categoryId: hh }, b);
    expect(res.status, res.text).toBe(200);
    expect(res.json.categoryId).toBe(hh);
    expect(res.json).not.toHaveProperty('splits');
    expect(await november(b)).toEqual({ spent: 13000, byCategory: { [hh]: 13000 }, uncategorized: 0 });
    // No longer split: amount alone is fine again.
    expect((await patch(id, { amount: 1000 }, b)).status).toBe(200);

    res = await patch(id, { splits: [{ categoryId: hh, amount: 400 }, { categoryId: tr, amount: 600 }], occurredOn: '2026-10-31' }, b);
    expect(res.status, res.text).toBe(200);
    expect(res.json.categoryId).toBeNull();
    expect(await november(b)).toEqual({ spent: 0, byCategory: {}, uncategorized: 0 });
    const october = (await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-10-15`, { token: team.owner.token })).json;
    expect(october.spent).toBe(1000);
    expect(Object.fromEntries(october.categories.map((c: any) => [c.categoryId, c.spent]))).toEqual({ [g]: 0, [hh]: 400, [tr]: 600 });

    const version = (await h.call('GET', `${path(b)}/${id}`, { token: team.owner.token })).json.version;
    expect((await h.call('DELETE', `${path(b)}/${id}`, { token: team.owner.token, headers: { 'if-match': `"${version}"` } })).status).toBe(204);
    const after = (await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-10-15`, { token: team.owner.token })).json;
    expect([after.spent, after.uncategorizedSpent, ...after.categories.map((c: any) => c.spent)]).toEqual([0, 0, 0, 0, 0]);
    const deleted = await theEvent(h.t, 'expense.deleted', { expenseId: id });
    expect(deleted.envelope.data.splits).toEqual([{ categoryId: hh, amount: 400 }, { categoryId: tr, amount: 600 }]);
  });

  it('lists a split expense under every category it has a part in, newest first, page by page', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh, tr] = ids as [string, string, string];
    const made: { id: string; cats: string[]; day: string }[] = [];
    const days = ['2026-11-01', '2026-11-05', '2026-11-05', '2026-11-09', '2026-11-12', '2026-11-15', '2026-11-15', '2026-11-20'];
    for (const [n, day] of days.entries()) {
      const body =
        n % 3 === 0
          ? { amount: 10 + n, occurredOn: day, categoryId: g }
          : n % 3 === 1
            ? { amount: 10, occurredOn: day, splits: [{ categoryId: g, amount: 5 }, { categoryId: hh, amount: 5 }] }
            : { amount: 10, occurredOn: day, splits: [{ categoryId: hh, amount: 5 }, { categoryId: null, amount: 5 }] };
      const res = await post(body, b);
      expect(res.status, res.text).toBe(201);
      made.push({ id: res.json.id, cats: 'categoryId' in body ? [g] : body.splits.flatMap((p) => (p.categoryId ? [p.categoryId] : [])), day });
    }
    const expected = (cat: string, from = '0000', to = '9999') =>
      made
        .filter((m) => m.cats.includes(cat) && m.day >= from && m.day <= to)
        .sort((x, y) => (x.day === y.day ? y.id.localeCompare(x.id) : y.day.localeCompare(x.day)))
        .map((m) => m.id);
    const walk = async (query: string, limit: number) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await h.call('GET', `${path(b)}?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: team.owner.token });
        expect(res.status, res.text).toBe(200);
        expect(res.json.items.length).toBeLessThanOrEqual(limit);
        ids.push(...res.json.items.map((e: { id: string }) => e.id));
        cursor = res.json.nextCursor;
      } while (cursor);
      return ids;
    };
    for (const limit of [1, 2, 3, 100]) {
      expect(await walk(`categoryId=${g}`, limit)).toEqual(expected(g));
      expect(await walk(`categoryId=${hh}`, limit)).toEqual(expected(hh));
      expect(await walk(`categoryId=${hh}&from=2026-11-05&to=2026-11-15`, limit)).toEqual(expected(hh, '2026-11-05', '2026-11-15'));
    }
    expect(await walk(`categoryId=${tr}`, 2)).toEqual([]);
    expect(expected(g).length).toBeGreaterThan(3);
    // The split partition holds only split expenses.
    const split = (await itemsUnder(h.t, `expenses#budget#${b.id}`)).filter((i) => i.gsi2pk === `expenses#budget#${b.id}#split`);
    expect(split.map((i) => i.id).sort()).toEqual(made.filter((_, n) => n % 3 !== 0).map((m) => m.id).sort());
  });

  it('delta sync and offline push carry the parts', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids as [string, string];
    const push = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: {
        mutations: [
          { op: 'create', id: '01JDX3Q7K9M2N4P6R8S0T1V3W5', expense: { amount: 300, occurredOn: '2026-11-10', splits: [{ categoryId: g, amount: 100 }, { categoryId: hh, amount: 200 }] } },
          { op: 'update', id: '01JDX3Q7K9M2N4P6R8S0T1V3W5', baseVersion: 1, patch: { amount: 400, splits: [{ categoryId: g, amount: 100 }, { categoryId: hh, amount: 300 }] } },
          { op: 'update', id: '01JDX3Q7K9M2N4P6R8S0T1V3W5', baseVersion: 2, patch: { amount: 500 } },
          { op: 'create', expense: { amount: 300, occurredOn: '2026-11-10', splits: [{ categoryId: g, amount: 100 }, { categoryId: 'nope', amount: 200 }] } },
        ],
      },
    });
    expect(push.status, push.text).toBe(200);
    const [created, updated, refused, foreign] = push.json.results;
    expect(created).toMatchObject({ status: 'applied', expense: { categoryId: null, splits: [{ categoryId: g, amount: 100 }, { categoryId: hh, amount: 200 }] } });
    expect(updated).toMatchObject({ status: 'applied', version: 2, expense: { amount: 400, splits: [{ categoryId: g, amount: 100 }, { categoryId: hh, amount: 300 }] } });
    expect(refused.status).toBe('error');
    expect(refused.problem.errors.map((e: { path: string }) => e.path)).toEqual(['splits']);
    expect(foreign.problem.errors.map((e: { path: string }) => e.path)).toEqual(['splits.1.categoryId']);
    expect(await november(b)).toEqual({ spent: 400, byCategory: { [g]: 100, [hh]: 300 }, uncategorized: 0 });

    const sync = await h.call('GET', `/v1/budgets/${b.id}/changes`, { token: team.owner.token });
    expect(sync.status, sync.text).toBe(200);
    expect(sync.json.expenses).toEqual([expect.objectContaining({ kind: 'expense', id: '01JDX3Q7K9M2N4P6R8S0T1V3W5', categoryId: null, splits: updated.expense.splits })]);
  });

  it('exports one CSV row per part, with the part’s category and amount', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids as [string, string];
    expect((await post({ amount: 12000, occurredOn: '2026-11-20', description: 'Weekly', merchant: 'Supermarket', splits: [{ categoryId: g, amount: 8000, description: 'Food' }, { categoryId: hh, amount: 3500 }, { categoryId: null, amount: 500 }] }, b)).status).toBe(201);
    expect((await post({ amount: 250, occurredOn: '2026-11-19', categoryId: hh }, b)).status).toBe(201);
    const res = await h.call('GET', `${path(b)}/export`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.text.split('\r\n').slice(1, -1)).toEqual([
      '2026-11-20,80.00,Groceries,Food,Supermarket,,,,true,',
      '2026-11-20,35.00,Household,Weekly,Supermarket,,,,true,',
      '2026-11-20,5.00,,Weekly,Supermarket,,,,true,',
      '2026-11-19,2.50,Household,,,,,,true,',
    ]);
  });

  it("reaches a category's alert thresholds through split parts", async () => {
    const created = await createBudgetWithLimits(h.app, team.owner, {
      limit: 1_000_000,
      alertThresholds: [80, 100],
      categories: [{ name: 'Groceries', limit: 10_000 }, { name: 'Household', limit: 5_000 }],
    });
    const [g, hh] = created.categories.map((c) => c.id) as [string, string];
    const b = { id: created.id, currency: 'USD', categories: created.categories };
    const first = await post({ amount: 12000, occurredOn: '2026-11-20', splits: [{ categoryId: g, amount: 8000 }, { categoryId: hh, amount: 4000 }] }, b);
    expect(first.status, first.text).toBe(201);
    await deliver(h.t, await theEvent(h.t, 'expense.recorded', { expenseId: first.json.id }));
    const crossings = async () =>
      (await outboxEvents(h.t, 'budget.threshold_crossed'))
        .map((e) => e.envelope.data)
        .filter((d) => d.budgetId === b.id)
        .map((d) => [d.categoryId === g ? 'groceries' : d.categoryId === hh ? 'household' : d.scope, d.threshold, d.spent])
        .sort();
    // Groceries 8,000 of 10,000 = 80%, household 4,000 of 5,000 = 80%; the budget 1.2%.
    expect(await crossings()).toEqual([
      ['groceries', 80, 8000],
      ['household', 80, 4000],
    ]);
    const moved = await patch(first.json.id, { splits: [{ categoryId: g, amount: 6000 }, { categoryId: hh, amount: 6000 }] }, b);
    expect(moved.status, moved.text).toBe(200);
    await deliver(h.t, await theEvent(h.t, 'expense.updated', { expenseId: first.json.id }));
    expect(await crossings()).toEqual([
      ['groceries', 80, 8000],
      ['household', 100, 6000],
      ['household', 80, 4000],
    ]);
  });

  it("takes a change of 50 parts with 500-character descriptions (4 bytes a character), whose event would hold the parts four times: it was over EventBridge's 256 KB and a 500", async () => {
    const { b, ids } = await freshBudget();
    // The widest text the API takes: characters are code points, one of 4 bytes in UTF-8.
    const wide = (tag: string) => `${'\u{2070E}'.repeat(497)}${tag}`;
    const parts = (tag: string) => Array.from({ length: 50 }, (_, i) => ({ categoryId: ids[i % 3]!, amount: 100, description: wide(`${tag}${String(i).padStart(2, '0')}`) }));
    const created = await post({ amount: 5000, occurredOn: '2026-11-20', merchant: 'Market', splits: parts('a') }, b);
    expect(created.status, created.text.slice(0, 300)).toBe(201);
    const changed = await patch(created.json.id, { splits: parts('b') }, b);
    expect(changed.status, changed.text.slice(0, 300)).toBe(200);
    expect(changed.json.splits).toEqual(parts('b'));
    const updated = await theEvent(h.t, 'expense.updated', { expenseId: created.json.id });
    expect(Buffer.byteLength(JSON.stringify(updated.envelope))).toBeLessThan(256 * 1024);
    // The facts keep the parts whole (what the expense is now); the amounts and categories moved are all there.
    expect(updated.envelope.data.splits).toEqual(parts('b'));
    const amounts = (list: { categoryId: string; amount: number }[]) => list.map(({ categoryId, amount }) => ({ categoryId, amount }));
    expect(amounts(updated.envelope.data.previous.splits)).toEqual(amounts(parts('a')));
    expect(amounts(updated.envelope.data.changes.splits.before)).toEqual(amounts(parts('a')));
    expect(amounts(updated.envelope.data.changes.splits.after)).toEqual(amounts(parts('b')));
  });
});
