import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_MAX, checkReader, fuzzParameters, hostileText } from '../../../../../tests/support/hostile-files';
import { camtBatch } from '../../../../../tests/support/camt-batch';
import { CamtFileError, readCamt } from './read';

/**
 * The camt.053 reader fed hostile text (tests/support/hostile-files.ts): rows within the
 * bounds, or its own CamtFileError (a 400 naming `body` with the line and column), never
 * another exception (fast-xml-parser's own errors included).
 */

const CONTEXT = { currency: 'EUR', categoryIds: new Map<string, string>() };

const CAMT = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">',
  '<BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id></Acct>',
  '<Ntry><NtryRef>1</NtryRef><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>',
  '<BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef>',
  '<NtryDtls><TxDtls><RltdPties><Cdtr><Nm>Corner &amp; Co &#233;</Nm></Cdtr></RltdPties><RmtInf><Ustrd>Shop</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>',
  '<Ntry><Amt Ccy="EUR">2500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><ValDt><DtTm>2026-11-04T10:00:00</DtTm></ValDt><AddtlNtryInf>Salary</AddtlNtryInf></Ntry>',
  '<Ntry><Amt Ccy="EUR">99999999999.999</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>',
  '</Stmt></BkToCstmrStmt></Document>',
];

const BATCH = camtBatch([
  { amount: '20.00', refs: '<Refs><TxId>T1</TxId></Refs>', creditor: 'A', ustrd: 'one' },
  { amount: '41.85', refs: '<Refs><EndToEndId>E2</EndToEndId></Refs>', creditor: 'B' },
]).split('\n');

describe('camt.053 reader on hostile files (property)', () => {
  it('rows within the bounds, or a CamtFileError', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText(CAMT), hostileText(BATCH)), fc.constantFrom('skip', 'refunds', 'income'), (text, credits) =>
        checkReader(text, (t) => readCamt(t, 'EUR', credits), [CamtFileError], CONTEXT),
      ),
      fuzzParameters(200),
    );
  });
});

const HEAD = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">';
const MB5 = 5 * 1024 * 1024;

/** One debit entry whose remittance line (or creditor attribute) is `ustrd`. */
const entry = (ustrd: string, attribute = '') =>
  `${HEAD}\n<BkToCstmrStmt><Stmt><Acct><Id><IBAN>X</IBAN></Id></Acct>\n<Ntry${attribute}><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt>` +
  `<NtryDtls><TxDtls><RmtInf><Ustrd>${ustrd}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;

const refusal = (text: string): CamtFileError => {
  try {
    readCamt(text, 'EUR');
  } catch (err) {
    if (err instanceof CamtFileError) return err;
    throw err;
  }
  throw new Error('the file was read');
};

describe('camt.053 reader on pathological files', () => {
  it('refuses entity declarations (billion laughs, an external entity) before parsing, and never expands a reference', () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE Document [\n<!ENTITY a "ha">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&${i === 0 ? 'a' : `l${i}`};`.repeat(10)}">`).join('\n')}\n]>\n<Document>&l9;</Document>`;
    expect(refusal(laughs)).toMatchObject({ line: 2, column: 1, message: expect.stringContaining('DOCTYPE is not allowed') });
    const external = '<?xml version="1.0"?><!doctype Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Document>&xxe;</Document>';
    expect(refusal(external).message).toContain('DOCTYPE is not allowed');
    // Without a declaration a reference to an undeclared entity is kept as written, never resolved.
    expect(readCamt(entry('&xxe; &amp; &#65;'), 'EUR').rows[0]!.fields[3]).toBe('&xxe; & A');
  });

  it('refuses elements nested 100,000 deep with a CamtFileError naming the line, not the parser\'s own error', () => {
    const depth = 100_000;
    const deep = `${HEAD}\n<BkToCstmrStmt>${'<X>'.repeat(depth)}${'</X>'.repeat(depth)}</BkToCstmrStmt></Document>`;
    const err = refusal(deep);
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/nest/);
  });

  it("reads a bank's deepest paths (camt.053.001.08: Cdtr > Pty > PstlAdr > AdrLine, Strd > CdtrRefInf > Tp > CdOrPrtry > Cd) and a supplement nesting to 64 exactly; 65 is refused", () => {
    // Document(1) BkToCstmrStmt Stmt Ntry NtryDtls TxDtls SplmtryData Envlp(8), then `n` vendor elements.
    const deepest = (n: number) =>
      `${HEAD}\n<BkToCstmrStmt><Stmt><Acct><Id><IBAN>X</IBAN></Id></Acct>\n<Ntry><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-03</Dt></BookgDt>` +
      '<NtryDtls><TxDtls><RltdPties><Cdtr><Pty><Nm>Shop</Nm><PstlAdr><AdrLine>Street 1</AdrLine></PstlAdr></Pty></Cdtr></RltdPties>' +
      '<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18</Ref></CdtrRefInf></Strd></RmtInf>' +
      `<!-- <a><b> --><![CDATA[<c><d>]]><SplmtryData a=">" b='"<e>'><Envlp>${'<W>'.repeat(n)}x${'</W>'.repeat(n)}</Envlp></SplmtryData></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
    expect(readCamt(deepest(0), 'EUR').rows).toEqual([expect.objectContaining({ fields: ['2026-11-03', '12.5', '', '', 'Shop'] })]);
    expect(readCamt(deepest(56), 'EUR').rows).toHaveLength(1);
    expect(refusal(deepest(57))).toMatchObject({ line: 4, message: 'Elements nest more than 64 deep (a camt.053 statement nests about 12)' });
  });

  it('reads a 5 MB element as one row whose description the row check refuses, and a 1 MB attribute as nothing', () => {
    const { rows } = readCamt(entry('x'.repeat(MB5)), 'EUR');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.line).toBe(4);
    expect(rows[0]!.fields[3]).toHaveLength(MB5);
    const withAttribute = readCamt(entry('Shop', ` Note="${'y'.repeat(1024 * 1024)}"`), 'EUR');
    expect(withAttribute.rows.map((r) => r.fields[3])).toEqual(['Shop']);
  });

  it('reads a batch entry of 130,000 transactions (5 MB) as a row each: arrays of that size were spread as arguments (a RangeError: a 500)', () => {
    const n = 130_000;
    const batch = `${HEAD}\n<BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">${n}</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R</AcctSvcrRef>\n<NtryDtls>${'<TxDtls><Amt Ccy="EUR">1</Amt></TxDtls>'.repeat(n)}</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
    const { rows } = readCamt(batch, 'EUR');
    // The import then refuses them by their count (413, more than 50,000 rows).
    expect(rows).toHaveLength(n);
    expect(rows.at(-1)).toMatchObject({ line: 4, fields: ['2026-11-03', '1', '', '', ''], entryKey: JSON.stringify(['camt', '', 'AcctSvcrRef', 'R']) });
  });

  it('reads an amount of 1,000,000 zeros and a 1 past its mark in one pass (the strip of trailing zeros backtracked)', () => {
    const zeros = '0'.repeat(1_000_000);
    const amounts = (amount: string) => readCamt(entry('Shop').replace('<Amt Ccy="EUR">1.00</Amt>', `<Amt Ccy="EUR">${amount}</Amt>`), 'EUR').rows.map((r) => r.fields[1]);
    expect(amounts(`1.${zeros}1`)).toEqual([`1.${zeros}1`]);
    expect(amounts(`2.5${zeros}`)).toEqual(['2.5']);
  });

  it('quotes at most a short piece of the file in a refusal: a 1 MB tag name', () => {
    const err = refusal(`${HEAD}\n<BkToCstmrStmt><${'N'.repeat(1024 * 1024)}<></BkToCstmrStmt></Document>`);
    expect(err.line).toBe(3);
    expect(err.message.length).toBeLessThanOrEqual(MESSAGE_MAX);
  });
});
