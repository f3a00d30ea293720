import { describe, expect, it } from 'vitest';
import { importFormatOf } from '../import-file';
import { decodeCamt } from './charset';
import { XMLParser } from 'fast-xml-parser';
import { CamtFileError, readCamt } from './read';
import { readStatements } from './statements';
import { CAMT_BATCH_IBAN, camtBatch } from '../../../../../tests/support/camt-batch';

/**
 * A camt.053.001.02 statement as a German bank exports it (namespace prefix-free, `Sts` as
 * text, `Cdtr/Nm`): a card payment, a salary credit, a direct debit with remittance lines, a
 * pending entry, an entry in USD, a batch without references. One element per line, CRLF.
 */
const V02 = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
  '<BkToCstmrStmt>',
  '<GrpHdr><MsgId>STMT-20261130-001</MsgId><CreDtTm>2026-11-30T18:00:00+01:00</CreDtTm></GrpHdr>',
  '<Stmt>',
  '<Id>2026-11-30-DE89370400440532013000</Id>',
  '<CreDtTm>2026-11-30T18:00:00+01:00</CreDtTm>',
  '<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>',
  '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1520.35</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>',
  // line 10: a card payment
  '<Ntry>',
  '<NtryRef>1</NtryRef>',
  '<Amt Ccy="EUR">45.20</Amt>',
  '<CdtDbtInd>DBIT</CdtDbtInd>',
  '<Sts>BOOK</Sts>',
  '<BookgDt><Dt>2026-11-03</Dt></BookgDt>',
  '<ValDt><Dt>2026-11-04</Dt></ValDt>',
  '<AcctSvcrRef>2026110312345678</AcctSvcrRef>',
  '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>CCRD</Cd><SubFmlyCd>POSD</SubFmlyCd></Fmly></Domn></BkTxCd>',
  '<NtryDtls><TxDtls>',
  '<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>',
  '<RltdPties><Cdtr><Nm>REWE Markt GmbH &amp; Co. KG</Nm></Cdtr></RltdPties>',
  '<RmtInf><Ustrd>2026-11-03T12:04 Debitk.1 2029-12</Ustrd><Ustrd>Caf&#233; &#x20AC;5</Ustrd></RmtInf>',
  '</TxDtls></NtryDtls>',
  '<AddtlNtryInf>KARTENZAHLUNG</AddtlNtryInf>',
  '</Ntry>',
  // line 26: a salary credit
  '<Ntry>',
  '<Amt Ccy="EUR">2500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>',
  '<BookgDt><Dt>2026-11-05</Dt></BookgDt><AcctSvcrRef>2026110500000001</AcctSvcrRef>',
  '<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ACME GmbH</Nm></Dbtr></RltdPties></TxDtls></NtryDtls>',
  '</Ntry>',
  // line 31: a direct debit booked by date and time, no servicer reference, description from AddtlNtryInf
  '<Ntry>',
  '<NtryRef>3</NtryRef>',
  '<Amt Ccy="EUR">3.5000</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>',
  '<BookgDt><DtTm>2026-11-08T23:30:00+01:00</DtTm></BookgDt>',
  '<NtryDtls><TxDtls><RltdPties><UltmtCdtr><Nm>MVG Ticket</Nm></UltmtCdtr></RltdPties></TxDtls></NtryDtls>',
  '<AddtlNtryInf>LASTSCHRIFT</AddtlNtryInf>',
  '</Ntry>',
  // line 38: pending
  '<Ntry>',
  '<Amt Ccy="EUR">99.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>PDNG</Sts>',
  '<BookgDt><Dt>2026-11-30</Dt></BookgDt><AcctSvcrRef>PENDING-1</AcctSvcrRef>',
  '</Ntry>',
  // line 42: in another currency
  '<Ntry>',
  '<Amt Ccy="USD">12.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>',
  '<BookgDt><Dt>2026-11-12</Dt></BookgDt><AcctSvcrRef>2026111200000009</AcctSvcrRef>',
  '</Ntry>',
  // line 46: no date, no references, value date only on the next
  '<Ntry>',
  '<Amt Ccy="EUR">7.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>',
  '</Ntry>',
  // line 49
  '<Ntry>',
  '<Amt Ccy="EUR">8.10</Amt><CdtDbtInd>DBIT</CdtDbtInd><ValDt><Dt>2026-11-14</Dt></ValDt>',
  '<NtryDtls><TxDtls><Refs><AcctSvcrRef>TX-77</AcctSvcrRef></Refs><RltdPties><Cdtr><Nm>Bäckerei Müller</Nm></Cdtr></RltdPties></TxDtls></NtryDtls>',
  '</Ntry>',
  '</Stmt>',
  '</BkToCstmrStmt>',
  '</Document>',
  '',
].join('\r\n');

/** camt.053.001.08 with a namespace prefix: `Sts/Cd`, `Cdtr/Pty/Nm`, an account by `Othr/Id`. */
const V08 = `<?xml version="1.0" encoding="UTF-8"?>
<camt:Document xmlns:camt="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <camt:BkToCstmrStmt>
    <camt:GrpHdr><camt:MsgId>M1</camt:MsgId><camt:CreDtTm>2026-11-30T18:00:00Z</camt:CreDtTm></camt:GrpHdr>
    <camt:Stmt>
      <camt:Id>S1</camt:Id>
      <camt:Acct><camt:Id><camt:Othr><camt:Id>0532013000</camt:Id></camt:Othr></camt:Id></camt:Acct>
      <camt:Ntry>
        <camt:Amt Ccy="CHF">19.90</camt:Amt>
        <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
        <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
        <camt:BookgDt><camt:Dt>2026-11-20</camt:Dt></camt:BookgDt>
        <camt:AcctSvcrRef>ZKB-1</camt:AcctSvcrRef>
        <camt:NtryDtls><camt:TxDtls>
          <camt:RltdPties><camt:Cdtr><camt:Pty><camt:Nm>Migros Zürich</camt:Nm></camt:Pty></camt:Cdtr></camt:RltdPties>
          <camt:RmtInf><camt:Ustrd>Einkauf</camt:Ustrd></camt:RmtInf>
        </camt:TxDtls></camt:NtryDtls>
      </camt:Ntry>
      <camt:Ntry>
        <camt:Amt Ccy="CHF">5.00</camt:Amt>
        <camt:CdtDbtInd>DBIT</camt:CdtDbtInd>
        <camt:Sts><camt:Cd>PDNG</camt:Cd></camt:Sts>
        <camt:BookgDt><camt:Dt>2026-11-30</camt:Dt></camt:BookgDt>
      </camt:Ntry>
    </camt:Stmt>
  </camt:BkToCstmrStmt>
</camt:Document>
`;

describe('camt.053 reader', () => {
  it('reads debit entries as rows by the line of their <Ntry>; credits and pending entries are skipped', () => {
    const { rows, skipped } = readCamt(V02, 'EUR');
    expect(skipped).toEqual([26, 38]);
    expect(rows.map(({ line, fields, error }) => ({ line, fields, error }))).toEqual([
      { line: 10, fields: ['2026-11-03', '45.2', '', '2026-11-03T12:04 Debitk.1 2029-12 Café €5', 'REWE Markt GmbH & Co. KG'], error: undefined },
      { line: 31, fields: ['2026-11-08', '3.5', '', 'LASTSCHRIFT', 'MVG Ticket'], error: undefined },
      { line: 42, fields: [], error: "the entry is in USD, not in the budget's currency EUR" },
      { line: 46, fields: [], error: 'BookgDt or ValDt (the date, Dt YYYY-MM-DD or DtTm) is required' },
      { line: 49, fields: ['2026-11-14', '8.1', '', '', 'Bäckerei Müller'], error: undefined },
    ]);
  });

  it("keys an entry by the account and AcctSvcrRef, else NtryRef with its date and amount, else the transaction's AcctSvcrRef", () => {
    const { rows } = readCamt(V02, 'EUR');
    const iban = 'DE89370400440532013000';
    expect(rows.find((r) => r.line === 10)!.key).toBe(JSON.stringify(['camt', iban, 'AcctSvcrRef', '2026110312345678']));
    expect(rows.find((r) => r.line === 31)!.key).toBe(JSON.stringify(['camt', iban, 'NtryRef', '3', '2026-11-08', '3.5']));
    expect(rows.find((r) => r.line === 49)!.key).toBe(JSON.stringify(['camt', iban, 'AcctSvcrRef', 'TX-77']));
    // No reference at all: known by its values.
    const bare = V02.replace('<NtryRef>3</NtryRef>', '');
    expect(readCamt(bare, 'EUR').rows.find((r) => r.line === 31)!.key).toBeUndefined();
  });

  it('a placeholder reference (NONREF, NOTPROVIDED, as FinTS banks write AcctSvcrRef on every entry) is no reference: each entry is its own', () => {
    const entry = (amount: string, day: string, refs: string, tx = '') =>
      `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-${day}</Dt></BookgDt>${refs}<NtryDtls><TxDtls>${tx}<RltdPties><Cdtr><Nm>Shop ${amount}</Nm></Cdtr></RltdPties></TxDtls></NtryDtls></Ntry>`;
    const text = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>',
      entry('4.02', '03', '<AcctSvcrRef>NONREF</AcctSvcrRef>'),
      entry('12.50', '04', '<AcctSvcrRef>NONREF</AcctSvcrRef>'),
      entry('3.00', '05', '<AcctSvcrRef> nonref </AcctSvcrRef><NtryRef>NOTPROVIDED</NtryRef>', '<Refs><AcctSvcrRef>NONREF</AcctSvcrRef></Refs>'),
      entry('7.00', '06', '<AcctSvcrRef>NOTPROVIDED</AcctSvcrRef><NtryRef>42</NtryRef>'),
      '</Stmt></BkToCstmrStmt></Document>',
    ].join('\n');
    // Keyed by NONREF, the four were one transaction: all but the first duplicates, in this file and every later one.
    expect(readCamt(text, 'EUR').rows.map((r) => [r.fields[1], r.key])).toEqual([
      ['4.02', undefined],
      ['12.5', undefined],
      ['3', undefined],
      ['7', JSON.stringify(['camt', 'DE1', 'NtryRef', '42', '2026-11-06', '7'])],
    ]);
  });

  it('reads version .08 with a namespace prefix: Sts/Cd, Cdtr/Pty/Nm, the account by Othr/Id', () => {
    const { rows, skipped } = readCamt(V08, 'CHF');
    expect(skipped).toEqual([19]);
    expect(rows).toEqual([{ line: 8, fields: ['2026-11-20', '19.9', '', 'Einkauf', 'Migros Zürich'], key: JSON.stringify(['camt', '0532013000', 'AcctSvcrRef', 'ZKB-1']) }]);
  });

  it('skips zero amounts and FUTR/INFO entries; refuses a malformed amount or direction by its line', () => {
    const entry = (inner: string) => V08.replace(/<camt:Ntry>[\s\S]*<\/camt:Ntry>/, `<camt:Ntry>${inner}</camt:Ntry>`);
    const base = '<camt:BookgDt><camt:Dt>2026-11-20</camt:Dt></camt:BookgDt>';
    expect(readCamt(entry(`<camt:Amt Ccy="CHF">0.00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd>${base}`), 'CHF')).toEqual({ rows: [], skipped: [8] });
    expect(readCamt(entry(`<camt:Amt Ccy="CHF">1.00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd><camt:Sts><camt:Cd>FUTR</camt:Cd></camt:Sts>${base}`), 'CHF').skipped).toEqual([8]);
    expect(readCamt(entry(`<camt:Amt Ccy="CHF">1.00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd><camt:Sts>INFO</camt:Sts>${base}`), 'CHF').skipped).toEqual([8]);
    expect(readCamt(entry(`<camt:Amt Ccy="CHF">-1.00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd>${base}`), 'CHF').rows[0]!.error).toBe('Amt must be a decimal number like 12.50, not "-1.00"');
    expect(readCamt(entry(`<camt:Amt Ccy="CHF">1,00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd>${base}`), 'CHF').rows[0]!.error).toMatch(/^Amt must be a decimal number/);
    expect(readCamt(entry(`<camt:Amt>1.00</camt:Amt><camt:CdtDbtInd>DBIT</camt:CdtDbtInd>${base}`), 'CHF').rows[0]!.error).toBe('Amt has no Ccy (its currency)');
    expect(readCamt(entry(`<camt:Amt Ccy="CHF">1.00</camt:Amt>${base}`), 'CHF').rows[0]!.error).toBe('CdtDbtInd must be DBIT or CRDT, not ""');
  });

});

describe('camt.053 reversals', () => {
  it('skips an entry with RvslInd true (or 1), DBIT or CRDT, and counts it with the credits; RvslInd false is read', () => {
    const reversed = (value: string) => V02.replace('<CdtDbtInd>DBIT</CdtDbtInd>\r\n<Sts>BOOK</Sts>', `<CdtDbtInd>DBIT</CdtDbtInd>\r\n<RvslInd>${value}</RvslInd><Sts>BOOK</Sts>`);
    for (const value of ['true', '1']) {
      const { rows, skipped } = readCamt(reversed(value), 'EUR');
      expect(skipped).toEqual([10, 26, 38]);
      expect(rows.map((r) => r.line)).toEqual([31, 42, 46, 49]);
    }
    expect(readCamt(reversed('false'), 'EUR').rows.map((r) => r.line)).toEqual([10, 31, 42, 46, 49]);
    // A returned direct debit: booked CRDT with RvslInd, skipped as every credit.
    expect(readCamt(V02.replace('<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>', '<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>'), 'EUR').skipped).toEqual([26, 38]);
  });
});

describe('camt.053 credits as refunds', () => {
  it('credits=refunds: a booked credit is a refund row, merchant the debtor, keyed apart from a debit; reversals and pending stay skipped', () => {
    const { rows, skipped } = readCamt(V02, 'EUR', 'refunds');
    expect(skipped).toEqual([38]);
    expect(rows.find((r) => r.line === 26)).toEqual({
      line: 26,
      fields: ['2026-11-05', '2500', '', '', 'ACME GmbH'],
      key: JSON.stringify(['camt', 'DE89370400440532013000', 'AcctSvcrRef', '2026110500000001', 'CRDT']),
      refund: true,
    });
    // The debits are read as without the option (their keys unchanged).
    expect(rows.filter((r) => r.line !== 26)).toEqual(readCamt(V02, 'EUR').rows);
    const reversed = V02.replace('<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>', '<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>');
    expect(readCamt(reversed, 'EUR', 'refunds').skipped).toEqual([26, 38]);
    const pending = V02.replace('<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>', '<CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>');
    expect(readCamt(pending, 'EUR', 'refunds').skipped).toEqual([26, 38]);
  });
});

describe('camt.053 documents refused', () => {
  it('refuses a malformed document, another root, another ISO 20022 message and a statement without BkToCstmrStmt, with the position', () => {
    const refused = (text: string) => {
      try {
        readCamt(text, 'EUR');
      } catch (err) {
        expect(err).toBeInstanceOf(CamtFileError);
        const e = err as CamtFileError;
        return `${e.line}:${e.column} ${e.message}`;
      }
      throw new Error('not refused');
    };
    expect(refused(V02.replace('</Ntry>\r\n<Ntry>\r\n<Amt Ccy="EUR">2500.00', '</Ntri>\r\n<Ntry>\r\n<Amt Ccy="EUR">2500.00'))).toMatch(/^25:\d+ Not well-formed XML: .*Ntry/);
    expect(refused('')).toBe('1:1 The file is empty');
    expect(refused('<?xml version="1.0"?>\n<OFX><X>1</X></OFX>')).toBe('2:1 Not a camt.053 statement: the root element is <OFX>, not <Document>');
    expect(refused(V02.replace('camt.053.001.02', 'camt.052.001.02'))).toMatch(/^2:1 Not a camt.053 statement \(BankToCustomerStatement\): a camt.052 document;/);
    expect(refused(V02.replace(' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', ''))).toMatch(/^2:1 Not a camt.053 statement .*the namespace ""/);
    expect(refused('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"><BkToCstmrAcctRpt/></Document>')).toBe('1:1 Not a camt.053 statement: <Document> holds no <BkToCstmrStmt>');
  });

  it('refuses "<!" starting no comment, CDATA section or DOCTYPE (the validator lets `<!x>` through; the parser read it as a start tag never closed, swallowing the entries after it)', () => {
    const head = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n';
    const entry = (ref: string) => `<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef></Ntry>\n`;
    // Read before as one row of two (line 3's), silently: the second entry was inside `<!x>`.
    const text = `${head}${entry('R1')}<!x>${entry('R2')}</Stmt></BkToCstmrStmt></Document>`;
    expect(() => readCamt(text, 'EUR')).toThrow(CamtFileError);
    try {
      readCamt(text, 'EUR');
    } catch (err) {
      expect(`${(err as CamtFileError).line}:${(err as CamtFileError).column}`).toBe('4:1');
    }
    // Within an entry and before the entries: the same.
    expect(() => readCamt(`${head}${entry('R1').replace('<Amt', '<!xy><Amt')}${entry('R2')}</Stmt></BkToCstmrStmt></Document>`, 'EUR')).toThrow(CamtFileError);
    expect(() => readCamt(`${head.replace('<Stmt>', '<Stmt><!x>')}${entry('R1')}</Stmt></BkToCstmrStmt></Document>`, 'EUR')).toThrow(CamtFileError);
  });

  it('refuses a DOCTYPE: an entity-expansion document is never expanded', () => {
    const bomb = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
      V02.slice(V02.indexOf('<Document')).replace('REWE Markt GmbH &amp; Co. KG', '&c;'),
    ].join('\n');
    expect(() => readCamt(bomb, 'EUR')).toThrow(/^A DOCTYPE is not allowed/);
    const external = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>';
    expect(() => readCamt(external, 'EUR')).toThrow(CamtFileError);
    // An entity reference without a DOCTYPE stays as written (nothing defines it).
    const undefinedRef = V02.replace('REWE Markt GmbH &amp; Co. KG', '&c; &amp;#233;');
    expect(readCamt(undefinedRef, 'EUR').rows[0]!.fields[4]).toBe('&c; &#233;');
  });

  it('decodes by the XML declaration: Windows-1252 and UTF-8 strictly; another encoding is refused', () => {
    const text = V08.replace('encoding="UTF-8"', 'encoding="windows-1252"');
    const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
    const decoded = decodeCamt(bytes);
    expect(decoded).toMatchObject({ ok: true });
    expect(decoded.ok && readCamt(decoded.text, 'CHF').rows[0]!.fields[4]).toBe('Migros Zürich');
    // The same Latin-1 bytes declared UTF-8: refused, never replaced.
    expect(decodeCamt(new Uint8Array(Buffer.from(V08, 'latin1')))).toEqual({ ok: false, message: expect.stringMatching(/^Must be valid UTF-8/) });
    expect(decodeCamt(new Uint8Array(Buffer.from(V08.replace('encoding="UTF-8"', 'encoding="Shift_JIS"'))))).toEqual({ ok: false, message: expect.stringContaining('encoding="Shift_JIS"') });
  });

  it('is chosen by the XML media types and the ISO 20022 one', () => {
    for (const type of ['application/xml', 'text/xml; charset=utf-8', 'application/vnd.iso20022.camt.053+xml']) expect(importFormatOf(type)).toBe('camt');
    expect(importFormatOf('application/vnd.iso20022.camt.052+xml')).toBeUndefined();
  });
});

const ENTRY_KEY = JSON.stringify(['camt', CAMT_BATCH_IBAN, 'AcctSvcrRef', 'BATCH-1121']);
/** 12.40 + 45.00 + 4.45 = 61.85 */
const THREE = [
  { amount: '12.40', refs: '<AcctSvcrRef>TX-A</AcctSvcrRef>', creditor: 'Bäckerei Schmidt', ustrd: 'Brötchen' },
  { amount: '45.00', amountDetails: true, refs: '<EndToEndId>NOTPROVIDED</EndToEndId><TxId>T-778</TxId>', creditor: 'Aral Tankstelle' },
  { amount: '4.45', refs: '<EndToEndId>E2E-9</EndToEndId>', ustrd: 'Parkhaus' },
];

/** The batch of tests/support/camt-batch.ts: its TxDtls on lines 15, 22 and 28. */
describe('camt.053 batch bookings', () => {
  it('splits a batch whose transactions add up to the entry into one row each, keyed by their references', () => {
    const { rows, skipped } = readCamt(camtBatch(THREE), 'EUR');
    expect(skipped).toEqual([]);
    expect(rows).toEqual([
      { line: 15, fields: ['2026-11-21', '12.4', '', 'Brötchen', 'Bäckerei Schmidt'], key: JSON.stringify(['camt', CAMT_BATCH_IBAN, 'AcctSvcrRef', 'TX-A']), entryKey: ENTRY_KEY },
      { line: 22, fields: ['2026-11-21', '45', '', 'KARTENZAHLUNGEN', 'Aral Tankstelle'], key: JSON.stringify(['camt', CAMT_BATCH_IBAN, 'TxId', 'T-778', '2026-11-21', '45']), entryKey: ENTRY_KEY },
      { line: 28, fields: ['2026-11-21', '4.45', '', 'Parkhaus', ''], key: JSON.stringify(['camt', CAMT_BATCH_IBAN, 'EndToEndId', 'E2E-9', '2026-11-21', '4.45']), entryKey: ENTRY_KEY },
    ]);
  });

  it('keys transactions without a reference (or sharing one, or the entry\'s) by the entry and their index', () => {
    const bare = THREE.map((t) => ({ ...t, refs: '<EndToEndId>NOTPROVIDED</EndToEndId>' }));
    expect(readCamt(camtBatch(bare), 'EUR').rows.map((r) => r.key)).toEqual([0, 1, 2].map((n) => JSON.stringify(['camt', CAMT_BATCH_IBAN, 'AcctSvcrRef', 'BATCH-1121', 'TxDtls', n])));
    const repeated = THREE.map((t) => ({ ...t, refs: '<AcctSvcrRef>BATCH-1121</AcctSvcrRef>' }));
    expect(readCamt(camtBatch(repeated), 'EUR').rows.map((r) => r.key)).toEqual([0, 1, 2].map((n) => JSON.stringify(['camt', CAMT_BATCH_IBAN, 'AcctSvcrRef', 'BATCH-1121', 'TxDtls', n])));
  });

  it('keeps the entry as one row when the amounts do not add up, one is missing or in another currency, or it has one TxDtls', () => {
    const one = { line: 8, fields: ['2026-11-21', '61.85', '', 'Brötchen', 'Bäckerei Schmidt'], key: ENTRY_KEY };
    // 12.40 + 45.00 + 4.40 = 61.80, not 61.85
    expect(readCamt(camtBatch([THREE[0]!, THREE[1]!, { ...THREE[2]!, amount: '4.40' }]), 'EUR').rows).toEqual([one]);
    expect(readCamt(camtBatch([THREE[0]!, { ...THREE[1]!, amount: undefined }, THREE[2]!]), 'EUR').rows).toEqual([one]);
    expect(readCamt(camtBatch([THREE[0]!, THREE[1]!, { ...THREE[2]!, ccy: 'CHF' }]), 'EUR').rows).toEqual([one]);
    expect(readCamt(camtBatch([THREE[0]!], '12.40'), 'EUR').rows).toEqual([{ ...one, fields: ['2026-11-21', '12.4', '', 'Brötchen', 'Bäckerei Schmidt'] }]);
  });

  it('adds amounts exactly, whatever their decimals: 0.1 + 0.2 is 0.30', () => {
    const rows = readCamt(camtBatch([{ ...THREE[0]!, amount: '0.1' }, { ...THREE[1]!, amount: '0.20' }], '0.30'), 'EUR').rows;
    expect(rows.map((r) => r.fields[1])).toEqual(['0.1', '0.2']);
  });
});

describe('camt.053 read one entry at a time (camt54)', () => {
  /** Two statements, an entry without details, a batch entry of 3 transactions of 251 remittance lines each, one line per element. */
  const lines = [
    '<?xml version="1.0"?>',
    '<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><ns2:BkToCstmrStmt>',
    '<ns2:Stmt><ns2:Acct><ns2:Id><ns2:IBAN>DE1</ns2:IBAN></ns2:Id></ns2:Acct>',
    '<ns2:Ntry><ns2:Amt Ccy="EUR">1.00</ns2:Amt><ns2:CdtDbtInd>DBIT</ns2:CdtDbtInd><ns2:BookgDt><ns2:Dt>2026-11-01</ns2:Dt></ns2:BookgDt><ns2:AddtlNtryInf>one &amp; only</ns2:AddtlNtryInf></ns2:Ntry>',
    '</ns2:Stmt>',
    '<ns2:Stmt><!-- a second statement --><ns2:Acct><ns2:Id><ns2:Othr><ns2:Id>O2</ns2:Id></ns2:Othr></ns2:Id></ns2:Acct>',
    '<ns2:Ntry><ns2:Amt Ccy="EUR">6</ns2:Amt><ns2:CdtDbtInd>DBIT</ns2:CdtDbtInd><ns2:BookgDt><ns2:Dt>2026-11-02</ns2:Dt></ns2:BookgDt><ns2:AcctSvcrRef>B</ns2:AcctSvcrRef><ns2:NtryDtls>',
    ...[1, 2, 3].map((n) => `<ns2:TxDtls><ns2:Refs><ns2:TxId>T${n}</ns2:TxId></ns2:Refs><ns2:Amt Ccy="EUR">${n}</ns2:Amt><ns2:RmtInf>${`<ns2:Ustrd><![CDATA[${n}]]></ns2:Ustrd>`.repeat(251)}</ns2:RmtInf></ns2:TxDtls>`),
    '</ns2:NtryDtls></ns2:Ntry>',
    '</ns2:Stmt></ns2:BkToCstmrStmt></ns2:Document>',
  ];
  const text = lines.join('\n');

  it('parses each entry without its transactions and each transaction alone, never the document: 1,280 transactions of 251 lines in one entry held 137 MB as one tree', () => {
    const slices: string[] = [];
    const counted = (slice: string) => {
      slices.push(slice);
      return new XMLParser({ ignoreAttributes: false, removeNSPrefix: true }).parse(slice) as Record<string, unknown>;
    };
    const entries = [...readStatements(text, 10, counted)];
    expect(entries.map((e) => [e.accountId, e.transactions.length])).toEqual([['DE1', 0], ['O2', 3]]);
    // Two entries and three transactions: five calls, each of one entry (without its NtryDtls) or one transaction.
    expect(slices).toHaveLength(5);
    expect(slices.map((s) => s.slice(0, 10))).toEqual(['<ns2:Ntry>', '<ns2:Ntry>', '<ns2:TxDtl', '<ns2:TxDtl', '<ns2:TxDtl']);
    expect(slices[1]).not.toContain('TxDtls');
    expect(slices.slice(2).map((s) => s.split('<ns2:TxDtls>').length - 1)).toEqual([1, 1, 1]);
    expect(Math.max(...slices.map((s) => s.length))).toBe(lines[7]!.length);
  });

  it('reads the same rows as from the whole tree: the accounts of each statement, the batch split with each line', () => {
    const split = (n: number, line: number) => ({ line, fields: ['2026-11-02', String(n), '', Array(251).fill(String(n)).join(' '), ''], key: JSON.stringify(['camt', 'O2', 'TxId', `T${n}`, '2026-11-02', String(n)]), entryKey: JSON.stringify(['camt', 'O2', 'AcctSvcrRef', 'B']) });
    expect(readCamt(text, 'EUR')).toEqual({ rows: [{ line: 4, fields: ['2026-11-01', '1', '', 'one & only', ''] }, split(1, 8), split(2, 9), split(3, 10)], skipped: [] });
  });
});

/**
 * Fixes of camt54's one-entry-at-a-time walk found only by comparing the old reader (one tree of
 * the whole document) with the new on generated files (packages/expenses/docs/import-export.md "Memory per import"): each case
 * here is one such file, answered as the whole document's tree answered it.
 */
describe('camt.053 walk: the answers of the whole document (readers55)', () => {
  const head = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n';
  const tail = '</Stmt></BkToCstmrStmt></Document>\n';
  const entry = (ref: string, inner = '', tx = '', after = '') =>
    `<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>${inner}<BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><NtryDtls><TxDtls><Amt Ccy="EUR">1.00</Amt>${tx}</TxDtls></NtryDtls>${after}</Ntry>\n`;
  const refusal = (text: string): string => {
    try {
      readCamt(text, 'EUR');
    } catch (err) {
      expect(err).toBeInstanceOf(CamtFileError);
      return (err as Error).message;
    }
    throw new Error('not refused');
  };

  it('refuses an end tag with no element open in the walk as the parser does, not with a TypeError (2cff49a0)', () => {
    // The validator ends `<?p '?>` at its `?>`; the parser and the walk at the first `?>` outside
    // quotes, here the second PI's: they never see <X> open, so `</X>` ends nothing (the walk then
    // read its frames at depth -1: "Cannot read properties of undefined (reading 'aggregate')").
    const text = `${head.replace('<BkToCstmrStmt>', `<?p '?><X><Y><?q '?></Y></X><BkToCstmrStmt>`)}${entry('R1')}${tail}`;
    expect(refusal(text)).toMatch(/^Not (well-formed XML|a camt\.053 statement): /);
  });

  it("quotes the whole text's position in the parser's refusal of an entry's, a transaction's or the header's piece (78adaa29)", () => {
    // The validator passes it; the parser reads the PI to the `"?>` in the attribute, then `<d e=&apos;'>` is a tag never closed.
    const bad = (name: string) => `<?p "?><${name} c='"?><d e=&apos;'>x</${name}>`;
    const position = (text: string) => text.replace(/\r\n?/g, '\n').indexOf('<d e=');
    const files = [
      `${head}${entry('R1')}${entry('R2', bad('AddtlNtryInf'))}${tail}`,
      // After the entry's NtryDtls (cut out of the entry's piece: the offsets after it move).
      `${head}${entry('R1')}${entry('R2', '', '', bad('AddtlNtryInf'))}${tail}`,
      `${head}${entry('R1')}${entry('R2', '', bad('AddtlTxInf'))}${tail}`,
      `${head.replace('<Acct>', `${bad('Nm')}<Acct>`)}${entry('R1')}${tail}`,
      // CRLF line ends: the parser counts each as one character.
      `${head}${entry('R1')}${entry('R2', '', '', bad('AddtlNtryInf'))}${tail}`.replace(/\n/g, '\r\n'),
    ];
    for (const text of files) {
      expect(refusal(text)).toMatch(new RegExp(`^Not well-formed XML: readTagExp returned undefined at position ${position(text)}\\. Context: ".*<d e=&apos;`));
    }
  });

  it('reads markup as the parser does: an entry inside a processing instruction (a quoted "?>") is no row (8b0703e9)', () => {
    // The validator sees <Ntry> R2 between two PIs; the parser reads one PI from `<?p "` to the `?>` after the closing quote.
    const text = `${head}${entry('R1')}<?p "?>\n${entry('R2')}"?>\n${entry('R3')}${tail}`;
    expect(readCamt(text, 'EUR').rows.map((r) => [r.line, JSON.parse(r.key!) as unknown])).toEqual([
      [3, ['camt', 'DE1', 'AcctSvcrRef', 'R1']],
      [7, ['camt', 'DE1', 'AcctSvcrRef', 'R3']],
    ]);
  });
});
