import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basisPoints, biggestAndQuietest, changeOf, comparedMonths, comparisonRanges, monthsOf, periodsOfYear, periodsWithinLimit, topCategories } from './year-review';

describe('year-review basis points', () => {
  it('basis points round a half away from zero, exactly, and are null on a base of 0', () => {
    // 1 of 8 = 1,250; 1 of 16 = 625; 1 of 32 = 312.5 -> 313; -1 of 32 = -312.5 -> -313.
    expect(basisPoints(1, 8)).toBe(1_250);
    expect(basisPoints(1, 32)).toBe(313);
    expect(basisPoints(-1, 32)).toBe(-313);
    // 1 of 3 = 3,333.33 -> 3,333; 2 of 3 = 6,666.67 -> 6,667.
    expect(basisPoints(1, 3)).toBe(3_333);
    expect(basisPoints(2, 3)).toBe(6_667);
    expect(basisPoints(5, 0)).toBeNull();
    // Past 2^53 in the product (9,007,199,254,740,991 x 10,000): still exact in BigInt.
    expect(basisPoints(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBe(10_000);
    expect(basisPoints(Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER)).toBe(10_000);
  });

  it('changes are of the previous figure taken as a magnitude; null from 0', () => {
    // 100 -> 150: +50 %; 150 -> 100: -33.33 % -> -3,333; -100 (money back) -> -50: +50 of 100, +5,000.
    expect(changeOf(150, 100)).toBe(5_000);
    expect(changeOf(100, 150)).toBe(-3_333);
    expect(changeOf(-50, -100)).toBe(5_000);
    // 200,001 against 200,000: +0.0005 % -> 0.05 basis points -> 0; 200,010: +0.5 -> 1 (half away from zero).
    expect(changeOf(200_001, 200_000)).toBe(0);
    expect(changeOf(200_010, 200_000)).toBe(1);
    expect(changeOf(199_990, 200_000)).toBe(-1);
    expect(changeOf(100, 0)).toBeNull();
  });

  it('the change is exact when current - previous passes 2^53 (subtracted in BigInt, not in floats)', () => {
    // 9,007,199,254,740,989 against -20,000: a difference of 9,007,199,254,760,989 (odd, above 2^53:
    // a double holds ...988), of 20,000 = 4,503,599,627,380,494.5 basis points -> ...495 (half away from zero).
    expect(changeOf(9_007_199_254_740_989, -20_000)).toBe(4_503_599_627_380_495);
    expect(changeOf(-9_007_199_254_740_989, 20_000)).toBe(-4_503_599_627_380_495);
  });

  it('any two safe figures: the change is (current - previous) x 10,000 / |previous|, exact, a half away from zero', () => {
    // Reference in BigInt alone: round(|n| / d) = floor((2|n| + d) / 2d), the sign put back after.
    const reference = (current: number, previous: number): bigint => {
      const n = (BigInt(current) - BigInt(previous)) * 10_000n;
      const d = BigInt(previous < 0 ? -previous : previous);
      const magnitude = ((n < 0n ? -n : n) * 2n + d) / (2n * d);
      return n < 0n ? -magnitude : magnitude;
    };
    const safe = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    // Near 2^53 too, where a double loses the difference's last bits: a current figure near +-(2^53 - 1)
    // and a previous one of the other sign, of 10^4 to 10^6: a difference past 2^53 whose change is still safe.
    const near = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 10_000, max: 1_000_000 }), fc.boolean());
    const edge = near.map(([k, p, up]) => (up ? [Number.MAX_SAFE_INTEGER - k, -p] : [-(Number.MAX_SAFE_INTEGER - k), p]) as [number, number]);
    fc.assert(
      fc.property(fc.oneof(fc.tuple(safe, safe), edge), ([current, previous]) => {
        const change = changeOf(current, previous);
        if (previous === 0) {
          expect(change).toBeNull();
          return;
        }
        const expected = reference(current, previous);
        // A change past 2^53 - 1 is the service's 422: only a safe one must be given exactly.
        if (expected <= BigInt(Number.MAX_SAFE_INTEGER) && expected >= -BigInt(Number.MAX_SAFE_INTEGER)) expect(change).toBe(Number(expected));
        else expect(Number.isSafeInteger(change)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

});

describe('year-review calendar', () => {
  it('a year has twelve months, and its periods by kind (weekly: the ISO weeks, 52 or 53)', () => {
    const months = monthsOf(2024);
    expect(months).toHaveLength(12);
    expect(months[1]).toEqual({ month: '2024-02', from: '2024-02-01', to: '2024-02-29' });
    expect(months[11]).toEqual({ month: '2024-12', from: '2024-12-01', to: '2024-12-31' });
    expect(periodsOfYear('yearly', 2026)).toEqual([{ start: '2026-01-01', end: '2026-12-31' }]);
    expect(periodsOfYear('monthly', 2026)).toHaveLength(12);
    // 1 January 2026 is a Thursday: 53 weeks, from Monday 29 December 2025 to Sunday 3 January 2027.
    const weeks2026 = periodsOfYear('weekly', 2026);
    expect(weeks2026).toHaveLength(53);
    expect(weeks2026[0]).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    expect(weeks2026[52]).toEqual({ start: '2026-12-28', end: '2027-01-03' });
    // 2025 begins on a Wednesday: 52 weeks, from 30 December 2024 to 28 December 2025.
    const weeks2025 = periodsOfYear('weekly', 2025);
    expect(weeks2025).toHaveLength(52);
    expect(weeks2025[0]).toEqual({ start: '2024-12-30', end: '2025-01-05' });
    expect(weeks2025[51]).toEqual({ start: '2025-12-22', end: '2025-12-28' });
  });

  it('compares a past year whole, the current one through today (29 February: the 28th)', () => {
    expect(comparisonRanges(2025, '2026-06-10')).toEqual({ current: { from: '2025-01-01', to: '2025-12-31' }, previous: { from: '2024-01-01', to: '2024-12-31' } });
    expect(comparisonRanges(2026, '2026-06-10')).toEqual({ current: { from: '2026-01-01', to: '2026-06-10' }, previous: { from: '2025-01-01', to: '2025-06-10' } });
    expect(comparisonRanges(2028, '2028-02-29')).toEqual({ current: { from: '2028-01-01', to: '2028-02-29' }, previous: { from: '2027-01-01', to: '2027-02-28' } });
  });

  it("compares income over whole months: a past year's twelve, the current year's ended ones, none in January", () => {
    expect(comparedMonths(2025, '2026-06-10')).toEqual({ current: { from: '2025-01', to: '2025-12' }, previous: { from: '2024-01', to: '2024-12' } });
    expect(comparedMonths(2026, '2026-06-10')).toEqual({ current: { from: '2026-01', to: '2026-05' }, previous: { from: '2025-01', to: '2025-05' } });
    // The last day of a month: that month is still under way.
    expect(comparedMonths(2026, '2026-12-31')).toEqual({ current: { from: '2026-01', to: '2026-11' }, previous: { from: '2025-01', to: '2025-11' } });
    expect(comparedMonths(2026, '2026-02-01')).toEqual({ current: { from: '2026-01', to: '2026-01' }, previous: { from: '2025-01', to: '2025-01' } });
    expect(comparedMonths(2026, '2026-01-31')).toBeNull();
  });

});

describe('year-review figures', () => {
  it('top categories: at most five above 0, ties in the budget order, removed categories uncategorized', () => {
    const categories = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, name: id.toUpperCase() }));
    const totals = { total: 1_000, uncategorized: 30, byCategory: { a: 100, b: 300, c: 100, d: 0, e: -20, f: 200, g: 150, gone: 140 } };
    // Uncategorized 30 + the removed category's 140 = 170. Ranked: B 300, F 200, UNC 170, G 150, A 100 (C 100 after A: budget order).
    expect(topCategories(totals, categories, 1_000)).toEqual([
      { categoryId: 'b', name: 'B', spent: 300, share: 3_000 },
      { categoryId: 'f', name: 'F', spent: 200, share: 2_000 },
      { categoryId: 'uncategorized', name: 'Uncategorized', spent: 170, share: 1_700 },
      { categoryId: 'g', name: 'G', spent: 150, share: 1_500 },
      { categoryId: 'a', name: 'A', spent: 100, share: 1_000 },
    ]);
    // Uncategorized plus a removed category past 2^53 - 1: no exact line.
    expect(topCategories({ total: 0, uncategorized: Number.MAX_SAFE_INTEGER, byCategory: { gone: 1 } }, categories, 0)).toBeNull();
    // A year whose refunds outweigh its spending: no share.
    expect(topCategories({ total: -50, uncategorized: 0, byCategory: { a: 10, b: -60 } }, categories, -50)).toEqual([{ categoryId: 'a', name: 'A', spent: 10, share: null }]);
  });

  it('biggest and quietest month; quietest only among ended months since the budget began', () => {
    const months = [
      { month: '2026-01', spent: 0 },
      { month: '2026-02', spent: 500 },
      { month: '2026-03', spent: 900 },
      { month: '2026-04', spent: 900 },
      { month: '2026-05', spent: 100 },
      { month: '2026-06', spent: 50 },
    ];
    // Created in February; today 30 June, so June has not ended; ties go to the earlier month.
    expect(biggestAndQuietest(months, '2026-06-30', '2026-02')).toEqual({ biggestMonth: { month: '2026-03', spent: 900 }, quietestMonth: { month: '2026-05', spent: 100 } });
    // On 1 July June has ended.
    expect(biggestAndQuietest(months, '2026-07-01', '2026-02').quietestMonth).toEqual({ month: '2026-06', spent: 50 });
    expect(biggestAndQuietest([{ month: '2026-06', spent: 0 }], '2026-06-15', '2026-06')).toEqual({ biggestMonth: null, quietestMonth: null });
  });

  it('periods within limit: ended periods from the first, spent <= limit', () => {
    const periods = [
      { periodStart: '2026-01-01', periodEnd: '2026-01-31', limit: 100, spent: 500 },
      { periodStart: '2026-02-01', periodEnd: '2026-02-28', limit: 100, spent: 100 },
      { periodStart: '2026-03-01', periodEnd: '2026-03-31', limit: 100, spent: 101 },
      { periodStart: '2026-04-01', periodEnd: '2026-04-30', limit: 100, spent: -5 },
      { periodStart: '2026-05-01', periodEnd: '2026-05-31', limit: 100, spent: 0 },
    ];
    // January is before the first period; May has not ended on 31 May.
    expect(periodsWithinLimit(periods, '2026-05-31', '2026-02-01')).toEqual({ count: 2, of: 3 });
    expect(periodsWithinLimit(periods, '2026-06-01', '2026-01-01')).toEqual({ count: 3, of: 5 });
  });
});
