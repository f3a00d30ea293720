import { describe, expect, it } from 'vitest';
import { formatMinorUnits } from '@budgeting/platform';
import { parseAmount } from './amount';
import { guardCell, unguardCell } from './cells';
import { fingerprintRows } from './fingerprint';
import { CsvFileError, readCsv } from './read';
import { validateRow, type ImportRow } from './rows';

describe('amount cells (major units -> minor units, no floats)', () => {
  it.each([
    ['12.34', 'USD', 1234],
    ['12.3', 'USD', 1230],
    ['12', 'USD', 1200],
    [' 0.01 ', 'USD', 1],
    ['0.29', 'USD', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['1234', 'JPY', 1234],
    ['1.234', 'KWD', 1234],
    ['0.005', 'KWD', 5],
    ['007.50', 'USD', 750],
    ['10000000000.00', 'USD', 1_000_000_000_000],
  ])('%s %s is %i', (text, currency, minor) => {
    expect(parseAmount(text, currency)).toEqual({ ok: true, value: minor });
  });

  it.each([
    ['', 'USD', 'amount is required'],
    ['12.345', 'USD', 'amount has at most 2 decimals in USD'],
    ['12.5', 'JPY', 'amount must be a whole number of JPY (no decimals)'],
    ['1.2345', 'KWD', 'amount has at most 3 decimals in KWD'],
    ['-5', 'USD', 'amount must be greater than 0'],
    ['-0.01', 'USD', 'amount must be greater than 0'],
    ['0', 'USD', 'amount must be greater than 0'],
    ['0.00', 'USD', 'amount must be greater than 0'],
    ['10000000000.01', 'USD', 'amount must be at most 10000000000.00'],
    ['99999999999999999999999999', 'JPY', 'amount must be at most 1000000000000'],
  ])('refuses %j in %s: %s', (text, currency, message) => {
    expect(parseAmount(text, currency)).toEqual({ ok: false, message });
  });

  it.each(['1,234.50', '$12', '12.', '.5', '+5', '1e3', '12 34', 'NaN', '٣'])('refuses %j as not a plain decimal', (text) => {
    const out = parseAmount(text, 'USD');
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toMatch(/plain decimal number in USD like 12\.50/);
  });

  it('formats back what it parses, for every exponent', () => {
    for (const [currency, text] of [['USD', '12.34'], ['USD', '0.05'], ['JPY', '1234'], ['KWD', '0.005'], ['KWD', '1234.567']] as const) {
      const parsed = parseAmount(text, currency);
      expect(parsed.ok && formatMinorUnits(parsed.value, currency)).toBe(text);
    }
  });
});

describe('formula-injection guard', () => {
  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('guards %j and reads it back', (text) => {
    expect(guardCell(text)).toBe(`'${text}`);
    expect(unguardCell(guardCell(text))).toBe(text);
  });
  it.each(["'=1+2", "''@x", "'-", "'\tx"])("guards %j, a user's own apostrophe before a formula character, and reads it back whole", (text) => {
    expect(guardCell(text)).toBe(`'${text}`);
    expect(unguardCell(guardCell(text))).toBe(text);
  });
  it.each(['plain', "'quoted", '', '1-2', "'"])('leaves %j alone both ways', (text) => {
    expect(guardCell(text)).toBe(text);
    expect(unguardCell(text)).toBe(text);
  });
});

describe('reading the file', () => {
  it('numbers records by their first physical line (quoted line breaks, blank lines, CRLF, BOM)', () => {
    const text = '\uFEFFDate, Amount ,CATEGORY,description,merchant\r\n\r\n2026-11-01,1,,"two\r\nlines",x\r\n2026-11-02,2,,"a, ""b""",y\r\n,,,,\r\n\r\n2026-11-03,3\r\n';
    expect(readCsv(text)).toEqual([
      { line: 3, fields: ['2026-11-01', '1', '', 'two\nlines', 'x'] },
      { line: 5, fields: ['2026-11-02', '2', '', 'a, "b"', 'y'] },
      { line: 8, fields: ['2026-11-03', '3'] },
    ]);
  });

  it('reads a file without header, LF or CR line ends, no final line end', () => {
    expect(readCsv('2026-11-01,1,,,\n2026-11-02,2,,,')).toEqual([
      { line: 1, fields: ['2026-11-01', '1', '', '', ''] },
      { line: 2, fields: ['2026-11-02', '2', '', '', ''] },
    ]);
    expect(readCsv('2026-11-01,1,,,\r2026-11-02,2,,,\r').map((r) => r.line)).toEqual([1, 2]);
  });

  it('is empty for an empty file, blank lines, or the header alone', () => {
    for (const text of ['', '\n\n', '\uFEFF', 'date,amount,category,description,merchant\r\n']) expect(readCsv(text)).toEqual([]);
  });

  it('refuses broken quoting, naming the line', () => {
    expect(() => readCsv('2026-11-01,1,,ok,\n2026-11-02,2,,"bad"x,\n2026-11-03,3,,,\n')).toThrow(CsvFileError);
    const unclosed = () => readCsv('2026-11-01,1,,,\n2026-11-02,2,,"never closed,\n2026-11-03,3,,,\n');
    expect(unclosed).toThrow(CsvFileError);
    expect(unclosed).toThrow(expect.objectContaining({ line: expect.any(Number) }));
  });

  it('refuses a header of other columns or another order', () => {
    expect(() => readCsv('date,category,amount,description,merchant\n2026-11-01,,1,,\n')).toThrow(/header row must be exactly/);
    expect(() => readCsv('date,amount\n')).toThrow(CsvFileError);
    // Unknown columns are still refused: only the export's `tags` is known.
    expect(() => readCsv('date,amount,category,description,merchant,notes\n2026-11-01,1,,,,x\n')).toThrow(/header row must be exactly/);
  });

  it("reads the export's header with its tags column, dropping that column (the import records no tags)", () => {
    expect(readCsv('date,amount,category,description,merchant,tags\r\n2026-11-01,1,,,,a;b\r\n2026-11-02,2,,x,\r\n')).toEqual([
      { line: 2, fields: ['2026-11-01', '1', '', '', ''] },
      // A row of another length is left as it is (validateRow refuses its count).
      { line: 3, fields: ['2026-11-02', '2', '', 'x', ''] },
    ]);
    // Without that header, a sixth field is refused by the row check as before.
    expect(readCsv('2026-11-01,1,,,,a')[0]!.fields).toHaveLength(6);
  });

  it("reads the export's header with the foreign columns: tags dropped, foreignAmount and foreignCurrency kept apart", () => {
    const text =
      'Date,Amount,Category,Description,Merchant,Tags,ForeignAmount,ForeignCurrency\r\n' +
      '2026-11-01,52.40,,Ramen,Ichiran,trip,8000,JPY\r\n' +
      '2026-11-02,2,,,,,,\r\n' +
      '2026-11-03,3,,,,trip\r\n';
    expect(readCsv(text)).toEqual([
      { line: 2, fields: ['2026-11-01', '52.40', '', 'Ramen', 'Ichiran'], foreign: ['8000', 'JPY'] },
      { line: 3, fields: ['2026-11-02', '2', '', '', ''], foreign: ['', ''] },
      // A row of another length is left as it is (validateRow refuses its count).
      { line: 4, fields: ['2026-11-03', '3', '', '', '', 'trip'] },
    ]);
    // The foreign columns only come after tags, in the export's order: other headers are refused.
    expect(() => readCsv('date,amount,category,description,merchant,foreignAmount,foreignCurrency\n')).toThrow(/header row must be exactly/);
    expect(() => readCsv('date,amount,category,description,merchant,tags,foreignCurrency,foreignAmount\n')).toThrow(/header row must be exactly/);
    // Without a header, eight fields are eight fields (refused by the row check).
    expect(readCsv('2026-11-01,1,,,,,8000,JPY')[0]).toEqual({ line: 1, fields: ['2026-11-01', '1', '', '', '', '', '8000', 'JPY'] });
  });
});

describe("readCsv of the export's header with review", () => {
  it("reads the export's header with the reviewed column: tags and reviewed dropped, the foreign cells kept apart", () => {
    const text =
      'date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed\r\n' +
      '2026-11-01,52.40,,Ramen,Ichiran,trip,8000,JPY,false\r\n' +
      '2026-11-02,2,,,,,,,true\r\n' +
      '2026-11-03,3,,,,trip,,\r\n';
    expect(readCsv(text)).toEqual([
      { line: 2, fields: ['2026-11-01', '52.40', '', 'Ramen', 'Ichiran'], foreign: ['8000', 'JPY'] },
      { line: 3, fields: ['2026-11-02', '2', '', '', ''], foreign: ['', ''] },
      // A row of another length is left as it is (validateRow refuses its count).
      { line: 4, fields: ['2026-11-03', '3', '', '', '', 'trip', '', ''] },
    ]);
    // reviewed comes last, after the foreign columns: another order is refused.
    expect(() => readCsv('date,amount,category,description,merchant,tags,reviewed,foreignAmount,foreignCurrency\n')).toThrow(/header row must be exactly/);
  });

  it("reads today's header, ending in recurringExpenseId: tags, reviewed and the link dropped, the foreign cells kept apart", () => {
    const text =
      'date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed,recurringExpenseId\r\n' +
      '2026-11-01,15.49,,,Netflix,,,,true,01JDRECURRING00000000000001\r\n' +
      '2026-11-02,52.40,,Ramen,Ichiran,trip,8000,JPY,false,\r\n' +
      '2026-11-03,3,,,,trip,,,true\r\n';
    expect(readCsv(text)).toEqual([
      { line: 2, fields: ['2026-11-01', '15.49', '', '', 'Netflix'], foreign: ['', ''] },
      { line: 3, fields: ['2026-11-02', '52.40', '', 'Ramen', 'Ichiran'], foreign: ['8000', 'JPY'] },
      // A row of another length (here the reviewed header's nine) is left as it is (validateRow refuses its count).
      { line: 4, fields: ['2026-11-03', '3', '', '', '', 'trip', '', '', 'true'] },
    ]);
    // The link comes last, after reviewed: another order is refused.
    expect(() => readCsv('date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,recurringExpenseId,reviewed\n')).toThrow(/header row must be exactly/);
  });
});

describe('validating a row', () => {
  const context = { currency: 'USD', categoryIds: new Map([['groceries', 'cat-g'], ['café', 'cat-c']]) };
  const row = (...fields: string[]) => validateRow(fields, context);

  it('imports a foreign amount in major units of its own currency (JPY 0, USD 2, BHD 3 decimals); both cells empty is none', () => {
    const base = ['2026-11-01', '52.40', '', '', ''];
    const foreign = (amount: string, currency: string) => validateRow(base, context, [amount, currency]);
    const value = { occurredOn: '2026-11-01', amount: 5240, categoryId: null };
    expect(foreign(' 8000 ', ' JPY ')).toEqual({ ok: true, value: { ...value, foreign: { amount: 8000, currency: 'JPY' } } });
    expect(foreign('12.5', 'EUR')).toEqual({ ok: true, value: { ...value, foreign: { amount: 1250, currency: 'EUR' } } });
    expect(foreign('1.250', 'BHD')).toEqual({ ok: true, value: { ...value, foreign: { amount: 1250, currency: 'BHD' } } });
    expect(foreign('', '')).toEqual({ ok: true, value });
    expect(foreign(' ', ' ')).toEqual({ ok: true, value });
  });

  it.each([
    [['8000', ''], 'foreignCurrency is required with a foreignAmount'],
    [['', 'JPY'], 'foreignAmount is required with a foreignCurrency'],
    [['8000', 'jpy'], 'foreignCurrency must be an ISO 4217 currency code in capitals such as JPY, not "jpy"'],
    [['8000', 'XYZ'], 'foreignCurrency must be an ISO 4217 currency code in capitals such as JPY, not "XYZ"'],
    [['8000', 'USD'], "foreignCurrency must be another currency than the budget's (USD)"],
    [['8000.5', 'JPY'], 'foreignAmount must be a whole number of JPY (no decimals)'],
    [['1.2345', 'BHD'], 'foreignAmount has at most 3 decimals in BHD'],
    [['0', 'EUR'], 'foreignAmount must be greater than 0'],
    [['-5', 'EUR'], 'foreignAmount must be greater than 0'],
    [['1,000', 'EUR'], 'foreignAmount must be a plain decimal number in EUR like 12.50 (no sign, currency symbol or thousands separator)'],
  ])('refuses the foreign cells %j: %s', (cells, message) => {
    expect(validateRow(['2026-11-01', '1', '', '', ''], context, cells as [string, string])).toEqual({ ok: false, message });
  });

  it('builds the expense: trimmed text, category by name in any case, empty category = uncategorized', () => {
    expect(row(' 2026-11-01 ', '12.50', ' GROCERIES ', ' Weekly shop ', ' Corner ')).toEqual({
      ok: true,
      value: { occurredOn: '2026-11-01', amount: 1250, categoryId: 'cat-g', description: 'Weekly shop', merchant: 'Corner' },
    });
    expect(row('2026-11-01', '1', '', '', '')).toEqual({ ok: true, value: { occurredOn: '2026-11-01', amount: 100, categoryId: null } });
    expect(row('2026-11-01', '1', 'Cafe\u0301', "'=cmd", "'@x")).toEqual({
      ok: true,
      value: { occurredOn: '2026-11-01', amount: 100, categoryId: 'cat-c', description: '=cmd', merchant: '@x' },
    });
  });

  it.each([
    [['2026-11-01', '1', '', ''], 'expected 5 columns (date,amount,category,description,merchant), found 4'],
    [['2026-11-01', '1', '', '', '', ''], 'expected 5 columns (date,amount,category,description,merchant), found 6'],
    [['2026-02-30', '1', '', '', ''], 'date must be a calendar date YYYY-MM-DD'],
    [['11/01/2026', '1', '', '', ''], 'date must be a calendar date YYYY-MM-DD'],
    [['1899-12-31', '1', '', '', ''], 'date must be between 1900-01-01 and 9998-12-31'],
    [['2026-11-01', '1,234.50', '', '', ''], expect.stringMatching(/^amount must be a plain decimal/)],
    [['2026-11-01', '1', 'Rent', '', ''], 'category "Rent" is not a category of this budget'],
    [['2026-11-01', '1', '', 'x'.repeat(501), ''], 'description must be at most 500 characters'],
    [['2026-11-01', '1', '', '', 'x'.repeat(201)], 'merchant must be at most 200 characters'],
    // As POST /expenses refuses it (visibleText): a merchant of only zero width spaces and bidi marks was stored and listed as a name showing nothing.
    [['2026-11-01', '1', '', '', '\u200b\u200f\u2060'], 'merchant must contain a visible character (or be empty: none)'],
  ])('refuses %j', (fields, message) => {
    expect(row(...fields)).toEqual({ ok: false, message });
  });
});

describe('row fingerprints', () => {
  const coffee: ImportRow = { occurredOn: '2026-11-01', amount: 350, categoryId: null, merchant: 'Cafe' };

  it('are stable, and differ by budget and by every value', () => {
    const [a] = fingerprintRows('b1', [coffee]);
    expect(fingerprintRows('b1', [{ ...coffee }])).toEqual([a]);
    expect(a).toMatch(/^[\w-]{43}$/);
    for (const other of [
      fingerprintRows('b2', [coffee]),
      fingerprintRows('b1', [{ ...coffee, amount: 351 }]),
      fingerprintRows('b1', [{ ...coffee, occurredOn: '2026-11-02' }]),
      fingerprintRows('b1', [{ ...coffee, categoryId: 'c' }]),
      fingerprintRows('b1', [{ ...coffee, description: 'x' }]),
      fingerprintRows('b1', [{ ...coffee, merchant: 'Cafe 2' }]),
    ]) {
      expect(other[0]).not.toBe(a);
    }
  });

  it('count identical rows of a file apart, in any order', () => {
    const tea = { ...coffee, merchant: 'Tea' };
    const [c0, t0, c1] = fingerprintRows('b1', [coffee, tea, coffee]);
    expect(new Set([c0, t0, c1]).size).toBe(3);
    expect(fingerprintRows('b1', [tea, coffee, coffee])).toEqual([t0, c0, c1]);
    // A later file with a third identical coffee: only that one is new.
    expect(fingerprintRows('b1', [coffee, coffee, coffee])).toEqual([c0, c1, expect.not.stringMatching(new RegExp(`^(${c0}|${c1})$`))]);
  });
});
