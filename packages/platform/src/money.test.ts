import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMinorUnits, isCurrencyCode } from './money';

/**
 * The platform's ISO 4217 table against the standard's List One (SIX, the maintenance agency):
 * every active currency is known, with its minor unit.
 */
describe('the ISO 4217 table', () => {
  it('knows the currencies ISO added since 2021, with their minor unit (2)', () => {
    // Amendment 170 (in force 2021-10-01): VED, the Venezuelan bolivar digital, beside VES.
    // Amendment 176 (in force 2025-03-31): XCG, the Caribbean guilder of Curacao and Sint Maarten, replacing ANG.
    for (const code of ['VED', 'XCG']) {
      expect(isCurrencyCode(code), code).toBe(true);
      expect(currencyExponent(code), code).toBe(2);
    }
    expect(formatMinorUnits(123_456, 'XCG')).toBe('1234.56');
  });

  it('keeps the exponents that differ from 2 (JPY, KRW 0; BHD, KWD, JOD, TND 3)', () => {
    expect(['JPY', 'KRW', 'BHD', 'KWD', 'JOD', 'TND'].map(currencyExponent)).toEqual([0, 0, 3, 3, 3, 3]);
  });
});
