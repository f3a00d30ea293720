import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import type { Budget, Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * Split recurring expenses through HTTP and the real job (DynamoDB Local, fixed clock): a
 * definition takes `splits` under exactly the rules of a split expense, shows them, and every
 * occurrence the job records is a split expense with those parts, credited per part in the
 * summary, exactly once. The forecast credits the scheduled parts per category. Every expected
 * figure is worked out by hand from the amounts and dates chosen.
 */
// 2026-11-24 is a Tuesday.
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { clock, created, req, run, collection } = suite;
let h: Harness;
let owner: User;
beforeAll(() => {
  h = suite.harness();
  owner = suite.owner();
});

const DAY = 24 * 60 * 60 * 1000;

async function setUp(b: Budget, body: Record<string, unknown>) {
  const res = await req('POST', collection(b), { body });
  expect(res.status, res.text).toBe(201);
  created.push(res.headers.get('location')!);
  return res.json as { id: string; version: number; splits?: unknown };
}

/** The budget's expenses, oldest occurredOn first. */
const expensesOf = (b: Budget) => suite.expensesOf<{ id: string; occurredOn: string; amount: number; categoryId: string | null; splits?: unknown }>(b);

/** The summary of November 2026: total spent, spent per category (those spending nothing left out), uncategorized. */
async function november(b: Budget) {
  const res = await req('GET', `/v1/budgets/${b.id}/summary?date=2026-11-24`);
  expect(res.status, res.text).toBe(200);
  const byCategory = Object.fromEntries((res.json.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
  return { spent: res.json.spent as number, byCategory, uncategorized: res.json.uncategorizedSpent as number };
}

async function freshBudget(categories = ['Groceries', 'Household', 'Transport']) {
  const b = await h.createBudget(owner, { categories });
  return { b, ids: b.categories.map((c) => c.id) as [string, string, string] };
}

const daily = { frequency: 'daily' };

describe('split recurring expenses: the definition', { timeout: 120_000 }, () => {
  it('is created, read and listed with its parts (categoryId null, descriptions trimmed)', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids;
    const res = await req('POST', collection(b), {
      body: {
        amount: 12_000,
        merchant: 'Supermarket',
        splits: [{ categoryId: g, amount: 8_000, description: ' Food ' }, { categoryId: hh, amount: 3_000 }, { categoryId: null, amount: 1_000 }],
        schedule: { frequency: 'monthly', startsOn: '2026-12-01' },
      },
    });
    expect(res.status, res.text).toBe(201);
    created.push(res.headers.get('location')!);
    const splits = [{ categoryId: g, amount: 8_000, description: 'Food' }, { categoryId: hh, amount: 3_000 }, { categoryId: null, amount: 1_000 }];
    expect(res.json).toMatchObject({ amount: 12_000, categoryId: null, splits, merchant: 'Supermarket', nextOccurrenceOn: '2026-12-01', version: 1 });
    await h.expectCreated(res, collection(b), owner, '"1-n20261201"');
    const list = await req('GET', collection(b));
    expect(list.json.items.map((r: { splits?: unknown }) => r.splits)).toEqual([splits]);

    // A definition that is not split has no splits field.
    const single = await setUp(b, { amount: 500, categoryId: g, schedule: daily });
    expect(single).not.toHaveProperty('splits');
  });

  it('PATCH replaces the parts (alone or with amount), removes them with splits: null, splits a single-category one', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh, tr] = ids;
    const r = await setUp(b, { amount: 100, splits: [{ categoryId: g, amount: 60 }, { categoryId: hh, amount: 40 }], schedule: daily });
    const url = `${collection(b)}/${r.id}`;

    let res = await req('PATCH', url, { body: { splits: [{ categoryId: g, amount: 10 }, { categoryId: null, amount: 90 }] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ amount: 100, categoryId: null, splits: [{ categoryId: g, amount: 10 }, { categoryId: null, amount: 90 }], version: 2 });

    res = await req('PATCH', url, { body: { amount: 250, splits: [{ categoryId: tr, amount: 50 }, { categoryId: hh, amount: 200, description: 'soap' }] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ amount: 250, categoryId: null, splits: [{ categoryId: tr, amount: 50 }, { categoryId: hh, amount: 200, description: 'soap' }], version: 3 });

    res = await req('PATCH', url, { body: { splits: null, categoryId: g, amount: 70 } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ amount: 70, categoryId: g, version: 4 });
    expect(res.json).not.toHaveProperty('splits');
    expect((await req('GET', url)).json).not.toHaveProperty('splits');

    // Splitting a single-category definition leaves it with categoryId null.
    res = await req('PATCH', url, { body: { splits: [{ categoryId: g, amount: 35 }, { categoryId: hh, amount: 35 }] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ amount: 70, categoryId: null, splits: [{ categoryId: g, amount: 35 }, { categoryId: hh, amount: 35 }], version: 5 });

    // splits: null alone: the definition is uncategorized, as a split expense's own category is.
    res = await req('PATCH', url, { body: { splits: null } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ amount: 70, categoryId: null, version: 6 });
    expect(res.json).not.toHaveProperty('splits');
  });

  it('refuses what a split expense refuses, with a 400 naming the field, and writes nothing', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids;
    const parts = (a: number, c: number) => [{ categoryId: g, amount: a }, { categoryId: hh, amount: c }];
    const base = { amount: 100, schedule: daily };
    expectProblem(await req('POST', collection(b), { body: { ...base, splits: parts(50, 49) } }), 400, ['splits']);
    expectProblem(await req('POST', collection(b), { body: { ...base, categoryId: g, splits: parts(50, 50) } }), 400, ['categoryId']);
    expectProblem(await req('POST', collection(b), { body: { ...base, splits: [{ categoryId: g, amount: 50 }, { categoryId: 'not-a-category', amount: 50 }] } }), 400, [
      'splits.1.categoryId',
    ]);
    expectProblem(await req('POST', collection(b), { body: { ...base, splits: [{ categoryId: g, amount: 100 }] } }), 400, ['splits']);
    expectProblem(
      await req('POST', collection(b), { body: { amount: 51, schedule: daily, splits: Array.from({ length: 51 }, () => ({ categoryId: null, amount: 1 })) } }),
      400,
      ['splits'],
    );
    expectProblem(await req('POST', collection(b), { body: { ...base, splits: [{ categoryId: g, amount: 100 }, { categoryId: hh, amount: 0 }] } }), 400, ['splits.1.amount']);
    expectProblem(await req('POST', collection(b), { body: { ...base, splits: [{ categoryId: g, amount: 50, colour: 'red' }, { categoryId: hh, amount: 50 }] } }), 400);
    expect((await req('GET', collection(b))).json.items).toEqual([]);

    const r = await setUp(b, { ...base, splits: parts(60, 40) });
    const url = `${collection(b)}/${r.id}`;
    const before = (await req('GET', url)).json;
    expectProblem(await req('PATCH', url, { body: { amount: 120 } }), 400, ['splits']); // amount alone on a split definition
    expectProblem(await req('PATCH', url, { body: { categoryId: g } }), 400, ['categoryId']);
    expectProblem(await req('PATCH', url, { body: { splits: parts(1, 2) } }), 400, ['splits']);
    expectProblem(await req('PATCH', url, { body: { amount: 3, splits: parts(1, 1) } }), 400, ['splits']);
    expectProblem(await req('PATCH', url, { body: { splits: [{ categoryId: 'gone', amount: 50 }, { categoryId: hh, amount: 50 }] } }), 400, ['splits.0.categoryId']);
    expect((await req('GET', url)).json).toEqual(before);
  });
});

describe('split recurring expenses: the job', { timeout: 120_000 }, () => {
  it('records each occurrence once as a split expense; the summary credits every part to its category', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids;
    const splits = [{ categoryId: g, amount: 600, description: 'bread' }, { categoryId: hh, amount: 300 }, { categoryId: null, amount: 100 }];
    const r = await setUp(b, { amount: 1_000, merchant: 'Corner shop', splits, schedule: daily });

    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [first, ...none] = await expensesOf(b);
    expect(none).toEqual([]);
    expect(first).toMatchObject({ amount: 1_000, categoryId: null, splits, occurredOn: '2026-11-24', merchant: 'Corner shop' });
    expect(await november(b)).toEqual({ spent: 1_000, byCategory: { [g]: 600, [hh]: 300 }, uncategorized: 100 });
    const recorded = (await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(recorded.map((e) => e.envelope.data)).toEqual([expect.objectContaining({ amount: 1_000, categoryId: null, splits, via: 'recurring', recurringExpenseId: r.id })]);

    // Two days later, run twice (and twice at once): 11-25 and 11-26 are recorded exactly once each.
    clock.advance(2 * DAY);
    const reports = [await run(), ...(await Promise.all([run(), run()]))];
    expect(reports.reduce((n, x) => n + x.recorded, 0)).toBe(2);
    expect(reports.every((x) => x.failed === 0)).toBe(true);
    const expenses = await expensesOf(b);
    expect(expenses.map((e) => e.occurredOn)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
    expect(expenses.every((e) => e.categoryId === null && JSON.stringify(e.splits) === JSON.stringify(splits))).toBe(true);
    expect(await november(b)).toEqual({ spent: 3 * 1_000, byCategory: { [g]: 3 * 600, [hh]: 3 * 300 }, uncategorized: 3 * 100 });
    // The list by category finds the split occurrences under each part's category.
    const byGroceries = await req('GET', `/v1/budgets/${b.id}/expenses?categoryId=${g}`);
    expect(byGroceries.json.items.map((e: { occurredOn: string }) => e.occurredOn)).toEqual(['2026-11-26', '2026-11-25', '2026-11-24']);
  });

  it('after PATCH splits: null the next occurrences are not split; those recorded keep their parts', async () => {
    const { b, ids } = await freshBudget();
    const [g, hh, tr] = ids;
    const r = await setUp(b, { amount: 100, splits: [{ categoryId: g, amount: 70 }, { categoryId: hh, amount: 30 }], schedule: daily });
    expect(await run()).toMatchObject({ recorded: 1 });
    const res = await req('PATCH', `${collection(b)}/${r.id}`, { body: { splits: null, categoryId: tr } });
    expect(res.status, res.text).toBe(200);
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    const [split, single] = await expensesOf(b);
    expect(split).toMatchObject({ occurredOn: '2026-11-24', categoryId: null, splits: [{ categoryId: g, amount: 70 }, { categoryId: hh, amount: 30 }] });
    expect(single).toMatchObject({ occurredOn: '2026-11-25', categoryId: tr, amount: 100 });
    expect(single).not.toHaveProperty('splits');
    expect(await november(b)).toEqual({ spent: 200, byCategory: { [g]: 70, [hh]: 30, [tr]: 100 }, uncategorized: 0 });
  });

  it('records a part whose category was removed from the budget uncategorized, the other parts in theirs', async () => {
    const { b, ids } = await freshBudget(['Gym', 'Other']);
    const [gym, other] = ids;
    await setUp(b, { amount: 100, splits: [{ categoryId: gym, amount: 60, description: 'fee' }, { categoryId: other, amount: 40 }], schedule: daily });
    const patched = await req('PATCH', `/v1/budgets/${b.id}`, { body: { categories: [{ id: other, name: 'Other' }] } });
    expect(patched.status, patched.text).toBe(200);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [expense] = await expensesOf(b);
    expect(expense).toMatchObject({ amount: 100, categoryId: null, splits: [{ categoryId: null, amount: 60, description: 'fee' }, { categoryId: other, amount: 40 }] });
    expect(await november(b)).toEqual({ spent: 100, byCategory: { [other]: 40 }, uncategorized: 60 });
  });

  it("a split occurrence's transaction writes the same items as a single-category one", async () => {
    const { b, ids } = await freshBudget();
    const [g, hh] = ids;
    const itemsOfOneOccurrence = async (body: Record<string, unknown>) => {
      await setUp(b, { amount: 100, schedule: daily, ...body });
      const { result, sent } = await commandsSentDuring(h.t.doc, run);
      expect(result).toMatchObject({ recorded: 1, failed: 0 });
            // Delete it, so the next run only sees the next definition.
      for (const url of created.splice(0)) await req('DELETE', url);
      return (writeItemsOf(sent) as Record<string, unknown>[]).map((i) => Object.keys(i)[0]);
    };
    const single = await itemsOfOneOccurrence({ categoryId: g });
    const split = await itemsOfOneOccurrence({ splits: [{ categoryId: g, amount: 30 }, { categoryId: hh, amount: 70 }] });
    expect(split).toEqual(single);
  });
});

describe('split recurring expenses: the forecast', { timeout: 120_000 }, () => {
  it('credits the scheduled parts to their categories (null parts uncategorized) and lists them in upcoming', async () => {
    const { b, ids } = await freshBudget(['Groceries', 'Household']);
    const [g, hh] = ids;
    const splits = [{ categoryId: g, amount: 600 }, { categoryId: hh, amount: 300, description: 'soap' }, { categoryId: null, amount: 100 }];
    // Daily from today (2026-11-24): 24..30, 7 occurrences in November.
    const split = await setUp(b, { amount: 1_000, splits, schedule: daily });
    // Daily groceries 24..26: 3 occurrences.
    const milk = await setUp(b, { amount: 500, categoryId: g, schedule: { frequency: 'daily', endsOn: '2026-11-26' } });

    const forecast = async () => {
      const res = await req('GET', `/v1/budgets/${b.id}/forecast?date=2026-11-24`);
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    let f = await forecast();
    expect(f).toMatchObject({ spent: 0, scheduled: 7 * 1_000 + 3 * 500, projectedSpent: 8_500 });
    expect(f.categories.map((c: { categoryId: string; spent: number; scheduled: number }) => [c.categoryId, c.spent, c.scheduled])).toEqual([
      [g, 0, 7 * 600 + 3 * 500],
      [hh, 0, 7 * 300],
    ]);
    expect(f.uncategorized).toEqual({ spent: 0, scheduled: 7 * 100, projectedSpent: 7 * 100 });
    const splitEntries = f.upcoming.filter((o: { recurringExpenseId: string }) => o.recurringExpenseId === split.id);
    expect(splitEntries.map((o: { occurredOn: string }) => o.occurredOn)).toEqual(['24', '25', '26', '27', '28', '29', '30'].map((d) => `2026-11-${d}`));
    expect(splitEntries[0]).toEqual({ recurringExpenseId: split.id, occurredOn: '2026-11-24', amount: 1_000, categoryId: null, splits, count: null, paymentsLeft: null, paymentNumber: null });
    expect(f.upcoming.find((o: { recurringExpenseId: string }) => o.recurringExpenseId === milk.id)).not.toHaveProperty('splits');

    // Once today's occurrences are recorded they are spent, per part, no longer scheduled.
    expect(await run()).toMatchObject({ recorded: 2, failed: 0 });
    f = await forecast();
    expect(f).toMatchObject({ spent: 1_500, scheduled: 6 * 1_000 + 2 * 500, projectedSpent: 8_500 });
    expect(f.categories.map((c: { categoryId: string; spent: number; scheduled: number }) => [c.categoryId, c.spent, c.scheduled])).toEqual([
      [g, 600 + 500, 6 * 600 + 2 * 500],
      [hh, 300, 6 * 300],
    ]);
    expect(f.uncategorized).toEqual({ spent: 100, scheduled: 6 * 100, projectedSpent: 7 * 100 });
  });
});
