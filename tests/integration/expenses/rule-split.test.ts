import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableItems, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Split rules (`split: [{categoryId, percent}]` instead of `categoryId`) over HTTP (DynamoDB
 * Local): the resource and its 400s; a new expense without a category, a CSV row with an empty
 * category, a refund, and the apply of a saved rule become split expenses whose parts are the
 * amount divided by the percents, largest remainder method (domain/rule-split.ts). Every figure
 * is worked out by hand in the comments. The test clock is 2026-11-24 (UTC budgets).
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Household', 'Transport'] });
});
afterAll(() => h.destroy());

const token = () => team.owner.token;
const rulesPath = (b: Budget) => `/v1/budgets/${b.id}/rules`;
const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const fresh = async () => {
  const b = await h.createBudget(team.owner, { categories: ['Groceries', 'Household', 'Transport'] });
  const [groceries, household, transport] = b.categories.map((c) => c.id) as [string, string, string];
  return { b, groceries, household, transport };
};
const addRule = async (b: Budget, body: Record<string, unknown>) => {
  const res = await h.call('POST', rulesPath(b), { token: token(), body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; version: number; split?: unknown; categoryId?: string };
};
const postExpense = async (b: Budget, body: Record<string, unknown>) => {
  const res = await h.call('POST', expensesPath(b), { token: token(), body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; categoryId: string | null; splits?: { categoryId: string | null; amount: number }[]; tags?: string[]; refund?: true };
};
const importCsv = (b: Budget, csv: string, query = '') =>
  h.call('POST', `${expensesPath(b)}/import${query}`, { token: token(), rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
const ruleItems = async (b: Budget) => (await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.pk).includes(b.id) && i.kind === 'categorization-rule');

/** November 2026's summary: spent per category (those spending nothing left out), total and uncategorized. */
async function november(b: Budget) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-11-24`, { token: token() });
  expect(res.status, res.text).toBe(200);
  const byCategory = Object.fromEntries((res.json.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
  return { spent: res.json.spent as number, byCategory, uncategorized: res.json.uncategorizedSpent as number };
}

describe('split rules: the resource', { timeout: 120_000 }, () => {
  it('creates, returns and stores a split; PATCH categoryId replaces it, PATCH split replaces the category', async () => {
    const { b, groceries, household, transport } = await fresh();
    const split = [
      { categoryId: groceries, percent: 70 },
      { categoryId: household, percent: 30 },
    ];
    const rule = await addRule(b, { merchant: { equals: 'Costco' }, split, tags: ['bulk'] });
    expect(rule.split).toEqual(split);
    expect('categoryId' in rule).toBe(false);
    const got = await h.call('GET', `${rulesPath(b)}/${rule.id}`, { token: token() });
    expect(got.json.split).toEqual(split);
    expect((await ruleItems(b))[0]!.split).toEqual(split);

    const url = `${rulesPath(b)}/${rule.id}`;
    const toCategory = await h.call('PATCH', url, { token: token(), body: { categoryId: transport } });
    expect(toCategory.status, toCategory.text).toBe(200);
    expect([toCategory.json.categoryId, 'split' in toCategory.json]).toEqual([transport, false]);
    const back = await h.call('PATCH', url, { token: token(), body: { split } });
    expect(back.status, back.text).toBe(200);
    expect([back.json.split, 'categoryId' in back.json]).toEqual([split, false]);
    // Removing the split leaves neither a category nor a rename: refused.
    expectProblem(await h.call('PATCH', url, { token: token(), body: { split: null } }), 400, ['categoryId']);
  });

  it('refuses a bad split with a 400 naming the field, writing nothing', async () => {
    const { b, groceries, household, transport } = await fresh();
    const two = (p0: unknown, p1: unknown) => [
      { categoryId: groceries, percent: p0 },
      { categoryId: household, percent: p1 },
    ];
    const base = { merchant: { equals: 'Costco' } };
    const cases: [Record<string, unknown>, string][] = [
      [{ split: two(70, 30), categoryId: transport }, 'split'],
      [{ split: two(60, 30) }, 'split'], // adds up to 90
      [{ split: two(70, 31) }, 'split'], // 101
      [{ split: [{ categoryId: groceries, percent: 100 }] }, 'split'], // one part
      [{ split: Array.from({ length: 11 }, (_, i) => ({ categoryId: `c${i}`, percent: i === 0 ? 0 : 10 })) }, 'split'], // 11 parts
      [{ split: two(0, 100) }, 'split.0.percent'],
      [{ split: two(70.5, 29.5) }, 'split.0.percent'],
      [{ split: two(70, 'thirty') }, 'split.1.percent'],
      [{ split: two(70, 130) }, 'split.1.percent'],
      [{ split: [{ categoryId: groceries, percent: 50 }, { categoryId: groceries, percent: 50 }] }, 'split.1.categoryId'],
      [{ split: [{ categoryId: groceries, percent: 50 }, { categoryId: 'not-a-category', percent: 50 }] }, 'split.1.categoryId'],
      [{ split: [{ categoryId: groceries, percent: 50, extra: 1 }, { categoryId: household, percent: 50 }] }, 'split.0.extra'],
    ];
    for (const [extra, field] of cases) {
      const res = await h.call('POST', rulesPath(b), { token: token(), body: { ...base, ...extra } });
      expectProblem(res, 400, [field]);
    }
    expect(await ruleItems(b)).toEqual([]);
    const preview = await h.call('POST', `${rulesPath(b)}/preview`, { token: token(), body: { rule: { ...base, split: two(0, 100) } } });
    expectProblem(preview, 400, ['rule.split.0.percent']);
    const rule = await addRule(b, { ...base, categoryId: transport });
    const both = await h.call('PATCH', `${rulesPath(b)}/${rule.id}`, { token: token(), body: { categoryId: transport, split: two(70, 30) } });
    expectProblem(both, 400, ['split']);
    expectProblem(await h.call('PATCH', `${rulesPath(b)}/${rule.id}`, { token: token(), body: { split: two(70, 20) } }), 400, ['split']);
    expect((await ruleItems(b)).map((r) => [r.categoryId, r.split, r.version])).toEqual([[transport, undefined, 1]]);
  });
});

describe('split rules on new expenses', { timeout: 180_000 }, () => {
  it('a POST without a category becomes a split expense with the exact parts; the summary counts each part in its category', async () => {
    const { b, groceries, household, transport } = await fresh();
    const costco = await addRule(b, {
      merchant: { equals: 'Costco' },
      split: [
        { categoryId: groceries, percent: 70 },
        { categoryId: household, percent: 30 },
      ],
      tags: ['bulk'],
    });
    await addRule(b, {
      merchant: { equals: 'Market' },
      split: [
        { categoryId: groceries, percent: 33 },
        { categoryId: household, percent: 33 },
        { categoryId: transport, percent: 34 },
      ],
    });
    // 999 at 70/30: 699.3 -> 699, 299.7 -> 299, the unit left to the larger remainder (.7): 699 + 300.
    const a = await postExpense(b, { amount: 999, occurredOn: '2026-11-20', merchant: 'COSTCO', tags: ['food'] });
    expect([a.categoryId, a.splits, a.tags]).toEqual([
      null,
      [
        { categoryId: groceries, amount: 699 },
        { categoryId: household, amount: 300 },
      ],
      ['food', 'bulk'],
    ]);
    const recorded = await theEvent(h.t, 'expense.recorded', { expenseId: a.id });
    expect(recorded.envelope.data.categorizedBy).toEqual({ ruleId: costco.id });
    // 1000 at 33/33/34: 330, 330, 340 (no remainder).
    const m = await postExpense(b, { amount: 1000, occurredOn: '2026-11-21', merchant: 'Market' });
    expect(m.splits).toEqual([
      { categoryId: groceries, amount: 330 },
      { categoryId: household, amount: 330 },
      { categoryId: transport, amount: 340 },
    ]);
    // 1 at 70/30: 0.7 -> 0 and 0.3 -> 0, the unit to the .7: 1 + 0; the 0 part is dropped, one left: a plain Groceries expense.
    const tiny = await postExpense(b, { amount: 1, occurredOn: '2026-11-22', merchant: 'Costco' });
    expect([tiny.categoryId, 'splits' in tiny, tiny.tags]).toEqual([groceries, false, ['bulk']]);
    // A refund of 500 at 70/30: 350 + 150, each lowering its category.
    const refund = await postExpense(b, { amount: 500, occurredOn: '2026-11-23', merchant: 'Costco', refund: true });
    expect([refund.refund, refund.splits]).toEqual([
      true,
      [
        { categoryId: groceries, amount: 350 },
        { categoryId: household, amount: 150 },
      ],
    ]);
    // A create naming its category (the measured one-request path) is not touched.
    const named = await postExpense(b, { amount: 200, occurredOn: '2026-11-23', merchant: 'Costco', categoryId: transport });
    expect([named.categoryId, 'splits' in named]).toEqual([transport, false]);
    const nulled = await postExpense(b, { amount: 50, occurredOn: '2026-11-23', merchant: 'Costco', categoryId: null });
    expect([nulled.categoryId, 'splits' in nulled]).toEqual([null, false]);

    // Groceries 699 + 330 + 1 - 350 = 680; Household 300 + 330 - 150 = 480; Transport 340 + 200 = 540;
    // uncategorized 50; spent 999 + 1000 + 1 - 500 + 200 + 50 = 1750 (= 680 + 480 + 540 + 50).
    expect(await november(b)).toEqual({ spent: 1750, byCategory: { [groceries]: 680, [household]: 480, [transport]: 540 }, uncategorized: 50 });
  });

  it('a split by a rule sends what a create asking a rule sent before: the rules Query, then the one transaction', async () => {
    const { b, groceries, household, transport } = await fresh();
    await addRule(b, {
      merchant: { equals: 'Costco' },
      split: [
        { categoryId: groceries, percent: 70 },
        { categoryId: household, percent: 30 },
      ],
    });
    const sent = async (body: Record<string, unknown>) => {
      const { result, sent: commands } = await commandsSentDuring(h.t.doc, () => h.call('POST', expensesPath(b), { token: token(), body }));
      expect(result.status, result.text).toBe(201);
      // Left out, as in rules-apply.test.ts: the change counter's read of a shard this process has not written yet.
      const counterRead = (c: { name: string; input: unknown }) => c.name !== 'TransactWriteItemsCommand' && JSON.stringify(c.input).includes('expenses#changes#');
      return { commands: commands.filter((c) => !counterRead(c)).map((c) => c.name), split: 'splits' in result.json };
    };
    // Warm the change shards (the first writes of this process may read a counter).
    await sent({ amount: 5, occurredOn: '2026-11-21', categoryId: transport });
    expect(await sent({ amount: 999, occurredOn: '2026-11-21', merchant: 'Costco' })).toEqual({ commands: ['QueryCommand', 'TransactWriteItemsCommand'], split: true });
    // Naming the category: the measured one-request create, untouched.
    expect(await sent({ amount: 999, occurredOn: '2026-11-21', merchant: 'Costco', categoryId: transport })).toEqual({ commands: ['TransactWriteItemsCommand'], split: false });
  });

  it('an offline push create without a category is split too', async () => {
    const { b, groceries, household } = await fresh();
    const rule = await addRule(b, {
      merchant: { equals: 'Costco' },
      split: [
        { categoryId: groceries, percent: 50 },
        { categoryId: household, percent: 50 },
      ],
    });
    const [even, odd] = ['01JDZZ00000000000000009101', '01JDZZ00000000000000009102'];
    const res = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: token(),
      body: {
        mutations: [
          { op: 'create', id: even, expense: { amount: 100, occurredOn: '2026-11-20', merchant: 'Costco' } },
          { op: 'create', id: odd, expense: { amount: 101, occurredOn: '2026-11-20', merchant: 'Costco' } },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    // 100 at 50/50: 50 + 50. 101: 50.5 and 50.5 -> 50 + 50, the unit left to the earlier of equal remainders: 51 + 50.
    expect(res.json.results.map((r: { expense: { splits?: unknown } }) => r.expense.splits)).toEqual([
      [
        { categoryId: groceries, amount: 50 },
        { categoryId: household, amount: 50 },
      ],
      [
        { categoryId: groceries, amount: 51 },
        { categoryId: household, amount: 50 },
      ],
    ]);
    expect((await theEvent(h.t, 'expense.recorded', { expenseId: odd })).envelope.data.categorizedBy).toEqual({ ruleId: rule.id });
  });

  it('a split rule with a category the budget no longer has is passed over (the next rule applies)', async () => {
    const { b, groceries, household, transport } = await fresh();
    await addRule(b, {
      merchant: { equals: 'Costco' },
      split: [
        { categoryId: groceries, percent: 50 },
        { categoryId: household, percent: 50 },
      ],
    });
    await addRule(b, { merchant: { equals: 'Costco' }, categoryId: transport });
    // Household removed from the budget (PATCH of its categories).
    const budget = (await h.call('GET', `/v1/budgets/${b.id}`, { token: token() })).json;
    const kept = b.categories.filter((c) => c.id !== household);
    const removed = await h.call('PATCH', `/v1/budgets/${b.id}`, { token: token(), headers: { 'if-match': `"${budget.version}"` }, body: { categories: kept } });
    expect(removed.status, removed.text).toBe(200);
    // Without the day (the read-first create) and with it (the one-transaction create, whose budget check fails first).
    expect((await postExpense(b, { amount: 100, merchant: 'Costco' })).categoryId).toBe(transport);
    expect((await postExpense(b, { amount: 100, occurredOn: '2026-11-20', merchant: 'Costco' })).categoryId).toBe(transport);
  });

  it('a CSV row with an empty category becomes a split expense (the dry run names the parts)', async () => {
    const { b, groceries, household, transport } = await fresh();
    const rule = await addRule(b, {
      merchant: { contains: 'costco' },
      split: [
        { categoryId: groceries, percent: 70 },
        { categoryId: household, percent: 30 },
      ],
    });
    const csv = 'date,amount,category,description,merchant\n' + '2026-11-01,9.99,,,COSTCO WHOLESALE\n' + '2026-11-02,20.00,Transport,,Costco\n';
    const dry = await importCsv(b, csv, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    // 9.99 = 999 minor units: 699 + 300 (as above).
    const parts = [
      { categoryId: groceries, amount: 699 },
      { categoryId: household, amount: 300 },
    ];
    expect(dry.json.categorized).toEqual([{ line: 2, categoryId: null, splits: parts, ruleId: rule.id }]);
    const done = await importCsv(b, csv);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 2 });
    const listed = await h.listExpenses(b, token());
    expect(listed.map((e) => [e.occurredOn, e.amount, e.categoryId, e.splits])).toEqual([
      ['2026-11-02', 2000, transport, undefined],
      ['2026-11-01', 999, null, parts],
    ]);
    expect((await november(b)).byCategory).toEqual({ [groceries]: 699, [household]: 300, [transport]: 2000 });
  });
});

describe('split rules: an import at the bounds', { timeout: 120_000 }, () => {
  it("imports a month of daily rows split by a 10-part rule: one batch's running totals update names every (day, category) figure", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `Part ${i}`);
    const b = await h.createBudget(team.owner, { categories: names });
    const ids = b.categories.map((c) => c.id);
    await addRule(b, { merchant: { equals: 'Daily' }, split: ids.map((categoryId) => ({ categoryId, percent: 10 })) });
    // One row a day of October (31 rows: one chunk, one transaction), each split over the 10 categories.
    const rows = Array.from({ length: 31 }, (_, d) => `2026-10-${String(d + 1).padStart(2, '0')},10.00,,,Daily`);
    const done = await importCsv(b, ['date,amount,category,description,merchant', ...rows, ''].join('\n'));
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', imported: 31, errors: [] });
    const october = await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-10-15`, { token: token() });
    expect(october.json.spent).toBe(31 * 1_000);
    expect((october.json.categories as { spent: number }[]).map((c) => c.spent)).toEqual(ids.map(() => 31 * 100));
  });
});

describe('split rules: preview and apply', { timeout: 180_000 }, () => {
  it('the preview lists the matches; the apply splits plain expenses (any category or none), skips split ones, and counts those it split unchanged', async () => {
    const { b, groceries, household, transport } = await fresh();
    const split = [
      { categoryId: groceries, percent: 70 },
      { categoryId: household, percent: 30 },
    ];
    // Recorded before the rule: an uncategorized one, one in Transport, one split by hand.
    const plain = await postExpense(b, { amount: 999, occurredOn: '2026-11-10', merchant: 'Costco', categoryId: null });
    const filed = await postExpense(b, { amount: 1000, occurredOn: '2026-11-11', merchant: 'Costco', categoryId: transport });
    const byHand = await postExpense(b, {
      amount: 100,
      occurredOn: '2026-11-12',
      merchant: 'Costco',
      splits: [
        { categoryId: groceries, amount: 60 },
        { categoryId: transport, amount: 40 },
      ],
    });
    const preview = await h.call('POST', `${rulesPath(b)}/preview`, { token: token(), body: { rule: { merchant: { equals: 'Costco' }, split } } });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.matches.map((m: { id: string }) => m.id)).toEqual([byHand.id, filed.id, plain.id]);

    const rule = await addRule(b, { merchant: { equals: 'Costco' }, split, tags: ['bulk'] });
    const applied = await h.call('POST', `${rulesPath(b)}/${rule.id}/apply`, { token: token(), body: {} });
    expect(applied.status, applied.text).toBe(200);
    // 1000 at 70/30: 700 + 300 exactly; 999: 699 + 300 (as above).
    expect(applied.json).toMatchObject({
      applied: [
        {
          id: filed.id,
          splits: [
            { categoryId: groceries, amount: 700 },
            { categoryId: household, amount: 300 },
          ],
          tags: ['bulk'],
        },
        {
          id: plain.id,
          splits: [
            { categoryId: groceries, amount: 699 },
            { categoryId: household, amount: 300 },
          ],
          tags: ['bulk'],
        },
      ],
      unchanged: 0,
      skipped: 1,
      failed: [],
      more: false,
    });
    const now = await h.call('GET', `${expensesPath(b)}/${filed.id}`, { token: token() });
    expect([now.json.categoryId, now.json.splits]).toEqual([
      null,
      [
        { categoryId: groceries, amount: 700 },
        { categoryId: household, amount: 300 },
      ],
    ]);
    // Groceries 700 + 699 + 60 = 1459; Household 300 + 300 = 600; Transport 40 (the split by hand).
    expect(await november(b)).toEqual({ spent: 2099, byCategory: { [groceries]: 1459, [household]: 600, [transport]: 40 }, uncategorized: 0 });
    // Again: the two it split have exactly the parts it would give them now (and its tag), so the
    // apply would change nothing: unchanged; the one split by hand (60/40, not 70/30) stays skipped.
    const again = await h.call('POST', `${rulesPath(b)}/${rule.id}/apply`, { token: token(), body: {} });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ applied: [], unchanged: 2, skipped: 1, failed: [], more: false });
    // Changed by hand to other parts, it is a split expense the rule did not make: skipped.
    const moved = await h.call('PATCH', `${expensesPath(b)}/${plain.id}`, {
      token: token(),
      body: { splits: [{ categoryId: groceries, amount: 500 }, { categoryId: household, amount: 499 }] },
    });
    expect(moved.status, moved.text).toBe(200);
    expect((await h.call('POST', `${rulesPath(b)}/${rule.id}/apply`, { token: token(), body: {} })).json).toMatchObject({ applied: [], unchanged: 1, skipped: 2, more: false });
  });
});
