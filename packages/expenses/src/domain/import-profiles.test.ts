import { describe, expect, it } from 'vitest';
import { mergeMapping } from './import-profiles';

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
