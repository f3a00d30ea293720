import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { amazonBudget, expectCreditsAsRefunds } from './credit-refunds';
import { createHarness, type Budget, type Harness, type User } from './harness';
import { OFX_ACCOUNT, ofxStatement } from './ofx-statement';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with a bank statement (OFX 1.02 SGML, as banks
 * offer it for download): the same job as a CSV file (csv-import.test.ts). Debits become
 * expenses, credits are skipped and counted, a categorization rule files a merchant, the
 * bank's transaction ids (FITID) make the same statement again and an overlapping one add
 * only what is new, dryRun writes nothing, and a statement in another currency is a 400.
 */
let h: Harness;
let owner: User;



const NOVEMBER = [
  { type: 'DEBIT', posted: '20261103120000.000[-5:EST]', amount: '-45.20', fitId: '20261103-1', name: 'WHOLE FOODS #123', memo: 'POS PURCHASE' },
  { type: 'CREDIT', posted: '20261105', amount: '2500.00', fitId: '20261105-1', name: 'ACME PAYROLL' },
  { type: 'DEBIT', posted: '20261108', amount: '-3,50', fitId: '20261108-1', name: 'METRO TRANSIT' },
  { type: 'POS', posted: '20261112235959', amount: '-12.00', name: 'CORNER CAFE' }, // no FITID
];
/**
 * The next download overlaps: the 8th (its memo reworded by the bank: known by its FITID, not
 * its values) and the 12th again, one new debit (listed twice, as a bank joining two statement
 * periods may: one expense) and one new credit.
 */
const SHELL = { type: 'DEBIT', posted: '20261120', amount: '-60.00', fitId: '20261120-1', name: 'SHELL OIL 5741', memo: 'FUEL' };
const OVERLAP = [
  { ...NOVEMBER[2]!, memo: 'TAP CARD 4411' },
  NOVEMBER[3]!,
  SHELL,
  { type: 'CREDIT', posted: '20261121', amount: '15.00', fitId: '20261121-1', name: 'REFUND' },
  SHELL,
];

/** The bytes of `text` in Windows-1252 (Latin-1 letters as one byte each, the euro sign 0x80). */
const cp1252 = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(text.replaceAll('\u20ac', '\x80'), 'latin1'));

const importOfx = (b: Budget, ofx: string | Uint8Array<ArrayBuffer>, query = '', type = 'application/x-ofx') =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import${query}`, { token: owner.token, rawBody: ofx, headers: { 'content-type': type, prefer: 'wait=25' } });

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

describe('OFX import', { timeout: 120_000 }, () => {
  it('records debits, skips credits, categorizes by rule; the same and an overlapping statement add only the new; dryRun writes nothing', async () => {
    const b = await h.createBudget(owner, { categories: ['Groceries', 'Transport'] });
    const [groceries] = b.categories;
    const rule = await h.call('POST', `/v1/budgets/${b.id}/rules`, { token: owner.token, body: { merchant: { contains: 'whole foods' }, categoryId: groceries!.id } });
    expect(rule.status, rule.text).toBe(201);

    const file = ofxStatement(NOVEMBER);
    const lines = file.split('\r\n');
    const lineOf = (fitIdOrName: string) => lines.findLastIndex((l, i) => l === '<STMTTRN>' && lines.slice(i, i + 8).some((x) => x.endsWith(fitIdOrName))) + 1;

    const dry = await importOfx(b, file, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, total: 3, imported: 3, duplicates: 0, errorCount: 0, skipped: 1, skippedLines: [lineOf('20261105-1')] });
    expect(dry.json.categorized).toEqual([{ line: lineOf('20261103-1'), categoryId: groceries!.id, ruleId: rule.json.id }]);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);

    const first = await importOfx(b, file);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'succeeded', total: 3, processed: 3, imported: 3, duplicates: 0, errorCount: 0, skipped: 1 });
    const view = (list: any[]) => list.map(({ occurredOn, amount, categoryId, merchant, description }) => ({ occurredOn, amount, categoryId, merchant, description }));
    expect(view(await h.listExpenses(b, owner.token))).toEqual([
      { occurredOn: '2026-11-12', amount: 1200, categoryId: null, merchant: 'CORNER CAFE', description: undefined },
      { occurredOn: '2026-11-08', amount: 350, categoryId: null, merchant: 'METRO TRANSIT', description: undefined },
      { occurredOn: '2026-11-03', amount: 4520, categoryId: groceries!.id, merchant: 'WHOLE FOODS #123', description: 'POS PURCHASE' },
    ]);
    expect(await h.spent(b, owner.token, '2026-11-15')).toBe(4520 + 350 + 1200);

    // A QFX download of the same statement: nothing new.
    const again = await importOfx(b, file, '', 'application/vnd.intu.qfx');
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 3, skipped: 1 });

    // The next download overlaps the first: only the new debit is added.
    const overlap = ofxStatement(OVERLAP);
    const dryOverlap = await importOfx(b, overlap, '?dryRun=true');
    expect(dryOverlap.json).toMatchObject({ total: 4, imported: 1, duplicates: 3, skipped: 1 });
    const second = await importOfx(b, overlap, '', 'application/ofx');
    expect(second.json).toMatchObject({ status: 'succeeded', total: 4, processed: 4, imported: 1, duplicates: 3, errorCount: 0, skipped: 1 });
    const after = await h.listExpenses(b, owner.token);
    expect(view(after)).toHaveLength(4);
    expect(view(after)[0]).toEqual({ occurredOn: '2026-11-20', amount: 6000, categoryId: null, merchant: 'SHELL OIL 5741', description: 'FUEL' });

    // The account number is stored nowhere as it is (the markers hold a hash of it).
    const scan = await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName }));
    expect(JSON.stringify(scan.Items).includes(OFX_ACCOUNT)).toBe(false);
  });

  it('credits=refunds: a credit from the merchant is a refund of its amount, categorized by the rule, known by its FITID; by default it is skipped', async () => {
    const b = await amazonBudget(h, owner);
    const file = ofxStatement([
      { type: 'DEBIT', posted: '20261102', amount: '-100.00', fitId: 'A-1', name: 'AMAZON MKTPLACE' },
      { type: 'DEBIT', posted: '20261104', amount: '-40.00', fitId: 'A-2', name: 'AMAZON MKTPLACE' },
      { type: 'CREDIT', posted: '20261106', amount: '25.00', fitId: 'A-3', name: 'AMAZON MKTPLACE', memo: 'RETURN' },
    ]);
    const line = file.split('\r\n').findLastIndex((l, i, all) => l === '<STMTTRN>' && all[i + 4] === '<FITID>A-3') + 1;
    await expectCreditsAsRefunds(h, owner, b, (query) => importOfx(b, file, `?${new URLSearchParams(query)}`), { line, occurredOn: '2026-11-06', description: 'RETURN' });
  });

  it('a bank writing amounts unsigned: its DEBITs are recorded as spending, its CREDITs skipped (read by the sign, the purchases were skipped)', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const unsigned = ofxStatement([
      { type: 'DEBIT', posted: '20261103120000', amount: '45.20', fitId: 'U1', name: 'CORNER MARKET' },
      { type: 'CREDIT', posted: '20261104120000', amount: '2500.00', fitId: 'U2', name: 'PAYROLL' },
      { type: 'DEBIT', posted: '20261105120000', amount: '3.99', fitId: 'U3', name: 'METRO' },
    ]);
    const res = await importOfx(b, unsigned);
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 2, skipped: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e: any) => [e.occurredOn, e.amount, e.merchant, e.refund ?? false])).toEqual([
      ['2026-11-05', 399, 'METRO', false],
      ['2026-11-03', 4520, 'CORNER MARKET', false],
    ]);
  });

  it("refuses a statement in another currency than the budget's, and a broken file, naming body; nothing is imported", async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const wrong = await importOfx(b, ofxStatement(NOVEMBER, 'USD'));
    expectProblem(wrong, 400);
    expect(wrong.json.errors).toEqual([{ path: 'body', message: expect.stringMatching(/^Line 29, column 1: The statement is in USD; the budget's currency is EUR/) }]);

    const broken = await importOfx(b, ofxStatement(NOVEMBER, 'EUR').replace('</STMTRS>', '</STMTTRNRS>'));
    expectProblem(broken, 400);
    expect(broken.json.errors[0]).toMatchObject({ path: 'body', message: expect.stringMatching(/^Line \d+, column 1: <\/STMTTRNRS> does not close the open element <STMTRS>/) });
    expect(await h.listExpenses(b, owner.token)).toEqual([]);

    // application/xml is a camt.053 statement (camt-import.test.ts): an OFX 1.x file under it is not XML.
    expectProblem(await importOfx(b, ofxStatement(NOVEMBER, 'EUR'), '', 'application/xml'), 400, ['body']);
    expectProblem(await importOfx(b, ofxStatement(NOVEMBER, 'EUR'), '', 'text/plain'), 415);
  });

  it('replays a retry with the same Idempotency-Key and statement (the same import); another media type with that key is a 422', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const file = ofxStatement(OVERLAP);
    const send = (type: string) =>
      h.call('POST', `/v1/budgets/${b.id}/expenses/import`, { token: owner.token, rawBody: file, headers: { 'content-type': type, prefer: 'wait=25', 'idempotency-key': 'ofx-retry-1' } });
    const first = await send('application/x-ofx');
    expect(first.json).toMatchObject({ status: 'succeeded', imported: 3, duplicates: 1, skipped: 1 });
    const retry = await send('application/x-ofx');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(first.json.id);
    expectProblem(await send('application/vnd.intu.qfx'), 422);
    expect(await h.listExpenses(b, owner.token)).toHaveLength(3);
  });

  it('reads a Windows-1252 statement (CHARSET:1252) by its header: the accented merchant is stored right; another charset is a 400', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const file = ofxStatement([{ type: 'DEBIT', posted: '20261110', amount: '-8.40', fitId: 'W1', name: 'Café Müller', memo: 'Crème 5€' }], 'EUR');
    const bytes = cp1252(file);
    // Not UTF-8: é, ü, è and € are one byte each (any other route refuses such a body).
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const res = await importOfx(b, bytes);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1, errorCount: 0 });
    const [expense] = await h.listExpenses(b, owner.token);
    expect(expense).toMatchObject({ merchant: 'Café Müller', description: 'Crème 5€', amount: 840 });

    const cyrillic = await importOfx(b, cp1252(ofxStatement([], 'EUR', '1251')));
    expectProblem(cyrillic, 400);
    expect(cyrillic.json.errors).toEqual([{ path: 'body', message: expect.stringContaining('CHARSET:1251') }]);
  });

  it('a CSV body that is not UTF-8 is read as Windows-1252 (the same decoder); labelled charset=utf-8 it is a 400 naming body', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    const send = (contentType: string) =>
      h.call('POST', `/v1/budgets/${b.id}/expenses/import`, { token: owner.token, rawBody: cp1252('2026-11-10,8.40,,,Café Müller 5€\n'), headers: { 'content-type': contentType, prefer: 'wait=25' } });
    const strict = await send('text/csv; charset=utf-8');
    expectProblem(strict, 400);
    expect(strict.json.errors).toEqual([{ path: 'body', message: expect.stringMatching(/UTF-8/) }]);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);
    const res = await send('text/csv');
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e) => e.merchant)).toEqual(['Café Müller 5€']);
  });
});
