import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByPercent, splitByRule } from './rule-split';

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** Integer percents 1..100 adding up to exactly 100, 2..10 of them (as a rule's). */
const percents = fc
  .array(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 9 })
  .map((cuts) => [...new Set(cuts)].sort((a, b) => a - b))
  .map((cuts) => [...cuts, 100].map((c, i, all) => c - (i === 0 ? 0 : all[i - 1]!)));

describe('allocateByPercent (largest remainder), hand-worked', () => {
  it('1000 at 33/33/34: 330, 330, 340 (no remainder)', () => {
    expect(allocateByPercent(1000, [33, 33, 34])).toEqual([330, 330, 340]);
  });

  it('100 at 50/50: 50 and 50', () => {
    expect(allocateByPercent(100, [50, 50])).toEqual([50, 50]);
  });

  it('999 at 70/30: 699.3 -> 699, 299.7 -> 299, the 1 left goes to the larger remainder (.7): 699 and 300', () => {
    expect(allocateByPercent(999, [70, 30])).toEqual([699, 300]);
  });

  it('1 at 50/50: equal remainders, the earlier part takes the unit: 1 and 0', () => {
    expect(allocateByPercent(1, [50, 50])).toEqual([1, 0]);
  });

  it('10 at 33/33/34: 3.3, 3.3, 3.4 -> 3, 3, 3 and the 1 left to the .4: 3, 3, 4', () => {
    expect(allocateByPercent(10, [33, 33, 34])).toEqual([3, 3, 4]);
  });

  it('2 at 33/33/34: .66, .66, .68 -> 0, 0, 0; 2 left: to the .68 then the first .66: 1, 0, 1', () => {
    expect(allocateByPercent(2, [33, 33, 34])).toEqual([1, 0, 1]);
  });

  it('exact past 2^53 / 100: 9007199254740991 at 50/50 -> 4503599627370496 and 4503599627370495', () => {
    expect(allocateByPercent(9_007_199_254_740_991, [50, 50])).toEqual([4_503_599_627_370_496, 4_503_599_627_370_495]);
  });
});

describe('splitByRule: parts that come out 0', () => {
  it('1 at 50/50: the second part is 0 and dropped, one left: a plain expense of the first category', () => {
    expect(splitByRule(1, [{ categoryId: 'a', percent: 50 }, { categoryId: 'b', percent: 50 }])).toEqual({ categoryId: 'a' });
  });

  it('2 at 33/33/34: the middle part dropped, two left: split 1 + 1', () => {
    expect(splitByRule(2, [{ categoryId: 'a', percent: 33 }, { categoryId: 'b', percent: 33 }, { categoryId: 'c', percent: 34 }])).toEqual({
      splits: [{ categoryId: 'a', amount: 1 }, { categoryId: 'c', amount: 1 }],
    });
  });

  it('1 at 1/99: 0.01 and 0.99 -> 0 and 0, the unit to the .99: filed under the second (the biggest) category', () => {
    expect(splitByRule(1, [{ categoryId: 'a', percent: 1 }, { categoryId: 'b', percent: 99 }])).toEqual({ categoryId: 'b' });
  });

  it('999 at 70/30: split 699 + 300', () => {
    expect(splitByRule(999, [{ categoryId: 'a', percent: 70 }, { categoryId: 'b', percent: 30 }])).toEqual({
      splits: [{ categoryId: 'a', amount: 699 }, { categoryId: 'b', amount: 300 }],
    });
  });
});

describe('allocateByPercent properties', () => {
  const amount = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: MAX_AMOUNT }));

  it('the parts add up to the amount, each within 1 minor unit of its exact share, and the same input gives the same parts', () => {
    fc.assert(
      fc.property(amount, percents, (total, ps) => {
        expect(ps.reduce((s, p) => s + p, 0)).toBe(100);
        const parts = allocateByPercent(total, ps);
        expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(total));
        for (const [i, part] of parts.entries()) {
          // |part x 100 - amount x percent| < 100, exactly in BigInt.
          const diff = BigInt(part) * 100n - BigInt(total) * BigInt(ps[i]!);
          expect(diff > -100n && diff < 100n).toBe(true);
          expect(Number.isSafeInteger(part) && part >= 0).toBe(true);
        }
        expect(allocateByPercent(total, [...ps])).toEqual(parts);
      }),
      { numRuns: 500 },
    );
  });

  it('splitByRule leaves parts > 0 adding up to the amount, or one category when a single part is left', () => {
    fc.assert(
      fc.property(amount, percents, (total, ps) => {
        const parts = ps.map((percent, i) => ({ categoryId: `c${i}`, percent }));
        const out = splitByRule(total, parts);
        if ('splits' in out) {
          expect(out.splits.length).toBeGreaterThanOrEqual(2);
          expect(out.splits.every((p) => p.amount > 0)).toBe(true);
          expect(out.splits.reduce((s, p) => s + BigInt(p.amount), 0n)).toBe(BigInt(total));
        } else {
          const amounts = allocateByPercent(total, ps);
          expect(amounts.filter((a) => a > 0)).toEqual([total]);
          expect(out.categoryId).toBe(`c${amounts.indexOf(total)}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
