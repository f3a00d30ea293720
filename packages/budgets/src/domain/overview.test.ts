import { describe, expect, it } from 'vitest';
import { headlineOf, percentUsed } from './overview';
import { isCrossed, type BudgetSummary } from './summary-math';

const summary = (over: Partial<BudgetSummary> = {}): BudgetSummary => ({
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  limit: 10_000,
  carriedOver: 500,
  available: 10_500,
  spent: 8_200,
  remaining: 2_300,
  categories: [
    { categoryId: 'a', name: 'A', limit: 1_000, group: null, spent: 1_001, remaining: -1 },
    { categoryId: 'b', name: 'B', limit: 1_000, group: null, spent: 1_000, remaining: 0 },
    { categoryId: 'c', name: 'C', limit: null, group: null, spent: 5_000, remaining: null },
  ],
  groups: [],
  uncategorizedSpent: 1_199,
  thresholdsCrossed: [
    { scope: 'budget', categoryId: null, threshold: 50 },
    { scope: 'category', categoryId: 'a', threshold: 100 },
    { scope: 'budget', categoryId: null, threshold: 80 },
  ],
  ...over,
});

describe('headlineOf', () => {
  it("reads the summary's figures: the highest budget-wide threshold, categories strictly over their limit", () => {
    expect(headlineOf(summary())).toEqual({
      period: { start: '2026-11-01', end: '2026-11-30' },
      limit: 10_000,
      carriedOver: 500,
      spent: 8_200,
      remaining: 2_300,
      percentUsed: 82,
      alertLevel: 80,
      categoriesOver: 1,
    });
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

  it('agrees with the alert thresholds: T reached exactly when percentUsed >= T', () => {
    for (const [spent, limit] of [[7_999, 10_000], [8_000, 10_000], [1, 3], [2, 3], [333, 1_000], [Number.MAX_SAFE_INTEGER, 3]] as const) {
      for (const t of [1, 33, 66, 67, 80, 100, 1000]) expect(percentUsed(spent, limit)! >= t).toBe(isCrossed(spent, limit, t));
    }
  });
});
