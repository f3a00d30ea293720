import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { expectCreditsAsIncome } from './credit-income';
import { amazonBudget, expectCreditsAsRefunds } from './credit-refunds';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with an ISO 20022 camt.053 bank statement (as
 * European banks export it): the same job as a CSV file or an OFX statement (ofx-import.test.ts).
 * Debit entries become expenses, credits and pending entries are skipped and counted, an entry
 * in another currency is an error of its line, a rule files a merchant, the bank's references
 * make the same statement again and an overlapping one add only what is new, dryRun writes
 * nothing; a document of another kind or with a DOCTYPE is a 400 naming body.
 */
let h: Harness;
let owner: User;

const IBAN = 'DE89370400440532013000';

interface Entry {
  ref?: string;
  amount: string;
  ccy?: string;
  direction: 'DBIT' | 'CRDT';
  status?: string;
  booked: string;
  creditor?: string;
  /** Who paid money in (a credit's other party). */
  debtor?: string;
  lines?: string[];
  info?: string;
  /** `<RvslInd>` as written. */
  reversal?: string;
}

/** A camt.053.001.02 statement, one element per line, CRLF; `encoding` as the XML declaration says. */
function statement(entries: Entry[], encoding = 'UTF-8') {
  return [
    `<?xml version="1.0" encoding="${encoding}"?>`,
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '<BkToCstmrStmt>',
    '<GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-11-30T18:00:00+01:00</CreDtTm></GrpHdr>',
    '<Stmt>',
    '<Id>S-2026-11</Id>',
    `<Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>`,
    ...entries.flatMap((e) => [
      '<Ntry>',
      `<Amt Ccy="${e.ccy ?? 'EUR'}">${e.amount}</Amt>`,
      `<CdtDbtInd>${e.direction}</CdtDbtInd>`,
      ...(e.reversal ? [`<RvslInd>${e.reversal}</RvslInd>`] : []),
      `<Sts>${e.status ?? 'BOOK'}</Sts>`,
      `<BookgDt><Dt>${e.booked}</Dt></BookgDt>`,
      ...(e.ref ? [`<AcctSvcrRef>${e.ref}</AcctSvcrRef>`] : []),
      '<NtryDtls><TxDtls>',
      ...(e.creditor ? [`<RltdPties><Cdtr><Nm>${e.creditor}</Nm></Cdtr></RltdPties>`] : []),
      ...(e.debtor ? [`<RltdPties><Dbtr><Nm>${e.debtor}</Nm></Dbtr></RltdPties>`] : []),
      ...(e.lines ? ['<RmtInf>', ...e.lines.map((l) => `<Ustrd>${l}</Ustrd>`), '</RmtInf>'] : []),
      '</TxDtls></NtryDtls>',
      ...(e.info ? [`<AddtlNtryInf>${e.info}</AddtlNtryInf>`] : []),
      '</Ntry>',
    ]),
    '</Stmt>',
    '</BkToCstmrStmt>',
    '</Document>',
    '',
  ].join('\r\n');
}

const NOVEMBER: Entry[] = [
  { ref: 'R-1103', amount: '45.20', direction: 'DBIT', booked: '2026-11-03', creditor: 'REWE Markt GmbH', lines: ['Kartenzahlung', 'Filiale 0815'] },
  { ref: 'R-1105', amount: '2500.00', direction: 'CRDT', booked: '2026-11-05', info: 'GEHALT' },
  { ref: 'R-1108', amount: '3.50', direction: 'DBIT', booked: '2026-11-08', creditor: 'MVG', info: 'LASTSCHRIFT' },
  { amount: '12.00', direction: 'DBIT', booked: '2026-11-12', creditor: 'Café Kranzler' }, // no reference
  { ref: 'R-1130', amount: '99.00', direction: 'DBIT', status: 'PDNG', booked: '2026-11-30', creditor: 'Hotel' },
  { ref: 'R-1114', amount: '20.00', ccy: 'USD', direction: 'DBIT', booked: '2026-11-14', creditor: 'Amazon US' },
];
/** The next statement overlaps: the 8th (its text reworded: known by its reference) and the 12th again, one new debit. */
const OVERLAP: Entry[] = [
  { ...NOVEMBER[2]!, info: 'SEPA LASTSCHRIFT' },
  NOVEMBER[3]!,
  { ref: 'R-1120', amount: '60.00', direction: 'DBIT', booked: '2026-11-20', creditor: 'Aral Tankstelle', lines: ['Tanken'] },
  { ref: 'R-1121', amount: '15.00', direction: 'CRDT', booked: '2026-11-21', info: 'ERSTATTUNG' },
];

const importCamt = (b: Budget, body: string | Uint8Array<ArrayBuffer>, query = '', type = 'application/xml') =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import${query}`, { token: owner.token, rawBody: body, headers: { 'content-type': type, prefer: 'wait=25' } });

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

describe('camt.053 import', { timeout: 120_000 }, () => {
  it('records debits, skips credits and pending entries, reports a foreign entry; the same and an overlapping statement add only the new; dryRun writes nothing', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: ['Groceries', 'Transport'] });
    const [groceries] = b.categories;
    const rule = await h.call('POST', `/v1/budgets/${b.id}/rules`, { token: owner.token, body: { merchant: { contains: 'rewe' }, categoryId: groceries!.id } });
    expect(rule.status, rule.text).toBe(201);

    const file = statement(NOVEMBER);
    const lines = file.split('\r\n');
    const lineOf = (text: string) => lines.findLastIndex((l, i) => l === '<Ntry>' && lines.slice(i, i + 12).some((x) => x.includes(text))) + 1;

    const dry = await importCamt(b, file, '?dryRun=true');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, total: 4, imported: 3, duplicates: 0, errorCount: 1, skipped: 2, skippedLines: [lineOf('R-1105'), lineOf('R-1130')] });
    expect(dry.json.errors).toEqual([{ line: lineOf('R-1114'), message: "the entry is in USD, not in the budget's currency EUR" }]);
    expect(dry.json.categorized).toEqual([{ line: lineOf('R-1103'), categoryId: groceries!.id, ruleId: rule.json.id }]);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);

    const first = await importCamt(b, file);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ status: 'succeeded', total: 4, processed: 4, imported: 3, duplicates: 0, errorCount: 1, skipped: 2 });
    const view = (list: any[]) => list.map(({ occurredOn, amount, categoryId, merchant, description, reviewed }) => ({ occurredOn, amount, categoryId, merchant, description, reviewed }));
    expect(view(await h.listExpenses(b, owner.token))).toEqual([
      { occurredOn: '2026-11-12', amount: 1200, categoryId: null, merchant: 'Café Kranzler', description: undefined, reviewed: false },
      { occurredOn: '2026-11-08', amount: 350, categoryId: null, merchant: 'MVG', description: 'LASTSCHRIFT', reviewed: false },
      { occurredOn: '2026-11-03', amount: 4520, categoryId: groceries!.id, merchant: 'REWE Markt GmbH', description: 'Kartenzahlung Filiale 0815', reviewed: false },
    ]);
    expect(await h.spent(b, owner.token, '2026-11-15')).toBe(4520 + 350 + 1200);

    // The same statement again, under the ISO 20022 media type: nothing new.
    const again = await importCamt(b, file, '', 'application/vnd.iso20022.camt.053+xml');
    expect(again.json).toMatchObject({ status: 'succeeded', total: 4, imported: 0, duplicates: 3, errorCount: 1, skipped: 2 });

    // An overlapping statement: only the new debit.
    const overlap = statement(OVERLAP);
    const dryOverlap = await importCamt(b, overlap, '?dryRun=true', 'text/xml');
    expect(dryOverlap.json).toMatchObject({ total: 3, imported: 1, duplicates: 2, skipped: 1 });
    const second = await importCamt(b, overlap, '', 'text/xml');
    expect(second.json).toMatchObject({ status: 'succeeded', total: 3, processed: 3, imported: 1, duplicates: 2, errorCount: 0, skipped: 1 });
    const after = view(await h.listExpenses(b, owner.token));
    expect(after).toHaveLength(4);
    expect(after[0]).toEqual({ occurredOn: '2026-11-20', amount: 6000, categoryId: null, merchant: 'Aral Tankstelle', description: 'Tanken', reviewed: false });

    // The IBAN is stored nowhere as it is (the markers hold a hash of it).
    const scan = await h.t.doc.send(new ScanCommand({ TableName: h.t.tableName }));
    expect(JSON.stringify(scan.Items).includes(IBAN)).toBe(false);
  });

  it('credits=refunds: a credit from the merchant is a refund of its amount, categorized by the rule, known by its reference; a reversal stays skipped', async () => {
    const b = await amazonBudget(h, owner, 'EUR');
    const file = statement([
      { ref: 'AZ-1', amount: '100.00', direction: 'DBIT', booked: '2026-11-02', creditor: 'Amazon EU' },
      { ref: 'AZ-2', amount: '40.00', direction: 'DBIT', booked: '2026-11-04', creditor: 'Amazon EU' },
      { ref: 'AZ-3', amount: '25.00', direction: 'CRDT', booked: '2026-11-06', debtor: 'Amazon EU', lines: ['Erstattung'] },
      { ref: 'AZ-4', amount: '25.00', direction: 'CRDT', booked: '2026-11-07', debtor: 'Amazon EU', reversal: 'true' },
    ]);
    const lines = file.split('\r\n');
    const line = lines.findLastIndex((l, i) => l === '<Ntry>' && lines.slice(i, i + 8).some((x) => x.includes('AZ-3'))) + 1;
    await expectCreditsAsRefunds(h, owner, b, (query) => importCamt(b, file, `?${new URLSearchParams(query)}`), { line, occurredOn: '2026-11-06', description: 'Erstattung', alwaysSkipped: 1 });
    // The refund's merchant is the debtor (the shop paying back).
    expect((await h.listExpenses(b, owner.token))[0]).toMatchObject({ refund: true, merchant: 'Amazon EU' });
  });

  it('credits=income: a CRDT entry is an income entry (its debtor the source, its remittance text the description), in the month\'s income; the same statement again adds nothing', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR' });
    const file = statement([
      { ref: 'IN-1', amount: '40.00', direction: 'DBIT', booked: '2026-11-04', creditor: 'REWE Markt GmbH' },
      { ref: 'IN-2', amount: '2500.00', direction: 'CRDT', booked: '2026-11-05', debtor: 'ACME GmbH', lines: ['Gehalt November'] },
    ]);
    const lines = file.split('\r\n');
    const line = lines.findLastIndex((l, i) => l === '<Ntry>' && lines.slice(i, i + 8).some((x) => x.includes('IN-2'))) + 1;
    await expectCreditsAsIncome(h, owner, b, (query) => importCamt(b, file, `?${new URLSearchParams(query)}`), { line, source: 'ACME GmbH', description: 'Gehalt November' });
  });

  it('entries whose AcctSvcrRef is the placeholder NONREF (FinTS banks write it on every entry) are each imported, once; the same statement again adds nothing', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const nonref: Entry[] = [
      { ref: 'NONREF', amount: '4.02', direction: 'DBIT', booked: '2026-11-08', creditor: 'Bäckerei' },
      { ref: 'NONREF', amount: '45.20', direction: 'DBIT', booked: '2026-11-09', creditor: 'REWE' },
      { ref: 'NONREF', amount: '3.50', direction: 'DBIT', booked: '2026-11-10', creditor: 'MVG' },
    ];
    const first = await importCamt(b, statement(nonref));
    expect(first.json).toMatchObject({ status: 'succeeded', total: 3, imported: 3, duplicates: 0 });
    expect((await h.listExpenses(b, owner.token)).map((e: any) => [e.occurredOn, e.amount, e.merchant])).toEqual([
      ['2026-11-10', 350, 'MVG'],
      ['2026-11-09', 4520, 'REWE'],
      ['2026-11-08', 402, 'Bäckerei'],
    ]);
    const again = await importCamt(b, statement(nonref));
    expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 3 });
  });

  it('skips a reversal (RvslInd true) and counts it with the credits, DBIT or CRDT', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const file = statement([
      { ref: 'V-1', amount: '30.00', direction: 'DBIT', booked: '2026-11-10', creditor: 'Shop' },
      // A credit the bank took back: booked DBIT, reversed. Not spending.
      { ref: 'V-2', amount: '100.00', direction: 'DBIT', reversal: 'true', booked: '2026-11-11', info: 'STORNO GUTSCHRIFT' },
      // A returned direct debit: CRDT, reversed.
      { ref: 'V-3', amount: '30.00', direction: 'CRDT', reversal: 'true', booked: '2026-11-12', info: 'RUECKLASTSCHRIFT' },
      { ref: 'V-4', amount: '5.00', direction: 'DBIT', reversal: 'false', booked: '2026-11-13', creditor: 'Kiosk' },
    ]);
    const lines = file.split('\r\n');
    const lineOf = (ref: string) => lines.findLastIndex((l, i) => l === '<Ntry>' && lines.slice(i, i + 8).some((x) => x.includes(ref))) + 1;
    const dry = await importCamt(b, file, '?dryRun=true');
    expect(dry.json, dry.text).toMatchObject({ total: 2, imported: 2, skipped: 2, skippedLines: [lineOf('V-2'), lineOf('V-3')] });
    const res = await importCamt(b, file);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 2, imported: 2, skipped: 2, errorCount: 0 });
    expect((await h.listExpenses(b, owner.token)).map((e) => [e.merchant, e.amount])).toEqual([
      ['Kiosk', 500],
      ['Shop', 3000],
    ]);
  });

  it('reads a Windows-1252 statement by its XML declaration', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const bytes = new Uint8Array(Buffer.from(statement([{ ref: 'W1', amount: '8.40', direction: 'DBIT', booked: '2026-11-10', creditor: 'Bäckerei Müller', lines: ['Brötchen'] }], 'windows-1252'), 'latin1'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const res = await importCamt(b, bytes, '', 'application/vnd.iso20022.camt.053+xml');
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1 });
    expect(await h.listExpenses(b, owner.token)).toMatchObject([{ merchant: 'Bäckerei Müller', description: 'Brötchen', amount: 840 }]);
  });

  it('refuses another ISO 20022 message, a broken document and a DOCTYPE, naming body; a CSV mapping parameter names its parameter; nothing is imported', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const report = await importCamt(b, statement(NOVEMBER).replace('camt.053.001.02', 'camt.052.001.02'));
    expectProblem(report, 400);
    expect(report.json.errors).toEqual([{ path: 'body', message: expect.stringMatching(/^Line 2, column 1: Not a camt.053 statement \(BankToCustomerStatement\): a camt.052 document/) }]);

    const broken = await importCamt(b, statement(NOVEMBER).replace('</Stmt>', '</Stmnt>'));
    expectProblem(broken, 400);
    expect(broken.json.errors).toEqual([{ path: 'body', message: expect.stringMatching(/^Line \d+, column \d+: Not well-formed XML/) }]);

    const bomb = statement(NOVEMBER).replace('<Document', '<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\r\n<Document').replace('REWE Markt GmbH', '&b;');
    const refused = await importCamt(b, bomb);
    expectProblem(refused, 400);
    expect(refused.json.errors).toEqual([{ path: 'body', message: expect.stringMatching(/^Line 2, column 1: A DOCTYPE is not allowed/) }]);

    expectProblem(await importCamt(b, statement(NOVEMBER), '?dateFormat=DD.MM.YYYY'), 400, ['query.dateFormat']);
    // The import's 5 MB limit holds for XML too.
    expectProblem(await importCamt(b, statement(NOVEMBER).replace('Kartenzahlung', 'x'.repeat(5 * 1024 * 1024))), 413);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);
  });
});
