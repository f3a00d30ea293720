import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { expectCreditsAsIncome } from './credit-income';
import { amazonBudget, expectCreditsAsRefunds } from './credit-refunds';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with a QIF file (Quicken Interchange Format):
 * the same job as a CSV file or a bank statement (ofx-import.test.ts). Negative amounts become
 * expenses, money in and transfers are skipped and counted, `L` is matched with the budget's
 * categories by name (as a CSV category column), dates are read in the order the file shows or
 * `dateFormat` gives (a file read two ways is a 400 naming it), the same file twice adds
 * nothing, dryRun writes nothing; a split record is a split expense (or, when its parts do not
 * add up, one expense as before), a class is a tag, and a record imported before splits were
 * read is a duplicate.
 */
let h: Harness;
let owner: User;

/** A Quicken export (US dates, `'` years, CRLF): groceries with a two-line memo, a paycheck, a transfer, a check, a category the budget lacks. */
const QUICKEN = [
  '!Account',
  'NChecking',
  'TBank',
  '^',
  '!Type:Bank',
  "D11/ 3'26",
  'T-45.20',
  'PWhole Foods #123',
  'MWeekly shop',
  'Mand milk',
  'Lgroceries',
  '^',
  "D11/ 5'26",
  'T2,500.00',
  'PACME Payroll',
  '^',
  "D11/ 6'26",
  'T-200.00',
  'L[Savings]',
  '^',
  "D11/21'26",
  'T-1,234.56',
  'PBest Buy',
  'LElectronics',
  '^',
  "D11/28'26",
  'N1042',
  'T-80.00',
  'PCity Water',
  '^',
  '',
].join('\r\n');

const importQif = (b: Budget, body: string | Uint8Array<ArrayBuffer>, query = '', type = 'application/qif') =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import${query}`, { token: owner.token, rawBody: body, headers: { 'content-type': type, prefer: 'wait=25' } });

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

describe('QIF import', { timeout: 120_000 }, () => {
  it('records debits with their category by name, skips money in and transfers; dryRun writes nothing; the same file twice adds nothing', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries', 'Utilities'] });
    const [groceries] = b.categories;

    const dry = await importQif(b, QUICKEN, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, total: 3, imported: 2, duplicates: 0, errorCount: 1, skipped: 2, skippedLines: [13, 17], splitFallbacks: [] });
    expect(dry.json.errors).toEqual([{ line: 21, message: 'category "Electronics" is not a category of this budget' }]);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);

    const first = await importQif(b, QUICKEN, '', 'application/x-qif');
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'succeeded', total: 3, processed: 3, imported: 2, duplicates: 0, errorCount: 1, skipped: 2 });
    const view = (list: any[]) => list.map(({ occurredOn, amount, categoryId, merchant, description }) => ({ occurredOn, amount, categoryId, merchant, description }));
    expect(view(await h.listExpenses(b, owner.token))).toEqual([
      { occurredOn: '2026-11-28', amount: 8000, categoryId: null, merchant: 'City Water', description: undefined },
      { occurredOn: '2026-11-03', amount: 4520, categoryId: groceries!.id, merchant: 'Whole Foods #123', description: 'Weekly shop and milk' },
    ]);

    const again = await importQif(b, QUICKEN, '', 'text/x-qif');
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 2, errorCount: 1, skipped: 2 });
    expect(await h.listExpenses(b, owner.token)).toHaveLength(2);
  });

  it('credits=refunds: money in from the merchant is a refund of its amount, categorized by the rule; by default it is skipped', async () => {
    const b = await amazonBudget(h, owner);
    const file = ['!Type:Bank', 'D11/02/2026', 'T-100.00', 'PAmazon', '^', 'D11/04/2026', 'T-40.00', 'PAmazon', '^', 'D11/06/2026', 'T25.00', 'PAmazon', 'MReturn', '^', ''].join('\r\n');
    await expectCreditsAsRefunds(h, owner, b, (query) => importQif(b, file, `?${new URLSearchParams({ dateFormat: 'MM/DD/YYYY', ...query })}`), { line: 10, occurredOn: '2026-11-06', description: 'Return' });
  });

  it('credits=income: a deposit (a positive T) is an income entry (its payee the source, its memo the description); the same file again adds nothing', async () => {
    const b = await h.createBudget(owner, { currency: 'USD' });
    // The deposit's record starts on line 6.
    const file = ['!Type:Bank', 'D11/04/2026', 'T-40.00', 'PCorner Market', '^', 'D11/05/2026', 'T2,500.00', 'PACME Payroll', 'MSalary November', '^', ''].join('\r\n');
    await expectCreditsAsIncome(h, owner, b, (query) => importQif(b, file, `?${new URLSearchParams({ dateFormat: 'MM/DD/YYYY', ...query })}`), { line: 6, source: 'ACME Payroll', description: 'Salary November' });
  });

  it('records a split record as a split expense with its classes as tags; one that does not add up as today; its old fingerprint makes it a duplicate', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries', 'Household', 'Electronics'] });
    const [groceries, household, electronics] = b.categories;
    // What the reader made of these records before split lines and classes were read: the same
    // values in our own CSV format (a split was one expense of its total in L's category).
    const earlier = ['date,amount,category,description,merchant', '2026-11-21,30.00,Groceries,Weekly,Costco', ''].join('\n');
    const csv = await h.call('POST', `/v1/budgets/${b.id}/expenses/import`, { token: owner.token, rawBody: earlier, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
    expect(csv.json, csv.text).toMatchObject({ status: 'succeeded', imported: 1 });

    const file = [
      '!Type:Bank',
      'D11/21/2026',
      'T-30.00',
      'PCostco',
      'MWeekly',
      'LGroceries/Vacation',
      'SGroceries/Vacation',
      'EFood',
      '$-20.00',
      'SHousehold',
      '$-10.00',
      '^',
      'D11/22/2026',
      'T-45.00',
      'PIKEA',
      'L--Split--',
      'SHousehold/Home',
      'ELamp',
      '$-25.00',
      'S',
      '$-20.00',
      '^',
      'D11/23/2026',
      'T-50.00',
      'PBest Buy',
      'LElectronics/Work',
      'SElectronics',
      '$-30.00',
      'SHousehold',
      '$-10.00',
      '^',
      '',
    ].join('\r\n');
    // The dry run says which record would NOT be a split expense, and why: line 23's parts are
    // 30.00 + 10.00 = 40.00 of T 50.00. Lines 2 and 13 (20 + 10 = 30, 25 + 20 = 45) add up.
    const dry = await importQif(b, file, '?dryRun=true');
    expect(dry.json, dry.text).toMatchObject({ dryRun: true, total: 3, imported: 2, duplicates: 1, errorCount: 0 });
    expect(dry.json.splitFallbacks).toEqual([{ line: 23, reason: 'the split parts add up to 40.00, not the total 50.00' }]);
    const res = await importQif(b, file);
    expect(res.json, res.text).toMatchObject({ status: 'succeeded', total: 3, imported: 2, duplicates: 1, errorCount: 0 });
    // The import's own answer is unchanged: no such list.
    expect(res.json).not.toHaveProperty('splitFallbacks');
    const stored = (await h.listExpenses(b, owner.token)).map(({ occurredOn, amount, categoryId, splits, tags, merchant }: any) => ({ occurredOn, amount, categoryId, splits, tags, merchant }));
    expect(stored).toEqual([
      // 30 + 10 is not 50: one expense of the total, in L's category, with L's class.
      { occurredOn: '2026-11-23', amount: 5000, categoryId: electronics!.id, splits: undefined, tags: ['Work'], merchant: 'Best Buy' },
      {
        occurredOn: '2026-11-22',
        amount: 4500,
        categoryId: null,
        splits: [{ categoryId: household!.id, amount: 2500, description: 'Lamp' }, { categoryId: null, amount: 2000 }],
        tags: ['Home'],
        merchant: 'IKEA',
      },
      { occurredOn: '2026-11-21', amount: 3000, categoryId: groceries!.id, splits: undefined, tags: undefined, merchant: 'Costco' },
    ]);

    const again = await importQif(b, file, '?dryRun=true');
    expect(again.json).toMatchObject({ total: 3, imported: 0, duplicates: 3, errorCount: 0 });
    // Duplicates included; and a record whose split lines the reader left out (one part) says so too.
    expect(again.json.splitFallbacks).toEqual([{ line: 23, reason: 'the split parts add up to 40.00, not the total 50.00' }]);
    const onePart = await importQif(b, file.replace('SElectronics\r\n$-30.00\r\nSHousehold\r\n$-10.00\r\n^', 'SElectronics\r\n$-50.00\r\n^'), '?dryRun=true');
    expect(onePart.json.splitFallbacks, onePart.text).toEqual([{ line: 23, reason: '1 split part: a split expense has 2 to 50' }]);
    const fresh = await h.createBudget(owner, { categories: ['Groceries', 'Household'] });
    const split = await importQif(fresh, file.replace('LElectronics/Work', 'LHousehold'));
    expect(split.json, split.text).toMatchObject({ status: 'succeeded', imported: 3, errorCount: 0 });
    const costco = (await h.listExpenses(fresh, owner.token)).find((e: any) => e.merchant === 'Costco');
    expect(costco).toMatchObject({
      amount: 3000,
      categoryId: null,
      splits: [{ categoryId: fresh.categories[0]!.id, amount: 2000, description: 'Food' }, { categoryId: fresh.categories[1]!.id, amount: 1000 }],
      tags: ['Vacation'],
    });
    // A part's category the budget lacks is an error of the row, by its line.
    const lacking = await importQif(fresh, file.replace('SHousehold\r\n$-10.00', 'SToys\r\n$-10.00'), '?dryRun=true');
    expect(lacking.json.errors).toEqual([
      { line: 2, message: 'split part 2 (line 10): category "Toys" is not a category of this budget' },
      { line: 23, message: 'category "Electronics" is not a category of this budget' },
    ]);
  });

  it('reads a Windows-1252 file; an ambiguous date order is a 400 naming dateFormat, which decides it; other mapping parameters are refused', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const file = ['!Type:Bank', 'D03/04/2026', 'T-8,40', 'PCafé Müller', 'MCrème 5€', '^', ''].join('\r\n');
    const bytes = new Uint8Array(Buffer.from(file.replaceAll('\u20ac', '\x80'), 'latin1'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();

    const ambiguous = await importQif(b, bytes);
    expectProblem(ambiguous, 400, ['query.dateFormat']);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);

    const res = await importQif(b, bytes, '?dateFormat=DD/MM/YYYY');
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1, errorCount: 0 });
    expect(await h.listExpenses(b, owner.token)).toMatchObject([{ occurredOn: '2026-04-03', amount: 840, merchant: 'Café Müller', description: 'Crème 5€' }]);

    expectProblem(await importQif(b, bytes, '?dateFormat=DD%20MMM%20YYYY'), 400, ['query.dateFormat']);
    expectProblem(await importQif(b, bytes, '?delimiter=%3B'), 400, ['query.delimiter']);
    expectProblem(await importQif(b, 'date,amount\n2026-11-01,1.00\n'), 400, ['body']);
    expectProblem(await importQif(b, bytes, '', 'application/qif; charset=koi8-r'), 415, ['header.Content-Type']);
    expectProblem(await importQif(b, `!Type:Bank\nD2026-11-01\nT-1.00\nM${'x'.repeat(5 * 1024 * 1024)}\n^\n`), 413);
    expect(await h.listExpenses(b, owner.token)).toHaveLength(1);
  });

  it('a dateFormat the other way round from the file (a US file with DD/MM/YYYY) is a 400 naming dateFormat, nothing stored a month off', async () => {
    const b = await h.createBudget(owner, { currency: 'USD', categories: [] });
    const file = ['!Type:Bank', 'D12/25/2026', 'T-40.00', 'PToys', '^', 'D03/04/2026', 'T-8.40', 'PCafe', '^', ''].join('\r\n');
    const wrong = await importQif(b, file, '?dateFormat=DD/MM/YYYY');
    expectProblem(wrong, 400, ['query.dateFormat']);
    expect(wrong.json.errors[0].message).toContain('line 2 (12/25/2026) is a date only with its day and month the other way round');
    expect(await h.listExpenses(b, owner.token)).toEqual([]);
    const res = await importQif(b, file, '?dateFormat=MM/DD/YYYY');
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 0 });
    expect((await h.listExpenses(b, owner.token)).map((e: any) => [e.occurredOn, e.merchant])).toEqual([
      ['2026-12-25', 'Toys'],
      ['2026-03-04', 'Cafe'],
    ]);
  });

  it('reads a decimal comma before three decimals when the whole part is 0 (KWD -0,250 is 250 fils: no thousands group starts with 0)', async () => {
    const b = await h.createBudget(owner, { currency: 'KWD', categories: [] });
    const file = ['!Type:Bank', 'D2026-11-02', 'T-0,250', 'PCafe', '^', 'D2026-11-03', 'T-1.234,500', 'PRent', '^', ''].join('\r\n');
    const res = await importQif(b, file);
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 0 });
    expect((await h.listExpenses(b, owner.token)).map((e: { merchant: string; amount: number }) => [e.merchant, e.amount])).toEqual([
      ['Rent', 1_234_500],
      ['Cafe', 250],
    ]);
  });
});
