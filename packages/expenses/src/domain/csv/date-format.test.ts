import { describe, expect, it } from 'vitest';
import { fullYear, monthNumber, normalizeDate } from './date-format';
import { readBankCsv } from './bank-csv';

describe('dates with month names (MMM)', () => {
  it.each([
    ['05 Mar 2026', 'DD MMM YYYY', '2026-03-05'],
    ['05 march 2026', 'DD MMM YYYY', '2026-03-05'],
    ['31 DEC 2025', 'DD MMM YYYY', '2025-12-31'],
    ['5 Mar 2026', 'D MMM YYYY', '2026-03-05'],
    ['05 Mar 2026', 'D MMM YYYY', '2026-03-05'],
    ['15 September 2026', 'D MMM YYYY', '2026-09-15'],
    ['Mar 5, 2026', 'MMM D, YYYY', '2026-03-05'],
    ['March 15, 2026', 'MMM D, YYYY', '2026-03-15'],
    ['Sept. 1, 2026', 'MMM D, YYYY', '2026-09-01'],
    ['05-Mar-26', 'DD-MMM-YY', '2026-03-05'],
    ['05-mar-99', 'DD-MMM-YY', '1999-03-05'],
    ['29-Feb-24', 'DD-MMM-YY', '2024-02-29'],
    ['05-Mar-2026', 'DD-MMM-YYYY', '2026-03-05'],
    // Mint's US dates: month and day one or two digits
    ['1/5/2026', 'M/D/YYYY', '2026-01-05'],
    ['12/31/2026', 'M/D/YYYY', '2026-12-31'],
    ['01/05/2026', 'M/D/YYYY', '2026-01-05'],
    ['2/29/2024', 'M/D/YYYY', '2024-02-29'],
    // German
    ['05 Mär 2026', 'DD MMM YYYY', '2026-03-05'],
    ['05-Mrz-2026', 'DD-MMM-YYYY', '2026-03-05'],
    ['05-MÄR-26', 'DD-MMM-YY', '2026-03-05'],
    ['1 Mai 2026', 'D MMM YYYY', '2026-05-01'],
    ['01-Okt-2026', 'DD-MMM-YYYY', '2026-10-01'],
    ['24 Dez 2026', 'DD MMM YYYY', '2026-12-24'],
    ['24 Dezember 2026', 'DD MMM YYYY', '2026-12-24'],
    // French, with and without the abbreviation's period and accents
    ['05 janv. 2026', 'DD MMM YYYY', '2026-01-05'],
    ['05 févr. 2026', 'DD MMM YYYY', '2026-02-05'],
    ['05 fevr 2026', 'DD MMM YYYY', '2026-02-05'],
    ['14 juil. 2026', 'DD MMM YYYY', '2026-07-14'],
    ['15 août 2026', 'DD MMM YYYY', '2026-08-15'],
    ['15 aout 2026', 'DD MMM YYYY', '2026-08-15'],
    ['25 déc. 2026', 'DD MMM YYYY', '2026-12-25'],
    ['1 avril 2026', 'D MMM YYYY', '2026-04-01'],
    // Decomposed (NFD) "ä", as some UTF-8 tools write it
    ['05 Ma\u0308r 2026', 'DD MMM YYYY', '2026-03-05'],
  ] as const)('%s as %s is %s', (cell, format, iso) => {
    expect(normalizeDate(cell, format)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['32 Mar 2026', 'DD MMM YYYY'],
    ['5 Mar 2026', 'DD MMM YYYY'],
    ['Foo 5, 2026', 'MMM D, YYYY'],
    ['Mar 5 2026', 'MMM D, YYYY'],
    ['5 Mar, 2026', 'MMM D, YYYY'],
    ['Mar 123, 2026', 'MMM D, YYYY'],
    ['29-Feb-25', 'DD-MMM-YY'],
    ['31-Apr-2026', 'DD-MMM-YYYY'],
    ['05-Mar-2026', 'DD-MMM-YY'],
    ['05-Mar-26', 'DD-MMM-YYYY'],
    ['05 03 2026', 'DD MMM YYYY'],
    ['05-M-26', 'DD-MMM-YY'],
    ['05  Mar 2026', 'DD MMM YYYY'],
    ['05 Mar.. 2026', 'DD MMM YYYY'],
  ] as const)('refuses %j as %s', (cell, format) => {
    expect(normalizeDate(cell, format)).toEqual({
      ok: false,
      message: `date must be a calendar date ${format} (dateFormat; MMM: an English, German or French month name or abbreviation), not "${cell}"`,
    });
  });

  it.each(['2/29/2025', '13/1/2026', '1/5/26', '1-5-2026', '123/5/2026', '1/32/2026'])('refuses %j as M/D/YYYY (a numeric format: no month-name hint)', (cell) => {
    expect(normalizeDate(cell, 'M/D/YYYY')).toEqual({ ok: false, message: `date must be a calendar date M/D/YYYY (dateFormat), not "${cell}"` });
  });

  it('knows every month by its English abbreviation and full name, and no other word', () => {
    const english = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
    const full = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    english.forEach((name, i) => expect(monthNumber(name.toUpperCase())).toBe(i + 1));
    full.forEach((name, i) => expect(monthNumber(name)).toBe(i + 1));
    for (const word of ['', 'Ma', 'Marc', 'Foo', 'Mrch', 'Sun', '3']) expect(monthNumber(word)).toBeUndefined();
  });
});

describe('two-digit years (YY, the POSIX %y rule)', () => {
  it.each([
    [0, 2000],
    [26, 2026],
    [68, 2068],
    [69, 1969],
    [70, 1970],
    [99, 1999],
  ])('%i is %i', (yy, year) => {
    expect(fullYear(yy)).toBe(year);
  });

  it.each([
    ['05.03.26', 'DD.MM.YY', '2026-03-05'],
    ['31.12.99', 'DD.MM.YY', '1999-12-31'],
    ['01.01.00', 'DD.MM.YY', '2000-01-01'],
    ['29.02.00', 'DD.MM.YY', '2000-02-29'],
    ['29.02.24', 'DD.MM.YY', '2024-02-29'],
    ['01.01.68', 'DD.MM.YY', '2068-01-01'],
    ['01.01.69', 'DD.MM.YY', '1969-01-01'],
    ['05/03/26', 'DD/MM/YY', '2026-03-05'],
    ['03/05/26', 'MM/DD/YY', '2026-03-05'],
  ] as const)('%s as %s is %s', (cell, format, iso) => {
    expect(normalizeDate(cell, format)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['29.02.25', 'DD.MM.YY'],
    ['5.03.26', 'DD.MM.YY'],
    ['05.03.2026', 'DD.MM.YY'],
    ['05/03/26', 'DD.MM.YY'],
    ['13/05/26', 'MM/DD/YY'],
    ['05/13/26', 'DD/MM/YY'],
  ] as const)('refuses %j as %s', (cell, format) => {
    expect(normalizeDate(cell, format)).toEqual({ ok: false, message: `date must be a calendar date ${format} (dateFormat), not "${cell}"` });
  });
});

describe('a bank file with month names, read with readBankCsv', () => {
  it('normalizes good dates and gives the others as errors of their lines', () => {
    const text = 'Date,Amount,Payee\n05-Mar-26,12.50,Café Müller\n32-Mar-26,1.00,X\n01-Dez-25,3.00,Y\n';
    const read = readBankCsv(text, { columns: { date: 'Date', merchant: 'Payee' }, dateFormat: 'DD-MMM-YY' });
    expect(read.rows).toEqual([
      { line: 2, fields: ['2026-03-05', '12.50', '', '', 'Café Müller'] },
      { line: 3, fields: ['32-Mar-26', '1.00', '', '', 'X'], error: 'date must be a calendar date DD-MMM-YY (dateFormat; MMM: an English, German or French month name or abbreviation), not "32-Mar-26"' },
      { line: 4, fields: ['2025-12-01', '3.00', '', '', 'Y'] },
    ]);
  });
});

// A date and time (Firefly III's Atom dates): the day as written, the time and offset not applied.
describe('normalizeDate YYYY-MM-DDThh:mm:ss', () => {
  it.each([
    ['2026-03-05T00:00:00+01:00', '2026-03-05'],
    ['2026-03-05T23:30:00-05:00', '2026-03-05'],
    ['2026-03-05T10:00:00Z', '2026-03-05'],
    ['2026-03-05T10:00:00.123+0100', '2026-03-05'],
    ['2026-03-05T10:00:00', '2026-03-05'],
  ])('reads %j as %s', (cell, iso) => {
    expect(normalizeDate(cell, 'YYYY-MM-DDThh:mm:ss')).toEqual({ ok: true, value: iso });
  });

  it.each(['2026-03-05', '2026-02-30T00:00:00Z', '2026-03-05 10:00:00', '2026-03-05T10:00Z', '2026-03-05T10:00:00+1'])('refuses %j', (cell) => {
    expect(normalizeDate(cell, 'YYYY-MM-DDThh:mm:ss')).toEqual({ ok: false, message: `date must be a calendar date YYYY-MM-DDThh:mm:ss (dateFormat), not "${cell}"` });
  });
});

// A date and time with a space (Revolut's account statement CSV: `Started Date`, `Completed Date`): the day as written.
describe('normalizeDate YYYY-MM-DD hh:mm:ss', () => {
  it.each([
    ['2026-03-05 10:00:00', '2026-03-05'],
    ['2026-02-28 23:59:59', '2026-02-28'],
    ['2024-02-29 00:00:00', '2024-02-29'],
  ])('reads %j as %s', (cell, iso) => {
    expect(normalizeDate(cell, 'YYYY-MM-DD hh:mm:ss')).toEqual({ ok: true, value: iso });
  });

  it.each(['2026-03-05', '2026-03-05T10:00:00', '2026-02-29 10:00:00', '2026-03-05  10:00:00', '2026-03-05 10:00', '2026-03-05 10:00:00Z'])('refuses %j', (cell) => {
    expect(normalizeDate(cell, 'YYYY-MM-DD hh:mm:ss')).toEqual({ ok: false, message: `date must be a calendar date YYYY-MM-DD hh:mm:ss (dateFormat), not "${cell}"` });
  });
});
