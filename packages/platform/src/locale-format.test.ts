import { describe, expect, it } from 'vitest';
import { cachedFormatCount, localeCount, MAX_CACHED_FORMATS, localeFormat } from './locale-format';

/**
 * Expectations written out by hand, as Node 20's ICU (CLDR) prints them: Intl puts a
 * NO-BREAK SPACE (U+00A0) between a German amount and its euro sign, written \u00A0 here so
 * the test shows it.
 */
describe('localeFormat with a locale', () => {
  it('formats integer minor units as the locale writes money in the currency', () => {
    expect(localeFormat('de-DE', 'EUR').money(123_456)).toBe('1.234,56\u00A0€');
    expect(localeFormat('de-DE', 'EUR').money(-1_250)).toBe('-12,50\u00A0€');
    expect(localeFormat('de-DE', 'EUR').money(0)).toBe('0,00\u00A0€');
    expect(localeFormat('de-DE', 'EUR').money(1_000_000_000_000)).toBe('10.000.000.000,00\u00A0€'); // the largest amount, exact
    expect(localeFormat('en-US', 'USD').money(123_456)).toBe('$1,234.56');
    expect(localeFormat('en-US', 'USD').money(5)).toBe('$0.05');
    expect(localeFormat('ja-JP', 'JPY').money(1_234)).toBe('￥1,234'); // exponent 0: 1234 yen
    expect(localeFormat('en-GB', 'GBP').money(-123_450)).toBe('-£1,234.50');
  });

  it('shows every digit of a total past a double\'s exact ones (2^53 - 1 minor units)', () => {
    expect(localeFormat('de-DE', 'EUR').money(Number.MAX_SAFE_INTEGER)).toBe('90.071.992.547.409,91\u00A0€');
  });

  it("shows every minor unit: the currency's ISO exponent, not CLDR's fewer digits", () => {
    // CLDR formats HUF with 0 fraction digits; ISO 4217 (and the stored amount) has 2.
    expect(localeFormat('hu-HU', 'HUF').money(123_456)).toBe('1234,56\u00A0Ft');
    expect(localeFormat('en-US', 'KWD').money(1_234)).toBe('KWD\u00A01.234'); // exponent 3
  });

  it('formats a calendar day in the medium date style, on that very day whatever the zone', () => {
    expect(localeFormat('en-GB', 'GBP').date('2027-06-30')).toBe('30 Jun 2027');
    expect(localeFormat('de-DE', 'EUR').date('2027-06-30')).toBe('30.06.2027');
    expect(localeFormat('en-US', 'USD').date('2027-06-30')).toBe('Jun 30, 2027');
    expect(localeFormat('fr', 'EUR').date('2027-01-01')).toBe('1 janv. 2027');
  });

  it('formats an instant with its UTC time', () => {
    expect(localeFormat('en-GB', 'GBP').instant('2026-11-02T08:05:00.000Z')).toBe('2 Nov 2026, 08:05 UTC');
    expect(localeFormat('de-DE', 'EUR').instant('2026-11-02T08:05:00.000Z')).toBe('02.11.2026, 08:05 UTC');
  });
});

describe('localeFormat without a locale', () => {
  it('keeps the plain formats: no sign, no grouping, dates and instants as stored', () => {
    const plain = localeFormat(undefined, 'EUR');
    expect(plain.money(123_456)).toBe('1234.56');
    expect(plain.money(-1_250)).toBe('-12.50');
    expect(localeFormat(undefined, 'JPY').money(1_234)).toBe('1234');
    expect(localeFormat(undefined, 'KWD').money(1_234)).toBe('1.234');
    expect(plain.date('2027-06-30')).toBe('2027-06-30');
    expect(plain.instant('2026-11-02T08:05:00.000Z')).toBe('2026-11-02T08:05:00.000Z');
    expect(plain.localized).toBe(false);
    expect(localeFormat('de-DE', 'EUR').localized).toBe(true);
  });
});

describe('the formatter cache', () => {
  it('makes formatters on first use only, and keeps a bounded number of (locale, currency) pairs', () => {
    const before = cachedFormatCount();
    const unused = localeFormat('it-IT', 'CHF');
    expect(cachedFormatCount()).toBe(before); // nothing made until something is formatted
    expect(unused.money(100)).toBe('1,00\u00A0CHF');
    expect(cachedFormatCount()).toBe(before + 1);
    localeFormat('it-IT', 'CHF').date('2027-06-30'); // the same pair: no new entry
    expect(cachedFormatCount()).toBe(before + 1);
    const currencies = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'];
    for (const locale of ['en-US', 'de-DE', 'fr', 'es-ES', 'nl-NL']) for (const currency of currencies) localeFormat(locale, currency).money(1);
    expect(cachedFormatCount()).toBe(MAX_CACHED_FORMATS);
  });
});

describe('a count in the reader\'s locale', () => {
  it('is grouped as the locale groups integers; without a locale as en-US (the import and rename texts before locales)', () => {
    expect(localeCount(null)(1_234_567)).toBe('1,234,567');
    expect(localeCount(undefined)(0)).toBe('0');
    expect(localeCount('de-DE')(1_234_567)).toBe('1.234.567');
    expect(localeCount('fr-FR')(1_980)).toBe('1\u202F980');
    expect(localeCount('es-ES')(1_980)).toBe('1980');
    expect(localeCount('es-ES')(12_000)).toBe('12.000');
    expect(localeCount('en-IN')(123_456)).toBe('1,23,456');
  });
});

describe('localeFormat percent (basis points)', () => {
  it('writes basis points as a percentage, at most two decimals, without a locale as digits', () => {
    const plain = localeFormat(undefined, 'EUR');
    expect([2156, -1333, 2000, 5, 0, -5000, 26667, 10000].map(plain.percent)).toEqual(['21.56%', '-13.33%', '20%', '0.05%', '0%', '-50%', '266.67%', '100%']);
  });

  it('in the reader\'s locale, digit for digit', () => {
    expect(localeFormat('en-US', 'USD').percent(2156)).toBe('21.56%');
    expect(localeFormat('en-US', 'USD').percent(-26667)).toBe('-266.67%');
    expect(localeFormat('de-DE', 'EUR').percent(2156)).toBe('21,56\u00A0%');
    expect(localeFormat('fr-FR', 'EUR').percent(-1333)).toBe('-13,33\u00A0%');
    expect(localeFormat('es-ES', 'EUR').percent(2000)).toBe('20\u00A0%');
    // 2^53 - 1 basis points: 16 digits, past a float's 15 after the division, still exact.
    expect(localeFormat('en-US', 'USD').percent(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91%');
  });
});
