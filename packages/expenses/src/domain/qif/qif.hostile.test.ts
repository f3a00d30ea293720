import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReader, fuzzParameters, hostileText } from '../../../../../tests/support/hostile-files';
import { validateFileRow } from '../file-rows';
import { QifDateOrderError, QifFileError, readQif } from './read';

/**
 * The QIF reader fed hostile text (tests/support/hostile-files.ts): rows within the bounds, or
 * its own QifFileError (a 400 naming `body` with the line) or QifDateOrderError (a 400 naming
 * `query.dateFormat`), never another exception.
 */

const CONTEXT = { currency: 'USD', categoryIds: new Map([['groceries', 'cat-1'], ['household', 'cat-2']]) };

const QIF = [
  '!Option:AutoSwitch',
  '!Account', 'NChecking', 'TBank', '^',
  '!Type:Bank',
  "D11/21'26", 'T-1,234.56', 'PCorner Market', 'MWeekly', 'Mshop', 'LGroceries/Vacation', '^',
  'D21.11.2026', 'T-12,50', 'L[Savings]', '^',
  'D2026-11-22', 'T-30.00', 'PSplit', 'L--Split--', 'SGroceries', 'EFood', '$-20.00', 'SHousehold/Home', '$-10.00', '^',
  'D 1/ 5\'26', 'T250.00', 'PRefund', '^',
  'D12/31/1969', 'U-9999999999.99', '^',
];

describe('QIF reader on hostile files (property)', () => {
  it('rows within the bounds, or a QifFileError / QifDateOrderError', () => {
    fc.assert(
      fc.property(hostileText(QIF), fc.constantFrom(undefined, 'MM/DD/YYYY' as const, 'DD/MM/YYYY' as const, 'YYYY-MM-DD' as const), fc.constantFrom('skip', 'refunds', 'income'), (text, dateFormat, credits) =>
        checkReader(text, (t) => readQif(t, dateFormat, credits), [QifFileError, QifDateOrderError], CONTEXT),
      ),
      fuzzParameters(200),
    );
  });
});

describe('QIF reader on pathological files', () => {
  it('a record never ended by ^ (5 MB of memo lines) is one error of its first line, the rows before it read', () => {
    const lines = 1_000_000;
    const { rows } = readQif(`!Type:Bank\nD2026-11-01\nT-1.00\n^\nD2026-11-02\nT-2.00\n${'MX\n'.repeat(lines)}`);
    expect(rows.map((r) => [r.line, r.fields[1], r.error])).toEqual([
      [2, '1', undefined],
      [5, undefined, 'the record does not end with a ^ line (the file may be cut off)'],
    ]);
  });

  it('a class of 1,000,000 spaces between two letters is the tag "a b" (the platform name normalization backtracked: minutes)', () => {
    const { rows } = readQif(`!Type:Bank\nD2026-11-01\nT-1.00\nLGroceries/a${' '.repeat(1_000_000)}b\n^\n`);
    expect(rows).toMatchObject([{ line: 2, fields: ['2026-11-01', '1', 'Groceries', '', ''], tags: ['a b'] }]);
  });

  it('reads an amount of 1,000,000 zeros and a 1 past its mark in one pass (the strip of trailing zeros backtracked)', () => {
    const zeros = '0'.repeat(1_000_000);
    const { rows } = readQif(`!Type:Bank\nD2026-11-01\nT-1.${zeros}1\n^\nD2026-11-01\nT-2.5${zeros}\n^\n`);
    expect(rows.map((r) => r.fields[1])).toEqual([`1.${zeros}1`, '2.5']);
  });

  it('a 1 MB amount or date is an error of its record, quoting 40 characters of it', () => {
    const big = '9'.repeat(1024 * 1024);
    const { rows } = readQif(`!Type:Bank\nD2026-11-01\nT-${big}\n^\nD${big}\nT-1.00\n^\n`);
    expect(validateFileRow(rows[0]!, CONTEXT)).toEqual({ ok: false, message: 'amount must be at most 10000000000.00' });
    expect(rows[1]!.error).toBe(`D must be a calendar date like 11/21/2026, 21.11.2026, 11/21'26 or 2026-11-21, not "${'9'.repeat(40)}..."`);
  });
});
