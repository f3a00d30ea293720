import { describe, expect, it } from 'vitest';
import { forecastIsExact, forecastOf, NOTHING_SCHEDULED } from './forecast-math';
import type { BudgetSummary } from './summary-math';

const summary: BudgetSummary = {
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  limit: 10_000,
  carriedOver: 2_000,
  available: 12_000,
  spent: 3_000,
  remaining: 9_000,
  categories: [
    { categoryId: 'food', name: 'Food', limit: 5_000, group: null, spent: 2_000, remaining: 3_000 },
    { categoryId: 'fun', name: 'Fun', limit: null, group: null, spent: 0, remaining: null },
  ],
  groups: [],
  uncategorizedSpent: 1_000,
  thresholdsCrossed: [],
};

/** Not an installment plan: the three figures null, as the expenses module sends them. */
const notAPlan = { count: null, paymentsLeft: null, paymentNumber: null };

describe('forecastOf', () => {
  it('adds scheduled spending to the summary; a removed category is scheduled uncategorized', () => {
    const f = forecastOf(summary, {
      total: 4_500,
      byCategory: { food: 4_000, gone: 300 },
      uncategorized: 200,
      upcoming: [
        { recurringExpenseId: 'r1', occurredOn: '2026-11-20', amount: 300, categoryId: 'gone', ...notAPlan },
        { recurringExpenseId: 'r2', occurredOn: '2026-11-21', amount: 4_000, categoryId: 'food', ...notAPlan },
      ],
      upcomingTruncated: true,
      occurrences: 3,
    });
    expect(f).toMatchObject({ available: 12_000, spent: 3_000, scheduled: 4_500, projectedSpent: 7_500, projectedRemaining: 4_500, upcomingTruncated: true });
    expect(f.categories).toEqual([
      { categoryId: 'food', name: 'Food', limit: 5_000, group: null, spent: 2_000, scheduled: 4_000, projectedSpent: 6_000, projectedRemaining: -1_000 },
      { categoryId: 'fun', name: 'Fun', limit: null, group: null, spent: 0, scheduled: 0, projectedSpent: 0, projectedRemaining: null },
    ]);
    expect(f.uncategorized).toEqual({ spent: 1_000, scheduled: 500, projectedSpent: 1_500 });
    expect(f.upcoming.map((o) => o.categoryId)).toEqual([null, 'food']);
    expect(forecastIsExact(f)).toBe(true);
  });

  it('lists a split occurrence with its parts; a part in a removed category is listed uncategorized, the others keep theirs', () => {
    const splits = [
      { categoryId: 'food', amount: 600, description: 'bread' },
      { categoryId: 'gone', amount: 300 },
      { categoryId: null, amount: 100 },
    ];
    const f = forecastOf(summary, {
      total: 1_000,
      byCategory: { food: 600, gone: 300 },
      uncategorized: 100,
      upcoming: [{ recurringExpenseId: 'r1', occurredOn: '2026-11-20', amount: 1_000, categoryId: null, splits, ...notAPlan }],
      upcomingTruncated: false,
      occurrences: 1,
    });
    expect(f.categories.find((c) => c.categoryId === 'food')).toMatchObject({ scheduled: 600, projectedSpent: 2_600 });
    expect(f.uncategorized).toEqual({ spent: 1_000, scheduled: 400, projectedSpent: 1_400 });
    expect(f.upcoming).toEqual([
      {
        recurringExpenseId: 'r1',
        occurredOn: '2026-11-20',
        amount: 1_000,
        categoryId: null,
        splits: [{ categoryId: 'food', amount: 600, description: 'bread' }, { categoryId: null, amount: 300 }, { categoryId: null, amount: 100 }],
        ...notAPlan,
      },
    ]);
  });

  it('with nothing scheduled, projects the summary as it is', () => {
    const f = forecastOf(summary, NOTHING_SCHEDULED);
    expect(f).toMatchObject({ scheduled: 0, projectedSpent: 3_000, projectedRemaining: 9_000, upcoming: [], upcomingTruncated: false });
  });

  it('is not exact once a projected amount passes 2^53 - 1', () => {
    const big = Number.MAX_SAFE_INTEGER - 1_000;
    const f = forecastOf(summary, { ...NOTHING_SCHEDULED, total: big, uncategorized: big });
    expect(f.projectedSpent).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(forecastIsExact(f)).toBe(false);
  });
});

describe('forecastOf: category groups', () => {
  it("sums each group's forecast lines; projectedRemaining from the group's limit", () => {
    const grouped: BudgetSummary = {
      ...summary,
      categories: [
        { categoryId: 'food', name: 'Food', limit: 5_000, group: 'Everyday', spent: 2_000, remaining: 3_000 },
        { categoryId: 'fun', name: 'Fun', limit: null, group: 'Everyday', spent: 0, remaining: null },
        { categoryId: 'rent', name: 'Rent', limit: null, group: 'Bills', spent: 0, remaining: null },
      ],
      groups: [
        { name: 'Everyday', categoryIds: ['food', 'fun'], limit: 5_000, spent: 2_000, remaining: 3_000 },
        { name: 'Bills', categoryIds: ['rent'], limit: null, spent: 0, remaining: null },
      ],
    };
    const f = forecastOf(grouped, { total: 10_700, byCategory: { food: 400, fun: 300, rent: 10_000 }, uncategorized: 0, upcoming: [], upcomingTruncated: false, occurrences: 3 });
    expect(f.groups).toEqual([
      { name: 'Everyday', categoryIds: ['food', 'fun'], limit: 5_000, spent: 2_000, scheduled: 700, projectedSpent: 2_700, projectedRemaining: 2_300 },
      { name: 'Bills', categoryIds: ['rent'], limit: null, spent: 0, scheduled: 10_000, projectedSpent: 10_000, projectedRemaining: null },
    ]);
    expect(forecastIsExact(f)).toBe(true);
  });
});
