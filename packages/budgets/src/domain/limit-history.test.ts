import { describe, expect, it } from 'vitest';
import type { Budget, Category, LimitChange } from '../model';
import { historicLimitsSum, limitHistoryAfter, MAX_LIMIT_HISTORY, normalizeLimitHistory } from './limit-history';
import { budgetInPeriod, limitInPeriod, limitsSum, normalizePeriodLimits, setPeriodLimit } from './period-limits';
import { categoryCarries } from './category-rollover';
import { testBudget } from './test-budget';

/** Limit history: every expectation below is worked out by hand. */
const budget = testBudget;

const food: Category = { id: 'food', name: 'Food', limit: 500, rollover: true, rolloverSince: '2026-01-01' };
const fun: Category = { id: 'fun', name: 'Fun', limit: 300 };
const at = (start: string) => ({ start });

// The budget's limit: 8,000 until March, 9,000 in March and April, 10,000 (current) from May.
// Food: 400 until April, then 500 (current). Fun: no limit until June, then 300 (current).
const history: LimitChange[] = [
  { before: '2026-03-01', limit: 8_000 },
  { before: '2026-04-01', categoryId: 'food', limit: 400 },
  { before: '2026-05-01', limit: 9_000 },
  { before: '2026-06-01', categoryId: 'fun', limit: null },
];
const b = budget({ categories: [food, fun], limitHistory: history });

describe('budgetInPeriod with a limit history', () => {
  it("gives each period the budget's and categories' limits it had (null: no limit), the current ones from the last change on", () => {
    const limits = (start: string) => {
      const seen = budgetInPeriod(b, at(start));
      return [seen.limit, ...seen.categories.map((c) => c.limit)];
    };
    expect(limits('2026-01-01')).toEqual([8_000, 400, undefined]);
    expect(limits('2026-02-01')).toEqual([8_000, 400, undefined]);
    expect(limits('2026-03-01')).toEqual([9_000, 400, undefined]);
    expect(limits('2026-04-01')).toEqual([9_000, 500, undefined]);
    expect(limits('2026-05-01')).toEqual([10_000, 500, undefined]);
    expect(limits('2026-06-01')).toEqual([10_000, 500, 300]);
    expect('limit' in budgetInPeriod(b, at('2026-05-01')).categories[1]!).toBe(false);
  });

  it('is the same object when no entry lies after the period (nothing copied)', () => {
    expect(budgetInPeriod(b, at('2026-06-01'))).toBe(b);
    expect(budgetInPeriod(b, at('2026-09-01'))).toBe(b);
  });

  it("applies a period's override on top of the history (the override wins in its period only)", () => {
    const moved = budget({ ...b, periodLimits: [{ periodStart: '2026-02-01', categoryId: 'food', limit: 450 }] });
    expect(budgetInPeriod(moved, at('2026-02-01')).categories.map((c) => c.limit)).toEqual([450, undefined]);
    expect(budgetInPeriod(moved, at('2026-03-01')).categories.map((c) => c.limit)).toEqual([400, undefined]);
    expect(budgetInPeriod(moved, at('2026-02-01')).limit).toBe(8_000);
  });
});

describe('historicLimitsSum and limitsSum across changes', () => {
  it("sums the budget's own limits of January to June: 2 x 8,000 + 2 x 9,000 + 2 x 10,000 = 54,000", () => {
    expect(historicLimitsSum('monthly', history, undefined, 10_000, '2026-01-01', '2026-07-01')).toBe(54_000n);
    // From March to May only: 9,000 + 9,000.
    expect(historicLimitsSum('monthly', history, undefined, 10_000, '2026-03-01', '2026-05-01')).toBe(18_000n);
    // Without history: the current limit every period.
    expect(historicLimitsSum('monthly', undefined, undefined, 10_000, '2026-01-01', '2026-07-01')).toBe(60_000n);
  });

  it("sums a category's limits (0 where it had none), with an override replacing its period's limit", () => {
    // Food, January to June: 3 x 400 + 3 x 500 = 2,700.
    expect(limitsSum(undefined, 'food', 500, '2026-01-01', '2026-07-01', 6, b)).toBe(2_700n);
    // With February at 450 instead of 400: 2,750; and May at 0 instead of 500: 2,250.
    const overrides = [
      { periodStart: '2026-02-01', categoryId: 'food', limit: 450 },
      { periodStart: '2026-05-01', categoryId: 'food', limit: 0 },
    ];
    expect(limitsSum(overrides, 'food', 500, '2026-01-01', '2026-07-01', 6, b)).toBe(2_250n);
    // Fun, April to July: none in April and May, 300 in June and July.
    expect(limitsSum(undefined, 'fun', 300, '2026-04-01', '2026-08-01', 4, b)).toBe(600n);
    // Without the history argument: as before it existed, 6 x 500 less 50 (February) less 500 (May).
    expect(limitsSum(overrides, 'food', 500, '2026-01-01', '2026-07-01', 6)).toBe(2_450n);
  });

  it('makes category rollover carry the limits Food had then: into May, 3 x 400 + 500 = 1,700', () => {
    const [carry] = categoryCarries(b, { start: '2026-05-01', end: '2026-05-31' });
    expect(carry).toMatchObject({ categoryId: 'food', from: '2026-01-01', previousPeriods: 4, limits: 1_700n });
  });
});

describe('limitHistoryAfter (a PATCH)', () => {
  const before = budget({ categories: [food, fun] });
  const patched = (changes: Partial<Budget>) => ({ ...before, ...changes });

  it('records the previous limits of the targets changed, dated the current period', () => {
    const next = patched({ limit: 12_000, categories: [{ ...food, limit: 600 }, { id: 'fun', name: 'Fun' }, { id: 'new', name: 'New', limit: 50 }] });
    expect(limitHistoryAfter(before, next, 'currentPeriod', '2026-04-01', '2026-01-01')).toEqual([
      { before: '2026-04-01', limit: 10_000 },
      { before: '2026-04-01', categoryId: 'food', limit: 500 },
      { before: '2026-04-01', categoryId: 'fun', limit: 300 },
      { before: '2026-04-01', categoryId: 'new', limit: null },
    ]);
  });

  it('records nothing in the budget\'s first period, or for a limit unchanged', () => {
    expect(limitHistoryAfter(before, patched({ limit: 12_000 }), 'currentPeriod', '2026-01-01', '2026-01-01')).toEqual([]);
    expect(limitHistoryAfter(before, patched({ name: 'Other' }), 'currentPeriod', '2026-04-01', '2026-01-01')).toEqual([]);
  });

  it('keeps the older value on a second change in the same period, and drops it when changed back', () => {
    const once = budget({ ...before, limit: 12_000, limitHistory: [{ before: '2026-04-01', limit: 10_000 }] });
    expect(limitHistoryAfter(once, { ...once, limit: 15_000 }, 'currentPeriod', '2026-04-01', '2026-01-01')).toEqual([{ before: '2026-04-01', limit: 10_000 }]);
    expect(limitHistoryAfter(once, { ...once, limit: 10_000 }, 'currentPeriod', '2026-04-01', '2026-01-01')).toEqual([]);
    // A later period: a second entry (10,000 before April, 12,000 in April and May).
    expect(limitHistoryAfter(once, { ...once, limit: 15_000 }, 'currentPeriod', '2026-06-01', '2026-01-01')).toEqual([
      { before: '2026-04-01', limit: 10_000 },
      { before: '2026-06-01', limit: 12_000 },
    ]);
  });

  it("'allPeriods' records nothing and drops the changed targets' entries only", () => {
    const kept = budget({ ...before, limitHistory: [{ before: '2026-03-01', limit: 9_000 }, { before: '2026-03-01', categoryId: 'food', limit: 400 }] });
    expect(limitHistoryAfter(kept, { ...kept, limit: 11_000 }, 'allPeriods', '2026-04-01', '2026-01-01')).toEqual([{ before: '2026-03-01', categoryId: 'food', limit: 400 }]);
  });

  it('drops the entries of a category removed', () => {
    const kept = budget({ ...before, limitHistory: [{ before: '2026-03-01', categoryId: 'fun', limit: 100 }] });
    expect(limitHistoryAfter(kept, { ...kept, categories: [food] }, 'currentPeriod', '2026-04-01', '2026-01-01')).toEqual([]);
  });

  it('refuses to pass the cap while adding entries (undefined: the 422)', () => {
    const full: LimitChange[] = Array.from({ length: MAX_LIMIT_HISTORY }, (_, i) => ({ before: `20${String(10 + Math.floor(i / 12)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-01`, limit: i % 2 === 0 ? 1 : 2 }));
    const atCap = budget({ ...before, createdAt: '2000-01-10T09:00:00.000Z', limit: 3, limitHistory: full });
    expect(normalizeLimitHistory(atCap, full)).toHaveLength(MAX_LIMIT_HISTORY);
    expect(limitHistoryAfter(atCap, { ...atCap, limit: 4 }, 'currentPeriod', '2031-01-01', '2000-01-01')).toBeUndefined();
    // Changing it for all periods removes entries: accepted.
    expect(limitHistoryAfter(atCap, { ...atCap, limit: 4 }, 'allPeriods', '2031-01-01', '2000-01-01')).toEqual([]);
  });
});

describe('normalizeLimitHistory', () => {
  it('drops an entry equal to the value following it, and sorts by before, the budget first', () => {
    const next = budget({ limit: 10_000, categories: [food] });
    expect(
      normalizeLimitHistory(next, [
        { before: '2026-05-01', categoryId: 'food', limit: 400 },
        { before: '2026-05-01', limit: 10_000 }, // equal to the current: no effect
        { before: '2026-02-01', limit: 9_000 },
        { before: '2026-03-01', categoryId: 'food', limit: 400 }, // equal to the May entry: no effect
      ]),
    ).toEqual([
      { before: '2026-02-01', limit: 9_000 },
      { before: '2026-05-01', categoryId: 'food', limit: 400 },
    ]);
  });

  it("keeps the latest null entry of a category without a limit (given one and losing it in April): it dates the removal", () => {
    const next = budget({ categories: [food, { id: 'gifts', name: 'Gifts' }] });
    const history = [
      { before: '2026-02-01', categoryId: 'gifts', limit: null },
      { before: '2026-04-01', categoryId: 'gifts', limit: null },
    ];
    // February's has no effect (April's null follows it); April's stays.
    expect(normalizeLimitHistory(next, history)).toEqual([{ before: '2026-04-01', categoryId: 'gifts', limit: null }]);
    // So March's override (money moved into Gifts for March) stays, April's goes.
    const overrides = [
      { periodStart: '2026-03-01', categoryId: 'gifts', limit: 50 },
      { periodStart: '2026-04-01', categoryId: 'gifts', limit: 50 },
    ];
    expect(normalizePeriodLimits(next.categories, overrides, normalizeLimitHistory(next, history))).toEqual([overrides[0]]);
  });
});

describe('per-period overrides against the limit history', () => {
  it("compares an override with its period's limit THEN: February at 500 (Food had 400) is kept though 500 is Food's limit now", () => {
    const overrides = [
      { periodStart: '2026-02-01', categoryId: 'food', limit: 500 },
      { periodStart: '2026-02-01', categoryId: 'fun', limit: 100 },
      { periodStart: '2026-05-01', categoryId: 'food', limit: 500 }, // equal to May's 500: no effect
    ];
    expect(normalizePeriodLimits(b.categories, overrides, history)).toEqual([
      { periodStart: '2026-02-01', categoryId: 'food', limit: 500 },
      { periodStart: '2026-02-01', categoryId: 'fun', limit: 100 },
    ]);
    // Without the history (as before it): February's 500 is dropped as equal to Food's limit.
    expect(normalizePeriodLimits(b.categories, overrides)).toEqual([{ periodStart: '2026-02-01', categoryId: 'fun', limit: 100 }]);
  });

  it("starts a set or a move from the period's limit then (0 where the category had none)", () => {
    expect(limitInPeriod(b, 'food', '2026-02-01')).toBe(400);
    expect(limitInPeriod(b, 'fun', '2026-02-01')).toBe(0);
    const set = setPeriodLimit(b, '2026-02-01', 'food', 450);
    expect(set).toMatchObject({ before: 400, after: 450, periodLimits: [{ periodStart: '2026-02-01', categoryId: 'food', limit: 450 }] });
    // Set back to February's 400: the override goes (equal to the limit then), not kept as "not 500".
    expect(setPeriodLimit(b, '2026-02-01', 'food', 400)).toMatchObject({ before: 400, periodLimits: [] });
  });
});
