import { describe, expect, it } from 'vitest';
import { insightFigures, insightRanges, spendingInsights } from './spending-insights';
import { testBudget } from './test-budget';

describe('insightFigures', () => {
  it('this month 312.00 by day 10 against 200.00/215.00/230.00: usual 215.00, +97.00, +45.1%, above', () => {
    expect(insightFigures(31_200, [20_000, 21_500, 23_000], 1_000)).toEqual({
      spentSoFar: 31_200,
      usualSoFar: 21_500,
      difference: 9_700,
      changePercent: 45.1,
      status: 'above',
    });
  });

  it('averages the exact sum, rounded a half away from zero', () => {
    expect(insightFigures(0, [1_000, 0, 0], 1_000)?.usualSoFar).toBe(333);
    expect(insightFigures(0, [2_000, 0, 0], 1_000)?.usualSoFar).toBe(667);
    expect(insightFigures(0, [1, 0], 1_000)?.usualSoFar).toBe(1);
    expect(insightFigures(0, [-1, 0], 1_000)?.usualSoFar).toBe(-1);
  });

  it('gives no changePercent against a usual of 0; new spending past the floor is above', () => {
    expect(insightFigures(5_000, [0, 0, 0], 1_000)).toEqual({ spentSoFar: 5_000, usualSoFar: 0, difference: 5_000, changePercent: null, status: 'above' });
    expect(insightFigures(500, [0, 0, 0], 1_000)?.status).toBe('usual');
  });

  it('is usual without any previous period, whatever was spent', () => {
    expect(insightFigures(100_000, [], 0)).toEqual({ spentSoFar: 100_000, usualSoFar: 0, difference: 100_000, changePercent: null, status: 'usual' });
  });

  it('is below at 75% of usual and at least the floor less, usual just above it', () => {
    expect(insightFigures(7_500, [10_000], 1_000)).toEqual({ spentSoFar: 7_500, usualSoFar: 10_000, difference: -2_500, changePercent: -25, status: 'below' });
    expect(insightFigures(7_600, [10_000], 1_000)?.status).toBe('usual');
    expect(insightFigures(7_500, [10_000], 2_501)?.status).toBe('usual');
  });

  it('needs both the 125% and the floor to be above; no difference is usual even with a floor of 0', () => {
    expect(insightFigures(1_250, [1_000], 1_000)?.status).toBe('usual');
    expect(insightFigures(1_250, [1_000], 250)?.status).toBe('above');
    expect(insightFigures(1_249, [1_000], 0)?.status).toBe('usual');
    expect(insightFigures(0, [0], 0)?.status).toBe('usual');
  });

  it('rounds changePercent to one decimal, a half away from zero', () => {
    // 1 / 2000 = 0.05%: 0.1; -1 / 2000: -0.1; 2 / 3000 = 0.0666..%: 0.1.
    expect(insightFigures(2_001, [2_000], 1_000)?.changePercent).toBe(0.1);
    expect(insightFigures(1_999, [2_000], 1_000)?.changePercent).toBe(-0.1);
    expect(insightFigures(3_002, [3_000], 1_000)?.changePercent).toBe(0.1);
  });

  it('gives null when the difference could not be given exactly', () => {
    expect(insightFigures(Number.MAX_SAFE_INTEGER, [-Number.MAX_SAFE_INTEGER], 1_000)).toBeNull();
  });

  it('gives null when the spending compared is past 2^53 - 1 (a sum of totals shards, already rounded), however small the difference', () => {
    expect(insightFigures(2 ** 53, [2 ** 53], 1_000)).toBeNull();
    expect(insightFigures(2 ** 53, [1_000], 1_000)).toBeNull();
    expect(insightFigures(1_000, [2 ** 53, 0], 1_000)).toBeNull();
    expect(insightFigures(-(2 ** 53), [-(2 ** 53)], 1_000)).toBeNull();
    // At the limit itself every figure is still exact.
    expect(insightFigures(Number.MAX_SAFE_INTEGER, [Number.MAX_SAFE_INTEGER], 1_000)).toEqual({
      spentSoFar: Number.MAX_SAFE_INTEGER,
      usualSoFar: Number.MAX_SAFE_INTEGER,
      difference: 0,
      changePercent: 0,
      status: 'usual',
    });
  });
});

describe('insightRanges', () => {
  it("cuts each previous period to the date's day of the period; a shorter February counts whole", () => {
    expect(insightRanges('monthly', '2026-03-31', 3, '2025-01-01')).toEqual({
      period: { start: '2026-03-01', end: '2026-03-31' },
      dayOfPeriod: 31,
      current: { from: '2026-03-01', to: '2026-03-31' },
      previous: [
        { from: '2025-12-01', to: '2025-12-31' },
        { from: '2026-01-01', to: '2026-01-31' },
        { from: '2026-02-01', to: '2026-02-28' },
      ],
    });
    expect(insightRanges('monthly', '2026-03-30', 1, '2025-01-01').previous).toEqual([{ from: '2026-02-01', to: '2026-02-28' }]);
    expect(insightRanges('monthly', '2026-03-10', 2, '2025-01-01')).toMatchObject({
      dayOfPeriod: 10,
      current: { from: '2026-03-01', to: '2026-03-10' },
      previous: [
        { from: '2026-01-01', to: '2026-01-10' },
        { from: '2026-02-01', to: '2026-02-10' },
      ],
    });
  });

  it("leaves out the periods before the budget's first", () => {
    expect(insightRanges('monthly', '2026-03-10', 3, '2026-02-01').previous).toEqual([{ from: '2026-02-01', to: '2026-02-10' }]);
    expect(insightRanges('monthly', '2026-03-10', 3, '2026-03-01').previous).toEqual([]);
  });

  it("compares a yearly budget's day with the same day of the previous years, a weekly one's with the previous weeks", () => {
    // 29 February 2028 is the year's 60th day; the 60th of 2026 and 2027 is 1 March.
    expect(insightRanges('yearly', '2028-02-29', 2, '2020-01-01')).toMatchObject({
      dayOfPeriod: 60,
      current: { from: '2028-01-01', to: '2028-02-29' },
      previous: [
        { from: '2026-01-01', to: '2026-03-01' },
        { from: '2027-01-01', to: '2027-03-01' },
      ],
    });
    // Thursday 12 November 2026: day 4 of the week of Monday 9 November.
    expect(insightRanges('weekly', '2026-11-12', 2, '2020-01-01')).toMatchObject({
      dayOfPeriod: 4,
      previous: [
        { from: '2026-10-26', to: '2026-10-29' },
        { from: '2026-11-02', to: '2026-11-05' },
      ],
    });
  });
});

describe('spendingInsights', () => {
  const budget = testBudget({
    categories: [
      { id: 'rent', name: 'Rent', hidden: true },
      { id: 'dining', name: 'Dining' },
    ],
  });
  const ranges = insightRanges('monthly', '2026-04-10', 3, '2026-01-01');

  it('gives the total, each category and the uncategorized line (a removed category in it), by difference', () => {
    const insights = spendingInsights(
      budget,
      ranges,
      '2026-04-10',
      {
        // "gone" was removed from the budget: its 700 is uncategorized (3,000 + 700).
        current: { total: 39_900, byCategory: { dining: 31_200, rent: 5_000, gone: 700 }, uncategorized: 3_000 },
        previous: [
          { total: 30_000, byCategory: { dining: 20_000, rent: 5_000 }, uncategorized: 5_000 },
          { total: 31_500, byCategory: { dining: 21_500, rent: 5_000 }, uncategorized: 5_000 },
          { total: 33_000, byCategory: { dining: 23_000, rent: 5_000 }, uncategorized: 5_000 },
        ],
      },
      1_000,
    );
    // Total: usual 94,500 / 3 = 31,500; +8,400 = 26.666..% -> 26.7; 39,900 >= 39,375 (125%): above.
    // Uncategorized: usual 5,000; -1,300 = -26.0%; 3,700 <= 3,750 (75%): below.
    expect(insights).toEqual({
      periodStart: '2026-04-01',
      periodEnd: '2026-04-30',
      date: '2026-04-10',
      dayOfPeriod: 10,
      periods: 3,
      total: { categoryId: null, name: 'Total', spentSoFar: 39_900, usualSoFar: 31_500, difference: 8_400, changePercent: 26.7, status: 'above' },
      categories: [
        { categoryId: 'dining', name: 'Dining', spentSoFar: 31_200, usualSoFar: 21_500, difference: 9_700, changePercent: 45.1, status: 'above' },
        { categoryId: 'rent', name: 'Rent', hidden: true, spentSoFar: 5_000, usualSoFar: 5_000, difference: 0, changePercent: 0, status: 'usual' },
        { categoryId: 'uncategorized', name: 'Uncategorized', spentSoFar: 3_700, usualSoFar: 5_000, difference: -1_300, changePercent: -26, status: 'below' },
      ],
    });
  });

  it('leaves out the uncategorized line without any uncategorized spending; without previous periods every line is usual', () => {
    const quiet = { total: 0, byCategory: {}, uncategorized: 0 };
    const young = insightRanges('monthly', '2026-01-20', 3, '2026-01-01');
    const insights = spendingInsights(budget, young, '2026-01-20', { current: { total: 9_000, byCategory: { dining: 9_000 }, uncategorized: 0 }, previous: [] }, 1_000);
    expect(insights?.periods).toBe(0);
    expect(insights?.total).toEqual({ categoryId: null, name: 'Total', spentSoFar: 9_000, usualSoFar: 0, difference: 9_000, changePercent: null, status: 'usual' });
    expect(insights?.categories.map((c) => [c.categoryId, c.status])).toEqual([
      ['dining', 'usual'],
      ['rent', 'usual'],
    ]);
    expect(spendingInsights(budget, ranges, '2026-04-10', { current: quiet, previous: [quiet, quiet, quiet] }, 1_000)?.categories).toHaveLength(2);
  });
});
