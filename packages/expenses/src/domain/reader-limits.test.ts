import { describe, expect, it } from 'vitest';
import { CamtFileError, readCamt } from './camt/read';
import { parseCamt } from './camt/statements';
import { CsvFileError } from './csv/read';
import { headerRow, readBankCsv } from './csv/bank-csv';
import { EntryCounter, FileRowLimitError } from './import-file';
import { LineIndex } from './markup-text';
import { OfxFileError, readOfx } from './ofx/read';
import { parseOfx } from './ofx/tokenize';
import { MEMO_LINES_KEPT, QifDateOrderError, readQif } from './qif/read';
import { validateFileRow } from './file-rows';

/**
 * The bank format readers stop past the row limit (feat/readers54): a file of maxRows + 1
 * entries (rows and skipped lines) is read whole, so the 413 gives its count; past that the
 * reader throws FileRowLimitError where it is, and what follows in the file is never read. Each
 * test puts, after the limit, something that refuses the file when read (a malformed tag, a
 * date order contradicting the first): the row limit answering instead shows where it stopped.
 */

const ofx = (transactions: string[], after = '') =>
  `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n${transactions.join('\n')}\n${after}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n`;
const trn = (n: number) => `<STMTTRN><DTPOSTED>20261103<TRNAMT>${n % 2 ? '-' : ''}${n}.00<FITID>F${n}</STMTTRN>`;

describe('OFX reader and the row limit', () => {
  it('reads maxRows + 1 transactions whole (rows and skipped credits), and stops at the next, before a malformed tag after it', () => {
    const five = ofx([1, 2, 3, 4, 5].map(trn));
    const read = readOfx(five, 'USD', 'skip', 4);
    expect([read.rows.length, read.skipped.length]).toEqual([3, 2]);
    expect(() => readOfx(five, 'USD', 'skip', 3)).toThrow(FileRowLimitError);
    const broken = ofx([1, 2, 3, 4, 5].map(trn), '<bad tag>');
    expect(() => readOfx(broken, 'USD', 'skip')).toThrow(OfxFileError);
    expect(() => readOfx(broken, 'USD', 'skip', 3)).toThrow(FileRowLimitError);
  });

  it("keeps of a statement's transaction only the first element of each name it reads; unread ones are dropped, every one still checked", () => {
    const root = parseOfx(ofx(['<STMTTRN><X>1<TRNAMT>-1.00<Y><Z>2</Y><NAME>First<NAME>Second<TRNAMT>-9<MEMO>m</STMTTRN>']), new EntryCounter(undefined));
    const trnElement = root.children[0]!.children[0]!.children[0]!.children.find((e) => e.name === 'BANKTRANLIST')!.children[0]!;
    expect(trnElement.children.map((e) => [e.name, e.text])).toEqual([
      ['TRNAMT', '-1.00'],
      ['NAME', 'First'],
      ['MEMO', 'm'],
    ]);
    // Dropped children still make their parent an aggregate: text in it is refused as before.
    expect(() => readOfx(ofx(['<STMTTRN><X>1</X>text</STMTTRN>']), 'USD', 'skip', 10)).toThrow(/Text inside the aggregate <STMTTRN>/);
    // Outside a statement nothing is kept but what holds one.
    const outside = parseOfx('<OFX><SIGNONMSGSRSV1><SONRS><X>1</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTRS><CURDEF>USD</STMTRS></BANKMSGSRSV1></OFX>', new EntryCounter(undefined));
    expect(outside.children.map((e) => e.name)).toEqual(['BANKMSGSRSV1']);
  });
});

describe('QIF reader and the row limit', () => {
  const records = (n: number) => Array.from({ length: n }, (_, i) => `D2026-11-03\nT-${i + 1}.00\n^\n`).join('');

  it('reads maxRows + 1 records whole, and stops at the next: a later record dated day first never contradicts the first', () => {
    const five = `!Type:Bank\n${records(5)}`;
    expect(readQif(five, undefined, 'skip', 4).rows).toHaveLength(5);
    expect(() => readQif(five, undefined, 'skip', 3)).toThrow(FileRowLimitError);
    // Month first (11/21) in record 1, day first (21/11) in record 7: read whole, the order is refused.
    const contradicting = `!Type:Bank\nD11/21/2026\nT-1\n^\n${records(5)}D21/11/2026\nT-1\n^\n`;
    expect(() => readQif(contradicting)).toThrow(QifDateOrderError);
    expect(() => readQif(contradicting, undefined, 'skip', 3)).toThrow(FileRowLimitError);
  });

  it('a record of 100 split lines keeps 51 parts and tells their count', () => {
    const qif = `!Type:Bank\nD11/21/2026\nT-100\n${'S\n$-1\n'.repeat(100)}^\n`;
    expect(readQif(qif).rows[0]!.splitFallback).toBe('100 split parts: a split expense has 2 to 50');
  });
});

describe('QIF memo lines kept (readers55)', () => {
  const qif = (memo: string) => `!Type:Bank\nD2026-11-03\nT-2.00\nPShop\n${memo}^\n`;
  const context = { currency: 'USD', categoryIds: new Map<string, string>() };
  /** The memo lines the row's description cell holds (each kept line is one word here). */
  const keptLines = (text: string) => readQif(text).rows[0]!.fields[3]!.split(' ');

  it('keeps at most the 251 memo lines a 500-character description can hold: a record of 200,000 (5 MB of M1 peaked at 59 MB)', () => {
    expect(MEMO_LINES_KEPT).toBe(251);
    const { rows, skipped } = readQif(qif('M1\n'.repeat(200_000)));
    expect(skipped).toEqual([]);
    expect(rows).toEqual([{ line: 2, fields: ['2026-11-03', '2', '', Array(251).fill('1').join(' '), 'Shop'] }]);
    // 251 one-character lines are 501 characters joined: the length error, as the whole memo's.
    expect(validateFileRow(rows[0]!, context)).toEqual({ ok: false, message: 'description must be at most 500 characters' });
    // Blank memo lines are not kept nor counted; a guarded first line (`'=`, its apostrophe dropped) is still over.
    expect(keptLines(qif(`${'M \n'.repeat(1_000)}M'=\n${'M1\n'.repeat(1_000)}`))).toEqual(["'=", ...Array(250).fill('1')]);
    expect(validateFileRow(readQif(qif(`M'=\n${'M1\n'.repeat(1_000)}`)).rows[0]!, context)).toEqual({ ok: false, message: 'description must be at most 500 characters' });
  });

  it('reads a memo within the bound whole, as before: 250 one-character lines are the 499-character description', () => {
    const { rows } = readQif(qif(`${'M\n'.repeat(1_000)}${'Ma\n'.repeat(250)}`));
    expect(rows[0]!.fields[3]).toBe(Array(250).fill('a').join(' '));
    const read = validateFileRow(rows[0]!, context);
    expect(read.ok && read.value.row.description).toHaveLength(499);
  });

  it('keeps the first line past the bound that is not well-formed text: the row is that error, checked before the length, as before', () => {
    for (const bad of ['a\u0000b', '\ud800']) {
      const text = qif(`${'M1\n'.repeat(300)}M${bad}\n${'M1\n'.repeat(300)}M${bad}\n`);
      expect(keptLines(text)).toEqual([...Array(251).fill('1'), bad]);
      expect(validateFileRow(readQif(text).rows[0]!, context)).toEqual({ ok: false, message: 'description must be well-formed text without NUL or other control characters' });
    }
  });
});

describe('camt.053 reader and the row limit', () => {
  const head = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n';
  const entry = (n: number) => `<Ntry><Amt Ccy="EUR">${n}.00</Amt><CdtDbtInd>${n % 2 ? 'DBIT' : 'CRDT'}</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>R${n}</AcctSvcrRef></Ntry>\n`;
  const camt = (entries: string) => `${head}${entries}</Stmt></BkToCstmrStmt></Document>\n`;

  it('reads maxRows + 1 entries whole, and refuses more before parsing', () => {
    const five = camt([1, 2, 3, 4, 5].map(entry).join(''));
    const read = readCamt(five, 'EUR', 'skip', 4);
    expect([read.rows.length, read.skipped.length]).toEqual([3, 2]);
    expect(() => readCamt(five, 'EUR', 'skip', 3)).toThrow(FileRowLimitError);
    // Entries under another path are not the statement's: not counted.
    expect(readCamt(camt(`${entry(1)}<Ntry2>${[2, 3, 4, 5].map(entry).join('')}</Ntry2>`), 'EUR', 'skip', 1).rows).toHaveLength(1);
  });

  it('counts a split batch a row per transaction, and refuses an entry of more transactions than the limit before parsing', () => {
    const batch = (n: number) =>
      camt(`<Ntry><Amt Ccy="EUR">${n}</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AcctSvcrRef>B</AcctSvcrRef><NtryDtls>${'<TxDtls><Amt Ccy="EUR">1</Amt></TxDtls>'.repeat(n)}</NtryDtls></Ntry>\n`);
    expect(readCamt(batch(4), 'EUR', 'skip', 3).rows).toHaveLength(4);
    expect(() => readCamt(batch(5), 'EUR', 'skip', 3)).toThrow(FileRowLimitError);
    expect(readCamt(batch(5), 'EUR', 'skip').rows).toHaveLength(5);
  });

  it('reads an entry whose every child is unread as before: its own row error on its line', () => {
    const read = readCamt(camt(`${entry(1)}<Ntry><X/><Y>text<Z/></Y></Ntry>\n`), 'EUR', 'skip', 10);
    expect(read.rows.map((r) => [r.line, r.error])).toEqual([
      [3, undefined],
      [4, 'CdtDbtInd must be DBIT or CRDT, not ""'],
    ]);
    expect(() => readCamt(`${head}<Ntry>`, 'EUR')).toThrow(CamtFileError);
  });
});

describe('bank CSV with skipLines', () => {
  it('never splits the whole file: 5 MB after a broken header is refused at once with the header line', () => {
    const split = String.prototype.split;
    let longest = 0;
    String.prototype.split = function (this: string, ...args: Parameters<typeof split>) {
      longest = Math.max(longest, this.length);
      return split.apply(this, args);
    } as typeof split;
    try {
      const text = `Bank of X\nAccount 1\nDa"te,Amount\n${'2026-11-01,1\n'.repeat(400_000)}`;
      const refused = (() => {
        try {
          readBankCsv(text, { columns: { date: 'Date', amount: 'Amount' }, skipLines: 2 });
        } catch (err) {
          return err;
        }
      })();
      expect(refused).toBeInstanceOf(CsvFileError);
      expect((refused as CsvFileError).line).toBe(3);
      expect(headerRow(`Bank\n\nDate;Amount\n${'1;2\n'.repeat(400_000)}`, ';', 2)).toEqual(['Date', 'Amount']);
    } finally {
      String.prototype.split = split;
    }
    expect(longest).toBeLessThan(1_000);
  });
});

describe('LineIndex', () => {
  it('answers forward and backward as counted from the start: LF, CRLF and CR ends', () => {
    // a \n b c \r \n d \r e \n \n f: lines start at 0, 2, 6, 8, 10 and 11 (the LF of a CRLF starts none).
    const lines = new LineIndex('a\nbc\r\nd\re\n\nf');
    const expected: Record<number, [number, number]> = { 0: [1, 1], 3: [2, 2], 5: [2, 4], 1: [1, 2], 12: [6, 2], 7: [3, 2], 9: [4, 2], 2: [2, 1], 11: [6, 1], 10: [5, 1], 6: [3, 1] };
    for (const [offset, [line, column]] of Object.entries(expected)) expect(lines.position(Number(offset)), `offset ${offset}`).toEqual({ line, column });
    // Object.entries orders integer keys ascending: asked backward as well.
    for (const offset of [12, 5, 0, 9]) expect(lines.position(offset)).toEqual({ line: expected[offset]![0], column: expected[offset]![1] });
  });
});

describe('LineIndex asked for offset 0 between later offsets (review54c)', () => {
  it('does not count the text again from the start: camt asks offset 0 for each text-only <Ntry/>, between the entries it reads', () => {
    // A camt entry written `<Ntry/>` parses as a string without a position (startOf: 0). Counting
    // from the start again after it made a file of <Ntry/> between entries quadratic: 2.7 MB of
    // 8,000 pairs took 46 s against 1 s before the forward LineIndex.
    const source = 'ab\n'.repeat(10_000);
    let reads = 0;
    const counted = {
      length: source.length,
      charCodeAt: (i: number) => {
        reads++;
        return source.charCodeAt(i);
      },
    } as unknown as string;
    const lines = new LineIndex(counted);
    for (let n = 1; n < 10_000; n += 100) {
      expect(lines.position(n * 3)).toEqual({ line: n + 1, column: 1 });
      expect(lines.position(0)).toEqual({ line: 1, column: 1 });
    }
    expect(reads).toBeLessThan(2 * source.length);
  });

  it('numbers the entries of a camt file with <Ntry/> between them: each its own line, a text-only one too (readers54b: it was line 1)', () => {
    const head = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n';
    const entry = '<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt></Ntry>\n';
    const read = readCamt(`${head}${`<Ntry/>\n${entry}`.repeat(3)}</Stmt></BkToCstmrStmt></Document>\n`, 'EUR', 'skip', 10);
    expect(read.rows.map((r) => [r.line, r.error === undefined])).toEqual([
      [3, false],
      [4, true],
      [5, false],
      [6, true],
      [7, false],
      [8, true],
    ]);
    // Text-only entries (a string in the parser's tree, without a position) among statements and read entries.
    const text = `${head}<Ntry>x</Ntry>\n${entry}</Stmt><Stmt>\n<Ntry/>\n<Ntry> </Ntry></Stmt></BkToCstmrStmt></Document>\n`;
    expect(readCamt(text, 'EUR', 'skip', 10).rows.map((r) => r.line)).toEqual([3, 4, 6, 7]);
  });
});

describe('OFX pruning of aggregates read.ts never reads (review54c)', () => {
  it("drops inside a statement an element of a name read.ts never reads, whatever it holds: 5 MB of <X><NAME>a</X> in one transaction peaked at 260 MB", () => {
    const text = ofx(['<STMTTRN><TRNAMT>-1.00<X><NAME>a</X><Y><PAYEE><NAME>b</PAYEE></Y><DTPOSTED>20261103<NAME>Shop</STMTTRN>']);
    const root = parseOfx(text, new EntryCounter(undefined));
    const list = root.children[0]!.children[0]!.children[0]!.children.find((e) => e.name === 'BANKTRANLIST')!;
    expect(list.children[0]!.children.map((e) => e.name)).toEqual(['TRNAMT', 'DTPOSTED', 'NAME']);
    // What read.ts reads of it is what it read of the whole tree.
    expect(readOfx(text, 'USD', 'skip', 10)).toEqual(readOfx(text, 'USD', 'skip'));
    expect(readOfx(text, 'USD', 'skip', 10).rows[0]!.fields).toEqual(['2026-11-03', '1', '', '', 'Shop']);
  });
});

describe('camt.053 blanking of a read element repeated (review54c)', () => {
  const head = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n';
  const camt = (entries: string) => `${head}${entries}</Stmt></BkToCstmrStmt></Document>\n`;

  it('blanks every element readCamt reads only the first of after that first: 5 MB of <Sts/> in one entry peaked at 192 MB', () => {
    const text = camt('<Ntry><Amt Ccy="EUR">2.00</Amt><Amt Ccy="USD">9</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><Sts>PDNG</Sts><Sts/><BookgDt><Dt>2026-11-03</Dt><Dt>2026-11-04</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>a</Ustrd><Ustrd>b</Ustrd></RmtInf><RmtInf><Ustrd>c</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n');
    const statement = (parseCamt(text, 10).BkToCstmrStmt as { Stmt: { Ntry: Record<string, unknown>[] }[] }).Stmt[0]!;
    const entry = statement.Ntry[0]!;
    expect([Array.isArray(entry.Sts), Array.isArray(entry.Amt), Array.isArray((entry.BookgDt as Record<string, unknown>).Dt)]).toEqual([false, false, false]);
    // What readCamt reads of it is what it reads of the whole tree: the first of each, every Ustrd of the first RmtInf.
    expect(readCamt(text, 'EUR', 'skip', 10).rows.map((r) => [r.line, r.fields])).toEqual([[3, ['2026-11-03', '2', '', 'a b', '']]]);
    expect(readCamt(text, 'EUR', 'skip', 10)).toEqual(readCamt(text, 'EUR', 'skip'));
  });
});

describe('camt.053 remittance lines kept (readers54b)', () => {
  const head = '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n';
  const camt = (ustrd: string) =>
    `${head}<Ntry><Amt Ccy="EUR">2.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-03</Dt></BookgDt><AddtlNtryInf>info</AddtlNtryInf><NtryDtls><TxDtls><RmtInf>${ustrd}</RmtInf></TxDtls></NtryDtls></Ntry>\n</Stmt></BkToCstmrStmt></Document>\n`;
  /** The Ustrd elements the parser's tree holds of the entry's first transaction. */
  const kept = (text: string): unknown[] => {
    const statement = (parseCamt(text, 10).BkToCstmrStmt as { Stmt: { Ntry: { NtryDtls: { TxDtls: { RmtInf: Record<string, unknown> }[] }[] }[] }[] }).Stmt[0]!;
    const ustrd = statement.Ntry[0]!.NtryDtls[0]!.TxDtls[0]!.RmtInf.Ustrd;
    return Array.isArray(ustrd) ? ustrd : [];
  };

  it('keeps no empty line and at most the 251 lines a 500-character description can hold: 5 MB of <Ustrd/> in one RmtInf peaked at 142 MB', () => {
    expect(kept(camt('<Ustrd/>'.repeat(1_000)))).toHaveLength(0);
    expect(kept(camt(`${'<Ustrd/><Ustrd> \n </Ustrd>'.repeat(500)}${'<Ustrd>a</Ustrd>'.repeat(1_000)}`))).toEqual(Array(251).fill('a'));
    // Empty lines say nothing: the description is the next line's (or the entry's AddtlNtryInf) as before.
    expect(readCamt(camt(`${'<Ustrd/>'.repeat(1_000)}<Ustrd> Shop </Ustrd>`), 'EUR').rows[0]!.fields[3]).toBe('Shop');
    expect(readCamt(camt('<Ustrd/>'.repeat(1_000)), 'EUR').rows[0]!.fields[3]).toBe('info');
    // 251 one-character lines are 501 characters joined: over the description's limit, as every line more.
    expect(readCamt(camt('<Ustrd>a</Ustrd>'.repeat(250)), 'EUR').rows[0]!.fields[3]).toHaveLength(499);
    expect(readCamt(camt('<Ustrd>a</Ustrd>'.repeat(1_000)), 'EUR').rows[0]!.fields[3]).toHaveLength(501);
  });

  it('counts no line whose text is only white space written as references: the line after 251 of them is the description, as before the cap (review54f)', () => {
    const blank = '<Ustrd>&#160;</Ustrd><Ustrd>&#32;&#xA0;</Ustrd><Ustrd> &#x20; </Ustrd>'.repeat(100);
    expect(readCamt(camt(`${blank}<Ustrd> Shop </Ustrd>`), 'EUR').rows[0]!.fields[3]).toBe('Shop');
  });
});

describe('OFX statements and the row limit (readers54b)', () => {
  const statements = (n: number) =>
    `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS>\n${'<STMTRS><CURDEF>USD</STMTRS>\n'.repeat(n)}</STMTTRNRS><BADTAG</BANKMSGSRSV1></OFX>\n`;

  it('counts statements as rows: maxRows + 1 are read, the next stops the file before what follows (5 MB of tiny statements peaked at 147 MB)', () => {
    expect(() => readOfx(statements(4), 'USD', 'skip')).toThrow(OfxFileError);
    expect(() => readOfx(statements(4), 'USD', 'skip', 3)).toThrow(OfxFileError);
    expect(() => readOfx(statements(5), 'USD', 'skip', 3)).toThrow(FileRowLimitError);
    // A statement's transactions are counted apart: one statement of maxRows + 1 transactions is read whole.
    expect(readOfx(ofx([1, 2, 3, 4].map(trn)), 'USD', 'skip', 3).rows).toHaveLength(2);
  });
});
