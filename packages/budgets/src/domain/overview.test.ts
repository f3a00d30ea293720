import { describe, expect, it } from 'vitest';
import { headlineOf, percentUsed } from './overview';
import type { Pace, PacedSummary } from './pace-math';
import { isCrossed } from './summary-math';

const PACE: Pace = { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 8_400, status: 'on-track', dailyAllowance: 328 };

const summary = (over: Partial<PacedSummary> = {}): PacedSummary => ({
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  limit: 10_000,
  carriedOver: 500,
  available: 10_500,
  spent: 8_200,
  remaining: 2_300,
  categories: [
    { categoryId: 'a', name: 'A', limit: 1_000, group: null, spent: 1_001, remaining: -1, pace: { ...PACE, expectedSpent: 800, status: 'over', dailyAllowance: 0 } },
    { categoryId: 'b', name: 'B', limit: 1_000, group: null, spent: 1_000, remaining: 0, pace: { ...PACE, expectedSpent: 800, status: 'over', dailyAllowance: 0 } },
    { categoryId: 'c', name: 'C', limit: null, group: null, spent: 5_000, remaining: null, pace: null },
  ],
  groups: [],
  uncategorizedSpent: 1_199,
  thresholdsCrossed: [
    { scope: 'budget', categoryId: null, threshold: 50 },
    { scope: 'category', categoryId: 'a', threshold: 100 },
    { scope: 'budget', categoryId: null, threshold: 80 },
  ],
  pace: PACE,
  ...over,
});

describe('headlineOf', () => {
  it("reads the summary's figures: the highest budget-wide threshold, categories strictly over their limit, the budget's pace", () => {
    expect(headlineOf(summary())).toEqual({
      period: { start: '2026-11-01', end: '2026-11-30' },
      limit: 10_000,
      carriedOver: 500,
      spent: 8_200,
      remaining: 2_300,
      percentUsed: 82,
      alertLevel: 80,
      categoriesOver: 1,
      targetsBehind: 0,
      pace: { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 8_400, status: 'on-track', dailyAllowance: 328 },
    });
  });

  it('counts the categories whose target is behind (not funded, not on track)', () => {
    const target = (status: 'funded' | 'on-track' | 'behind') => ({ amount: 5_000, by: '2027-01-31', periodsLeft: 3, neededPerPeriod: 1_500, status });
    const base = summary().categories;
    const withTargets = summary({
      categories: [
        { ...base[0]!, target: target('behind') },
        { ...base[1]!, target: target('on-track') },
        { ...base[2]!, target: target('behind') },
      ],
    });
    expect(headlineOf(withTargets).targetsBehind).toBe(2);
    expect(headlineOf(summary({ categories: [{ ...base[0]!, target: target('funded') }] })).targetsBehind).toBe(0);
  });

  it('no budget-wide threshold reached: alertLevel null, even when a category reached one', () => {
    const only = summary({ thresholdsCrossed: [{ scope: 'category', categoryId: 'a', threshold: 100 }] });
    expect(headlineOf(only).alertLevel).toBeNull();
  });
});

describe('percentUsed', () => {
  it('rounds down, passes 100, and is null with a zero limit', () => {
    expect(percentUsed(0, 10_000)).toBe(0);
    expect(percentUsed(7_999, 10_000)).toBe(79);
    expect(percentUsed(8_000, 10_000)).toBe(80);
    expect(percentUsed(25_000, 10_000)).toBe(250);
    expect(percentUsed(5, 0)).toBeNull();
  });

  it('rounds down net refunds too (negative spending): -1.5% is -2, not -1', () => {
    expect(percentUsed(-150, 10_000)).toBe(-2);
    expect(percentUsed(-100, 10_000)).toBe(-1);
    expect(percentUsed(-1, 10_000)).toBe(-1);
  });

  it('agrees with the alert thresholds: T reached exactly when percentUsed >= T', () => {
    for (const [spent, limit] of [[7_999, 10_000], [8_000, 10_000], [1, 3], [2, 3], [333, 1_000], [Number.MAX_SAFE_INTEGER, 3]] as const) {
      for (const t of [1, 33, 66, 67, 80, 100, 1000]) expect(percentUsed(spent, limit)! >= t).toBe(isCrossed(spent, limit, t));
    }
  });
});
