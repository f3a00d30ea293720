import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvLayoutError, debitOrCredit, normalizeAmount, normalizeDate, headerRow, readBankCsv } from './bank-csv';
import { layoutOf, mappingProblems } from './layout';
import { CsvFileError } from './read';
import { fingerprintRows } from './fingerprint';
import { parseAmount } from './amount';
import { validateRow, type ImportRow } from './rows';

/**
 * Bank CSV exports read with a layout (bank-csv.ts). The files are written by hand as banks
 * write them; every expected value is spelled out, never computed by the reader.
 */

/** A German bank's export: account info first, `;`, DD.MM.YYYY, `1.234,56`, debits negative. */
const GERMAN = [
  'Kontonummer:;DE12 3456 7890 1234 5678 90;',
  'Zeitraum:;01.11.2026 - 30.11.2026;',
  '"Kontostand vom 30.11.2026:";"2.345,67 EUR"',
  'Buchungstag;Valutadatum;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung',
  '03.11.2026;03.11.2026;REWE Markt GmbH;"Einkauf; Filiale 1234";-1.234,56;EUR',
  '05.11.2026;05.11.2026;ACME GmbH;Gehalt November;2.500,00;EUR',
  '08.11.2026;08.11.2026;Deutsche Bahn;Fahrkarte;-3,5;EUR',
  '31.11.2026;30.11.2026;Kiosk;Zeitung;-2,00;EUR',
  '12.11.2026;12.11.2026;Café Müller;;-1 234,00;EUR',
  '14.11.2026;14.11.2026;Tankstelle;Benzin;-12,50 €;EUR',
  '',
].join('\r\n');

const GERMAN_LAYOUT = {
  columns: { date: 'buchungstag', amount: ' Betrag ', merchant: 'Auftraggeber/Empfänger', description: 'VERWENDUNGSZWECK' },
  delimiter: ';',
  skipLines: 3,
  dateFormat: 'DD.MM.YYYY',
  decimalSeparator: ',',
  amountSign: 'negativeIsSpending',
} as const;

const US = [
  'Posted Date,Payee,Memo,Amount,Category',
  '11/03/2026,WHOLE FOODS #123,POS PURCHASE,45.20,Groceries',
  '11/08/2026,METRO TRANSIT,,"1,003.50",',
  '11/12/2026,CORNER CAFE,,12,',
  '13/32/2026,BAD DATE,,1.00,', // no date either way round (13/01 would read day first, refusing the file: see "day and month the other way round")
  '11/14/2026,SHORT ROW',
].join('\n');

describe('bank CSV files with a layout', () => {
  it('reads a German-style file: preamble skipped, columns by name, debits as expenses, the credit skipped, bad rows by line', () => {
    const file = readBankCsv(GERMAN, GERMAN_LAYOUT);
    expect(file.skipped).toEqual([6]);
    expect(file.rows).toEqual([
      { line: 5, fields: ['2026-11-03', '1234.56', '', 'Einkauf; Filiale 1234', 'REWE Markt GmbH'] },
      { line: 7, fields: ['2026-11-08', '3.5', '', 'Fahrkarte', 'Deutsche Bahn'] },
      { line: 8, fields: ['31.11.2026', '-2,00', '', 'Zeitung', 'Kiosk'], error: 'date must be a calendar date DD.MM.YYYY (dateFormat), not "31.11.2026"' },
      { line: 9, fields: ['2026-11-12', '1234.00', '', '', 'Café Müller'] },
      {
        line: 10,
        fields: ['14.11.2026', '-12,50 €', '', 'Benzin', 'Tankstelle'],
        error: 'amount must be a number like -1.234,56 (decimalSeparator ","), without a currency symbol, not "-12,50 €"',
      },
    ]);
    // The rows the reader hands on pass the same row check as our own format.
    const context = { currency: 'EUR', categoryIds: new Map<string, string>() };
    expect(validateRow(file.rows[0]!.fields, context)).toEqual({
      ok: true,
      value: { occurredOn: '2026-11-03', amount: 123456, categoryId: null, description: 'Einkauf; Filiale 1234', merchant: 'REWE Markt GmbH' },
    });
    expect(validateRow(file.rows[1]!.fields, context)).toMatchObject({ ok: true, value: { amount: 350 } });
  });

  it('reads a US-style file: MM/DD/YYYY, "1,003.50" with an explicit "." separator, positive amounts, a category column', () => {
    const file = readBankCsv(US, {
      columns: { date: 'Posted Date', merchant: 'payee', description: 'memo' },
      dateFormat: 'MM/DD/YYYY',
      decimalSeparator: '.',
    });
    expect(file.skipped).toEqual([]);
    expect(file.rows).toEqual([
      { line: 2, fields: ['2026-11-03', '45.20', 'Groceries', 'POS PURCHASE', 'WHOLE FOODS #123'] },
      { line: 3, fields: ['2026-11-08', '1003.50', '', '', 'METRO TRANSIT'] },
      { line: 4, fields: ['2026-11-12', '12', '', '', 'CORNER CAFE'] },
      { line: 5, fields: ['13/32/2026', '1.00', '', '', 'BAD DATE'], error: 'date must be a calendar date MM/DD/YYYY (dateFormat), not "13/32/2026"' },
      { line: 6, fields: [], error: 'expected at least 5 columns as the header (line 1) maps them, found 2' },
    ]);
  });

  it('without an explicit decimal separator, "1,003.50" is refused as today', () => {
    const file = readBankCsv(US, { columns: { date: 'Posted Date' }, dateFormat: 'MM/DD/YYYY', amountSign: 'positive' });
    expect(file.rows[1]).toEqual({ line: 3, fields: ['2026-11-08', '1,003.50', '', '', ''] });
    expect(validateRow(file.rows[1]!.fields, { currency: 'USD', categoryIds: new Map() })).toEqual({
      ok: false,
      message: 'amount must be a plain decimal number in USD like 12.50 (no sign, currency symbol or thousands separator)',
    });
  });

});

describe('bank CSV layouts: errors, our own format, fingerprints', () => {
  it('a mapped column the header lacks, or one named twice, is an error naming its parameter', () => {
    const fail = (text: string, layout: Parameters<typeof readBankCsv>[1]) => {
      try {
        readBankCsv(text, layout);
      } catch (err) {
        if (err instanceof CsvLayoutError) return [err.parameter, err.message];
        throw err;
      }
      return undefined;
    };
    expect(fail('Date,Amount,Payee\n2026-11-01,1,x\n', { columns: { merchant: 'Empfänger' } })).toEqual(['merchantColumn', 'The header (line 1) has no column "Empfänger"']);
    expect(fail('Booked,Amount\n2026-11-01,1\n', { columns: { amount: 'amount' } })).toEqual([
      'dateColumn',
      'dateColumn is required with a column mapping: the header (line 1) has no column named date',
    ]);
    expect(fail('Date,Amount,amount \n', { columns: { date: 'date' } })).toEqual(['amountColumn', 'The header (line 1) has 2 columns named "amount"']);
    expect(fail('', { columns: { date: 'date' } })).toEqual(['dateColumn', 'The file has no header row to find the mapped columns in']);
  });

  it('our own format with another delimiter, preamble lines and a date format: the header is still ours, line numbers count the preamble', () => {
    const text = 'My bank\n"unbalanced quote\ndate;amount;category;description;merchant\n2026/11/03;12,50;Food;Lunch;Deli\n';
    expect(readBankCsv(text, { delimiter: ';', skipLines: 2, dateFormat: 'YYYY/MM/DD', decimalSeparator: ',' })).toEqual({
      rows: [{ line: 4, fields: ['2026-11-03', '12.50', 'Food', 'Lunch', 'Deli'] }],
      skipped: [],
    });
    expect(readBankCsv('a\tb\n2026-11-03\t1\t\t\tx\n', { delimiter: '\t', skipLines: 1 })).toEqual({ rows: [{ line: 2, fields: ['2026-11-03', '1', '', '', 'x'] }], skipped: [] });
    // A quoting error is reported by its physical line, preamble counted.
    expect(() => readBankCsv('x\ny\n2026-11-03,"1\n', { skipLines: 2 })).toThrow(CsvFileError);
    try {
      readBankCsv('x\ny\n2026-11-03,"1\n', { skipLines: 2 });
    } catch (err) {
      expect((err as CsvFileError).line).toBe(3);
    }
  });

  it('the same transaction in our format and mapped from a bank file has the same fingerprint', () => {
    const ours = readBankCsv('date,amount,category,description,merchant\n2026-11-03,1234.56,,Einkauf,REWE\n', { delimiter: ',' });
    const bank = readBankCsv('Info\nBuchungstag;Betrag;Empfänger;Zweck\n03.11.2026;-1.234,56;REWE;Einkauf\n', {
      columns: { date: 'Buchungstag', amount: 'Betrag', merchant: 'Empfänger', description: 'Zweck' },
      delimiter: ';',
      skipLines: 1,
      dateFormat: 'DD.MM.YYYY',
      decimalSeparator: ',',
      amountSign: 'negativeIsSpending',
    });
    const context = { currency: 'EUR', categoryIds: new Map<string, string>() };
    const rowOf = (fields: string[]): ImportRow => {
      const r = validateRow(fields, context);
      if (!r.ok) throw new Error(r.message);
      return r.value;
    };
    const a = fingerprintRows('b1', [rowOf(ours.rows[0]!.fields)]);
    const b = fingerprintRows('b1', [rowOf(bank.rows[0]!.fields)]);
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
  });
});

describe('dates by format (strict)', () => {
  it.each([
    ['03.11.2026', 'DD.MM.YYYY', '2026-11-03'],
    ['03/11/2026', 'DD/MM/YYYY', '2026-11-03'],
    ['11/03/2026', 'MM/DD/YYYY', '2026-11-03'],
    ['2026/11/03', 'YYYY/MM/DD', '2026-11-03'],
    ['29.02.2028', 'DD.MM.YYYY', '2028-02-29'],
  ] as const)('%s as %s is %s', (cell, format, iso) => {
    expect(normalizeDate(cell, format)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['3.11.2026', 'DD.MM.YYYY'],
    ['03.11.26', 'DD.MM.YYYY'],
    ['03/11/2026', 'DD.MM.YYYY'],
    ['2026-11-03', 'DD/MM/YYYY'],
    ['29.02.2027', 'DD.MM.YYYY'],
    ['13/01/2026', 'MM/DD/YYYY'],
    ['Nov 3, 2026', 'MM/DD/YYYY'],
    ['2026/11/3', 'YYYY/MM/DD'],
  ] as const)('refuses %j as %s', (cell, format) => {
    expect(normalizeDate(cell, format)).toMatchObject({ ok: false, message: expect.stringContaining(`date must be a calendar date ${format}`) });
  });
});

describe('amounts by separator', () => {
  it.each([
    ['-1.234,56', ',', true, '1234.56'],
    ['1 234 567,8', ',', false, '1234567.8'],
    ['1\u202f234,5', ',', false, '1234.5'],
    ['1\u00a0234', ',', false, '1234'],
    ['\u22123,50', ',', true, '3.50'],
    ['+12,00', ',', false, '12.00'],
    ['1,234.56', '.', false, '1234.56'],
    ['-1,234,567', '.', true, '1234567'],
    ['-12.50', undefined, true, '12.50'],
    // Accounting exports (QuickBooks, Xero, many banks' statement CSVs) write money out in parentheses.
    ['(12.50)', undefined, true, '12.50'],
    [' ( 1.234,56 ) ', ',', true, '1234.56'],
    // Swiss exports (UBS, PostFinance) group thousands by an apostrophe, ASCII or typographic.
    ["-1'234.50", '.', true, '1234.50'],
    ['12\u2019345\u2019678', '.', false, '12345678'],
    // SAP and many German exports write the sign after the number.
    ['12,50-', ',', true, '12.50'],
    ['1.234,56-', ',', true, '1234.56'],
    ['3,50\u2212', ',', true, '3.50'],
    ['12.00+', undefined, false, '12.00'],
  ] as const)('%j with %s: negative %s, %s', (cell, separator, negative, major) => {
    expect(normalizeAmount(cell, separator)).toEqual({ ok: true, value: { negative, major } });
  });

  it.each([
    ['$12.34', '.'],
    ['1.234.56', ','],
    ['1.23,4', ','],
    ['1.234 567,00', ','], // two kinds of grouping in one cell
    ['12,50 €', ','],
    ['€12,50', ','],
    ['1,23.4', '.'],
    ['1.234,56', '.'],
    ['1,234.50', undefined],
    ['$12.50', undefined],
    ['1e3', ','],
    ['--5', ','],
    ['(-12.50)', undefined], // a sign inside parentheses says it twice
    ["1'234.50", undefined],
    ["1'234,50", ','],
    ["12'34.50", '.'],
    ['(12.50', undefined],
    ['()', undefined],
    ['-12,50-', ','], // a sign before and after
    ['(12.50-)', undefined], // a sign after, inside parentheses
    ['12,50 -', ','], // a sign apart from its number
    ['12,50--', ','],
    ['-', ','],
    ['0,250', '.'], // no group of thousands starts with 0 (a KWD 0.250 with the other mark)
    ['0.250', ','],
  ] as const)('refuses %j with %s', (cell, separator) => {
    expect(normalizeAmount(cell, separator)).toMatchObject({ ok: false });
  });

  it('formatting an integer minor amount in each separator style and reading it back gives the same integer', () => {
    const styles = [
      { decimal: ',', group: '.' },
      { decimal: ',', group: ' ' },
      { decimal: ',', group: '\u202f' },
      { decimal: ',', group: '' },
      { decimal: '.', group: ',' },
      { decimal: '.', group: '' },
    ] as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000_000 }), fc.constantFrom(...styles), fc.boolean(), (minor, style, negative) => {
        // Written here by string slicing of the integer's digits, as a bank would print it.
        const digits = String(minor).padStart(3, '0');
        const whole = digits.slice(0, -2);
        const grouped = whole.replace(/\B(?=(\d{3})+$)/g, style.group);
        const cell = `${negative ? '-' : ''}${grouped}${style.decimal}${digits.slice(-2)}`;
        const read = normalizeAmount(cell, style.decimal);
        expect(read).toMatchObject({ ok: true, value: { negative } });
        if (read.ok) expect(parseAmount(read.value.major, 'EUR')).toEqual({ ok: true, value: minor });
      }),
      { numRuns: 500 },
    );
  });
});

/** A UK bank's export: debits and credits in two columns, the other one empty or 0.00. */
const UK = [
  'Date,Description,Paid out,Paid in,Balance',
  '03/11/2026,TESCO STORES 2041,"1,234.56",,"2,000.00"',
  '04/11/2026,SALARY ACME LTD,,"2,500.00","4,500.00"',
  '05/11/2026,TFL TRAVEL,3.50,0.00,"4,496.50"',
  '06/11/2026,REFUND AND FEE,1.00,2.00,"4,497.50"',
  '07/11/2026,NOTHING,,,"4,497.50"',
  '08/11/2026,CAFE,£4.20,,"4,493.30"',
  '09/11/2026,CARD,-7.00,,"4,486.30"',
  '',
].join('\n');

const UK_LAYOUT = layoutOf({
  dateColumn: 'Date',
  merchantColumn: 'Description',
  debitColumn: 'Paid out',
  creditColumn: 'paid in',
  dateFormat: 'DD/MM/YYYY',
  decimalSeparator: '.',
})!;

describe('no sign convention', () => {
  it('no sign convention (a delimiter, a column mapping, a decimal separator): a negative amount is a refund row, as in our own format', () => {
    const plain = 'date;amount;category;description;merchant\n2026-11-03;12.50;;;Corner Cafe\n2026-11-04;-20.00;;Returned shoes;Shoe Shop\n';
    const expected = {
      rows: [
        { line: 2, fields: ['2026-11-03', '12.50', '', '', 'Corner Cafe'] },
        { line: 3, fields: ['2026-11-04', '20.00', '', 'Returned shoes', 'Shoe Shop'], refund: true },
      ],
      skipped: [],
    };
    // Only the delimiter: our own header, read as it is.
    expect(readBankCsv(plain, layoutOf({ delimiter: ';' })!)).toEqual(expected);
    // `credits` applies to a sign convention only: it changes nothing here.
    expect(readBankCsv(plain, layoutOf({ delimiter: ';' })!, 'refunds')).toEqual(expected);
    // A column mapping with "," decimals and a sign written U+2212.
    const mapped = 'Datum,Betrag,Empfänger\n05.11.2026,"1.234,56",REWE\n06.11.2026,"\u22123,50",REWE\n';
    const layout = layoutOf({ dateColumn: 'Datum', amountColumn: 'Betrag', merchantColumn: 'Empfänger', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' })!;
    expect(readBankCsv(mapped, layout)).toEqual({
      rows: [
        { line: 2, fields: ['2026-11-05', '1234.56', '', '', 'REWE'] },
        { line: 3, fields: ['2026-11-06', '3.50', '', '', 'REWE'], refund: true },
      ],
      skipped: [],
    });
  });

  it('amountSign=positive given: a negative amount stays the row check\'s error, as before', () => {
    const rows = readBankCsv('date;amount;category;description;merchant\n2026-11-04;-20.00;;;Shoe Shop\n', layoutOf({ delimiter: ';', amountSign: 'positive' })!).rows;
    expect(rows).toEqual([{ line: 2, fields: ['2026-11-04', '-20.00', '', '', 'Shoe Shop'] }]);
    expect(validateRow(rows[0]!.fields, { currency: 'USD', categoryIds: new Map() })).toEqual({ ok: false, message: 'amount must be greater than 0' });
  });
});

describe('debit and credit columns', () => {
  it('reads a UK-style file: a debit is an expense, a credit alone is skipped, both or neither is the row error of its line', () => {
    const file = readBankCsv(UK, UK_LAYOUT);
    expect(file.skipped).toEqual([3]);
    expect(file.rows).toEqual([
      { line: 2, fields: ['2026-11-03', '1234.56', '', 'TESCO STORES 2041', 'TESCO STORES 2041'] },
      { line: 4, fields: ['2026-11-05', '3.50', '', 'TFL TRAVEL', 'TFL TRAVEL'] },
      { line: 5, fields: ['06/11/2026', '', '', 'REFUND AND FEE', 'REFUND AND FEE'], error: 'debit ("1.00") and credit ("2.00") are both filled: a row is one or the other' },
      { line: 6, fields: ['07/11/2026', '', '', 'NOTHING', 'NOTHING'], error: 'debit and credit are both empty (or zero): a row needs one of them' },
      {
        line: 7,
        fields: ['08/11/2026', '', '', 'CAFE', 'CAFE'],
        error: 'debit must be a number like -1,234.56 (decimalSeparator "."), without a currency symbol, not "£4.20"',
      },
      { line: 8, fields: ['2026-11-09', '7.00', '', 'CARD', 'CARD'] },
    ]);
    // `Description` is both the mapped merchant and, by its name, the description (as any field not mapped).
    const context = { currency: 'GBP', categoryIds: new Map<string, string>() };
    expect(validateRow(file.rows[0]!.fields, context)).toEqual({
      ok: true,
      value: { occurredOn: '2026-11-03', amount: 123456, categoryId: null, description: 'TESCO STORES 2041', merchant: 'TESCO STORES 2041' },
    });
  });

  it('a debit or credit column the header lacks is an error naming its parameter; no amount column is looked for', () => {
    expect(() => readBankCsv(UK, { ...UK_LAYOUT, debitCredit: { debit: 'Money out', credit: 'Paid in' } })).toThrow(
      expect.objectContaining({ parameter: 'debitColumn', message: 'The header (line 1) has no column "Money out"' }),
    );
    expect(() => readBankCsv(UK, { ...UK_LAYOUT, debitCredit: { debit: 'Paid out', credit: 'Money in' } })).toThrow(CsvLayoutError);
    expect(() => readBankCsv(UK, { ...UK_LAYOUT, debitCredit: { debit: 'Paid out', credit: 'Money in' } })).toThrow(expect.objectContaining({ parameter: 'creditColumn' }));
    // A short row (no credit cell) is its own error.
    const short = readBankCsv('Date,Description,Paid out,Paid in\n03/11/2026,TESCO,1.00\n', UK_LAYOUT);
    expect(short.rows).toEqual([{ line: 2, fields: [], error: 'expected at least 4 columns as the header (line 1) maps them, found 3' }]);
  });

  it('credits=refunds: a credit alone (Haben) is a refund row of its amount; negativeIsSpending: a positive amount is one, zero stays skipped', () => {
    const csv = 'Datum;Empfänger;Soll;Haben\n03.11.2026;REWE;1.234,56;\n04.11.2026;REWE;;25,00\n';
    const layout = layoutOf({ dateColumn: 'Datum', merchantColumn: 'Empfänger', debitColumn: 'Soll', creditColumn: 'Haben', delimiter: ';', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' })!;
    expect(readBankCsv(csv, layout, 'refunds')).toEqual({
      rows: [
        { line: 2, fields: ['2026-11-03', '1234.56', '', '', 'REWE'] },
        { line: 3, fields: ['2026-11-04', '25.00', '', '', 'REWE'], refund: true },
      ],
      skipped: [],
    });
    const signed = readBankCsv(GERMAN.replace('2.500,00', '+2.500,00').replace('-3,5;', '0,00;'), GERMAN_LAYOUT, 'refunds');
    expect(signed.skipped).toEqual([7]);
    expect(signed.rows.find((r) => r.line === 6)).toEqual({ line: 6, fields: ['2026-11-05', '2500.00', '', 'Gehalt November', 'ACME GmbH'], refund: true });
  });

  it('German-style Soll/Haben with "," decimals', () => {
    const csv = 'Datum;Empfänger;Soll;Haben\n03.11.2026;REWE;1.234,56;\n04.11.2026;ACME;;2.500,00\n';
    const layout = layoutOf({ dateColumn: 'Datum', merchantColumn: 'Empfänger', debitColumn: 'Soll', creditColumn: 'Haben', delimiter: ';', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' })!;
    expect(readBankCsv(csv, layout)).toEqual({ rows: [{ line: 2, fields: ['2026-11-03', '1234.56', '', '', 'REWE'] }], skipped: [3] });
  });

  it('debitOrCredit: an integer minor amount written in either column in each style reads back as itself, and which column it was in', () => {
    const styles = [
      { decimal: ',', group: '.' },
      { decimal: ',', group: '' },
      { decimal: '.', group: ',' },
      { decimal: '.', group: '' },
    ] as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000_000 }), fc.constantFrom(...styles), fc.boolean(), fc.constantFrom('', '0', '0.00', '0,00'), (minor, style, inDebit, empty) => {
        const digits = String(minor).padStart(3, '0');
        const cell = `${digits.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, style.group)}${style.decimal}${digits.slice(-2)}`;
        // The other column as banks leave it: empty or a zero in its own spelling.
        const other = empty.replace(/[.,]/, style.decimal);
        const read = debitOrCredit(inDebit ? cell : other, inDebit ? other : cell, style.decimal);
        expect(read.ok).toBe(true);
        if (!read.ok) return;
        expect('debit' in read.value).toBe(inDebit);
        expect(parseAmount('debit' in read.value ? read.value.debit : read.value.credit, 'EUR')).toEqual({ ok: true, value: minor });
      }),
      { numRuns: 500 },
    );
  });
});

describe('a mapping as a whole (mappingProblems)', () => {
  it('takes one amount column, or a debit and a credit column together, naming the parameter to change', () => {
    expect(mappingProblems({})).toEqual([]);
    expect(mappingProblems({ amountColumn: 'Amount', amountSign: 'negativeIsSpending' })).toEqual([]);
    expect(mappingProblems({ debitColumn: 'Out', creditColumn: 'In' })).toEqual([]);
    expect(mappingProblems({ debitColumn: 'Out' }).map((p) => p.parameter)).toEqual(['creditColumn']);
    expect(mappingProblems({ creditColumn: 'In' }).map((p) => p.parameter)).toEqual(['debitColumn']);
    expect(mappingProblems({ debitColumn: 'Out', creditColumn: 'In', amountColumn: 'Amount' }).map((p) => p.parameter)).toEqual(['amountColumn']);
    expect(mappingProblems({ debitColumn: 'Out', creditColumn: 'In', amountSign: 'positive' }).map((p) => p.parameter)).toEqual(['amountSign']);
  });

  it('layoutOf: nothing given is our own format; debit and credit alone still read the header', () => {
    expect(layoutOf({})).toBeUndefined();
    expect(layoutOf({ debitColumn: 'Out', creditColumn: 'In' })).toEqual({ columns: {}, debitCredit: { debit: 'Out', credit: 'In' } });
    expect(layoutOf({ delimiter: 'tab', skipLines: 2, amountColumn: 'Betrag' })).toEqual({ columns: { amount: 'Betrag' }, delimiter: '\t', skipLines: 2 });
  });
});

describe('headerRow (the header ?profile=auto compares)', () => {
  it('the first record after skipLines, split by the delimiter; blank lines before it skipped', () => {
    const text = 'Konto DE00 1234;"unbalanced\r\n\r\nBuchungstag;Empfänger;Betrag\r\n03.11.2026;REWE;-12,50\r\n';
    expect(headerRow(text, ';', 1)).toEqual(['Buchungstag', 'Empfänger', 'Betrag']);
    expect(headerRow('Date,Amount\n2026-11-03,1.00\n', ',', 0)).toEqual(['Date', 'Amount']);
  });

  it('only the first lines are parsed: broken quoting far below the header does not hide it', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `2026-11-03,${i}.00`);
    expect(headerRow(['Date,Amount', ...rows, '2026-11-04,"broken'].join('\n'), ',', 0)).toEqual(['Date', 'Amount']);
  });

  it('undefined when there is nothing to read or the start cannot be parsed', () => {
    expect(headerRow('only one line', ',', 1)).toBeUndefined();
    expect(headerRow('"broken,header\n', ',', 0)).toBeUndefined();
  });
});

describe('amounts with currencySymbol ignore (an app export such as YNAB\'s)', () => {
  it.each([
    ['$12.34', '.', false, '12.34'],
    ['$1,234.56', '.', false, '1234.56'],
    ['-$5.00', '.', true, '5.00'],
    ['$-5.00', '.', true, '5.00'],
    ['$ 7', '.', false, '7'],
    ['12,34 €', ',', false, '12.34'],
    ['-1.234,56€', ',', true, '1234.56'],
    ['£4.20', '.', false, '4.20'],
    ['¥1200', undefined, false, '1200'],
    ['3.50', '.', false, '3.50'],
    ['($1,234.56)', '.', true, '1234.56'],
    ['(12,34 €)', ',', true, '12.34'],
    ['5-$', '.', true, '5'], // a sign after the number, then the symbol
  ] as const)('with currencySymbol ignore, %j with %s: negative %s, %s', (cell, separator, negative, major) => {
    expect(normalizeAmount(cell, separator, 'ignore')).toEqual({ ok: true, value: { negative, major } });
  });

  it.each([
    ['$12.34 €', '.'], // two symbols
    ['$$5', '.'],
    ['12$34', '.'], // inside the digits
    ['US$5', '.'],
    ['-$-5', '.'], // a sign on both sides
  ] as const)('with currencySymbol ignore, still refuses %j with %s', (cell, separator) => {
    expect(normalizeAmount(cell, separator, 'ignore')).toMatchObject({ ok: false });
  });
});

describe('day and month the other way round (a day-first file read month first, or the reverse)', () => {
  const mapped = (dateFormat: 'MM/DD/YYYY' | 'DD/MM/YYYY' | 'M/D/YYYY' | 'DD.MM.YYYY' | 'DD/MM/YY') => ({ columns: { date: 'Date', merchant: 'Payee' }, dateFormat });

  it('refuses a day-first file read as MM/DD/YYYY: its 05/03 would be stored as May 3 while its 13/03 is the row\'s error', () => {
    const uk = ['Date,Payee,Amount', '05/03/2026,Tesco,12.50', '13/03/2026,Boots,4.20', ''].join('\n');
    let error: unknown;
    try {
      readBankCsv(uk, mapped('MM/DD/YYYY'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CsvLayoutError);
    expect(error).toMatchObject({
      parameter: 'dateFormat',
      message:
        'The dates are not all MM/DD/YYYY: line 3 ("13/03/2026") is a date only with its day and month the other way round, and line 2 ("05/03/2026") would then be another day than MM/DD/YYYY reads; give dateFormat=DD/MM/YYYY to read the file that way',
    });
  });

  it('the same the other way: a month-first file read as DD/MM/YY, M/D/YYYY read day first, a dotted file', () => {
    expect(() => readBankCsv('Date,Payee,Amount\n01/02/26,A,1\n12/31/26,B,1\n', mapped('DD/MM/YY'))).toThrow(/line 3 \("12\/31\/26"\).*line 2 \("01\/02\/26"\).*give dateFormat=MM\/DD\/YY /);
    expect(() => readBankCsv('Date,Payee,Amount\n25/1/2026,A,1\n3/4/2026,B,1\n', mapped('M/D/YYYY'))).toThrow(/another day than M\/D\/YYYY reads; give the dateFormat the file is written in$/);
    expect(() => readBankCsv('Date,Payee,Amount\n04.05.2026,A,1\n05.31.2026,B,1\n', mapped('DD.MM.YYYY'))).toThrow(CsvLayoutError);
  });

  it('nothing read as another day: a date invalid both ways, or one reading the same both ways, stays the row\'s error or row as before', () => {
    // 13/03 reads only day first, but no other date reads two ways (12/12 is one day either way).
    const file = readBankCsv('Date,Payee,Amount\n12/12/2026,A,1\n13/03/2026,B,1\n02/30/2026,C,1\n', mapped('MM/DD/YYYY'));
    expect(file.rows).toEqual([
      { line: 2, fields: ['2026-12-12', '1', '', '', 'A'] },
      { line: 3, fields: ['13/03/2026', '1', '', '', 'B'], error: 'date must be a calendar date MM/DD/YYYY (dateFormat), not "13/03/2026"' },
      { line: 4, fields: ['02/30/2026', '1', '', '', 'C'], error: 'date must be a calendar date MM/DD/YYYY (dateFormat), not "02/30/2026"' },
    ]);
  });
});

describe('a row longer than the header', () => {
  const layout = { columns: { date: 'Date', merchant: 'Payee', description: 'Memo' }, dateFormat: 'MM/DD/YYYY', decimalSeparator: '.' } as const;

  it('holding values past the header (an unquoted "1,234.56") is the row\'s error, not the amount 1 and the rest moved along', () => {
    const file = readBankCsv(['Date,Payee,Amount,Memo', '11/03/2026,STORE,1,234.56,TV', '11/04/2026,CAFE,5.75,latte', '11/05/2026,BAR,7.00,', ''].join('\n'), layout);
    expect(file.rows).toEqual([
      { line: 2, fields: [], error: 'expected 4 columns as the header (line 1) has, found 5 with values past them: a value holding the delimiter "," must be in quotes' },
      { line: 3, fields: ['2026-11-04', '5.75', '', 'latte', 'CAFE'] },
      { line: 4, fields: ['2026-11-05', '7.00', '', '', 'BAR'] },
    ]);
    // Rows ending with a delimiter the header does not (banks end rows with `;`): read as before,
    // and one of them holding a `;` unquoted is its error.
    const german = readBankCsv(['Datum;Empfänger;Betrag', '03.11.2026;REWE;-1.234,56;', '04.11.2026;Bäcker; Filiale 2;-3,50;', '05.11.2026;Kiosk;-2,00;', ''].join('\n'), {
      columns: { date: 'Datum', merchant: 'Empfänger', amount: 'Betrag' },
      delimiter: ';',
      dateFormat: 'DD.MM.YYYY',
      decimalSeparator: ',',
      amountSign: 'negativeIsSpending',
    });
    expect(german.rows).toEqual([
      { line: 2, fields: ['2026-11-03', '1234.56', '', '', 'REWE'] },
      { line: 3, fields: [], error: 'expected 3 columns as the header (line 1) has, found 5 with values past them: a value holding the delimiter ";" must be in quotes' },
      { line: 4, fields: ['2026-11-05', '2.00', '', '', 'Kiosk'] },
    ]);
  });

  it('every row as long, past a header that names fewer columns (an unnamed last column): read as before', () => {
    const file = readBankCsv(['Date,Payee,Amount,Memo', '11/03/2026,STORE,1234.56,TV,9000.00', '11/04/2026,CAFE,5.75,latte,8994.25', ''].join('\n'), layout);
    expect(file.rows).toEqual([
      { line: 2, fields: ['2026-11-03', '1234.56', '', 'TV', 'STORE'] },
      { line: 3, fields: ['2026-11-04', '5.75', '', 'latte', 'CAFE'] },
    ]);
  });
});
