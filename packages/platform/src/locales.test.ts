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
});
