import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idBetween } from './due-index-sample';

/**
 * idBetween picks where the daily totals verification enters a cluster of equal due instants
 * (a key condition `gsi2sk BETWEEN` at `instant#<id>`): the id must lie between the cluster's
 * first and last ids in key (string) order, whatever random() answers in [0, 1), or the
 * sample starts outside the cluster.
 */
const JUST_UNDER_ONE = 1 - 2 ** -53;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const printable = fc.string({ unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const ulid = fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 26, maxLength: 26 });
const unit = fc.double({ min: 0, max: JUST_UNDER_ONE, noNaN: true });
const ordered = (arb: fc.Arbitrary<string>) => fc.tuple(arb, arb).map(([x, y]): [string, string] => (x <= y ? [x, y] : [y, x]));
const between = (a: string, b: string, r: string) => a <= r && r <= b;

describe('idBetween', () => {
  it('answers a string between a and b in key order for any printable strings, lengths and random()', () => {
    fc.assert(
      fc.property(ordered(printable), unit, ([a, b], r) => {
        const id = idBetween(a, b, () => r);
        expect(between(a, b, id), `${JSON.stringify(a)} <= ${JSON.stringify(id)} <= ${JSON.stringify(b)}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers an id of the same shape between two ULIDs (random() at 0 is the first)', () => {
    fc.assert(
      fc.property(ordered(ulid), unit, ([a, b], r) => {
        const id = idBetween(a, b, () => r);
        expect(between(a, b, id)).toBe(true);
        expect(id).toHaveLength(26);
        expect(idBetween(a, b, () => 0)).toBe(a);
      }),
    );
  });

  it('answers the id itself when both ends are equal, at random() 0 and just under 1', () => {
    for (const id of ['01J0000000000000000000000Z', 'a', '']) {
      expect(idBetween(id, id, () => 0)).toBe(id);
      expect(idBetween(id, id, () => JUST_UNDER_ONE)).toBe(id);
    }
  });

  it('stays between ends of different lengths at both extremes of random()', () => {
    const cases: [string, string][] = [
      ['a', 'b'],
      ['a', 'a '],
      ['a', 'a!'],
      ['ab', 'b'],
      ['', '~~'],
      ['01J00', '01J000000000000000000000ZZ'],
      ['01J000000000000000000000ZZ', '01J1'],
    ];
    for (const [a, b] of cases) {
      for (const r of [0, JUST_UNDER_ONE]) expect(between(a, b, idBetween(a, b, () => r)), `${a} / ${b} at ${r}`).toBe(true);
    }
  });

  it('reaches near the far end just under 1: the last id before b, not a (the whole gap is in play)', () => {
    // Between two ids one character apart in the last place, just under 1 is still the first;
    // across a wide gap it lands just before b (a sample can enter near a cluster's end).
    expect(idBetween('01J0', '01J1', () => JUST_UNDER_ONE)).toBe('01J0');
    expect(idBetween('0000', '~~~~', () => JUST_UNDER_ONE)).toBe('~~~}');
    expect(idBetween('0000', '~~~~', () => 0.5) > '0000').toBe(true);
  });
});
