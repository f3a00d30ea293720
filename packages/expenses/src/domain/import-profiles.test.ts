import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnsNeeded, headerSummary, mergeMapping, pickProfile, type ProfileCandidate } from './import-profiles';

describe('mergeMapping (a profile under the parameters given)', () => {
  it('puts each field given over the profile\'s, and says which fields still come from the profile', () => {
    const profile = { dateColumn: 'Date', debitColumn: 'Paid out', creditColumn: 'Paid in', skipLines: 0 };
    const { mapping, fromProfile } = mergeMapping<Record<string, string | number | undefined>>(profile, { skipLines: 2, merchantColumn: 'Payee', amountColumn: undefined });
    expect(mapping).toEqual({ dateColumn: 'Date', debitColumn: 'Paid out', creditColumn: 'Paid in', skipLines: 2, merchantColumn: 'Payee' });
    expect([...fromProfile].sort()).toEqual(['creditColumn', 'dateColumn', 'debitColumn']);
  });

  it('nothing given: the profile as it is, every field from it', () => {
    const { mapping, fromProfile } = mergeMapping({ amountColumn: 'Betrag' }, {});
    expect(mapping).toEqual({ amountColumn: 'Betrag' });
    expect([...fromProfile]).toEqual(['amountColumn']);
  });
});

describe('columnsNeeded (the header columns a mapping reads)', () => {
  it('every named column, compared as the reader does (trimmed, any case), and date and amount by their own names when not named', () => {
    expect(columnsNeeded({ dateColumn: ' Buchungstag ', amountColumn: 'Betrag', merchantColumn: 'Empfänger', delimiter: ';', skipLines: 2 })).toEqual(['buchungstag', 'betrag', 'empfänger']);
    expect(columnsNeeded({ debitColumn: 'Paid out', creditColumn: 'Paid in', descriptionColumn: 'Memo' })).toEqual(['paid out', 'paid in', 'memo', 'date']);
    expect(columnsNeeded({ merchantColumn: 'Payee' })).toEqual(['payee', 'date', 'amount']);
    expect(columnsNeeded({ dateColumn: 'Date', merchantColumn: 'date' })).toEqual(['date', 'amount']);
  });
});

describe('pickProfile (?profile=auto)', () => {
  const UK: ProfileCandidate = { id: 'p1', updatedAt: '2026-11-01T00:00:00.000Z', mapping: { dateColumn: 'Date', debitColumn: 'Paid out', creditColumn: 'Paid in', merchantColumn: 'Description' } };
  const DE: ProfileCandidate = { id: 'p2', updatedAt: '2026-11-02T00:00:00.000Z', mapping: { dateColumn: 'Buchungstag', amountColumn: 'Betrag', delimiter: ';', skipLines: 1 } };
  const header = (...names: string[]) => () => names;

  it('picks the profile whose columns the header has, any case and spacing', () => {
    expect(pickProfile([UK, DE], header('DATE', ' description ', 'Paid out', 'Paid in', 'Balance'))?.id).toBe('p1');
    expect(pickProfile([UK, DE], header('Buchungstag', 'Empfänger', 'Betrag'))?.id).toBe('p2');
  });

  it('none when a needed column is missing (one of a debit and credit pair too), or no header could be read', () => {
    expect(pickProfile([UK, DE], header('Date', 'Description', 'Paid out', 'Balance'))).toBeUndefined();
    expect(pickProfile([UK, DE], () => undefined)).toBeUndefined();
    expect(pickProfile([], header('Date'))).toBeUndefined();
  });

  it("reads each profile's own header (its skipLines and delimiter)", () => {
    const seen: string[] = [];
    const headerOf = (c: ProfileCandidate) => {
      seen.push(c.id);
      return c.mapping.delimiter === ';' ? ['Buchungstag', 'Betrag'] : ['Konto 1234'];
    };
    expect(pickProfile([UK, DE], headerOf)?.id).toBe('p2');
    expect(seen).toEqual(['p1', 'p2']);
  });

  it('prefers the profile needing the most columns, then the most recently updated, then the greater id', () => {
    const loose: ProfileCandidate = { id: 'p9', updatedAt: '2026-11-30T00:00:00.000Z', mapping: { dateColumn: 'Date', amountColumn: 'Amount' } };
    const strict: ProfileCandidate = { id: 'p3', updatedAt: '2026-11-01T00:00:00.000Z', mapping: { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee' } };
    const all = header('Date', 'Amount', 'Payee');
    expect(pickProfile([loose, strict], all)?.id).toBe('p3');
    expect(pickProfile([strict, loose], all)?.id).toBe('p3');
    const twin = { ...strict, id: 'p4', updatedAt: '2026-11-05T00:00:00.000Z' };
    expect(pickProfile([strict, twin], all)?.id).toBe('p4');
    expect(pickProfile([twin, strict], all)?.id).toBe('p4');
    const sameTime = { ...strict, id: 'p5' };
    expect(pickProfile([sameTime, strict], all)?.id).toBe('p5');
  });

  it('property: the pick fits the header, no fitting profile needs more columns, and the order of the list does not matter', () => {
    const names = ['Date', 'Amount', 'Payee', 'Memo', 'Paid out', 'Paid in', 'Category'];
    const name = fc.constantFrom(...names);
    const candidate = fc.record({
      id: fc.stringMatching(/^p[0-9]{1,3}$/),
      updatedAt: fc.constantFrom('2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z'),
      mapping: fc.record(
        { dateColumn: name, amountColumn: name, merchantColumn: name, descriptionColumn: name, categoryColumn: name },
        { requiredKeys: [] },
      ),
    });
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => c.id, maxLength: 8 }), fc.subarray(names), (candidates, headerNames) => {
        const present = new Set(headerNames.map((n) => n.toLowerCase()));
        const fits = (c: ProfileCandidate) => columnsNeeded(c.mapping).every((column) => present.has(column));
        const picked = pickProfile(candidates, () => headerNames);
        const fitting = candidates.filter(fits);
        if (fitting.length === 0) return void expect(picked).toBeUndefined();
        expect(picked !== undefined && fits(picked)).toBe(true);
        const needed = columnsNeeded(picked!.mapping).length;
        expect(fitting.filter((c) => columnsNeeded(c.mapping).length > needed)).toEqual([]);
        expect(pickProfile([...candidates].reverse(), () => headerNames)?.id).toBe(picked!.id);
      }),
    );
  });
});

describe('headerSummary (the header in a problem)', () => {
  it('quotes the first 10 columns, clips long ones and says how many more', () => {
    expect(headerSummary(['\uFEFFDate', ' Amount '])).toBe('"Date", "Amount"');
    const many = Array.from({ length: 12 }, (_, i) => `c${i}`);
    expect(headerSummary(many)).toBe('"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9" and 2 more');
    expect(headerSummary(['x'.repeat(50)])).toBe(`"${'x'.repeat(39)}…"`);
    // An emoji across the cut is left out whole: its first half alone was written as the six characters `\ud83d`.
    expect(headerSummary([`${'x'.repeat(38)}\u{1F4B6}yz`])).toBe(`"${'x'.repeat(38)}…"`);
  });
});
