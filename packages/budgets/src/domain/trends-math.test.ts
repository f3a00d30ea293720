import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BudgetSummary } from './summary-math';
import { averageOf, periodsEndingWith, trendsOf } from './trends-math';

describe('periodsEndingWith', () => {
  it('monthly: the months before, across a year end, oldest first', () => {
    expect(periodsEndingWith('monthly', '2027-02-14', 4)).toEqual([
      { start: '2026-11-01', end: '2026-11-30' },
      { start: '2026-12-01', end: '2026-12-31' },
      { start: '2027-01-01', end: '2027-01-31' },
      { start: '2027-02-01', end: '2027-02-28' },
    ]);
  });

  it('weekly: ISO weeks (Monday..Sunday), one crossing a year end', () => {
    // 2027-01-06 is a Wednesday; its week began on Monday 2027-01-04.
    expect(periodsEndingWith('weekly', '2027-01-06', 3)).toEqual([
      { start: '2026-12-21', end: '2026-12-27' },
      { start: '2026-12-28', end: '2027-01-03' },
      { start: '2027-01-04', end: '2027-01-10' },
    ]);
  });

  it('yearly: calendar years; one period is the one containing the date', () => {
    expect(periodsEndingWith('yearly', '2026-06-30', 2)).toEqual([
      { start: '2025-01-01', end: '2025-12-31' },
      { start: '2026-01-01', end: '2026-12-31' },
    ]);
    expect(periodsEndingWith('monthly', '2024-02-29', 1)).toEqual([{ start: '2024-02-01', end: '2024-02-29' }]);
  });

  it('refuses a count below 1', () => {
    expect(() => periodsEndingWith('monthly', '2026-01-01', 0)).toThrow(RangeError);
  });
});

describe('averageOf', () => {
  it('rounds a half away from zero, other fractions to the nearest', () => {
    expect(averageOf(5, 2)).toBe(3); // 2.5
    expect(averageOf(-5, 2)).toBe(-3); // -2.5
    expect(averageOf(7, 2)).toBe(4); // 3.5
    expect(averageOf(10, 3)).toBe(3); // 3.33
    expect(averageOf(11, 3)).toBe(4); // 3.67
    expect(averageOf(-11, 3)).toBe(-4);
    expect(averageOf(0, 6)).toBe(0);
    expect(averageOf(Number.MAX_SAFE_INTEGER, 2)).toBe(4_503_599_627_370_496); // (2^53 - 1) / 2 = 2^52 - 0.5, away from zero
  });

  it('never answers -0 (a small negative total averages to a plain 0)', () => {
    expect(Object.is(averageOf(-1, 3), 0)).toBe(true);
  });

  it('is within half a unit of the exact quotient, and symmetric in sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 24 }), (total, count) => {
        const average = averageOf(total, count);
        expect(Math.abs(average * count - total)).toBeLessThanOrEqual(count / 2);
        expect(Object.is(average, -0), `averageOf(${total}, ${count}) is -0`).toBe(false);
        expect(averageOf(-total, count)).toBe(-average || 0);
      }),
    );
  });
});

const summary = (periodStart: string, periodEnd: string, spent: number, food: number, uncategorized: number): BudgetSummary => ({
  periodStart,
  periodEnd,
  limit: 10_000,
  carriedOver: 0,
  available: 10_000,
  spent,
  remaining: 10_000 - spent,
  categories: [{ categoryId: 'food', name: 'Food', limit: 5_000, group: null, spent: food, remaining: 5_000 - food }],
  groups: [],
  uncategorizedSpent: uncategorized,
  thresholdsCrossed: [{ scope: 'budget', categoryId: null, threshold: 80 }],
});

describe('trendsOf', () => {
  it('lists each summary (without thresholds or category remaining) and sums and averages over them', () => {
    const trends = trendsOf('monthly', [summary('2026-10-01', '2026-10-31', 1_000, 700, 300), summary('2026-11-01', '2026-11-30', 0, 0, 0), summary('2026-12-01', '2026-12-31', 2_001, 2_000, 1)]);
    expect(trends).toMatchObject({ period: 'monthly', from: '2026-10-01', to: '2026-12-31', total: 3_001, average: 1_000 });
    // The range's limit: three periods at 5,000 each.
    expect(trends!.categories).toEqual([{ categoryId: 'food', name: 'Food', limit: 15_000, group: null, total: 2_700, average: 900 }]);
    expect(trends!.uncategorized).toEqual({ total: 301, average: 100 });
    expect(trends!.periods[1]).toEqual({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      limit: 10_000,
      carriedOver: 0,
      available: 10_000,
      spent: 0,
      remaining: 10_000,
      categories: [{ categoryId: 'food', name: 'Food', limit: 5_000, group: null, spent: 0 }],
      groups: [],
      uncategorizedSpent: 0,
    });
  });

  it('is null when a total would pass 2^53 - 1', () => {
    const big = Number.MAX_SAFE_INTEGER - 10;
    expect(trendsOf('monthly', [summary('2026-10-01', '2026-10-31', big, 0, big), summary('2026-11-01', '2026-11-30', 11, 0, 11)])).toBeNull();
    expect(trendsOf('monthly', [summary('2026-10-01', '2026-10-31', big, 0, big), summary('2026-11-01', '2026-11-30', 10, 0, 10)])).toMatchObject({
      total: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe('trendsOf: range limits', () => {
  const withFood = (start: string, end: string, foodLimit: number | null): BudgetSummary => {
    const base = summary(start, end, 0, 0, 0);
    return {
      ...base,
      categories: [{ ...base.categories[0]!, limit: foodLimit, group: 'Everyday', remaining: foodLimit }],
      groups: [{ name: 'Everyday', categoryIds: ['food'], limit: foodLimit, spent: 0, remaining: foodLimit }],
    };
  };

  it("sums each period's own limit (an overridden period counts its override), not the last period's", () => {
    // October overridden to 3,000, November and December at 5,000: 3,000 + 5,000 + 5,000.
    const trends = trendsOf('monthly', [withFood('2026-10-01', '2026-10-31', 3_000), withFood('2026-11-01', '2026-11-30', 5_000), withFood('2026-12-01', '2026-12-31', 5_000)]);
    expect(trends!.categories[0]!.limit).toBe(13_000);
    expect(trends!.groups[0]!.limit).toBe(13_000);
    // The last period overridden: the range still sums every period.
    const last = trendsOf('monthly', [withFood('2026-10-01', '2026-10-31', 5_000), withFood('2026-11-01', '2026-11-30', 0)]);
    expect(last!.categories[0]!.limit).toBe(5_000);
  });

  it('is null without a limit, and the trend null when the summed limits pass 2^53 - 1', () => {
    expect(trendsOf('monthly', [withFood('2026-10-01', '2026-10-31', null)])!.categories[0]!.limit).toBeNull();
    const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2);
    expect(trendsOf('monthly', [withFood('2026-10-01', '2026-10-31', half), withFood('2026-11-01', '2026-11-30', half)])).toBeNull();
  });
});

describe('trendsOf: category groups', () => {
  const grouped = (start: string, end: string, food: number, bus: number): BudgetSummary => ({
    ...summary(start, end, food + bus, food, 0),
    categories: [
      { categoryId: 'food', name: 'Food', limit: 5_000, group: 'Everyday', spent: food, remaining: 5_000 - food },
      { categoryId: 'bus', name: 'Bus', limit: null, group: 'Everyday', spent: bus, remaining: null },
    ],
    groups: [{ name: 'Everyday', categoryIds: ['food', 'bus'], limit: 5_000, spent: food + bus, remaining: 5_000 - food - bus }],
  });

  it("lists each period's groups (without remaining) and sums and averages each group's spent", () => {
    const trends = trendsOf('monthly', [grouped('2026-10-01', '2026-10-31', 1_000, 500), grouped('2026-11-01', '2026-11-30', 2_000, 0)]);
    expect(trends!.periods.map((p) => p.groups)).toEqual([
      [{ name: 'Everyday', categoryIds: ['food', 'bus'], limit: 5_000, spent: 1_500 }],
      [{ name: 'Everyday', categoryIds: ['food', 'bus'], limit: 5_000, spent: 2_000 }],
    ]);
    expect(trends!.groups).toEqual([{ name: 'Everyday', categoryIds: ['food', 'bus'], limit: 10_000, total: 3_500, average: 1_750 }]);
    expect(trends!.categories.map((c) => c.group)).toEqual(['Everyday', 'Everyday']);
  });
});
