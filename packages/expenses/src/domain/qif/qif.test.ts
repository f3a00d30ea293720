import { describe, expect, it } from 'vitest';
import { importFormatOf } from '../import-file';
import { QifDateOrderError, QifFileError, parseQifAmount, readQif } from './read';

/**
 * A Quicken export of a checking account (US dates with `'` years, as Quicken writes them,
 * padded with spaces), after its account block: a grocery run with a two-line memo, a
 * paycheck, a transfer to savings, a split purchase, a check without a payee. CRLF.
 */
const QUICKEN = [
  '!Option:AutoSwitch',
  '!Account',
  'NChecking',
  'TBank',
  '^',
  '!Clear:AutoSwitch',
  '!Type:Bank',
  // line 8
  'D11/ 3\'26',
  'T-45.20',
  'CX',
  'PWhole Foods #123',
  'MWeekly shop',
  'Mand milk',
  'LGroceries',
  '^',
  // line 16: a paycheck
  'D11/ 5\'26',
  'U2,500.00',
  'T2,500.00',
  'PACME Payroll',
  'LSalary',
  '^',
  // line 22: a transfer to savings
  'D11/ 6\'26',
  'T-200.00',
  'PTransfer',
  'L[Savings]',
  '^',
  // line 27: a split purchase, a class on its category
  'D11/21\'26',
  'T-1,234.56',
  'PBest Buy',
  'LElectronics/Vacation',
  'SElectronics',
  '$-1,000.00',
  'SGroceries',
  '$-234.56',
  '^',
  // line 36: a check without payee or category
  'D11/28\'26',
  'N1042',
  'T-80.00',
  '^',
  '',
].join('\r\n');

describe('QIF reader', () => {
  it('reads debits as rows by the line of their first field; money in and transfers are skipped', () => {
    const { rows, skipped } = readQif(QUICKEN);
    expect(skipped).toEqual([16, 22]);
    expect(rows).toEqual([
      { line: 8, fields: ['2026-11-03', '45.2', 'Groceries', 'Weekly shop and milk', 'Whole Foods #123'] },
      {
        line: 27,
        fields: ['2026-11-21', '1234.56', 'Electronics', '', 'Best Buy'],
        splits: [
          { line: 31, amount: '1000', category: 'Electronics', description: '' },
          { line: 33, amount: '234.56', category: 'Groceries', description: '' },
        ],
        tags: ['Vacation'],
      },
      { line: 36, fields: ['2026-11-28', '80', '', '', ''] },
    ]);
  });

  it('reads CCard and Cash sections, passes over others (Invst, Cat), and takes U when there is no T', () => {
    const file = ['!Type:Cat', 'NGroceries', 'E', '^', '!Type:CCard', 'D2026-11-02', 'U-9.99', 'PNetflix', '^', '!Type:Invst', 'D11/02/2026', 'NBuy', 'T-500.00', '^', '!type:cash ', 'D2026-11-03', 'T-2.50', 'PKiosk', '^'].join('\n');
    expect(readQif(file).rows).toEqual([
      { line: 6, fields: ['2026-11-02', '9.99', '', '', 'Netflix'] },
      { line: 16, fields: ['2026-11-03', '2.5', '', '', 'Kiosk'] },
    ]);
  });

  it('detects day-first and month-first dates; refuses a file that reads two ways, naming dateFormat', () => {
    const bank = (...dates: string[]) => ['!Type:Bank', ...dates.flatMap((d) => [`D${d}`, 'T-1.00', '^'])].join('\n');
    expect(readQif(bank('21/11/2026', '03/11/2026')).rows.map((r) => r.fields[0])).toEqual(['2026-11-21', '2026-11-03']);
    expect(readQif(bank('11/21/2026', '11/03/2026')).rows.map((r) => r.fields[0])).toEqual(['2026-11-21', '2026-11-03']);
    expect(readQif(bank('21.11.26', '2026-11-22')).rows.map((r) => r.fields[0])).toEqual(['2026-11-21', '2026-11-22']);
    // The same day and month (or only ISO dates): one reading.
    expect(readQif(bank('11/11/2026', '2026-11-05')).rows.map((r) => r.fields[0])).toEqual(['2026-11-11', '2026-11-05']);
    expect(() => readQif(bank('03/04/2026', '05/06/2026'))).toThrow(QifDateOrderError);
    expect(() => readQif(bank('03/04/2026'))).toThrow(/line 2: 03\/04\/2026.*dateFormat=MM\/DD\/YYYY/);
    expect(() => readQif(bank('21/11/2026', '11/21/2026'))).toThrow(/day first \(line 2: 21\/11\/2026\) and month first \(line 5: 11\/21\/2026\); give dateFormat/);
    // dateFormat decides; a date that does not read that way is an error of its row.
    expect(readQif(bank('03/04/2026'), 'DD/MM/YYYY').rows[0]!.fields[0]).toBe('2026-04-03');
    expect(readQif(bank('03/04/2026'), 'MM/DD/YY').rows[0]!.fields[0]).toBe('2026-03-04');
    const wrong = readQif(bank('11/21/2026', '11/11/2026'), 'DD/MM/YYYY').rows;
    expect(wrong[0]).toEqual({ line: 2, fields: [], error: `D must be a calendar date like 11/21/2026, 21.11.2026, 11/21'26 or 2026-11-21 read day first, not "11/21/2026"` });
    expect(wrong[1]!.fields[0]).toBe('2026-11-11');
  });

  it('refuses a file whose dates are the other way round from dateFormat: its 03/04 would be stored a month off while its 11/21 is the row\'s error', () => {
    const bank = (...dates: string[]) => ['!Type:Bank', ...dates.flatMap((d) => [`D${d}`, 'T-1.00', '^'])].join('\n');
    // Our own QIF export with dateFormat=MM/DD/YYYY, imported back with DD/MM/YYYY.
    expect(() => readQif(bank('11/21/2026', '03/04/2026'), 'DD/MM/YYYY')).toThrow(
      new QifDateOrderError(
        "The file's dates are not DD/MM/YYYY: line 2 (11/21/2026) is a date only with its day and month the other way round, and line 5 (03/04/2026) would then be another day; give dateFormat=MM/DD/YYYY to read the file that way",
      ),
    );
    expect(() => readQif(bank("3/4'26", "12/25'26"), 'DD.MM.YY')).toThrow(/line 5 \(12\/25'26\) is a date only .* line 2 \(3\/4'26\) would then be another day; give dateFormat=MM\/DD\/YYYY/);
    expect(() => readQif(bank('25.12.2026', '03.04.2026'), 'MM/DD/YYYY')).toThrow(/give dateFormat=DD\/MM\/YYYY/);
    // Year first whatever dateFormat says; ISO dates never read two ways.
    expect(readQif(bank('2026-11-21', '03/04/2026'), 'DD/MM/YYYY').rows.map((r) => r.fields[0])).toEqual(['2026-11-21', '2026-04-03']);
  });

  it("reads two-digit years: ' is the 2000s, / by the POSIX rule", () => {
    const bank = (d: string) => ['!Type:Bank', `D${d}`, 'T-1.00', '^'].join('\n');
    expect(readQif(bank("1/ 5'99"), 'MM/DD/YYYY').rows[0]!.fields[0]).toBe('2099-01-05');
    expect(readQif(bank('1/5/99'), 'MM/DD/YYYY').rows[0]!.fields[0]).toBe('1999-01-05');
    expect(readQif(bank('1/5/26'), 'MM/DD/YYYY').rows[0]!.fields[0]).toBe('2026-01-05');
  });

});

describe('readQif with credits=refunds', () => {
  it('credits=refunds: money in is a refund row, its split lines a split refund; a transfer in and a zero amount stay skipped', () => {
    const file = ['!Type:Bank', 'D11/16\'26', 'T25.00', 'PAmazon', 'MReturn', 'LShopping', 'SShopping', '$15.00', 'SBooks', 'EPaperback', '$10.00', '^', 'D11/ 7\'26', 'T100.00', 'L[Savings]', '^', 'D11/ 8\'26', 'T0.00', 'PX', '^', ''].join('\n');
    expect(readQif(file, undefined, 'refunds')).toEqual({
      rows: [
        {
          line: 2,
          fields: ['2026-11-16', '25', 'Shopping', 'Return', 'Amazon'],
          splits: [
            { line: 7, amount: '15', category: 'Shopping', description: '' },
            { line: 9, amount: '10', category: 'Books', description: 'Paperback' },
          ],
          refund: true,
        },
      ],
      skipped: [13, 17],
    });
    expect(readQif(QUICKEN, undefined, 'refunds').rows.find((r) => r.line === 16)).toEqual({ line: 16, fields: ['2026-11-05', '2500', 'Salary', '', 'ACME Payroll'], refund: true });
    expect(readQif(file).skipped).toEqual([2, 13, 17]);
  });

  it("credits=refunds: a refund's split lines of mixed or wrong signs fall back to one refund of its total, saying why", () => {
    const refund = (...lines: string[]) => readQif(['!Type:Bank', 'D2026-11-21', 'T30.00', 'PShop', 'LShopping', ...lines, '^'].join('\n'), undefined, 'refunds').rows[0]!;
    // line 1 the header, 2 D, 3 T, 4 P, 5 L, split lines from line 6.
    const mixed = refund('SGroceries', '$40.00', 'SHousehold', '$-10.00');
    expect(mixed).toEqual({
      line: 2,
      fields: ['2026-11-21', '30', 'Shopping', '', 'Shop'],
      splitFallback: 'split part 2 (line 8): $ "-10.00" is not an amount of money in (positive, not zero), as the refund\'s total',
      refund: true,
    });
    // Parts written as a purchase's (all negative) under a positive total: not a split refund either.
    expect(refund('SGroceries', '$-20.00', 'SHousehold', '$-10.00').splitFallback).toBe(
      'split part 1 (line 6): $ "-20.00" is not an amount of money in (positive, not zero), as the refund\'s total',
    );
    expect(refund('SGroceries', '$20.00', 'SHousehold', '$0.00').splitFallback).toBe(
      'split part 2 (line 8): $ "0.00" is not an amount of money in (positive, not zero), as the refund\'s total',
    );
    expect(refund('SGroceries', '$20.00', 'SHousehold', '$10.00').splits).toEqual([
      { line: 6, amount: '20', category: 'Groceries', description: '' },
      { line: 8, amount: '10', category: 'Household', description: '' },
    ]);
  });
});

describe('QIF split lines and classes', () => {
  const record = (...lines: string[]) => readQif(['!Type:Bank', 'D2026-11-21', 'T-30.00', 'PShop', ...lines, '^'].join('\n')).rows[0]!;

  it('hands on S/E/$ parts with their memo and class; E or $ repeated starts an uncategorized part', () => {
    expect(record('L--Split--', 'SGroceries/Trip', 'EFood', '$-20.00', 'SHousehold', '$-10.00')).toEqual({
      line: 2,
      fields: ['2026-11-21', '30', '--Split--', '', 'Shop'],
      splits: [
        { line: 6, amount: '20', category: 'Groceries', description: 'Food', tag: 'Trip' },
        { line: 9, amount: '10', category: 'Household', description: '' },
      ],
    });
    // A second `E` or `$` in a part starts one of no category; `$` before any `S` too.
    expect(record('SA', 'EFirst', '$-20.00', 'ESecond', '$-10.00').splits).toEqual([
      { line: 5, amount: '20', category: 'A', description: 'First' },
      { line: 8, amount: '10', category: '', description: 'Second' },
    ]);
    expect(record('$-20.00', '$-10.00').splits).toEqual([
      { line: 5, amount: '20', category: '', description: '' },
      { line: 6, amount: '10', category: '', description: '' },
    ]);
  });

  it('leaves the split lines out when they cannot form a split: one part, a positive or zero part, a part without amount, a transfer part', () => {
    for (const lines of [
      ['SGroceries', '$-30.00'],
      ['SGroceries', '$-40.00', 'SRefund', '$10.00'],
      ['SGroceries', '$-30.00', 'SNothing', '$0.00'],
      ['SGroceries', '$-30.00', 'SNo amount'],
      ['SGroceries', '$-20.00', 'S[Savings]', '$-10.00'],
      ['SGroceries', '$-20.00', 'SBad', '$-1x'],
    ]) {
      const row = record('LGroceries', ...lines);
      expect(row.error).toBeUndefined();
      expect(row.splits, lines.join(' ')).toBeUndefined();
      expect(row.fields[2]).toBe('Groceries');
    }
    expect(record('LGroceries', ...Array.from({ length: 51 }, (_, i) => [`SPart ${i}`, '$-0.01']).flat()).splits).toBeUndefined();
  });

  it('says why split lines were left out (splitFallback); none without split lines or when they are handed on', () => {
    // record(): line 1 the header, 2 D, 3 T, 4 P, 5 L, then the split lines from line 6.
    const why = (...lines: string[]) => record('LGroceries', ...lines).splitFallback;
    expect(why('SGroceries', '$-30.00')).toBe('1 split part: a split expense has 2 to 50');
    expect(why(...Array.from({ length: 51 }, (_, i) => [`SPart ${i}`, '$-0.01']).flat())).toBe('51 split parts: a split expense has 2 to 50');
    expect(why('SGroceries', '$-40.00', 'SRefund', '$10.00')).toBe('split part 2 (line 8): $ "10.00" is not an amount of money out (negative, not zero)');
    expect(why('SGroceries', '$-30.00', 'SNothing', '$0.00')).toBe('split part 2 (line 8): $ "0.00" is not an amount of money out (negative, not zero)');
    expect(why('SGroceries', '$-30.00', 'SNo amount')).toBe('split part 2 (line 8): no $ amount');
    expect(why('SGroceries', '$-20.00', 'S[Savings]', '$-10.00')).toBe('split part 2 (line 8): a transfer ([Savings]) cannot be a part of an expense');
    expect(why('SGroceries', '$-20.00', 'SBad', '$-1x')).toBe('split part 2 (line 8): $ "-1x" is not an amount of money out (negative, not zero)');
    expect(why()).toBeUndefined();
    expect(why('SGroceries', '$-20.00', 'SHousehold', '$-10.00')).toBeUndefined();
  });

  it('keeps the category before / and makes the class a tag, name-normalized; an invisible one is none, a too long one an error', () => {
    expect(record('LGroceries/  Summer   Trip ')).toMatchObject({ fields: ['2026-11-21', '30', 'Groceries', '', 'Shop'], tags: ['Summer Trip'] });
    expect(record('L/Vacation')).toMatchObject({ fields: ['2026-11-21', '30', '', '', 'Shop'], tags: ['Vacation'] });
    expect(record('LGroceries/\u200b')).toEqual({ line: 2, fields: ['2026-11-21', '30', 'Groceries', '', 'Shop'] });
    expect(record(`LGroceries/${'x'.repeat(33)}`)).toEqual({ line: 2, fields: [], error: `L: the class "${'x'.repeat(33)}" is longer than 32 characters, the most a tag holds` });
    expect(record('LGroceries', 'SA', '$-20.00', `SB/${'y'.repeat(33)}`, '$-10.00').error).toBe(`S (line 8): the class "${'y'.repeat(33)}" is longer than 32 characters, the most a tag holds`);
    expect(record(`LGroceries/${'x'.repeat(32)}`).tags).toEqual(['x'.repeat(32)]);
    expect(record('LGroceries/Tr\u0001ip').error).toBe('L: the class must be well-formed text without NUL or other control characters');
  });
});

describe('QIF amounts and malformed files', () => {
  it('reads amounts with either decimal mark, digit by digit', () => {
    expect(parseQifAmount('-1,234.56')).toEqual({ negative: true, whole: '1234', fraction: '56' });
    expect(parseQifAmount('-1.234,56')).toEqual({ negative: true, whole: '1234', fraction: '56' });
    expect(parseQifAmount('-12,50')).toEqual({ negative: true, whole: '12', fraction: '50' });
    expect(parseQifAmount('-1,234')).toEqual({ negative: true, whole: '1234', fraction: '' });
    // A whole part of 0 before a comma is a decimal comma (three decimals: KWD, BHD), never a thousands group.
    expect(parseQifAmount('-0,250')).toEqual({ negative: true, whole: '0', fraction: '250' });
    expect(parseQifAmount('-0,250,000')).toBeUndefined();
    expect(parseQifAmount('-0.250.000')).toBeUndefined();
    expect(parseQifAmount('+.5')).toEqual({ negative: false, whole: '', fraction: '5' });
    expect(parseQifAmount('-$12.50')).toBeUndefined();
    expect(parseQifAmount('-12.5.0')).toBeUndefined();
    expect(parseQifAmount('-1,23,4.00')).toBeUndefined();
  });

  it('reports a record without date or amount, a bad amount and a record cut off by its line', () => {
    const file = ['!Type:Bank', 'PNo date', 'T-1.00', '^', 'D2026-11-01', 'PNo amount', '^', 'D2026-11-01', 'T-12.5x', '^', 'D2026-11-02', 'T0.00', '^', 'D2026-11-03', 'T-4.00', 'PCut off'].join('\n');
    const { rows, skipped } = readQif(file);
    expect(skipped).toEqual([11]);
    expect(rows).toEqual([
      { line: 2, fields: [], error: 'D (the date) is required' },
      { line: 5, fields: [], error: 'T (the amount) is required' },
      { line: 8, fields: [], error: 'T must be an amount like -12.50, -1,234.56 or -12,50, not "-12.5x"' },
      { line: 14, fields: [], error: 'the record does not end with a ^ line (the file may be cut off)' },
    ]);
  });

  it('refuses a file that is not QIF, or has no transaction section, by its line', () => {
    const refused = (text: string) => {
      try {
        readQif(text);
      } catch (err) {
        expect(err).toBeInstanceOf(QifFileError);
        return `${(err as QifFileError).line} ${(err as Error).message}`;
      }
      throw new Error('not refused');
    };
    expect(refused('\n\ndate,amount\n2026-11-01,1.00\n')).toBe('3 Not a QIF file: it must start with a header line such as !Type:Bank, found "date,amount"');
    expect(refused('')).toBe('1 The file is empty');
    expect(refused('!Type:Invst\nD11/02/2026\nT-500.00\n^\n')).toMatch(/^1 No !Type:Bank, !Type:CCard or !Type:Cash section/);
    // A UTF-8 byte order mark is not part of the header.
    expect(readQif('\uFEFF!Type:Bank\nD2026-11-01\nT-1.00\n^\n').rows).toHaveLength(1);
  });

  it('is chosen by the QIF media types', () => {
    for (const type of ['application/qif', 'application/x-qif', 'text/x-qif; charset=windows-1252']) expect(importFormatOf(type)).toBe('qif');
  });
});
