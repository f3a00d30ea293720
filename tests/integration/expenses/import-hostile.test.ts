import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with hostile files, one or more per format, as
 * an attacker would send them (the readers' own properties: src/domain/{csv,ofx,qif,camt}/
 * *.hostile.test.ts). A file that cannot be read is a 400 problem+json naming `body` with the
 * line, quoting only a short piece of the file, and writes nothing; a file whose rows are bad
 * is an import whose `errors` name the lines, bounded however many there are. Never a 5xx.
 */
let h: Harness;
let owner: User;
let budget: Budget;

const MB = 1024 * 1024;

const post = (b: Budget, body: string, type: string, query = '') =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import${query}`, { token: owner.token, rawBody: body, headers: { 'content-type': type, prefer: 'wait=25' } });

/** A 400 naming `body` whose message starts with `Line <line>` and contains `text`; the whole answer a few KB at most. */
function expectRefused(res: Awaited<ReturnType<typeof post>>, line: number, text: string | RegExp) {
  expectProblem(res, 400, ['body']);
  const message: string = res.json.errors.find((e: { path: string }) => e.path === 'body').message;
  expect(message).toMatch(new RegExp(`^Line ${line}(, column \\d+)?: `));
  expect(message).toMatch(text);
  expect(res.text.length).toBeLessThan(2_000);
}

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'EUR', categories: ['Groceries'] });
});
afterAll(() => h.destroy());

describe('Import of hostile files', { timeout: 120_000 }, () => {
  it('CSV: broken quoting after a 4.5 MB field is a 400 quoting 200 characters of it (it echoed the field: a 4.5 MB answer)', async () => {
    const res = await post(budget, `2026-11-01,1.00,,ok,Shop\n2026-11-02,1.00,,${'x'.repeat(4.5 * MB)}"oops",Shop\n`, 'text/csv');
    expectRefused(res, 2, /Invalid Opening Quote/);
  });

  it('OFX: a header of 1.1 million lines is read in one pass and refused for its missing statement', async () => {
    const lines = 1_100_000;
    const res = await post(budget, `OFXHEADER:100\n${'A:1\n'.repeat(lines)}<OFX></OFX>`, 'application/x-ofx');
    expectRefused(res, lines + 2, /No bank \(STMTRS\)/);
  });

  it('OFX: SGML elements left unclosed 100,000 deep are refused at the 33rd', async () => {
    const res = await post(budget, `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>\n${'<STMTRS>\n'.repeat(100_000)}`, 'application/x-ofx');
    expectRefused(res, 36, /nest more than 32 deep/);
  });

  it('OFX: 60,000 tiny statements are the 413 of the row limit, counted apart from transactions (all read before: 147 MB for 5 MB)', async () => {
    const res = await post(budget, `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS>\n${'<STMTRS><CURDEF>EUR</STMTRS>\n'.repeat(60_000)}</STMTTRNRS></BANKMSGSRSV1></OFX>\n`, 'application/x-ofx');
    expectProblem(res, 413, ['body']);
    expect(res.json.errors[0].message).toBe('The file has more than 50000 rows; at most 50000 per import');
  });

  const camtHead = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n';

  it('camt.053: elements nested 100,000 deep are a 400 naming the line (the parser threw its own Error: a 500)', async () => {
    const res = await post(budget, `${camtHead}<BkToCstmrStmt>${'<X>'.repeat(100_000)}${'</X>'.repeat(100_000)}</BkToCstmrStmt></Document>`, 'application/xml');
    expectRefused(res, 3, /nest more than 64 deep/);
  });

  it('camt.053: a declaration the validator lets through and the parser refuses is a 400 (it was a 500)', async () => {
    const res = await post(budget, `<?xml version="1.0" enco"ding="UTF-8"?>\n${camtHead.split('\n')[1]}<BkToCstmrStmt/></Document>`, 'application/xml');
    expectRefused(res, 1, /Not well-formed XML/);
  });

  it('camt.053: billion laughs and an external entity are refused, never expanded', async () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<Document>&c;</Document>`;
    expectRefused(await post(budget, laughs, 'application/xml'), 2, /DOCTYPE is not allowed/);
    const external = '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Document>&xxe;</Document>';
    expectRefused(await post(budget, external, 'application/xml'), 2, /DOCTYPE is not allowed/);
  });

  it('camt.053: a batch entry of 130,000 transactions is the 413 of the row limit (a RangeError made it a 500), refused before its tree is built', async () => {
    const n = 130_000;
    const tx = '<TxDtls><Amt Ccy="EUR">1</Amt></TxDtls>';
    const res = await post(budget, `${camtHead}<BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">${n}</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R</AcctSvcrRef><NtryDtls>${tx.repeat(n)}</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`, 'application/xml');
    expectProblem(res, 413, ['body']);
    // The reader stops past the limit (feat/readers54): it no longer counts them all.
    expect(res.json.errors[0].message).toBe('The file has more than 50000 rows; at most 50000 per import');
  });

  it('camt.053: a 1 MB tag name is refused quoting a piece of it', async () => {
    const res = await post(budget, `${camtHead}<BkToCstmrStmt><${'N'.repeat(MB)}<></BkToCstmrStmt></Document>`, 'application/xml');
    expectRefused(res, 3, /Not well-formed XML/);
  });

  it('QIF: a record never ended by ^ (4.5 MB of memo lines) is an error of its line; nothing is imported', async () => {
    const res = await post(budget, `!Type:Bank\nD2026-11-02\nT-2.00\n${'MX\n'.repeat(1_500_000)}`, 'application/qif');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 1, imported: 0, errorCount: 1, errors: [{ line: 2, message: 'the record does not end with a ^ line (the file may be cut off)' }] });
  });

  it("a bank's CSV (profile ynab): an amount cell of 200,000 spaces before a currency sign is an error of its line (the pattern took minutes)", async () => {
    const header = '"Account","Flag","Date","Payee","Category Group/Category","Category Group","Category","Memo","Outflow","Inflow","Cleared"';
    const row = `"Checking","","11/03/2026","Shop","","","","","1${' '.repeat(200_000)}x$","0.00","Cleared"`;
    const res = await post(budget, `${header}\r\n${row}\r\n`, 'text/csv', '?profile=ynab');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 1, imported: 0, errorCount: 1, errors: [{ line: 2, message: expect.stringContaining('must be a number') }] });
    expect(res.json.errors[0].message.length).toBeLessThan(300);
  });

  it('50,000 bad rows: the import lists the first 100 errors, each short, and counts them all; its record stays far below 400 KB', async () => {
    const category = 'c'.repeat(60);
    const res = await post(budget, `${`2026-11-01,1.00,${category},,\n`.repeat(50_000)}`, 'text/csv');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 50_000, imported: 0, errorCount: 50_000 });
    expect(res.json.errors).toHaveLength(100);
    expect(res.json.errors[99]).toEqual({ line: 100, message: `category "${'c'.repeat(50)}..." is not a category of this budget` });
    const stored = await h.call('GET', res.headers.get('location') ?? `/v1/budgets/${budget.id}/imports/${res.json.id}`, { token: owner.token });
    expect(stored.status).toBe(200);
    expect(stored.json.errors).toEqual(res.json.errors);
    expect(Buffer.byteLength(stored.text)).toBeLessThan(20_000);
  });

  it('CSV: 5 MB of one-character lines after a header (2.6 million rows) is the 413 of the row limit, read no further than it (csv-parse\'s records took 2 GB and 65 s)', async () => {
    const res = await post(budget, `date,amount,category,description,merchant\n${'a\n'.repeat(Math.floor((5 * MB - 100) / 2))}`, 'text/csv');
    expectProblem(res, 413, ['body']);
    expect(res.json.errors[0].message).toBe('The file has more than 50000 rows; at most 50000 per import');
  });

  it('wrote no expense', async () => {
    expect(await h.listExpenses(budget, owner.token)).toEqual([]);
  });
});
