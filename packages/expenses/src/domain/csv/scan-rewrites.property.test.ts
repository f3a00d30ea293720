import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzParameters } from '../../../../../tests/support/hostile-files';
import { normalizeAmount } from './bank-csv';
import { withoutTrailingZeros } from './amount';

/**
 * The scans that replaced backtracking patterns (feat/fuzz53) must read ordinary cells exactly
 * as the patterns did. The patterns below are the replaced ones, copied as they were (a10f64e3^1),
 * and run only on short strings, where their backtracking costs nothing.
 */
const OLD_TRAILING_ZEROS = (digits: string) => digits.replace(/0+$/, '');

function oldWithoutCurrencySymbol(text: string): string {
  const m = /^([-+\u2212]?)\s*\p{Sc}\s*([-+\u2212]?)(?!.*\p{Sc})(.*)$/u.exec(text) ?? /^(?!.*\p{Sc}.*\p{Sc})()()(.*?)\s*\p{Sc}$/u.exec(text);
  if (!m) return text;
  const [, before, after, rest] = m;
  if (before && after) return text;
  return `${before || after}${rest}`;
}

/** Characters amount cells are made of, and the ones that trip patterns: Unicode spaces, line ends, invisible and combining characters, signs, currency signs. */
const CELL_CHARACTERS = [...'0123456789.,-+', '\u2212', '$', '\u20ac', '\u00a3', '\u00a5', ' ', '\u00a0', '\u2007', '\u202f', '\u3000', '\t', '\n', '\r', '\u2028', '\u200b', '\u200c', '\u200d', '\ufeff', '\u0301', 'a', 'e'];
const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom(...CELL_CHARACTERS), maxLength: 12 }),
  fc.constantFrom('0.000', '-0.00', '1.', '.5', '1,000.00', '1.000,00', '$-5', '-$5', '-$-5', '12,34 \u20ac', '-12,34\u20ac', '$ 1\u00a0234,56', '5$\n $', '$\n5', ' \u20ac 5 ', '\u20ac\u20ac5'),
);

describe('scans replacing backtracking patterns, on short cells', () => {
  it('withoutTrailingZeros drops what /0+$/ dropped', () => {
    fc.assert(fc.property(cell, (text) => {
      expect(withoutTrailingZeros(text)).toBe(OLD_TRAILING_ZEROS(text));
    }), fuzzParameters(2000));
  });

  it('an amount cell with currencySymbol=ignore reads as with the replaced patterns, or both refuse it (each decimal separator)', () => {
    fc.assert(
      fc.property(cell, fc.constantFrom<'.' | ',' | undefined>('.', ',', undefined), (text, separator) => {
        const old = normalizeAmount(oldWithoutCurrencySymbol(text.trim()), separator);
        const now = normalizeAmount(text, separator, 'ignore');
        // A cell both refuse may quote itself differently: the scan leaves a cell of two signs
        // whole where the pattern (its `.` stopping at a line end) quoted a part ("5$\n $").
        if (old.ok || now.ok) expect(now).toEqual(old);
      }),
      fuzzParameters(2000),
    );
  });
});
