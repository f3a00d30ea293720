import { describe, expect, it } from 'vitest';
import { canonicalLocale, isLocale } from './locales';

describe('canonicalLocale', () => {
  it('gives the canonical spelling of a tag the runtime formats numbers for', () => {
    expect(canonicalLocale('de-DE')).toBe('de-DE');
    expect(canonicalLocale('EN-gb')).toBe('en-GB');
    expect(canonicalLocale('fr')).toBe('fr');
    expect(canonicalLocale('zh-hant-tw')).toBe('zh-Hant-TW');
  });

  it('refuses malformed tags, tags nothing serves, and over-long text', () => {
    for (const tag of ['', 'en_US', 'not a locale', 'i-klingon', 'root', 'xx', 'und', `en-${'a'.repeat(70)}`]) {
      expect(canonicalLocale(tag), tag).toBeNull();
      expect(isLocale(tag), tag).toBe(false);
    }
  });

  it('refuses a private-use or unknown region, which Intl would serve by falling back to the language', () => {
    // Intl.NumberFormat would format every one of these (as "en", "de" ...): the region check refuses them.
    expect(Intl.NumberFormat.supportedLocalesOf(['en-ZZ'])).toEqual(['en-ZZ']);
    for (const tag of ['en-ZZ', 'en-zz', 'de-AA', 'fr-QM', 'en-QO', 'de-QZ', 'en-XA', 'en-XB', 'fr-XZ', 'en-YY', 'es-999', 'zh-Hant-ZZ', 'de-ZZ-u-nu-latn']) {
      expect(canonicalLocale(tag), tag).toBeNull();
      expect(isLocale(tag), tag).toBe(false);
    }
  });

  it('accepts real regions, UN M.49 areas and tags without a region', () => {
    expect(canonicalLocale('de-AT')).toBe('de-AT');
    expect(canonicalLocale('pt-br')).toBe('pt-BR');
    expect(canonicalLocale('zh-Hant-TW')).toBe('zh-Hant-TW');
    expect(canonicalLocale('es-419')).toBe('es-419');
    expect(canonicalLocale('en-150')).toBe('en-150');
    expect(canonicalLocale('sq-XK')).toBe('sq-XK'); // Kosovo: user-assigned in ISO 3166, a real CLDR region
    expect(canonicalLocale('de')).toBe('de');
    expect(canonicalLocale('en-QU')).toBe('en-EU'); // a deprecated alias (QU, once the EU's code) is canonicalized first
  });
});
