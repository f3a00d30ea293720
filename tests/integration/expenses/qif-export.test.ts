import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * GET /v1/budgets/{budgetId}/expenses/export?format=qif: the QIF file of a budget's expenses,
 * and the round trip through our own QIF import (POST .../expenses/import, application/qif)
 * into a fresh budget with the same category names: the same totals per category, the text
 * fields back (a description's line break as a space), the first tag back as a class.
 */
let h: Harness;
let owner: User;
let viewer: User;
let stranger: User;
let a: Budget;

const CATEGORIES = ['Groceries', 'Household', 'Fun'];

async function add(b: Budget, body: Record<string, unknown>) {
  const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: owner.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

const exportQif = (b: Budget, token: string, query = '?format=qif') => h.call('GET', `/v1/budgets/${b.id}/expenses/export${query}`, { token });

const importQif = (b: Budget, body: string, query = '') =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import?credits=refunds${query}`, { token: owner.token, rawBody: body, headers: { 'content-type': 'application/qif', prefer: 'wait=25' } });

/** The summary's figures by category name (ids differ between budgets), and the uncategorized and whole spending. */
async function figures(b: Budget) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-11-15`, { token: owner.token });
  expect(res.status, res.text).toBe(200);
  const byName = Object.fromEntries(b.categories.map((c) => [c.name, res.json.categories.find((s: { categoryId: string }) => s.categoryId === c.id).spent]));
  return { spent: res.json.spent, uncategorizedSpent: res.json.uncategorizedSpent, ...byName };
}

/** An expense's fields that travel in a QIF file, with categories by name. */
const view = (b: Budget, e: any) => {
  const name = (id: string | null) => (id === null ? null : b.categories.find((c) => c.id === id)!.name);
  return {
    occurredOn: e.occurredOn,
    amount: e.amount,
    refund: e.refund ?? false,
    category: name(e.categoryId),
    merchant: e.merchant,
    description: e.description,
    tags: e.tags,
    splits: e.splits?.map((p: any) => ({ category: name(p.categoryId), amount: p.amount, description: p.description })),
  };
};

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  viewer = await h.signup('viewer');
  stranger = await h.signup('stranger');
  a = await h.createBudget(owner, { categories: CATEGORIES });
  await h.addMember(a, owner, viewer, 'viewer');
  const [groceries, household, fun] = a.categories;
  // Every day of these is 1..12: a month-first file (11/02/2026) would read two ways.
  await add(a, { amount: 1000, occurredOn: '2026-11-02', merchant: 'Corner Shop' });
  await add(a, { amount: 2550, occurredOn: '2026-11-03', categoryId: groceries!.id, merchant: 'Market', description: 'Weekly shop' });
  await add(a, {
    amount: 4000,
    occurredOn: '2026-11-04',
    merchant: 'IKEA',
    description: 'Big shop',
    splits: [
      { categoryId: household!.id, amount: 3000, description: 'Lamp' },
      { categoryId: groceries!.id, amount: 1000 },
    ],
  });
  await add(a, { amount: 599, occurredOn: '2026-11-05', refund: true, categoryId: household!.id, merchant: 'IKEA', description: 'Returned lamp' });
  await add(a, { amount: 1200, occurredOn: '2026-11-06', categoryId: fun!.id, merchant: 'Cinema', description: 'Film\nwith friends' });
  await add(a, { amount: 800, occurredOn: '2026-11-07', categoryId: fun!.id, merchant: 'Bar', tags: ['date-night', 'friday'] });
});
afterAll(() => h.destroy());

/** The export of budget A, worked out by hand: newest first, the refund positive, the split's parts, the first tag as a class. */
const EXPECTED = [
  '!Type:Bank',
  'D2026-11-07',
  'T-8.00',
  'PBar',
  'LFun/date-night',
  '^',
  'D2026-11-06',
  'T-12.00',
  'PCinema',
  'MFilm with friends',
  'LFun',
  '^',
  'D2026-11-05',
  'T5.99',
  'PIKEA',
  'MReturned lamp',
  'LHousehold',
  '^',
  'D2026-11-04',
  'T-40.00',
  'PIKEA',
  'MBig shop',
  'SHousehold',
  'ELamp',
  '$-30.00',
  'SGroceries',
  '$-10.00',
  '^',
  'D2026-11-03',
  'T-25.50',
  'PMarket',
  'MWeekly shop',
  'LGroceries',
  '^',
  'D2026-11-02',
  'T-10.00',
  'PCorner Shop',
  '^',
  '',
].join('\r\n');

describe('QIF export', { timeout: 120_000 }, () => {
  it('answers a QIF file (application/qif, a .qif name) to any member, with the CSV export filters', async () => {
    const res = await exportQif(a, viewer.token);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/qif; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="expenses-${a.id}-start-end.qif"`);
    expect(res.text).toBe(EXPECTED);

    const ranged = await exportQif(a, owner.token, '?format=qif&from=2026-11-06&to=2026-11-07');
    expect(ranged.headers.get('content-disposition')).toContain(`expenses-${a.id}-2026-11-06-2026-11-07.qif`);
    expect(ranged.text.split('\r\n').filter((l) => l.startsWith('D'))).toEqual(['D2026-11-07', 'D2026-11-06']);
    // With categoryId the split expense holds its part there: Groceries is 10.00 of it and 25.50.
    const groceries = await exportQif(a, owner.token, `?format=qif&categoryId=${a.categories[0]!.id}`);
    expect(groceries.text).toBe(['!Type:Bank', 'D2026-11-04', 'T-10.00', 'PIKEA', 'MBig shop', 'LGroceries', '^', 'D2026-11-03', 'T-25.50', 'PMarket', 'MWeekly shop', 'LGroceries', '^', ''].join('\r\n'));

    // format=csv is the CSV file, as no format.
    const csv = await exportQif(a, owner.token, '?format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text).toBe((await exportQif(a, owner.token, '')).text);
  });

  it('imports back into a budget with the same category names: the same totals per category, the text fields, the tag; again: nothing added', async () => {
    const file = (await exportQif(a, owner.token)).text;
    // By hand: 10.00 + 25.50 + 40.00 - 5.99 + 12.00 + 8.00 = 89.51; Groceries 25.50 + 10.00,
    // Household 30.00 - 5.99, Fun 12.00 + 8.00, uncategorized the Corner Shop's 10.00.
    const expected = { spent: 8951, uncategorizedSpent: 1000, Groceries: 3550, Household: 2401, Fun: 2000 };
    expect(await figures(a)).toEqual(expected);

    const b = await h.createBudget(owner, { categories: CATEGORIES });
    const res = await importQif(b, file);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 6, imported: 6, duplicates: 0, errorCount: 0 });
    expect(await figures(b)).toEqual(expected);

    const listed = (await h.listExpenses(b, owner.token)).map((e) => view(b, e));
    expect(listed).toEqual([
      { occurredOn: '2026-11-07', amount: 800, refund: false, category: 'Fun', merchant: 'Bar', description: undefined, tags: ['date-night'], splits: undefined },
      { occurredOn: '2026-11-06', amount: 1200, refund: false, category: 'Fun', merchant: 'Cinema', description: 'Film with friends', tags: undefined, splits: undefined },
      { occurredOn: '2026-11-05', amount: 599, refund: true, category: 'Household', merchant: 'IKEA', description: 'Returned lamp', tags: undefined, splits: undefined },
      {
        occurredOn: '2026-11-04',
        amount: 4000,
        refund: false,
        category: null,
        merchant: 'IKEA',
        description: 'Big shop',
        tags: undefined,
        splits: [
          { category: 'Household', amount: 3000, description: 'Lamp' },
          { category: 'Groceries', amount: 1000, description: undefined },
        ],
      },
      { occurredOn: '2026-11-03', amount: 2550, refund: false, category: 'Groceries', merchant: 'Market', description: 'Weekly shop', tags: undefined, splits: undefined },
      { occurredOn: '2026-11-02', amount: 1000, refund: false, category: null, merchant: 'Corner Shop', description: undefined, tags: undefined, splits: undefined },
    ]);

    // Exported from B, the file is A's (only the second tag and the line break were lost on the way).
    expect((await exportQif(b, owner.token)).text).toBe(EXPECTED);

    const again = await importQif(b, file);
    expect(again.json).toMatchObject({ status: 'succeeded', total: 6, imported: 0, duplicates: 6, errorCount: 0 });
    expect(await h.listExpenses(b, owner.token)).toHaveLength(6);
    expect(await figures(b)).toEqual(expected);
  });

  it('walks every page of the list, as the CSV export (pages of 2 here)', async () => {
    const app = h.expensesAppWith({ csv: { exportPageSize: 2 } });
    const res = await call(app, 'GET', `/v1/budgets/${a.id}/expenses/export?format=qif`, { token: owner.token });
    expect(res.text).toBe(EXPECTED);
  });

  it('writes MM/DD/YYYY or DD/MM/YYYY dates when asked; the MM/DD/YYYY file imports back with dateFormat=MM/DD/YYYY: the same totals', async () => {
    const us = await exportQif(a, owner.token, '?format=qif&dateFormat=MM/DD/YYYY');
    expect(us.status, us.text).toBe(200);
    // The same file with each D month first: 2026-11-07 is 11/07/2026.
    expect(us.text).toBe(EXPECTED.replace(/^D2026-11-(\d\d)$/gm, 'D11/$1/2026'));
    expect(us.text.split('\r\n').filter((l) => l.startsWith('D'))).toEqual(['D11/07/2026', 'D11/06/2026', 'D11/05/2026', 'D11/04/2026', 'D11/03/2026', 'D11/02/2026']);
    const eu = await exportQif(a, owner.token, '?format=qif&dateFormat=DD/MM/YYYY&from=2026-11-07');
    expect(eu.text).toBe(['!Type:Bank', 'D07/11/2026', 'T-8.00', 'PBar', 'LFun/date-night', '^', ''].join('\r\n'));
    expect((await exportQif(a, owner.token, '?format=qif&dateFormat=YYYY-MM-DD')).text).toBe(EXPECTED);

    const b = await h.createBudget(owner, { categories: CATEGORIES });
    // Every day is 1..12: without dateFormat the file reads two ways, refused with nothing imported.
    expectProblem(await importQif(b, us.text), 400, ['query.dateFormat']);
    const res = await importQif(b, us.text, '&dateFormat=MM/DD/YYYY');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 6, imported: 6, duplicates: 0, errorCount: 0 });
    // By hand, as the ISO round trip above: 89.51 in all; Groceries 35.50, Household 24.01, Fun 20.00, uncategorized 10.00.
    expect(await figures(b)).toEqual({ spent: 8951, uncategorizedSpent: 1000, Groceries: 3550, Household: 2401, Fun: 2000 });
    expect((await h.listExpenses(b, owner.token)).map((e: { occurredOn: string }) => e.occurredOn)).toEqual(['2026-11-07', '2026-11-06', '2026-11-05', '2026-11-04', '2026-11-03', '2026-11-02']);
  });

  it('refuses a dateFormat it does not write, and any dateFormat on the CSV file, naming query.dateFormat', async () => {
    for (const query of ['?format=qif&dateFormat=YYYY/MM/DD', '?format=qif&dateFormat=DD.MM.YYYY', '?format=qif&dateFormat=', '?format=csv&dateFormat=MM/DD/YYYY', '?dateFormat=YYYY-MM-DD']) {
      expectProblem(await exportQif(a, owner.token, query), 400, ['query.dateFormat']);
    }
  });

  it('refuses another format naming it, and keeps the access rules', async () => {
    expectProblem(await exportQif(a, owner.token, '?format=xls'), 400, ['query.format']);
    expectProblem(await exportQif(a, owner.token, '?format=QIF'), 400, ['query.format']);
    expectProblem(await exportQif(a, stranger.token), 404);
    expectProblem(await h.call('GET', `/v1/budgets/${a.id}/expenses/export?format=qif`), 401);
  });
});

describe('QIF export and import of a split refund', { timeout: 120_000 }, () => {
  it('writes its parts positive and imports back (credits=refunds) as a split refund: the same summary per category; again: nothing added', async () => {
    const c = await h.createBudget(owner, { categories: CATEGORIES });
    const [groceries, household] = c.categories;
    await add(c, { amount: 10000, occurredOn: '2026-11-10', categoryId: household!.id, merchant: 'IKEA' });
    await add(c, { amount: 2000, occurredOn: '2026-11-11', categoryId: groceries!.id, merchant: 'Market' });
    await add(c, {
      amount: 4500,
      occurredOn: '2026-11-12',
      refund: true,
      merchant: 'IKEA',
      description: 'Returned',
      tags: ['returns'],
      splits: [
        { categoryId: household!.id, amount: 3000, description: 'Lamp back' },
        { categoryId: groceries!.id, amount: 1500 },
      ],
    });
    const file = (await exportQif(c, owner.token)).text;
    expect(file).toBe(
      [
        '!Type:Bank',
        ...['D2026-11-12', 'T45.00', 'PIKEA', 'MReturned', 'L/returns', 'SHousehold', 'ELamp back', '$30.00', 'SGroceries', '$15.00', '^'],
        ...['D2026-11-11', 'T-20.00', 'PMarket', 'LGroceries', '^'],
        ...['D2026-11-10', 'T-100.00', 'PIKEA', 'LHousehold', '^'],
        '',
      ].join('\r\n'),
    );
    // By hand: 100.00 + 20.00 - 45.00 = 75.00; Household 100.00 - 30.00, Groceries 20.00 - 15.00.
    const expected = { spent: 7500, uncategorizedSpent: 0, Groceries: 500, Household: 7000, Fun: 0 };
    expect(await figures(c)).toEqual(expected);

    const d = await h.createBudget(owner, { categories: CATEGORIES });
    const res = await importQif(d, file);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 3, imported: 3, duplicates: 0, errorCount: 0 });
    expect(await figures(d)).toEqual(expected);
    const listed = (await h.listExpenses(d, owner.token)).map((e) => view(d, e));
    expect(listed[0]).toEqual({
      occurredOn: '2026-11-12',
      amount: 4500,
      refund: true,
      category: null,
      merchant: 'IKEA',
      description: 'Returned',
      tags: ['returns'],
      splits: [
        { category: 'Household', amount: 3000, description: 'Lamp back' },
        { category: 'Groceries', amount: 1500, description: undefined },
      ],
    });
    expect((await exportQif(d, owner.token)).text).toBe(file);

    const again = await importQif(d, file);
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 3, errorCount: 0 });
    expect(await figures(d)).toEqual(expected);
  });
});
