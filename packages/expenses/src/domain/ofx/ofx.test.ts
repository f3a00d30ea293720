import { describe, expect, it } from 'vitest';
import { decodeCamt } from '../camt/charset';
import { importFormatOf } from '../import-file';
import { decodeOfx } from './charset';
import { OfxFileError, parseSignedAmount, readOfx } from './read';
import { parseOfx } from './tokenize';

const SGML_HEADER = ['OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', 'SECURITY:NONE', 'ENCODING:USASCII', 'CHARSET:1252', 'COMPRESSION:NONE', 'OLDFILEUID:NONE', 'NEWFILEUID:NONE', ''];

/** An OFX 1.02 bank statement (SGML: leaves unclosed), one line per tag, CRLF, as banks write them. */
function sgmlBank(transactions: string[][], currency = 'USD'): string {
  return [
    ...SGML_HEADER,
    '<OFX>',
    '<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261130120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>',
    '<BANKMSGSRSV1>',
    '<STMTTRNRS>',
    '<TRNUID>1',
    '<STMTRS>',
    `<CURDEF>${currency}`,
    '<BANKACCTFROM><BANKID>121000248<ACCTID>000123456789<ACCTTYPE>CHECKING</BANKACCTFROM>',
    '<BANKTRANLIST>',
    '<DTSTART>20261101',
    '<DTEND>20261130',
    ...transactions.flatMap((t) => ['<STMTTRN>', ...t, '</STMTTRN>']),
    '</BANKTRANLIST>',
    '<LEDGERBAL><BALAMT>100.00<DTASOF>20261130</LEDGERBAL>',
    '</STMTRS>',
    '</STMTTRNRS>',
    '</BANKMSGSRSV1>',
    '</OFX>',
    '',
  ].join('\r\n');
}

/** The first transaction's <STMTTRN> is on this line of sgmlBank's file. */
const FIRST = SGML_HEADER.length + 12;

describe('OFX transaction direction', () => {
  it('TRNTYPE DEBIT or CREDIT says the direction when the sign contradicts it (banks writing amounts unsigned, or inverted)', () => {
    // A bank writing every amount positive: its DEBITs were read as money in (skipped, or with
    // credits=refunds refunds); one writing them inverted: its CREDITs were read as expenses.
    const unsigned = sgmlBank([
      ['<TRNTYPE>DEBIT', '<DTPOSTED>20261103', '<TRNAMT>12.50', '<FITID>A1', '<NAME>CORNER MARKET'],
      ['<TRNTYPE>CREDIT', '<DTPOSTED>20261104', '<TRNAMT>2500.00', '<FITID>A2', '<NAME>PAYROLL'],
      ['<TRNTYPE>credit', '<DTPOSTED>20261105', '<TRNAMT>-30.00', '<FITID>A3', '<NAME>AMAZON', '<MEMO>Return'],
      ['<TRNTYPE>POS', '<DTPOSTED>20261106', '<TRNAMT>-4.20', '<FITID>A4', '<NAME>KIOSK'],
      ['<TRNTYPE>DEP', '<DTPOSTED>20261107', '<TRNAMT>10.00', '<FITID>A5', '<NAME>ATM DEPOSIT'],
    ]);
    expect(readOfx(unsigned, 'USD')).toEqual({
      rows: [
        { line: FIRST, fields: ['2026-11-03', '12.5', '', '', 'CORNER MARKET'], key: JSON.stringify(['000123456789', 'A1']) },
        { line: FIRST + 22, fields: ['2026-11-06', '4.2', '', '', 'KIOSK'], key: JSON.stringify(['000123456789', 'A4']) },
      ],
      skipped: [FIRST + 7, FIRST + 14, FIRST + 29],
    });
    expect(readOfx(unsigned, 'USD', 'refunds').rows.filter((r) => r.refund).map((r) => [r.fields[4], r.fields[1]])).toEqual([
      ['PAYROLL', '2500'],
      ['AMAZON', '30'],
      ['ATM DEPOSIT', '10'],
    ]);
  });
});

describe('OFX 1.x (SGML)', () => {
  it('reads debits as rows by the line of their <STMTTRN>, credits and zero amounts as skipped', () => {
    const file = sgmlBank([
      ['<TRNTYPE>DEBIT', '<DTPOSTED>20261103120000.000[-5:EST]', '<TRNAMT>-12.50', '<FITID>A1', '<NAME>CORNER MARKET', '<MEMO>Weekly shop'],
      ['<TRNTYPE>CREDIT', '<DTPOSTED>20261104', '<TRNAMT>2500.00', '<FITID>A2', '<NAME>PAYROLL'],
      ['<TRNTYPE>DEBIT', '<DTPOSTED>20261105', '<TRNAMT>-3,99', '<FITID>A3', '<PAYEE><NAME>Bus &amp; Tram<ADDR1>Main St</PAYEE>'],
      ['<TRNTYPE>OTHER', '<DTPOSTED>20261106', '<TRNAMT>0.00', '<FITID>A4', '<NAME>Card check'],
    ]);
    const { rows, skipped } = readOfx(file, 'USD');
    expect(rows).toEqual([
      { line: FIRST, fields: ['2026-11-03', '12.5', '', 'Weekly shop', 'CORNER MARKET'], key: JSON.stringify(['000123456789', 'A1']) },
      { line: FIRST + 15, fields: ['2026-11-05', '3.99', '', '', 'Bus & Tram'], key: JSON.stringify(['000123456789', 'A3']) },
    ]);
    expect(skipped).toEqual([FIRST + 8, FIRST + 22]);
    expect(file.split('\r\n')[FIRST - 1]).toBe('<STMTTRN>');
  });

  it('credits=refunds: a credit is a refund row of its positive amount with its own FITID key; a zero amount stays skipped', () => {
    const file = sgmlBank([
      ['<TRNTYPE>DEBIT', '<DTPOSTED>20261103', '<TRNAMT>-100.00', '<FITID>A1', '<NAME>AMAZON'],
      ['<TRNTYPE>CREDIT', '<DTPOSTED>20261104', '<TRNAMT>+25.00', '<FITID>A2', '<NAME>AMAZON', '<MEMO>Return'],
      ['<TRNTYPE>OTHER', '<DTPOSTED>20261106', '<TRNAMT>0.00', '<FITID>A4', '<NAME>Card check'],
    ]);
    expect(readOfx(file, 'USD', 'refunds')).toEqual({
      rows: [
        { line: FIRST, fields: ['2026-11-03', '100', '', '', 'AMAZON'], key: JSON.stringify(['000123456789', 'A1']) },
        { line: FIRST + 7, fields: ['2026-11-04', '25', '', 'Return', 'AMAZON'], key: JSON.stringify(['000123456789', 'A2']), refund: true },
      ],
      skipped: [FIRST + 15],
    });
    expect(readOfx(file, 'USD', 'skip').skipped).toEqual([FIRST + 7, FIRST + 15]);
  });

  it('keeps leaves closed explicitly, a file without a header, LF line ends and several tags per line', () => {
    const file = '<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>EUR<CCACCTFROM><ACCTID>4111</ACCTID></CCACCTFROM>\n<BANKTRANLIST>\n<STMTTRN><DTPOSTED>20261201<TRNAMT>-7</TRNAMT><NAME>Caf&#233;</NAME></STMTTRN>\n</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>';
    expect(readOfx(file, 'EUR')).toEqual({ rows: [{ line: 3, fields: ['2026-12-01', '7', '', '', 'Café'] }], skipped: [] });
  });

  it('a transaction without FITID has no key (the import then knows it by its values)', () => {
    const { rows } = readOfx(sgmlBank([['<DTPOSTED>20261103', '<TRNAMT>-1.00', '<NAME>X']]), 'USD');
    expect(rows[0]).toEqual({ line: FIRST, fields: ['2026-11-03', '1', '', '', 'X'] });
  });

  it('reports unusable transactions as errors of their line', () => {
    const { rows } = readOfx(
      sgmlBank([
        ['<DTPOSTED>20261103', '<FITID>1'],
        ['<DTPOSTED>20261103', '<TRNAMT>-1,234.50', '<FITID>2'],
        ['<TRNAMT>-1', '<FITID>3'],
        ['<DTPOSTED>Nov 3', '<TRNAMT>-1', '<FITID>4'],
        ['<DTPOSTED>20261103', '<TRNAMT>-1', '<FITID>5', '<CURRENCY><CURRATE>1.1<CURSYM>EUR</CURRENCY>'],
      ]),
      'USD',
    );
    expect(rows.map((r) => [r.line - FIRST, r.error])).toEqual([
      [0, 'TRNAMT (the amount) is required'],
      [4, 'TRNAMT must be a decimal number like -12.50 or -12,50 (no thousands separator), not "-1,234.50"'],
      [9, 'DTPOSTED (the date) is required'],
      [13, 'DTPOSTED must be a date YYYYMMDD (optionally with a time), not "Nov 3"'],
      [18, "the transaction is in EUR, not in the budget's currency USD"],
    ]);
  });

  it("refuses a statement in another currency than the budget's, or without one", () => {
    expect(() => readOfx(sgmlBank([]), 'EUR')).toThrow(/The statement is in USD; the budget's currency is EUR/);
    expect(() => readOfx(sgmlBank([]).replace('<CURDEF>USD', ''), 'USD')).toThrow(/has no CURDEF/);
  });
});

describe('OFX 1.x: empty leaves left unclosed', () => {
  it('reads an empty <MEMO> followed directly by the next tag as empty, not as holding it', () => {
    const { rows } = readOfx(
      sgmlBank([
        ['<TRNTYPE>DEBIT', '<DTPOSTED>20261103', '<TRNAMT>-4.00', '<MEMO><FITID>123', '<NAME>BAKERY'],
        ['<TRNTYPE>DEBIT', '<DTPOSTED>20261104', '<TRNAMT>-5.00', '<FITID>124', '<NAME>BUS', '<MEMO>'],
        ['<TRNTYPE>DEBIT', '<DTPOSTED>20261105', '<TRNAMT>-6.00', '<FITID>125', '<MEMO><SIC><NAME>CORNER', '<PAYEE><NAME>X<ADDR1>Main St</PAYEE>'],
      ]),
      'USD',
    );
    expect(rows).toEqual([
      { line: FIRST, fields: ['2026-11-03', '4', '', '', 'BAKERY'], key: JSON.stringify(['000123456789', '123']) },
      { line: FIRST + 7, fields: ['2026-11-04', '5', '', '', 'BUS'], key: JSON.stringify(['000123456789', '124']) },
      { line: FIRST + 15, fields: ['2026-11-05', '6', '', '', 'CORNER'], key: JSON.stringify(['000123456789', '125']) },
    ]);
  });

  it('keeps the structure: the empty leaf is a sibling of what follows it', () => {
    const root = parseOfx('<OFX><A><MEMO><FITID>1<NAME>n</A></OFX>');
    expect(root.children[0]!.children.map((e) => [e.name, e.text])).toEqual([
      ['MEMO', ''],
      ['FITID', '1'],
      ['NAME', 'n'],
    ]);
  });

  it('still refuses an aggregate left unclosed (aggregates always have their end tag), with its position', () => {
    const file = sgmlBank([['<DTPOSTED>20261103', '<TRNAMT>-1', '<FITID>1']]).replace('</STMTTRN>', '');
    expect(() => readOfx(file, 'USD')).toThrow(OfxFileError);
    try {
      readOfx(file, 'USD');
    } catch (err) {
      expect(err).toMatchObject({ line: FIRST + 5, column: 1, message: '</BANKTRANLIST> does not close the open element <STMTTRN>' });
    }
  });

  it('does not close empty elements in XML (every element is closed there)', () => {
    expect(() => parseOfx('<?xml version="1.0"?><?OFX OFXHEADER="200"?><OFX><A><MEMO><FITID>1</FITID></A></OFX>')).toThrow(/<\/A> does not close the open element <MEMO>/);
  });
});

/** Bytes of `text` in Windows-1252 (Latin-1 for U+00A0..U+00FF; the euro sign at 0x80, ’ at 0x92). */
const cp1252 = (text: string) => new Uint8Array(Buffer.from(text.replaceAll('\u20ac', '\x80').replaceAll('\u2019', '\x92'), 'latin1'));

describe('character sets (decodeOfx)', () => {
  const header = (charset: string, encoding = 'USASCII') => ['OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', `ENCODING:${encoding}`, `CHARSET:${charset}`, ''].join('\r\n');
  const sgml = (charset: string, name: string, encoding?: string) =>
    `${header(charset, encoding)}\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKTRANLIST>\r\n<STMTTRN><DTPOSTED>20261201<TRNAMT>-7.00<NAME>${name}</STMTTRN>\r\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
  const merchant = (decoded: ReturnType<typeof decodeOfx>) => {
    if (!decoded.ok) throw new Error(decoded.message);
    return readOfx(decoded.text, 'EUR').rows[0]!.fields[4];
  };

  it('decodes CHARSET:1252 bytes (é, ü, €, ’: one byte each, not UTF-8)', () => {
    const bytes = cp1252(sgml('1252', 'Café Müller 5€ McDonald’s'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const decoded = decodeOfx(bytes);
    expect(decoded).toMatchObject({ ok: true, charset: 'windows-1252' });
    expect(merchant(decoded)).toBe('Café Müller 5€ McDonald’s');
  });

  it('reads a file declaring CHARSET:1252 whose bytes are UTF-8 (converted by a tool that kept the header) as UTF-8: Café, not CafÃ©', () => {
    const converted = new TextEncoder().encode(sgml('1252', 'Café Müller 5€ McDonald’s'));
    expect(decodeOfx(converted)).toMatchObject({ ok: true, charset: 'utf-8' });
    expect(merchant(decodeOfx(converted))).toBe('Café Müller 5€ McDonald’s');
    // A camt.053 statement the same (its XML declaration).
    const camt = new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><Document><Nm>Bäckerei</Nm></Document>');
    expect(decodeCamt(camt)).toMatchObject({ ok: true, charset: 'utf-8', text: expect.stringContaining('Bäckerei') });
    // Plain ASCII, and real Windows-1252 bytes (never valid UTF-8 with accents), as before.
    expect(decodeOfx(new TextEncoder().encode(sgml('1252', 'Cafe')))).toMatchObject({ ok: true, charset: 'windows-1252' });
    expect(decodeOfx(cp1252(sgml('1252', 'Café')))).toMatchObject({ ok: true, charset: 'windows-1252' });
  });

  it.each(['ISO-8859-1', '8859-1', 'NONE'])('decodes CHARSET:%s as Windows-1252', (charset) => {
    expect(merchant(decodeOfx(cp1252(sgml(charset, 'Crème brûlée'))))).toBe('Crème brûlée');
  });

  it('decodes an OFX 2 file by its XML declaration', () => {
    const xml = (encoding: string) =>
      `<?xml version="1.0" encoding="${encoding}"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKTRANLIST>\n<STMTTRN><DTPOSTED>20261201</DTPOSTED><TRNAMT>-7</TRNAMT><NAME>Bäckerei</NAME></STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
    expect(merchant(decodeOfx(cp1252(xml('ISO-8859-1'))))).toBe('Bäckerei');
    expect(merchant(decodeOfx(new TextEncoder().encode(xml('UTF-8'))))).toBe('Bäckerei');
    expect(decodeOfx(new TextEncoder().encode(xml('Shift_JIS')))).toEqual({ ok: false, message: expect.stringContaining('encoding="Shift_JIS"') });
  });

  it('reads UTF-8 (declared, or nothing declared) strictly', () => {
    const utf8 = new TextEncoder().encode(sgml('NONE', 'Café', 'UTF-8'));
    expect(merchant(decodeOfx(utf8))).toBe('Café');
    expect(decodeOfx(cp1252(sgml('NONE', 'Café', 'UTF-8')))).toEqual({ ok: false, message: expect.stringMatching(/^Must be valid UTF-8 .*ENCODING:UTF-8/) });
    expect(decodeOfx(cp1252('<OFX><NAME>Café</OFX>'))).toMatchObject({ ok: false });
    expect(decodeOfx(cp1252(sgml('USASCII', 'Café')))).toMatchObject({ ok: false });
  });

  it('refuses another declared character set, naming it', () => {
    expect(decodeOfx(cp1252(sgml('850', 'Caf\u00e9')))).toEqual({ ok: false, message: expect.stringContaining('CHARSET:850') });
    expect(decodeOfx(cp1252(sgml('NONE', 'X', 'UNICODE')))).toEqual({ ok: false, message: expect.stringContaining('ENCODING:UNICODE') });
  });

  it("a Content-Type charset=utf-8 (or a UTF-8 BOM) wins over the header; another charset parameter does not", () => {
    const converted = new TextEncoder().encode(sgml('1252', 'Café'));
    // Read by its header, the UTF-8 bytes of é were two Windows-1252 characters (CafÃ©); valid UTF-8 past ASCII is read as UTF-8 now.
    expect(merchant(decodeOfx(converted))).toBe('Café');
    expect(merchant(decodeOfx(converted, 'utf-8'))).toBe('Café');
    expect(merchant(decodeOfx(new Uint8Array([0xef, 0xbb, 0xbf, ...converted])))).toBe('Café');
    expect(decodeOfx(cp1252(sgml('1252', 'Café')), 'UTF-8')).toMatchObject({ ok: false, message: expect.stringContaining('charset=UTF-8') });
    expect(merchant(decodeOfx(cp1252(sgml('1252', 'Café')), 'koi8-r'))).toBe('Café');
  });
});

describe('OFX 2.x (XML)', () => {
  const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n${body}`;

  it('reads a credit card statement', () => {
    const file = xml(
      [
        '<OFX>',
        '  <CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>0</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>',
        '    <CCSTMTRS><CURDEF>JPY</CURDEF><CCACCTFROM><ACCTID>5500000000000004</ACCTID></CCACCTFROM>',
        '      <BANKTRANLIST><DTSTART>20261101</DTSTART><DTEND>20261130</DTEND>',
        '        <STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20261120</DTPOSTED><TRNAMT>-8000</TRNAMT><FITID>X9</FITID><NAME>Ichiran &lt;Shibuya&gt;</NAME><MEMO>Ramen</MEMO></STMTTRN>',
        '        <STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20261121</DTPOSTED><TRNAMT>+500</TRNAMT><FITID>X10</FITID><NAME>Refund</NAME></STMTTRN>',
        '        <!-- a comment -->',
        '      </BANKTRANLIST>',
        '    </CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>',
        '</OFX>',
      ].join('\n'),
    );
    expect(readOfx(file, 'JPY')).toEqual({
      rows: [{ line: 7, fields: ['2026-11-20', '8000', '', 'Ramen', 'Ichiran <Shibuya>'], key: JSON.stringify(['5500000000000004', 'X9']) }],
      skipped: [8],
    });
  });

  it('refuses an unclosed leaf in XML (leaves are only left open in SGML)', () => {
    expect(() => parseOfx(xml('<OFX>\n<SIGNONMSGSRSV1><SONRS><CODE>0\n<X>1</X></SONRS></SIGNONMSGSRSV1></OFX>'))).toThrow(/<X> inside the leaf <CODE>/);
  });

  it('needs the OFX processing instruction', () => {
    expect(() => parseOfx('<?xml version="1.0"?>\n<OFX></OFX>')).toThrow(/OFXHEADER="200"/);
  });
});

describe('amounts', () => {
  it.each([
    ['-12.50', { negative: true, whole: '12', fraction: '50' }],
    ['-12,50', { negative: true, whole: '12', fraction: '50' }],
    ['+5', { negative: false, whole: '5', fraction: '' }],
    ['-.5', { negative: true, whole: '', fraction: '5' }],
    ['-007.10', { negative: true, whole: '7', fraction: '10' }],
    [' -0.29 ', { negative: true, whole: '0', fraction: '29' }],
  ])('%s', (text, parsed) => {
    expect(parseSignedAmount(text)).toEqual(parsed);
  });

  it.each(['', '-', '1e5', '-1,234.50', '1.2.3', '$5', '--1'])('refuses %j', (text) => {
    expect(parseSignedAmount(text)).toBeUndefined();
  });

  it('drops trailing zeros past the decimal mark (4-decimal banks), keeps the rest for the row check', () => {
    const { rows } = readOfx(sgmlBank([['<DTPOSTED>20261103', '<TRNAMT>-12.5000', '<FITID>1'], ['<DTPOSTED>20261103', '<TRNAMT>-0.005', '<FITID>2']]), 'USD');
    expect(rows.map((r) => r.fields[1])).toEqual(['12.5', '0.005']);
  });
});

describe('malformed files: an OfxFileError with line and column', () => {
  const failure = (text: string) => {
    try {
      readOfx(text, 'USD');
    } catch (err) {
      if (err instanceof OfxFileError) return { line: err.line, column: err.column, message: err.message };
      throw err;
    }
    throw new Error('read without an error');
  };

  it.each([
    ['empty', '  \n', { line: 1, column: 1, message: 'The file is empty' }],
    ['not OFX', 'date,amount\n2026-11-01,1', { line: 1, column: 1 }],
    ['a wrong header version', 'OFXHEADER:200\nDATA:OFXSGML\n\n<OFX></OFX>', { line: 1, column: 1, message: 'OFXHEADER must be 100, found "200"' }],
    ['a bad header line', 'OFXHEADER:100\nthis is not a header\n<OFX></OFX>', { line: 2, column: 1 }],
    ['a header and nothing else', 'OFXHEADER:100\nDATA:OFXSGML\n', { line: 3 }],
    ['a mismatched end tag', '<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>', { line: 4, column: 1, message: '</BANKMSGSRSV1> does not close the open element <STMTTRNRS>' }],
    ['a truncated file', '<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1', { line: 3, column: 1, message: 'The file ends inside <STMTTRNRS> (no </STMTTRNRS>)' }],
    ['an unclosed tag', '<OFX>\n  <BANKMSGSRSV1', { line: 2, column: 3, message: 'Unclosed tag (< without >)' }],
    ['attributes', '<OFX>\n<STMTRS id="1"></STMTRS></OFX>', { line: 2, column: 1 }],
    ['text in an aggregate', '<OFX><A><B>1</B>loose</A></OFX>', { line: 1, column: 17 }],
    ['no statement', '<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>', { line: 1, column: 1, message: 'No bank (STMTRS) or credit card (CCSTMTRS) statement in the file' }],
    ['another root', '<FOO></FOO>', { line: 1, column: 1 }],
    ['content after the root', '<OFX><STMTRS></STMTRS></OFX>\n<OFX>', { line: 2, column: 1 }],
  ])('%s', (_, text, expected) => {
    expect(failure(text)).toMatchObject(expected);
  });

  it('refuses nesting past the bound instead of recursing', () => {
    expect(failure(`<OFX>${'<A>'.repeat(100)}`)).toMatchObject({ message: 'Elements nest more than 32 deep' });
  });

  it('reads a large statement in one pass', () => {
    const transactions = Array.from({ length: 20_000 }, (_, i) => ['<DTPOSTED>20261103', `<TRNAMT>-${i + 1}.00`, `<FITID>${i}`, '<NAME>Shop']);
    // About 1 s on a loaded 2-core machine (120,000 lines, 1.9 MB); a pathological (quadratic) read
    // would not finish within the test's timeout. Speed itself is the bench's to measure, not a test's.
    const { rows } = readOfx(sgmlBank(transactions), 'USD');
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]).toMatchObject({ line: FIRST + 19_999 * 6, fields: ['2026-11-03', '20000', '', '', 'Shop'] });
  });
});

describe('media types', () => {
  it.each([
    ['text/csv', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    ['application/vnd.ms-excel', 'csv'],
    ['Application/VND.MS-Excel; charset=windows-1252', 'csv'],
    ['application/x-ofx', 'ofx'],
    ['Application/Vnd.Intu.QFX', 'ofx'],
    ['application/ofx; charset=utf-8', 'ofx'],
    ['application/json', undefined],
    [undefined, undefined],
  ])('%s', (type, format) => {
    expect(importFormatOf(type)).toBe(format);
  });
});
