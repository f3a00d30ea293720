import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { responseValidator } from '../../support/response-validator';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import (text/csv): rows become expenses like POST
 * /expenses would make them, bad rows are reported by line, a row imported before is a
 * duplicate (the same file twice adds nothing), and the HTTP conventions (413, 415,
 * Idempotency-Key, roles) hold for a CSV body. The import is a job (202 + Location); these
 * tests ask for the finished import in the answer with `Prefer: wait=25` (200) and assert on
 * its counts. The job's own behaviour (progress, crash resume, ...) is in csv-import-job.test.ts.
 */
let h: Harness;
let owner: User;
let editor: User;
let viewer: User;
let stranger: User;
let budget: Budget;

const importPath = (b: Budget) => `/v1/budgets/${b.id}/expenses/import`;
const importCsv = (b: Budget, csv: string, who: User = owner, headers: Record<string, string> = {}) =>
  h.call('POST', importPath(b), { token: who.token, rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25', ...headers } });
/** The counts of a finished import, as the synchronous import answered them. */
const counts = (res: { json: any }) => ({ imported: res.json.imported, duplicates: res.json.duplicates, errorCount: res.json.errorCount, errors: res.json.errors });

const expensesOf = (b: Budget): Promise<Record<string, any>[]> => h.listExpenses(b, owner.token);

async function items(filter: (i: Record<string, any>) => boolean) {
  const out = await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName }));
  return (out.Items ?? []).filter(filter);
}

beforeAll(async () => {
  h = await createHarness();
  ({ owner, editor, viewer, stranger, budget } = await h.team({ categories: ['Groceries', 'Transport'] }));
});
afterAll(() => h.destroy());

describe('CSV import', { timeout: 180_000 }, () => {
  it('records each row as an expense of the caller: header, BOM, CRLF, quoting, categories by name; totals and events follow', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries', 'Transport'] });
    const [groceries, transport] = b.categories;
    await h.addMember(b, owner, editor, 'editor');
    const csv =
      '\uFEFFDate,Amount,Category,Description,Merchant\r\n' +
      '2026-11-01,12.50, groceries ,"Weekly shop, big","Corner ""Market"""\r\n' +
      '2026-11-02,3,TRANSPORT,"Bus\r\nticket",\r\n' +
      '2026-11-03,0.99,,,\r\n';
    const res = await importCsv(b, csv, editor);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 3, processed: 3 });
    expect(counts(res)).toEqual({ imported: 3, duplicates: 0, errorCount: 0, errors: [] });

    const list = await expensesOf(b);
    expect(list.map(({ occurredOn, amount, categoryId, description, merchant, createdBy, version }) => ({ occurredOn, amount, categoryId, description, merchant, createdBy, version }))).toEqual([
      { occurredOn: '2026-11-03', amount: 99, categoryId: null, description: undefined, merchant: undefined, createdBy: editor.id, version: 1 },
      { occurredOn: '2026-11-02', amount: 300, categoryId: transport!.id, description: 'Bus\nticket', merchant: undefined, createdBy: editor.id, version: 1 },
      { occurredOn: '2026-11-01', amount: 1250, categoryId: groceries!.id, description: 'Weekly shop, big', merchant: 'Corner "Market"', createdBy: editor.id, version: 1 },
    ]);
    expect(list.every((e) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(e.id))).toBe(true);
    expect(await h.spent(b, owner.token, '2026-11-15')).toBe(1250 + 300 + 99);
    const events = await items((i) => i.detailType === 'expense.recorded' && String(i.detail).includes(b.id));
    expect(events.map((e) => JSON.parse(e.detail).data.expenseId).sort()).toEqual(list.map((e) => e.id).sort());
  });

  it('imports the valid rows and reports each invalid one by the line it starts on', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries'] });
    const csv = [
      '2026-11-01,1.00,,"first\nsecond\nthird",', // lines 1-3
      '2026-02-30,1.00,,,', // 4
      '2026-11-01,1.005,,,', // 5
      '2026-11-01,-1,,,', // 6 (a refund of 1.00: packages/expenses/docs/expense-fields.md "Refunds")
      '2026-11-01,0,,,', // 7
      '2026-11-01,"1,234.50",,,', // 8
      '2026-11-01,99999999999,,,', // 9
      '2026-11-01,1,Rent,,', // 10
      '2026-11-01,1,,,,', // 11
      '2026-11-01,1', // 12
      '', // 13 (blank: skipped)
      `2026-11-01,1,,${'x'.repeat(501)},`, // 14
      `2026-11-01,1,,,${'m'.repeat(201)}`, // 15
      '2026-11-02,2.00,groceries,,', // 16
    ].join('\n');
    const res = await importCsv(b, csv);
    expect(res.status, res.text).toBe(200);
    expect(res.json.imported).toBe(3);
    expect(res.json.errorCount).toBe(10);
    expect(res.json.errors).toEqual([
      { line: 4, message: 'date must be a calendar date YYYY-MM-DD' },
      { line: 5, message: 'amount has at most 2 decimals in USD' },
      { line: 7, message: 'amount must be greater than 0' },
      { line: 8, message: expect.stringMatching(/^amount must be a plain decimal number in USD/) },
      { line: 9, message: 'amount must be at most 10000000000.00' },
      { line: 10, message: 'category "Rent" is not a category of this budget' },
      { line: 11, message: expect.stringMatching(/^expected 5 columns .*found 6$/) },
      { line: 12, message: expect.stringMatching(/^expected 5 columns .*found 2$/) },
      { line: 14, message: 'description must be at most 500 characters' },
      { line: 15, message: 'merchant must be at most 200 characters' },
    ]);
    expect((await expensesOf(b)).map((e) => [e.amount, e.refund ?? false]).sort()).toEqual([[100, false], [100, true], [200, false]]);
  });

  it('lists the first 100 errors and counts them all', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const res = await importCsv(b, Array.from({ length: 130 }, () => 'not-a-date,1,,,').join('\n') + '\n2026-11-01,1,,,');
    expect(res.json).toMatchObject({ imported: 1, duplicates: 0, errorCount: 130 });
    expect(res.json.errors).toHaveLength(100);
    expect(res.json.errors[99].line).toBe(100);
  });

  it('adds nothing when the same file is imported again; identical rows of one file are separate expenses', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries'] });
    const csv = 'date,amount,category,description,merchant\n2026-11-05,3.50,,Coffee,Cafe\n2026-11-05,3.50,,Coffee,Cafe\n2026-11-06,20,Groceries,,\n';
    expect(counts(await importCsv(b, csv))).toEqual({ imported: 3, duplicates: 0, errorCount: 0, errors: [] });
    // The same rows spelled differently (no header, other spacing, case, trailing zero) are the same rows.
    const again = '2026-11-05, 3.5 ,,Coffee,Cafe\r\n2026-11-06,20.00,GROCERIES,,\r\n2026-11-05,3.50,,Coffee ,Cafe\r\n';
    expect(counts(await importCsv(b, again))).toEqual({ imported: 0, duplicates: 3, errorCount: 0, errors: [] });
    expect(await expensesOf(b)).toHaveLength(3);
    // A third identical coffee is new.
    const third = `${again}2026-11-05,3.50,,Coffee,Cafe\n`;
    expect(counts(await importCsv(b, third))).toEqual({ imported: 1, duplicates: 3, errorCount: 0, errors: [] });
    expect(await h.spent(b, owner.token, '2026-11-15')).toBe(3 * 350 + 2000);
  });

  it('records each row once when the same file is imported twice at the same time', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const csv = Array.from({ length: 12 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')},${i + 1},,,`).join('\n');
    const [one, two] = await Promise.all([importCsv(b, csv), importCsv(b, csv)]);
    expect(one.json.imported + two.json.imported).toBe(12);
    expect(one.json.duplicates + two.json.duplicates).toBe(12);
    expect(await expensesOf(b)).toHaveLength(12);
    expect(await h.spent(b, owner.token, '2026-11-15')).toBe(78 * 100);
  });

  it('reads amounts with the currency exponent: JPY whole units, KWD three decimals', async () => {
    const jpy = await h.createBudget(owner, { currency: 'JPY', categories: [] });
    const jpyRes = await importCsv(jpy, '2026-11-01,1500,,,\n2026-11-01,1500.5,,,\n2026-11-01,1500.0,,,');
    expect(jpyRes.json).toMatchObject({ imported: 1, errorCount: 2 });
    expect(jpyRes.json.errors[0]).toEqual({ line: 2, message: 'amount must be a whole number of JPY (no decimals)' });
    const kwd = await h.createBudget(owner, { currency: 'KWD', categories: [] });
    const kwdRes = await importCsv(kwd, '2026-11-01,1.234,,,\n2026-11-01,0.5,,,\n2026-11-01,1.2345,,,');
    expect(kwdRes.json).toMatchObject({ imported: 2, errorCount: 1, errors: [{ line: 3, message: 'amount has at most 3 decimals in KWD' }] });
    expect((await expensesOf(kwd)).map((e) => e.amount).sort((a, b) => a - b)).toEqual([500, 1234]);
  });

  it('imports nothing from an empty file or a header alone', async () => {
    for (const csv of ['', '\r\n', 'date,amount,category,description,merchant\r\n']) {
      const res = await importCsv(budget, csv);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ status: 'succeeded', total: 0, processed: 0 });
      expect(counts(res)).toEqual({ imported: 0, duplicates: 0, errorCount: 0, errors: [] });
    }
  });

  it('refuses a file that is not valid CSV, or has a header of other columns, whole (400 naming the body)', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const broken = await importCsv(b, '2026-11-01,1,,,\n2026-11-02,2,,"bad"quote,\n2026-11-03,3,,,\n');
    expectProblem(broken, 400, ['body']);
    expect(broken.json.errors[0].message).toMatch(/^Line 2: /);
    expectProblem(await importCsv(b, 'date,category,amount,description,merchant\n2026-11-01,,1,,\n'), 400, ['body']);
    expect(await expensesOf(b)).toEqual([]);
  });

  it('refuses more rows than the cap (413 naming the body) and writes nothing', async () => {
    const app = h.expensesAppWith({ csv: { maxRows: 3 } });
    const b = await h.createBudget(owner, { categories: [] });
    const send = (rows: number) =>
      call(app, 'POST', importPath(b), {
        token: owner.token,
        headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
        rawBody: 'date,amount,category,description,merchant\n\n' + Array.from({ length: rows }, () => '2026-11-01,1,,,').join('\n'),
      });
    const tooMany = await send(4);
    expectProblem(tooMany, 413, ['body']);
    // Refused by the import, after the rate limit counted it: its RateLimit fields are documented.
    // (This app has no CORS origin configured, so its answers carry `Vary: Origin`: not this test's matter.)
    const validator = responseValidator(await (await app.request('/v1/openapi.json')).json());
    const undocumented = validator.violations({ method: 'POST', url: importPath(b), status: tooMany.status, headers: tooMany.headers, body: tooMany.text });
    expect(undocumented.filter((v) => !v.endsWith('header vary is not documented'))).toEqual([]);
    expect(await expensesOf(b)).toEqual([]);
    expect((await send(3)).json.imported).toBe(3); // the header and blank lines do not count
  });

  it('names the row count at the limit and past it, with or without a header or a final newline, in our format and a bank layout (the CSV readers stop at the cap + 2 records)', async () => {
    const app = h.expensesAppWith({ csv: { maxRows: 3 } });
    const b = await h.createBudget(owner, { categories: [] });
    const send = async (rows: number, options: { header: boolean; finalNewline: boolean; query?: string; delimiter?: string }) => {
      const d = options.delimiter ?? ',';
      const lines = Array.from({ length: rows }, (_, i) => ['2026-11-01', `${i + 1}`, '', '', ''].join(d));
      const body = [...(options.header ? [['date', 'amount', 'category', 'description', 'merchant'].join(d)] : []), ...lines].join('\n') + (options.finalNewline ? '\n' : '');
      return call(app, 'POST', `${importPath(b)}${options.query ?? ''}`, { token: owner.token, headers: { 'content-type': 'text/csv', prefer: 'wait=25' }, rawBody: body });
    };
    const tooMany = 'at most 3 per import';
    for (const form of [{}, { query: '?delimiter=%3B', delimiter: ';' }]) {
      for (const header of [true, false]) {
        for (const finalNewline of [true, false]) {
          const what = JSON.stringify({ ...form, header, finalNewline });
          const four = await send(4, { ...form, header, finalNewline });
          expectProblem(four, 413, ['body']);
          expect(four.json.errors[0].message, what).toBe(`The file has 4 rows; ${tooMany}`);
          // Past cap + 2 records the reader stops: a header takes one of the two.
          const five = await send(5, { ...form, header, finalNewline });
          expectProblem(five, 413, ['body']);
          expect(five.json.errors[0].message, what).toBe(`The file has ${header ? 'more than 3' : '5'} rows; ${tooMany}`);
          const six = await send(6, { ...form, header, finalNewline });
          expect(six.json.errors[0].message, what).toBe(`The file has more than 3 rows; ${tooMany}`);
        }
      }
    }
    expect(await expensesOf(b)).toEqual([]);
  });

  it('OFX, QIF and camt.053: the row count at the limit + 1, "more than" past it (the readers stop there), and nothing written', async () => {
    const app = h.expensesAppWith({ csv: { maxRows: 3 } });
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const send = (type: string, body: string) => call(app, 'POST', importPath(b), { token: owner.token, headers: { 'content-type': type, prefer: 'wait=25' }, rawBody: body });
    const ofx = (n: number) =>
      `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n${Array.from({ length: n }, (_, i) => `<STMTTRN><DTPOSTED>20261103<TRNAMT>-${i + 1}.00<FITID>F${i}</STMTTRN>\n`).join('')}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n`;
    const qif = (n: number) => `!Type:Bank\n${Array.from({ length: n }, (_, i) => `D2026-11-03\nT-${i + 1}.00\n^\n`).join('')}`;
    const camt = (n: number) =>
      `<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n${Array.from({ length: n }, (_, i) => `<Ntry><Amt Ccy="EUR">${i + 1}.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R${i}</AcctSvcrRef></Ntry>\n`).join('')}</Stmt></BkToCstmrStmt></Document>\n`;
    const tooMany = 'at most 3 per import';
    for (const [type, file] of [['application/x-ofx', ofx], ['application/qif', qif], ['application/xml', camt]] as const) {
      expect((await send(type, file(3))).json.imported, type).toBe(3);
      const four = await send(type, file(4));
      expectProblem(four, 413, ['body']);
      expect(four.json.errors[0].message, type).toBe(`The file has 4 rows; ${tooMany}`);
      const six = await send(type, file(6));
      expectProblem(six, 413, ['body']);
      expect(six.json.errors[0].message, type).toBe(`The file has more than 3 rows; ${tooMany}`);
    }
    expect(await expensesOf(b)).toHaveLength(9);
  });

  it('is a 413 above 5 MB, a 415 for another media type or a charset not read', async () => {
    // Each refusal as the document declares it (status, body, headers: those refused after the
    // caller's rate limit counted the request carry its RateLimit fields).
    const validator = responseValidator(await (await h.app.request('/v1/openapi.json')).json());
    const undocumented = (res: Awaited<ReturnType<typeof importCsv>>) =>
      validator.violations({ method: 'POST', url: importPath(budget), status: res.status, headers: res.headers, body: res.text });
    const big = '2026-11-01,1,,' + 'x'.repeat(5 * 1024 * 1024) + ',\n';
    const tooBig = await importCsv(budget, big);
    expectProblem(tooBig, 413);
    expect(undocumented(tooBig)).toEqual([]);
    expectProblem(await h.call('POST', importPath(budget), { token: owner.token, body: { rows: [] } }), 415);
    const plain = await importCsv(budget, '2026-11-01,1,,,', owner, { 'content-type': 'text/plain' });
    expectProblem(plain, 415);
    expect(undocumented(plain)).toEqual([]);
    const utf32 = await importCsv(budget, '2026-11-01,1,,,', owner, { 'content-type': 'text/csv; charset=utf-32' });
    expectProblem(utf32, 415, ['header.Content-Type']);
    expect(undocumented(utf32)).toEqual([]);
    expect(utf32.json.detail).toBe(
      'The CSV\'s charset "utf-32" is not supported. Content-Type must be text/csv (charset utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1, windows-1250, iso-8859-2 or macintosh) or application/vnd.ms-excel or application/x-ofx or application/vnd.intu.qfx or application/ofx or application/xml or text/xml or application/vnd.iso20022.camt.053+xml or application/qif or application/x-qif or text/x-qif.',
    );
    // UTF-16 is read (bank-csv-charset.test.ts): these 15 bytes of UTF-8 labelled so are not UTF-16.
    const utf16 = await importCsv(budget, '2026-11-01,1,,,', owner, { 'content-type': 'text/csv; charset=utf-16' });
    expectProblem(utf16, 400, ['body']);
    // ISO-8859-1 (and Windows-1252) are read since bank exports come so (bank-csv-charset.test.ts).
    const latin1 = await importCsv(budget, '2026-11-19,0.01,,,', owner, { 'content-type': 'text/csv; charset=iso-8859-1' });
    expect(latin1.status, latin1.text).toBe(200);
    const utf8 = await importCsv(budget, '2026-11-20,0.01,,Caf\u00e9,', owner, { 'content-type': 'text/csv; charset=UTF-8' });
    expect(utf8.status, utf8.text).toBe(200);
  });

  it('replays a retry with the same Idempotency-Key and body; another body with that key is a 422', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const key = { 'idempotency-key': 'csv-import-1' };
    const first = await importCsv(b, '2026-11-01,1,,,\n2026-11-02,2,,,\n', owner, key);
    expect(first.json).toMatchObject({ imported: 2 });
    const retry = await importCsv(b, '2026-11-01,1,,,\n2026-11-02,2,,,\n', owner, { ...key, 'content-type': 'text/csv; charset=utf-8' });
    expect(retry.status).toBe(first.status);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expectProblem(await importCsv(b, '2026-11-03,3,,,\n', owner, key), 422);
    expect(await expensesOf(b)).toHaveLength(2);
  });

  it("replays the first answer's headers too: its Location and the Prefer wait it applied (Preference-Applied)", async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const key = { 'idempotency-key': 'csv-import-headers' };
    const first = await importCsv(b, '2026-11-04,4,,,\n', owner, key);
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('preference-applied')).toBe('wait=25');
    const retry = await importCsv(b, '2026-11-04,4,,,\n', owner, key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect({ status: retry.status, location: retry.headers.get('location'), applied: retry.headers.get('preference-applied') }).toEqual({
      status: 200,
      location: first.headers.get('location'),
      applied: 'wait=25',
    });
  });

  it('lets owners and editors import; a viewer gets 403, a stranger and a missing budget 404, no token 401', async () => {
    const csv = '2026-11-10,1,,,';
    expectProblem(await importCsv(budget, csv, viewer), 403);
    expectProblem(await importCsv(budget, csv, stranger), 404);
    expectProblem(await h.call('POST', '/v1/budgets/01JDNOSUCHBUDGET0000000000/expenses/import', { token: owner.token, rawBody: csv, headers: { 'content-type': 'text/csv' } }), 404);
    expectProblem(await h.call('POST', importPath(budget), { rawBody: csv, headers: { 'content-type': 'text/csv' } }), 401);
    expect((await expensesOf(budget)).filter((e) => e.occurredOn === '2026-11-10')).toEqual([]);
    expect((await importCsv(budget, csv, editor)).json.imported).toBe(1);
  });

  it('round trip: the export of an import imports back as duplicates only', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries', '=Odd'] });
    const csv =
      'date,amount,category,description,merchant\n' +
      '2026-11-01,12.5,groceries,"Milk, eggs",Corner\n' +
      '2026-11-01,12.50,Groceries,"Milk, eggs",Corner\n' +
      '2026-11-02,7,=odd,=SUM(A1),@home\n' +
      '2026-11-03,0.01,,"-minus\nand ""quotes""",+plus\n';
    expect((await importCsv(b, csv)).json).toMatchObject({ imported: 4, errorCount: 0 });
    const exported = await h.call('GET', `/v1/budgets/${b.id}/expenses/export`, { token: owner.token });
    expect(exported.text).toContain(`'=SUM(A1)`);
    expect(counts(await importCsv(b, exported.text))).toEqual({ imported: 0, duplicates: 4, errorCount: 0, errors: [] });
    expect(await expensesOf(b)).toHaveLength(4);
  });
});
