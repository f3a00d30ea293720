import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { importExpenses } from './seed';

/**
 * GET /v1/budgets/{budgetId}/expenses/export: the CSV file of a budget's expenses (RFC 4180,
 * major units, category names, formula-injection guard), its date filter, roles and headers.
 */
let h: Harness;
let owner: User;
let viewer: User;
let stranger: User;
let budget: Budget;
const exportPath = (query = '') => `/v1/budgets/${budget.id}/expenses/export${query}`;

async function add(b: Budget, body: Record<string, unknown>) {
  const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: owner.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  viewer = await h.signup('viewer');
  stranger = await h.signup('stranger');
  budget = await h.createBudget(owner, { categories: ['Groceries', '=Sneaky'] });
  await h.addMember(budget, owner, viewer, 'viewer');
  const [groceries, sneaky] = budget.categories;
  await add(budget, { amount: 1250, occurredOn: '2026-11-01', categoryId: groceries!.id, description: 'Weekly shop', merchant: 'Corner Market' });
  await add(budget, { amount: 5, occurredOn: '2026-11-03', description: 'Said "hi", then left\nsecond line' });
  await add(budget, { amount: 100_000, occurredOn: '2026-11-02', categoryId: sneaky!.id, description: '=HYPERLINK("http://evil")', merchant: '@cmd' });
  await add(budget, { amount: 700, occurredOn: '2026-10-31', description: '-5 refund', merchant: '+plus' });
});
afterAll(() => h.destroy());

describe('CSV export', { timeout: 120_000 }, () => {
  it('sends every expense, newest first, with a header, major units, category names and RFC 4180 quoting', async () => {
    const res = await h.call('GET', exportPath(), { token: owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="expenses-${budget.id}-start-end.csv"`);
    expect(res.text).toBe(
      'date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed,recurringExpenseId\r\n' +
        '2026-11-03,0.05,,"Said ""hi"", then left\nsecond line",,,,,true,\r\n' +
        `2026-11-02,1000.00,'=Sneaky,"'=HYPERLINK(""http://evil"")",'@cmd,,,,true,\r\n` +
        '2026-11-01,12.50,Groceries,Weekly shop,Corner Market,,,,true,\r\n' +
        "2026-10-31,7.00,,'-5 refund,'+plus,,,,true,\r\n",
    );
    // A CSV reader gets the values back (the guard's apostrophe aside).
    expect(parse(res.text)[1]).toEqual(['2026-11-03', '0.05', '', 'Said "hi", then left\nsecond line', '', '', '', '', 'true', '']);
  });

  it('filters by from and to (inclusive), and names the range in the file name', async () => {
    const res = await h.call('GET', exportPath('?from=2026-11-01&to=2026-11-02'), { token: viewer.token });
    expect(res.status, res.text).toBe(200);
    expect(res.text.split('\r\n').map((l) => l.slice(0, 10))).toEqual(['date,amoun', '2026-11-02', '2026-11-01', '']);
    expect(res.headers.get('content-disposition')).toContain('expenses-' + budget.id + '-2026-11-01-2026-11-02.csv');
    const onlyFrom = await h.call('GET', exportPath('?from=2026-11-03'), { token: owner.token });
    expect(onlyFrom.text.split('\r\n')).toHaveLength(3); // header, the one row (its inner line break is a bare LF), ''
  });

  it('is just the header when nothing matches', async () => {
    const res = await h.call('GET', exportPath('?from=2020-01-01&to=2020-01-31'), { token: owner.token });
    expect(res.text).toBe('date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed,recurringExpenseId\r\n');
  });

  it('refuses from after to, and dates that are not dates, naming the parameter', async () => {
    expectProblem(await h.call('GET', exportPath('?from=2026-11-02&to=2026-11-01'), { token: owner.token }), 400, ['query.from']);
    expectProblem(await h.call('GET', exportPath('?to=2026-02-30'), { token: owner.token }), 400, ['query.to']);
    expectProblem(await h.call('GET', exportPath('?limit=5'), { token: owner.token }), 400, ['query.limit']);
  });

  it('writes amounts with the currency exponent (JPY 0, KWD 3)', async () => {
    for (const [currency, amount, text] of [['JPY', 1234, '1234'], ['KWD', 1_234_567, '1234.567'], ['KWD', 5, '0.005']] as const) {
      const b = await h.createBudget(owner, { currency, categories: [] });
      await add(b, { amount, occurredOn: '2026-11-01' });
      const res = await h.call('GET', `/v1/budgets/${b.id}/expenses/export`, { token: owner.token });
      expect(res.text.split('\r\n')[1]).toBe(`2026-11-01,${text},,,,,,,true,`);
    }
  });

  it('leaves the category empty once it was removed from the budget', async () => {
    const b = await h.createBudget(owner, { categories: ['Old'] });
    await add(b, { amount: 100, occurredOn: '2026-11-01', categoryId: b.categories[0]!.id });
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}`, { token: owner.token, body: { categories: [] } });
    expect(patched.status, patched.text).toBe(200);
    const res = await h.call('GET', `/v1/budgets/${b.id}/expenses/export`, { token: owner.token });
    expect(res.text.split('\r\n')[1]).toBe('2026-11-01,1.00,,,,,,,true,');
  });

  it("with categoryId, exports that category's rows only (of a split expense its parts there), and with uncategorized the summary's uncategorized rows", async () => {
    const b = await h.createBudget(owner, { categories: ['Food', 'Home', 'Old'] });
    const [food, home, old] = b.categories;
    await add(b, { amount: 1000, occurredOn: '2026-11-05', categoryId: food!.id, merchant: 'Market' });
    await add(b, {
      amount: 1000,
      occurredOn: '2026-11-04',
      description: 'Big shop',
      foreign: { amount: 1500, currency: 'JPY' },
      splits: [
        { categoryId: home!.id, amount: 300 },
        { categoryId: food!.id, amount: 600, description: 'veg' },
        { categoryId: null, amount: 100 },
      ],
    });
    await add(b, { amount: 250, occurredOn: '2026-11-03' });
    await add(b, { amount: 400, occurredOn: '2026-11-02', categoryId: old!.id });
    await add(b, { amount: 50, occurredOn: '2026-11-01', categoryId: home!.id });
    const kept = [food!, home!].map((c) => ({ id: c.id, name: c.name }));
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}`, { token: owner.token, body: { categories: kept } });
    expect(patched.status, patched.text).toBe(200);
    const exported = async (categoryId: string) => {
      const res = await h.call('GET', `/v1/budgets/${b.id}/expenses/export?categoryId=${categoryId}`, { token: owner.token });
      expect(res.status, res.text).toBe(200);
      return res.text.split('\r\n').slice(1, -1);
    };

    // Food: 10.00 + the split's 6.00 part (its own description; the foreign amount on its first row here).
    expect(await exported(food!.id)).toEqual(['2026-11-05,10.00,Food,,Market,,,,true,', '2026-11-04,6.00,Food,veg,,,1500,JPY,true,']);
    // Uncategorized: the split's 1.00 part, 2.50 without a category, 4.00 in the removed Old: 7.50.
    expect(await exported('uncategorized')).toEqual(['2026-11-04,1.00,,Big shop,,,1500,JPY,true,', '2026-11-03,2.50,,,,,,,true,', '2026-11-02,4.00,,,,,,,true,']);
    // The same figures as the summary's: Food 16.00 spent, 7.50 uncategorized.
    const summary = await h.call('GET', `/v1/budgets/${b.id}/summary?date=2026-11-15`, { token: owner.token });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.uncategorizedSpent).toBe(750);
    expect(summary.json.categories.find((c: { categoryId: string }) => c.categoryId === food!.id).spent).toBe(1600);

    expectProblem(await h.call('GET', `/v1/budgets/${b.id}/expenses/export?categoryId=${old!.id}`, { token: owner.token }), 400, ['query.categoryId']);
  });

  it('quotes a text cell holding a line break and nothing else to quote (RFC 4180)', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    await add(b, { amount: 100, occurredOn: '2026-11-05', description: 'first line\nsecond line', merchant: 'Shop' });
    const res = await h.call('GET', `/v1/budgets/${b.id}/expenses/export`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    expect(res.text.split('\r\n')[1]).toBe('2026-11-05,1.00,,"first line\nsecond line",Shop,,,,true,');
  });

  it("imports back texts that start with an apostrophe before = + - @ as they are (the guard's apostrophe is not theirs)", async () => {
    // A user's own leading apostrophe before a formula character ("'=Quoted", "'=SUM(A1)") is
    // text like any other: the file must give it back, not lose it to the import's unguarding
    // (which dropped it, so the category was "not a category of this budget" and the texts changed).
    const names = ['Groceries', "'=Quoted"];
    const from = await h.createBudget(owner, { categories: names });
    const into = await h.createBudget(owner, { categories: names });
    await add(from, { amount: 250, occurredOn: '2026-11-07', categoryId: from.categories[1]!.id, description: "'=SUM(A1)", merchant: "'+x" });
    await add(from, { amount: 100, occurredOn: '2026-11-06', description: "''-5", merchant: '=plain' });
    const file = await h.call('GET', `/v1/budgets/${from.id}/expenses/export`, { token: owner.token });
    expect(file.status, file.text).toBe(200);
    const imported = await h.importCsv(into, owner, file.text);
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 0 });
    const texts = (b: Budget, e: any) => [e.occurredOn, e.amount, e.categoryId === null ? null : b.categories.find((c) => c.id === e.categoryId)!.name, e.description, e.merchant];
    expect((await h.listExpenses(into, owner.token)).map((e) => texts(into, e))).toEqual([
      ['2026-11-07', 250, "'=Quoted", "'=SUM(A1)", "'+x"],
      ['2026-11-06', 100, null, "''-5", '=plain'],
    ]);
    // The same file into the budget it came from: nothing new (each row known), nothing refused.
    const again = await h.importCsv(into, owner, file.text);
    expect(again.json).toMatchObject({ imported: 0, duplicates: 2, errorCount: 0 });
  });

  it("guards each `;`-separated piece of the tags cell, not only its start: the column's own `;` starts a cell in a spreadsheet that splits at it", async () => {
    // A spreadsheet whose list separator is `;` (Excel in most of Europe, LibreOffice asked to
    // split at it) reads `work;=1+2` as two cells, the second a formula: each tag is a value of
    // its own, guarded as a cell of its own would be (OWASP: mind the field separator too).
    const b = await h.createBudget(owner, { categories: [] });
    await add(b, { amount: 100, occurredOn: '2026-11-05', tags: ['-first', 'work', '=1+2', '@SUM(A1)', '+x', 'a;-b'] });
    const res = await h.call('GET', `/v1/budgets/${b.id}/expenses/export`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    const [row] = parse(res.text, { from_line: 2 }) as string[][];
    // A tag holding a `;` itself (allowed) is two pieces there: each guarded.
    expect(row![5]).toBe("'-first;work;'=1+2;'@SUM(A1);'+x;a;'-b");
    // No `;`-separated piece of the cell starts as a formula.
    expect(row![5]!.split(';').filter((piece) => /^[=+\-@\t\r]/.test(piece))).toEqual([]);
  });

  it('guards each `;`-separated piece of every text cell (category, description, merchant), not only the tags: and the file imports back to the same texts', async () => {
    // The spreadsheet the tags cell is guarded for (one that splits at `;`) splits a description,
    // a merchant or a category name at its `;` just the same: `Lunch;=1+2` was two cells there,
    // the second a formula a co-member wrote (OWASP: an attacker's separator starts a new cell).
    const names = ['Food;=1+2', "Home;'-Quoted"];
    const from = await h.createBudget(owner, { categories: names });
    const into = await h.createBudget(owner, { categories: names });
    await add(from, { amount: 250, occurredOn: '2026-11-07', categoryId: from.categories[0]!.id, description: 'Lunch;=HYPERLINK("http://evil")', merchant: 'Shop;@SUM(A1)' });
    await add(from, { amount: 100, occurredOn: '2026-11-06', categoryId: from.categories[1]!.id, description: "own;'=apostrophe", merchant: 'a;-b;+c' });
    const file = await h.call('GET', `/v1/budgets/${from.id}/expenses/export`, { token: owner.token });
    expect(file.status, file.text).toBe(200);
    const rows = parse(file.text, { from_line: 2 }) as string[][];
    expect(rows.map((row) => row.slice(2, 5))).toEqual([
      ["Food;'=1+2", `Lunch;'=HYPERLINK("http://evil")`, "Shop;'@SUM(A1)"],
      ["Home;''-Quoted", "own;''=apostrophe", "a;'-b;'+c"],
    ]);
    // No `;`-separated piece of any text cell starts as a formula.
    const pieces = rows.flatMap((row) => [row[2]!, row[3]!, row[4]!, row[5]!].flatMap((cell) => cell.split(';')));
    expect(pieces.filter((piece) => /^[=+\-@\t\r]/.test(piece))).toEqual([]);
    // Imported back: the texts as they were written (the guards' apostrophes gone, the user's own kept).
    const imported = await h.importCsv(into, owner, file.text);
    expect(imported.json).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 0 });
    const texts = (b: Budget, e: any) => [b.categories.find((c) => c.id === e.categoryId)?.name, e.description, e.merchant];
    expect((await h.listExpenses(into, owner.token)).map((e) => texts(into, e))).toEqual([
      ['Food;=1+2', 'Lunch;=HYPERLINK("http://evil")', 'Shop;@SUM(A1)'],
      ["Home;'-Quoted", "own;'=apostrophe", 'a;-b;+c'],
    ]);
  });

  it('walks every page of the list (pages of 2 here)', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    for (let i = 1; i <= 5; i++) await add(b, { amount: i, occurredOn: `2026-0${i}-15` });
    const app = h.expensesAppWith({ csv: { exportPageSize: 2 } });
    const res = await call(app, 'GET', `/v1/budgets/${b.id}/expenses/export`, { token: owner.token });
    expect(res.text.split('\r\n').slice(1, -1)).toEqual([5, 4, 3, 2, 1].map((i) => `2026-0${i}-15,0.0${i},,,,,,,true,`));
  });

  it("refuses (400) a file under 4 MB whose answer would not fit Lambda's 6 MB once JSON-escaped: texts of backslashes", async () => {
    // A text/csv body travels as a JSON string in the function's answer (hono/aws-lambda: CSV is
    // text, not base64), where every backslash (and quote) takes two bytes. 5,000 rows of a
    // 500-character description and a 200-character merchant of backslashes: about 3.6 MB of CSV,
    // about 7.1 MB as the answer's body, past the 6 MB (6,291,456 bytes) Lambda sends at most.
    const b = await h.createBudget(owner);
    const rows = Array.from({ length: 5_000 }, (_, n) => ({ amount: 100 + n, occurredOn: '2026-11-01', categoryId: null, description: '\\'.repeat(500), merchant: '\\'.repeat(200) }));
    await importExpenses(h, b, owner, rows);
    const res = await h.call('GET', `/v1/budgets/${b.id}/expenses/export`, { token: owner.token });
    if (res.status === 200) {
      // Answered (as until 2026-12-07): the file is under the 4 MB bound, and what the function
      // would have to send, the body as a JSON string (the rest of the envelope is small), is not.
      expect(Buffer.byteLength(res.text)).toBeLessThan(4 * 1024 * 1024);
      expect(Buffer.byteLength(JSON.stringify(res.text)), 'the answer Lambda would have to send').toBeLessThanOrEqual(6 * 1024 * 1024);
    }
    expectProblem(res, 400, ['query.from', 'query.to']);
    expect(res.json.errors[0].message).toContain('in the response');
  });

  it('is a 404 for a stranger and for a budget that does not exist, a 401 without a token', async () => {
    expectProblem(await h.call('GET', exportPath(), { token: stranger.token }), 404);
    expectProblem(await h.call('GET', '/v1/budgets/01JDNOSUCHBUDGET0000000000/expenses/export', { token: owner.token }), 404);
    expectProblem(await h.call('GET', exportPath()), 401);
  });
});
