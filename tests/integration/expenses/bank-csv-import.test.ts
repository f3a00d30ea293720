import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { amazonBudget, expectCreditsAsRefunds } from './credit-refunds';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with a bank's CSV export read through the
 * layout query parameters (column mapping by header name, `;`, DD.MM.YYYY, `1.234,56`,
 * negative debits, preamble lines): a dry run previews the mapping, a real import records the
 * debits and skips the credits, the same file again adds nothing, the same transaction in our
 * own format is a duplicate, the Idempotency-Key tells mappings apart, and a bad parameter is
 * a 400 naming it.
 */
let h: Harness;
let owner: User;

/** A German bank's export, as it is downloaded (CRLF, `;`, three lines of account info). */
const GERMAN = [
  'Kontonummer:;DE12 3456 7890 1234 5678 90;',
  'Zeitraum:;01.11.2026 - 30.11.2026;',
  '"Kontostand vom 30.11.2026:";"2.345,67 EUR"',
  'Buchungstag;Valutadatum;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung',
  '03.11.2026;03.11.2026;REWE Markt GmbH;Einkauf;-1.234,56;EUR',
  '05.11.2026;05.11.2026;ACME GmbH;Gehalt November;2.500,00;EUR',
  '08.11.2026;08.11.2026;Deutsche Bahn;Fahrkarte;-3,50;EUR',
  '31.11.2026;30.11.2026;Kiosk;Zeitung;-2,00;EUR',
  '',
].join('\r\n');

const MAPPING = new URLSearchParams({
  dateColumn: 'Buchungstag',
  amountColumn: 'Betrag',
  merchantColumn: 'Auftraggeber/Empfänger',
  descriptionColumn: 'Verwendungszweck',
  delimiter: ';',
  dateFormat: 'DD.MM.YYYY',
  decimalSeparator: ',',
  amountSign: 'negativeIsSpending',
  skipLines: '3',
});

const importPath = (b: Budget, query: URLSearchParams | string = '') => `/v1/budgets/${b.id}/expenses/import${query.toString() ? `?${query.toString()}` : ''}`;
const importCsv = (b: Budget, csv: string, query: URLSearchParams | string = '', headers: Record<string, string> = {}) =>
  h.call('POST', importPath(b, query), { token: owner.token, rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25', ...headers } });
const withParams = (extra: Record<string, string>) => new URLSearchParams({ ...Object.fromEntries(MAPPING), ...extra });

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

describe('bank CSV import (column mapping)', { timeout: 120_000 }, () => {
  it('previews with dryRun, imports debits and skips credits, adds nothing the second time; our own format of a row is a duplicate', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });

    const dry = await importCsv(b, GERMAN, withParams({ dryRun: 'true' }));
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({
      dryRun: true,
      total: 3,
      imported: 2,
      duplicates: 0,
      errorCount: 1,
      errors: [{ line: 8, message: 'date must be a calendar date DD.MM.YYYY (dateFormat), not "31.11.2026"' }],
      importLines: [5, 7],
      skipped: 1,
      skippedLines: [6],
    });
    expect(await h.listExpenses(b, owner.token)).toEqual([]);

    const first = await importCsv(b, GERMAN, MAPPING);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'succeeded', total: 3, processed: 3, imported: 2, duplicates: 0, errorCount: 1, skipped: 1 });
    const view = (list: any[]) => list.map(({ occurredOn, amount, categoryId, merchant, description }) => ({ occurredOn, amount, categoryId, merchant, description }));
    expect(view(await h.listExpenses(b, owner.token))).toEqual([
      { occurredOn: '2026-11-08', amount: 350, categoryId: null, merchant: 'Deutsche Bahn', description: 'Fahrkarte' },
      { occurredOn: '2026-11-03', amount: 123456, categoryId: null, merchant: 'REWE Markt GmbH', description: 'Einkauf' },
    ]);

    const again = await importCsv(b, GERMAN, MAPPING);
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 2, errorCount: 1, skipped: 1 });

    // The same transaction in our own format: the same normalized values, the same fingerprint.
    const ours = await importCsv(b, 'date,amount,category,description,merchant\n2026-11-03,1234.56,,Einkauf,REWE Markt GmbH\n');
    expect(ours.json).toMatchObject({ status: 'succeeded', total: 1, imported: 0, duplicates: 1 });
    expect(ours.json.skipped).toBeUndefined();
    expect(await h.listExpenses(b, owner.token)).toHaveLength(2);
  });

  it('credits=refunds with debit and credit columns: the credit is a refund of its amount, categorized by the rule; by default it is skipped', async () => {
    const b = await amazonBudget(h, owner, 'EUR');
    const csv = 'Date;Payee;Paid out;Paid in\r\n02.11.2026;Amazon EU;100,00;\r\n04.11.2026;Amazon EU;40,00;\r\n06.11.2026;Amazon EU;;25,00\r\n';
    const columns = { dateColumn: 'Date', merchantColumn: 'Payee', debitColumn: 'Paid out', creditColumn: 'Paid in', delimiter: ';', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' };
    await expectCreditsAsRefunds(h, owner, b, (query) => importCsv(b, csv, new URLSearchParams({ ...columns, ...query })), { line: 4, occurredOn: '2026-11-06' });
  });

  it('no sign convention (delimiter=; only): a negative amount is a refund, as in our own format; nothing is skipped', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const csv = 'date;amount;category;description;merchant\r\n2026-11-02;100.00;;Boots;Shoe Shop\r\n2026-11-05;-30.00;;Returned boots;Shoe Shop\r\n';
    const res = await importCsv(b, csv, new URLSearchParams({ delimiter: ';' }));
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 2, imported: 2, errorCount: 0 });
    // No sign convention: money in is not counted as skipped (as for our own format).
    expect(res.json.skipped).toBeUndefined();
    const list = await h.listExpenses(b, owner.token);
    expect(list.map(({ occurredOn, amount, refund, description }) => ({ occurredOn, amount, refund, description }))).toEqual([
      { occurredOn: '2026-11-05', amount: 3000, refund: true, description: 'Returned boots' },
      { occurredOn: '2026-11-02', amount: 10000, refund: undefined, description: 'Boots' },
    ]);
    // 100.00 spent, 30.00 of it refunded: 70.00.
    expect(await h.spent(b, owner.token, '2026-11-05')).toBe(7000);
  });

  it('reads a US-style file: MM/DD/YYYY, "1,003.50" with decimalSeparator ".", a category column found by its name', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries'] });
    const us = 'Posted Date,Payee,Memo,Amount,Category\n11/03/2026,WHOLE FOODS,POS,45.20,groceries\n11/08/2026,METRO,,"1,003.50",\n';
    const query = new URLSearchParams({ dateColumn: 'posted date', merchantColumn: 'Payee', descriptionColumn: 'Memo', dateFormat: 'MM/DD/YYYY', decimalSeparator: '.' });
    const res = await importCsv(b, us, query);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 2, imported: 2, errorCount: 0 });
    expect(res.json.skipped).toBeUndefined();
    const list = await h.listExpenses(b, owner.token);
    expect(list.map((e: any) => [e.occurredOn, e.amount, e.categoryId, e.merchant])).toEqual([
      ['2026-11-08', 100350, null, 'METRO'],
      ['2026-11-03', 4520, b.categories[0]!.id, 'WHOLE FOODS'],
    ]);
  });

  it('a row with an unquoted "1,234.56" in a comma file is its line\'s error, not an expense of 1.00 with "234.56" as its memo', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const us = 'Date,Payee,Amount,Memo\n11/03/2026,BEST BUY,1,234.56,TV\n11/04/2026,CAFE,5.75,latte\n11/05/2026,BAR,7.00,\n';
    const res = await importCsv(b, us, new URLSearchParams({ dateColumn: 'Date', merchantColumn: 'Payee', descriptionColumn: 'Memo', dateFormat: 'MM/DD/YYYY', decimalSeparator: '.' }));
    expect(res.json).toMatchObject({ status: 'succeeded', total: 3, imported: 2, errorCount: 1 });
    expect(res.json.errors).toEqual([{ line: 2, message: 'expected 4 columns as the header (line 1) has, found 5 with values past them: a value holding the delimiter "," must be in quotes' }]);
    expect((await h.listExpenses(b, owner.token)).map((e: any) => [e.occurredOn, e.amount, e.merchant])).toEqual([
      ['2026-11-05', 700, 'BAR'],
      ['2026-11-04', 575, 'CAFE'],
    ]);
  });

  it('refuses a group of thousands starting with 0 (KWD "0,250" under decimalSeparator ".": no amount, not 250 dinars)', async () => {
    const b = await h.createBudget(owner, { currency: 'KWD', categories: [] });
    const kwd = 'Date,Payee,Amount\n2026-11-03,CAFE,"0,250"\n2026-11-04,RENT,"1,234.500"\n';
    const res = await importCsv(b, kwd, new URLSearchParams({ dateColumn: 'Date', merchantColumn: 'Payee', decimalSeparator: '.' }));
    expect(res.json).toMatchObject({ status: 'succeeded', total: 2, imported: 1, errorCount: 1, errors: [{ line: 2 }] });
    expect(res.json.errors[0].message).toMatch(/^amount must be a number like -1,234\.56/);
    expect((await h.listExpenses(b, owner.token)).map((e: any) => [e.merchant, e.amount])).toEqual([['RENT', 1_234_500]]);
  });

  it('an Idempotency-Key replays the same body and mapping; the same body with another mapping is another request (422)', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const key = { 'idempotency-key': 'bank-csv-import-1' };
    const first = await importCsv(b, GERMAN, MAPPING, key);
    expect(first.json).toMatchObject({ imported: 2 });
    // The same parameters in another order are the same request.
    const reordered = new URLSearchParams([...MAPPING.entries()].reverse());
    const retry = await importCsv(b, GERMAN, reordered, key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expectProblem(await importCsv(b, GERMAN, withParams({ amountSign: 'positive' }), key), 422);
    expectProblem(await importCsv(b, GERMAN, withParams({ dryRun: 'true' }), key), 422);
    expect(await h.listExpenses(b, owner.token)).toHaveLength(2);
  });

  it('reads a tab sent as itself (delimiter=%09) as delimiter=tab', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const tabbed = GERMAN.replaceAll(';', '\t');
    const query = withParams({ delimiter: '\t', dryRun: 'true' });
    expect(query.toString()).toContain('delimiter=%09');
    const literal = await importCsv(b, tabbed, query);
    expect(literal.status, literal.text).toBe(200);
    const named = await importCsv(b, tabbed, withParams({ delimiter: 'tab', dryRun: 'true' }));
    expect(named.json).toMatchObject({ total: 3, imported: 2, errorCount: 1, skipped: 1 });
    expect(literal.json).toEqual(named.json);
    const res = await importCsv(b, tabbed, withParams({ delimiter: '\t' }));
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 2, errorCount: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e) => e.merchant)).toEqual(['Deutsche Bahn', 'REWE Markt GmbH']);
    // Other whitespace is no delimiter.
    expectProblem(await importCsv(b, tabbed, withParams({ delimiter: ' ' })), 400, ['query.delimiter']);
  });

  it('a bad parameter is a 400 naming it, and nothing is imported', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    expectProblem(await importCsv(b, GERMAN, withParams({ delimiter: '|' })), 400, ['query.delimiter']);
    expectProblem(await importCsv(b, GERMAN, withParams({ dateFormat: 'D.M.YY' })), 400, ['query.dateFormat']);
    expectProblem(await importCsv(b, GERMAN, withParams({ decimalSeparator: "'" })), 400, ['query.decimalSeparator']);
    expectProblem(await importCsv(b, GERMAN, withParams({ amountSign: 'negative' })), 400, ['query.amountSign']);
    expectProblem(await importCsv(b, GERMAN, withParams({ skipLines: '21' })), 400, ['query.skipLines']);
    expectProblem(await importCsv(b, GERMAN, withParams({ skipLines: '-1' })), 400, ['query.skipLines']);
    expectProblem(await importCsv(b, GERMAN, withParams({ merchantColumn: ' ' })), 400, ['query.merchantColumn']);
    expectProblem(await importCsv(b, GERMAN, withParams({ colums: 'x' })), 400);
    // A mapped name the header lacks (also in a dry run).
    const missing = await importCsv(b, GERMAN, withParams({ merchantColumn: 'Empfänger', dryRun: 'true' }));
    expectProblem(missing, 400, ['query.merchantColumn']);
    expect(missing.json.errors[0].message).toBe('The header (line 4) has no column "Empfänger"');
    // The header is read after skipLines: without them the account line is no header.
    expectProblem(await importCsv(b, GERMAN, withParams({ skipLines: '0' })), 400, ['query.dateColumn']);
    // A layout is for CSV files: an OFX statement says its own.
    expectProblem(await importCsv(b, 'OFXHEADER:100\r\n', withParams({}), { 'content-type': 'application/x-ofx' }), 400, ['query.dateColumn']);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);
  });
});
