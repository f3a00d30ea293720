import { describe, expect, it } from 'vitest';
import { fillTemplate, localeMessages, MESSAGE_CATALOG, messageLanguage, type Messages } from './locale-messages';

const placeholders = (template: string) => [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).sort();

describe('the message catalog', () => {
  const languages = Object.keys(MESSAGE_CATALOG) as (keyof typeof MESSAGE_CATALOG)[];
  const englishKeys = Object.keys(MESSAGE_CATALOG.en).sort();

  it('has English, German, French and Spanish', () => {
    expect(languages.sort()).toEqual(['de', 'en', 'es', 'fr']);
  });

  it.each(languages)('%s has every key of English and no other', (language) => {
    expect(Object.keys(MESSAGE_CATALOG[language]).sort()).toEqual(englishKeys);
    for (const value of Object.values(MESSAGE_CATALOG[language])) expect(value.trim(), language).not.toBe('');
  });

  it.each(languages)('%s: each message has the same set of placeholders as the English one', (language) => {
    const catalog: Messages = MESSAGE_CATALOG[language];
    for (const key of englishKeys as (keyof Messages)[]) {
      expect(placeholders(catalog[key]), `${language} ${key}`).toEqual(placeholders(MESSAGE_CATALOG.en[key]));
      // Each placeholder once, and only {name} placeholders (no stray brace).
      expect(new Set(placeholders(catalog[key])).size, `${language} ${key}`).toBe(placeholders(catalog[key]).length);
      expect(catalog[key].replace(/\{[A-Za-z]+\}/g, ''), `${language} ${key}`).not.toMatch(/[{}]/);
    }
  });

  it.each(languages)('%s: no markup character in any message (pages put them into HTML as they are)', (language) => {
    for (const [key, value] of Object.entries(MESSAGE_CATALOG[language])) expect(value, `${language} ${key}`).not.toMatch(/[<>&]/);
  });

  it('does not compile with a key missing, an extra key, or a placeholder missing or unknown', () => {
    const { 'bill.title': _dropped, ...partial } = MESSAGE_CATALOG.de;
    // @ts-expect-error a language without a key is not a catalog
    const missing: Messages = partial;
    // @ts-expect-error nor one with a key English does not have
    const extra: Messages = { ...MESSAGE_CATALOG.de, 'bill.titel': 'x' } satisfies Messages;
    const words = localeMessages('de-DE');
    // @ts-expect-error a template's placeholders are required
    expect(() => words.fill('bill.title')).toThrow('Message placeholder {what} has no value');
    // @ts-expect-error and only its own ones
    words.fill('bill.title', { what: 'Miete', budget: 'x' });
    // @ts-expect-error a message without placeholders takes none
    words.fill('report.limit', { amount: 1 });
    expect([missing, extra]).toHaveLength(2);
  });
});

describe('the language of a locale', () => {
  it('is its language subtag when the catalog has it, else English', () => {
    expect(messageLanguage('de-DE')).toBe('de');
    expect(messageLanguage('de-AT')).toBe('de');
    expect(messageLanguage('de')).toBe('de');
    expect(messageLanguage('fr-CA')).toBe('fr');
    expect(messageLanguage('es-419')).toBe('es');
    expect(messageLanguage('en-GB')).toBe('en');
    expect(messageLanguage('ja-JP')).toBe('en');
    expect(messageLanguage('pt-BR')).toBe('en');
    expect(messageLanguage(null)).toBe('en');
    expect(messageLanguage(undefined)).toBe('en');
    expect(messageLanguage('not a tag')).toBe('en');
  });

  it("gives a page's lang: the locale when its words are in its language, else en", () => {
    expect(localeMessages('de-AT').lang).toBe('de-AT');
    expect(localeMessages('zh-Hant-TW').lang).toBe('en');
    expect(localeMessages('en-GB').lang).toBe('en-GB');
    expect(localeMessages(undefined).lang).toBe('en');
  });
});

describe('filling a message in (expected texts written out by hand)', () => {
  it('puts each value where the language wants it', () => {
    expect(localeMessages(undefined).fill('target.short', { amount: '30.00' })).toBe('30.00 short');
    expect(localeMessages('de-DE').fill('target.short', { amount: '30,00 €' })).toBe('30,00 € fehlen');
    expect(localeMessages('fr-FR').fill('target.short', { amount: '30,00 €' })).toBe('il manque 30,00 €');
    expect(localeMessages('es-ES').fill('target.short', { amount: '30,00 €' })).toBe('faltan 30,00 €');
    expect(localeMessages(undefined).fill('target.balance', { amount: '1200.00' })).toBe('Target 1200.00');
    expect(localeMessages('de-DE').fill('target.balance', { amount: '1.200,00 €' })).toBe('Ziel 1.200,00 €');
    expect(localeMessages('fr-FR').fill('target.balance', { amount: '1 200,00 €' })).toBe('Objectif 1 200,00 €');
    expect(localeMessages('es-ES').fill('target.balance', { amount: '1200,00 €' })).toBe('Meta de 1200,00 €');
    expect(localeMessages('fr-BE').fill('period', { start: '1 oct. 2026', end: '31 oct. 2026' })).toBe('du 1 oct. 2026 au 31 oct. 2026');
    expect(localeMessages('es-MX').fill('period', { start: '1 oct 2026', end: '31 oct 2026' })).toBe('del 1 oct 2026 al 31 oct 2026');
    expect(localeMessages('de-CH').fill('report.generated', { at: '01.11.2026, 00:00 UTC' })).toBe('Erstellt am 01.11.2026, 00:00 UTC.');
    expect(localeMessages('ja-JP').fill('report.limit')).toBe('Limit');
  });

  it('reads the template once: a value with braces in it is kept as it is', () => {
    expect(localeMessages('de-DE').fill('bill.title', { what: '{budget} {what}' })).toBe('{budget} {what} ist morgen fällig');
    expect(fillTemplate('{a}{b}', { a: '{b}', b: 1 })).toBe('{b}1');
  });

  it('isolates a right-to-left value (FSI ... PDI), so the amounts and dates after it stay where the words put them', () => {
    // In a left-to-right line, the neutrals and digits after a Hebrew or Arabic name (": 1200,00 €", " 80 %") join its
    // right-to-left run (UAX #9, rule N1: numbers count as right-to-left for the neutrals between them and the name),
    // so a device showed the amount left of the name ("1.200,00 € :שכירות"). First strong isolate ... pop directional isolate.
    const FSI = '\u2068';
    const PDI = '\u2069';
    expect(localeMessages('de-DE').fill('bill.body', { what: 'שכירות', amount: '1.200,00 €', date: '01.12.2026', budget: 'בית' })).toBe(
      `${FSI}שכירות${PDI}: 1.200,00 € morgen fällig (01.12.2026) in ${FSI}בית${PDI}.`,
    );
    expect(localeMessages(undefined).fill('alert.title.budget', { budget: 'منزل', threshold: 80 })).toBe(`"${FSI}منزل${PDI}": 80% of the limit reached`);
    // An amount an Arabic locale wrote (its letters and marks) is a value as any other.
    expect(localeMessages('ar-EG').fill('target.short', { amount: '٣٠٫٠٠ د.ك.\u200f' })).toBe(`${FSI}٣٠٫٠٠ د.ك.\u200f${PDI} short`);
    // A value with no right-to-left character is as it was: every existing text byte for byte.
    expect(localeMessages(undefined).fill('bill.body', { what: 'Rent Co', amount: '1200.00 EUR', date: '2026-12-01', budget: 'Home' })).toBe(
      'Rent Co: 1200.00 EUR due tomorrow (2026-12-01) in Home.',
    );
    // An override the value leaves open is closed inside the isolate.
    expect(fillTemplate('{a}!', { a: 'אב\u202e' })).toBe(`${FSI}אב\u202e\u202c${PDI}!`);
  });
});

describe('plural forms', () => {
  it('every `.one` key has its `.other` and the other way round, in English and so in every language', () => {
    const keys = Object.keys(MESSAGE_CATALOG.en);
    const counted = keys.filter((k) => /\.(one|other)$/.test(k));
    expect(counted.length).toBeGreaterThan(0);
    for (const key of counted) expect(keys, key).toContain(key.replace(/\.(one|other)$/, (_, form) => (form === 'one' ? '.other' : '.one')));
  });

  it("follow the catalog language's rules: English and German one for 1 only, French for 0 and 1, millions take other", () => {
    const forms = (locale: string | null) => [0, 1, 2, 1_000_000].map((n) => localeMessages(locale).plural(n));
    expect(forms(null)).toEqual(['other', 'one', 'other', 'other']);
    expect(forms('en-GB')).toEqual(['other', 'one', 'other', 'other']);
    expect(forms('de-DE')).toEqual(['other', 'one', 'other', 'other']);
    expect(forms('fr-FR')).toEqual(['one', 'one', 'other', 'other']);
    expect(forms('es-ES')).toEqual(['other', 'one', 'other', 'other']);
    // Japanese is not in the catalog: English words, so English rules (not Japanese "other" for all).
    expect(forms('ja-JP')).toEqual(['other', 'one', 'other', 'other']);
    expect(localeMessages('fr-FR').fill(`import.errors.${localeMessages('fr-FR').plural(0)}`, { count: 0 })).toBe('0 erreur');
  });
});

