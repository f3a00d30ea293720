import { addDays, fixedClock } from '@budgeting/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BudgetPeriod, DateRange, SpendingTotals, SummarySpendingPort } from '../contract';
import type { Budget, Category, PeriodLimit } from '../model';
import type { AccessService } from '../service/access';
import { SummaryService } from '../service/summary.service';
import { budgetInPeriod, clearPeriodLimits, isRefusal, isSetRefusal, limitInPeriod, limitsSum, MAX_PERIOD_LIMITS, moveMoney, normalizePeriodLimits, periodLimitsForCopy, setPeriodLimit } from './period-limits';
import { periodContaining, periodsBetween } from './periods';
import { crossingsNow } from './thresholds';
import { testBudget } from './test-budget';

/** Per-period category limits (packages/budgets/docs/periods-and-limits.md "Move money"): every expectation below is worked out by hand. */
const budget = testBudget;

const food: Category = { id: 'food', name: 'Food', limit: 500, rollover: true, rolloverSince: '2026-03-01' };
const fun: Category = { id: 'fun', name: 'Fun', limit: 300 };
const misc: Category = { id: 'misc', name: 'Misc' };
const april = { start: '2026-04-01', end: '2026-04-30' };
const may = { start: '2026-05-01', end: '2026-05-31' };

describe('budgetInPeriod', () => {
  const b = budget({
    categories: [food, fun, misc],
    periodLimits: [
      { periodStart: '2026-04-01', categoryId: 'food', limit: 400 },
      { periodStart: '2026-04-01', categoryId: 'fun', limit: 400 },
      { periodStart: '2026-06-01', categoryId: 'fun', limit: 0 },
    ],
  });

  it("gives each category its override for the period, else its own limit; nothing else changes", () => {
    const seen = budgetInPeriod(b, april);
    expect(seen.categories.map((c) => [c.id, c.limit])).toEqual([
      ['food', 400],
      ['fun', 400],
      ['misc', undefined],
    ]);
    expect(seen.categories[0]).toEqual({ ...food, limit: 400 });
    expect(seen.limit).toBe(10_000);
    expect(budgetInPeriod(b, { start: '2026-06-01' }).categories.map((c) => c.limit)).toEqual([500, 0, undefined]);
    // The stored budget is not changed.
    expect(b.categories[0]!.limit).toBe(500);
  });

  it('is the very same budget in a period without overrides', () => {
    expect(budgetInPeriod(b, may)).toBe(b);
    expect(budgetInPeriod(budget({ categories: [food] }), may).categories[0]!.limit).toBe(500);
  });

  it('limitInPeriod agrees with it', () => {
    expect(limitInPeriod(b, 'food', '2026-04-01')).toBe(400);
    expect(limitInPeriod(b, 'food', '2026-05-01')).toBe(500);
    expect(limitInPeriod(b, 'misc', '2026-04-01')).toBeUndefined();
    expect(limitInPeriod(b, 'gone', '2026-04-01')).toBeUndefined();
  });
});

describe('normalizePeriodLimits', () => {
  it('drops overrides equal to the limit, of removed categories and of categories without a limit; last one wins; sorted', () => {
    expect(
      normalizePeriodLimits(
        [food, fun, misc],
        [
          { periodStart: '2026-05-01', categoryId: 'fun', limit: 100 },
          { periodStart: '2026-04-01', categoryId: 'gone', limit: 100 },
          { periodStart: '2026-04-01', categoryId: 'misc', limit: 100 },
          { periodStart: '2026-04-01', categoryId: 'food', limit: 500 },
          { periodStart: '2026-04-01', categoryId: 'fun', limit: 200 },
          { periodStart: '2026-04-01', categoryId: 'fun', limit: 250 },
        ],
      ),
    ).toEqual([
      { periodStart: '2026-04-01', categoryId: 'fun', limit: 250 },
      { periodStart: '2026-05-01', categoryId: 'fun', limit: 100 },
    ]);
  });

  it("keeps a category's overrides of the periods before its limit was removed (before its last history entry), and only those", () => {
    // Misc had 300 until May (its limit removed in May): April's override stays, May's and June's go.
    const history = [{ before: '2026-05-01', categoryId: 'misc', limit: 300 }];
    const overrides = [
      { periodStart: '2026-03-01', categoryId: 'misc', limit: 300 },
      { periodStart: '2026-04-01', categoryId: 'misc', limit: 450 },
      { periodStart: '2026-05-01', categoryId: 'misc', limit: 450 },
      { periodStart: '2026-06-01', categoryId: 'misc', limit: 450 },
    ];
    expect(normalizePeriodLimits([food, fun, misc], overrides, history)).toEqual([{ periodStart: '2026-04-01', categoryId: 'misc', limit: 450 }]);
    // Without history (removed with "allPeriods"): no period keeps a limit, so none stays.
    expect(normalizePeriodLimits([food, fun, misc], overrides)).toEqual([]);
    // And the period sees it: April 450, May none.
    const b = budget({ categories: [food, fun, misc], periodLimits: [{ periodStart: '2026-04-01', categoryId: 'misc', limit: 450 }], limitHistory: history });
    expect(budgetInPeriod(b, april).categories[2]!.limit).toBe(450);
    expect(budgetInPeriod(b, may).categories[2]!.limit).toBeUndefined();
  });
});

describe('moveMoney', () => {
  const b = budget({ categories: [food, fun, misc] });

  it('lowers from and raises to in that period only', () => {
    const moved = moveMoney(b, '2026-04-01', 'food', 'fun', 100);
    expect(moved).toEqual({
      periodLimits: [
        { periodStart: '2026-04-01', categoryId: 'food', limit: 400 },
        { periodStart: '2026-04-01', categoryId: 'fun', limit: 400 },
      ],
      from: { categoryId: 'food', before: 500, after: 400 },
      to: { categoryId: 'fun', before: 300, after: 400 },
    });
  });

  it('moving back removes the overrides; a second move starts from the period limits', () => {
    const once = moveMoney(b, '2026-04-01', 'food', 'fun', 100);
    if (isRefusal(once)) throw new Error('refused');
    const back = moveMoney({ ...b, periodLimits: once.periodLimits }, '2026-04-01', 'fun', 'food', 100);
    expect(back).toMatchObject({ periodLimits: [] });
    const twice = moveMoney({ ...b, periodLimits: once.periodLimits }, '2026-04-01', 'food', 'fun', 400);
    expect(twice).toMatchObject({
      periodLimits: [
        { periodStart: '2026-04-01', categoryId: 'food', limit: 0 },
        { periodStart: '2026-04-01', categoryId: 'fun', limit: 800 },
      ],
    });
  });

  it('refuses naming the field', () => {
    expect(moveMoney(b, '2026-04-01', 'food', 'food', 1)).toMatchObject({ field: 'to' });
    expect(moveMoney(b, '2026-04-01', 'nope', 'fun', 1)).toMatchObject({ field: 'from' });
    expect(moveMoney(b, '2026-04-01', 'food', 'nope', 1)).toMatchObject({ field: 'to' });
    expect(moveMoney(b, '2026-04-01', 'misc', 'fun', 1)).toMatchObject({ field: 'from' });
    expect(moveMoney(b, '2026-04-01', 'food', 'misc', 1)).toMatchObject({ field: 'to' });
    expect(moveMoney(b, '2026-04-01', 'food', 'fun', 501)).toMatchObject({ field: 'amount' });
    expect(isRefusal(moveMoney(b, '2026-04-01', 'food', 'fun', 500))).toBe(false);
  });

  it(`holds at most ${MAX_PERIOD_LIMITS} overrides, but a full budget can still move back`, () => {
    // 120 months x 2 categories = 240 overrides.
    const full: PeriodLimit[] = [];
    let start = '2010-01-01';
    for (let i = 0; i < 120; i++) {
      full.push({ periodStart: start, categoryId: 'food', limit: 499 }, { periodStart: start, categoryId: 'fun', limit: 301 });
      start = addDays(periodContaining('monthly', start).end, 1);
    }
    const atCap = { ...b, periodLimits: normalizePeriodLimits(b.categories, full) };
    expect(atCap.periodLimits).toHaveLength(MAX_PERIOD_LIMITS);
    expect(moveMoney(atCap, '2026-04-01', 'food', 'fun', 1)).toMatchObject({ field: 'periodLimits' });
    // Within a period already overridden, and back to the limits: allowed.
    expect(moveMoney(atCap, '2010-01-01', 'food', 'fun', 1)).toMatchObject({ periodLimits: expect.any(Array) });
    expect((moveMoney(atCap, '2010-01-01', 'fun', 'food', 1) as { periodLimits: unknown[] }).periodLimits).toHaveLength(MAX_PERIOD_LIMITS - 2);
  });
});

describe('setPeriodLimit', () => {
  const b = budget({ categories: [food, fun, misc], periodLimits: [{ periodStart: '2026-04-01', categoryId: 'fun', limit: 250 }] });

  it("sets one category's limit in one period, the others untouched, sorted", () => {
    expect(setPeriodLimit(b, '2026-04-01', 'food', 650)).toEqual({
      periodLimits: [
        { periodStart: '2026-04-01', categoryId: 'food', limit: 650 },
        { periodStart: '2026-04-01', categoryId: 'fun', limit: 250 },
      ],
      before: 500,
      after: 650,
    });
    // Over an existing override: replaced (250 before); 0 is a limit.
    expect(setPeriodLimit(b, '2026-04-01', 'fun', 0)).toEqual({ periodLimits: [{ periodStart: '2026-04-01', categoryId: 'fun', limit: 0 }], before: 250, after: 0 });
    // Another period of the same category: a second entry, earlier one first.
    expect(setPeriodLimit(b, '2026-03-01', 'fun', 100)).toMatchObject({
      periodLimits: [
        { periodStart: '2026-03-01', categoryId: 'fun', limit: 100 },
        { periodStart: '2026-04-01', categoryId: 'fun', limit: 250 },
      ],
    });
  });

  it("equal to the category's own limit removes the override; equal to the current one changes nothing", () => {
    expect(setPeriodLimit(b, '2026-04-01', 'fun', 300)).toEqual({ periodLimits: [], before: 250, after: 300 });
    expect(setPeriodLimit(b, '2026-04-01', 'fun', 250)).toEqual({ periodLimits: b.periodLimits, before: 250, after: 250 });
    expect(setPeriodLimit(b, '2026-05-01', 'food', 500)).toEqual({ periodLimits: b.periodLimits, before: 500, after: 500 });
  });

  it('refuses a category the budget does not have, or one without a limit, naming categoryId', () => {
    expect(setPeriodLimit(b, '2026-04-01', 'nope', 1)).toMatchObject({ field: 'categoryId', message: 'Not a category of this budget' });
    expect(setPeriodLimit(b, '2026-04-01', 'misc', 1)).toMatchObject({ field: 'categoryId' });
    expect(isSetRefusal(setPeriodLimit(b, '2026-04-01', 'misc', 1))).toBe(true);
  });

  it(`refuses an entry past ${MAX_PERIOD_LIMITS}, pointing at DELETE; changing or removing one at the cap is allowed`, () => {
    const full: PeriodLimit[] = [];
    let start = '2000-01-01';
    for (let i = 0; i < MAX_PERIOD_LIMITS; i++) {
      full.push({ periodStart: start, categoryId: 'food', limit: 1 });
      start = addDays(periodContaining('monthly', start).end, 1);
    }
    const atCap = { ...b, periodLimits: full };
    const refused = setPeriodLimit(atCap, '2026-04-01', 'fun', 1);
    expect(refused).toMatchObject({ field: 'periodLimits' });
    expect((refused as { message: string }).message).toContain('DELETE /v1/budgets/{budgetId}/period-limits');
    expect(setPeriodLimit(atCap, '2000-01-01', 'food', 2)).toMatchObject({ before: 1, after: 2 });
    expect((setPeriodLimit(atCap, '2000-01-01', 'food', 500) as { periodLimits: unknown[] }).periodLimits).toHaveLength(MAX_PERIOD_LIMITS - 1);
  });
});

describe('clearPeriodLimits', () => {
  const list: PeriodLimit[] = [
    { periodStart: '2026-03-01', categoryId: 'food', limit: 400 },
    { periodStart: '2026-03-01', categoryId: 'fun', limit: 400 },
    { periodStart: '2026-04-01', categoryId: 'food', limit: 600 },
    { periodStart: '2026-05-01', categoryId: 'fun', limit: 200 },
  ];
  const [marFood, marFun, aprFood, mayFun] = list as [PeriodLimit, PeriodLimit, PeriodLimit, PeriodLimit];

  it('removes those of periods starting before `before` (not on it), of one category when given', () => {
    expect(clearPeriodLimits(list, { before: '2026-04-01' })).toEqual({ periodLimits: [aprFood, mayFun], removed: [marFood, marFun] });
    // A day inside April: April starts before it.
    expect(clearPeriodLimits(list, { before: '2026-04-15' })).toEqual({ periodLimits: [mayFun], removed: [marFood, marFun, aprFood] });
    expect(clearPeriodLimits(list, { before: '2026-05-01', categoryId: 'food' })).toEqual({ periodLimits: [marFun, mayFun], removed: [marFood, aprFood] });
  });

  it('removes all (of the category) without `before`; nothing to remove leaves the list as it was', () => {
    expect(clearPeriodLimits(list, {})).toEqual({ periodLimits: [], removed: list });
    expect(clearPeriodLimits(list, { categoryId: 'fun' })).toEqual({ periodLimits: [marFood, aprFood], removed: [marFun, mayFun] });
    expect(clearPeriodLimits(list, { before: '2026-03-01' })).toEqual({ periodLimits: list, removed: [] });
    expect(clearPeriodLimits(undefined, {})).toEqual({ periodLimits: [], removed: [] });
  });
});

describe('limitsSum (fast-check against a period-by-period loop)', () => {
  const kinds: BudgetPeriod[] = ['weekly', 'monthly', 'yearly'];
  /** The naive sum: each period from `from` to before `before`, its override or the base limit. */
  function naive(kind: BudgetPeriod, overrides: PeriodLimit[], categoryId: string, limit: number, from: string, before: string): bigint {
    let sum = 0n;
    for (let p = periodContaining(kind, from); p.start < before; p = periodContaining(kind, addDays(p.end, 1))) {
      const o = overrides.find((x) => x.categoryId === categoryId && x.periodStart === p.start);
      sum += BigInt(o ? o.limit : limit);
    }
    return sum;
  }

  it('equals the loop for any overrides, base limit and range', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.record({ offset: fc.integer({ min: -5, max: 50 }), cat: fc.constantFrom('a', 'b'), limit: fc.integer({ min: 0, max: 1_000_000_000_000 }) }), { maxLength: 30 }),
        (kind, limit, startOffset, length, raw) => {
          const nth = (n: number) => {
            let p = periodContaining(kind, '2024-02-14');
            for (let i = 0; i < Math.abs(n); i++) p = periodContaining(kind, n > 0 ? addDays(p.end, 1) : addDays(p.start, -1));
            return p.start;
          };
          const from = nth(startOffset);
          const before = nth(startOffset + length);
          const overrides = normalizePeriodLimits(
            [
              { id: 'a', limit },
              { id: 'b', limit: 7 },
            ],
            raw.map((r) => ({ periodStart: nth(r.offset), categoryId: r.cat, limit: r.limit })),
          );
          const periods = periodsBetween(kind, from, before);
          expect(periods).toBe(length);
          expect(limitsSum(overrides, 'a', limit, from, before, periods)).toBe(naive(kind, overrides, 'a', limit, from, before));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A SummaryService over a list of expenses (no reads but the totals). */
function summaries(b: Budget, spends: { on: string; categoryId: string | null; amount: number }[]) {
  const totals = ({ from, to }: DateRange): SpendingTotals => {
    const t: SpendingTotals = { total: 0, byCategory: {}, uncategorized: 0 };
    for (const s of spends) {
      if (s.on < from || s.on > to) continue;
      t.total += s.amount;
      if (s.categoryId === null) t.uncategorized += s.amount;
      else t.byCategory[s.categoryId] = (t.byCategory[s.categoryId] ?? 0) + s.amount;
    }
    return t;
  };
  const spending: SummarySpendingPort = {
    totalsBetween: async (_id, from, to) => totals({ from, to }),
    totalsOfRanges: async (_id, ranges) => ranges.map(totals),
  };
  const access = { require: async () => ({ budget: b, role: 'owner' as const }) } as unknown as AccessService;
  const service = new SummaryService(access, spending, fixedClock('2026-06-15T12:00:00Z'));
  return (date: string) => service.summary('b1', 'u1', date);
}

describe('the summary of a budget with moved money', () => {
  // Food 500 a month rolling over since March, Fun 300. In April 100 moved from Food to Fun.
  const moved = budget({
    categories: [food, fun],
    periodLimits: [
      { periodStart: '2026-04-01', categoryId: 'food', limit: 400 },
      { periodStart: '2026-04-01', categoryId: 'fun', limit: 400 },
    ],
  });
  const spends = [
    { on: '2026-03-05', categoryId: 'food', amount: 300 },
    { on: '2026-04-10', categoryId: 'food', amount: 350 },
    { on: '2026-04-11', categoryId: 'fun', amount: 350 },
    { on: '2026-05-02', categoryId: 'food', amount: 50 },
  ];

  it("uses the period's limits in that period only, and carries each period's own limit", async () => {
    const summary = summaries(moved, spends);
    const aprilLines = (await summary('2026-04-15')).categories;
    // April: Food carries March's 500 - 300 = 200; its limit is 400: available 600, remaining 250.
    expect(aprilLines[0]).toMatchObject({ limit: 400, carriedOver: 200, available: 600, spent: 350, remaining: 250 });
    // Fun's limit is 400 in April: 350 of it is 87.5%, past 80% only (300 would have been past 100%).
    expect(aprilLines[1]).toMatchObject({ limit: 400, spent: 350, remaining: 50 });
    // May: the limits are back to 500 and 300; Food carries March 200 + April (400 - 350 = 50) = 250.
    const mayLines = (await summary('2026-05-15')).categories;
    expect(mayLines[0]).toMatchObject({ limit: 500, carriedOver: 250, available: 750, spent: 50, remaining: 700 });
    expect(mayLines[1]).toMatchObject({ limit: 300, spent: 0, remaining: 300 });
    // Without the move May would carry 200 + (500 - 350) = 350: the move is what changed it.
    expect((await summaries(budget({ categories: [food, fun] }), spends)('2026-05-15')).categories[0]).toMatchObject({ carriedOver: 350 });
  });

  it("thresholds are percents of the period's limit (summary and the subscriber's crossingsNow)", async () => {
    const summary = await summaries(moved, spends)('2026-04-15');
    expect(summary.thresholdsCrossed.filter((t) => t.categoryId === 'fun').map((t) => t.threshold)).toEqual([80]);
    const aprilTotals = { total: 700, byCategory: { food: 350, fun: 350 }, uncategorized: 0 };
    expect(crossingsNow(budgetInPeriod(moved, april), aprilTotals).filter((c) => c.categoryId === 'fun')).toEqual([
      { scope: 'category', categoryId: 'fun', threshold: 80, spent: 350, limit: 400 },
    ]);
    // With the stored budget (the limit of every other period), 350 of 300 would cross 100% too.
    expect(crossingsNow(moved, aprilTotals).filter((c) => c.categoryId === 'fun').map((c) => c.threshold)).toEqual([80, 100]);
  });
});

describe('periodLimitsForCopy', () => {
  const source = {
    period: 'monthly' as BudgetPeriod,
    categories: [
      { id: 'food', name: 'Food', limit: 10_000 },
      { id: 'fun', name: 'Fun', limit: 5_000 },
      { id: 'gone', name: 'Gone', limit: 1_000 },
    ],
    periodLimits: [
      { periodStart: '2026-10-01', categoryId: 'food', limit: 12_000 },
      { periodStart: '2026-11-01', categoryId: 'food', limit: 9_000 },
      { periodStart: '2026-11-01', categoryId: 'fun', limit: 6_000 },
      { periodStart: '2026-11-01', categoryId: 'gone', limit: 2_000 },
      { periodStart: '2027-01-01', categoryId: 'fun', limit: 4_000 },
    ],
  };
  // The copy's categories: new ids, same names (case aside); "Gone" is not there.
  const copy = { period: 'monthly' as BudgetPeriod, categories: [{ id: 'f2', name: 'FOOD', limit: 10_000 }, { id: 'u2', name: 'Fun', limit: 5_000 }] };

  it("carries the overrides of the copy's first period and later, under the copy's category of the same name", () => {
    expect(periodLimitsForCopy(source, copy, '2026-11-01')).toEqual([
      { periodStart: '2026-11-01', categoryId: 'f2', limit: 9_000 },
      { periodStart: '2026-11-01', categoryId: 'u2', limit: 6_000 },
      { periodStart: '2027-01-01', categoryId: 'u2', limit: 4_000 },
    ]);
    expect(periodLimitsForCopy(source, copy, '2027-02-01')).toEqual([]);
  });

  it('carries none to another period kind, and drops one equal to the copy category\'s limit', () => {
    expect(periodLimitsForCopy(source, { ...copy, period: 'weekly' }, '2026-11-02')).toEqual([]);
    const otherLimit = { ...copy, categories: [{ id: 'f2', name: 'Food', limit: 9_000 }] };
    expect(periodLimitsForCopy(source, otherLimit, '2026-11-01')).toEqual([]);
  });

  it('keeps apart two categories of a budget stored before names were compared folded (the same nameKey): the first to the first, the second to the second', () => {
    // "Food" and fullwidth "Ｆｏｏｄ" were two names before nameKey folded compatibility forms (NFKC); the copy has both again, in the same order.
    const legacy = {
      period: 'monthly' as BudgetPeriod,
      categories: [
        { id: 'plain', name: 'Food', limit: 10_000 },
        { id: 'wide', name: 'Ｆｏｏｄ', limit: 20_000 },
      ],
      periodLimits: [
        { periodStart: '2026-11-01', categoryId: 'plain', limit: 11_000 },
        { periodStart: '2026-11-01', categoryId: 'wide', limit: 22_000 },
      ],
    };
    const twin = { period: 'monthly' as BudgetPeriod, categories: [{ id: 'plain2', name: 'Food', limit: 10_000 }, { id: 'wide2', name: 'Ｆｏｏｄ', limit: 20_000 }] };
    expect(periodLimitsForCopy(legacy, twin, '2026-11-01')).toEqual([
      { periodStart: '2026-11-01', categoryId: 'plain2', limit: 11_000 },
      { periodStart: '2026-11-01', categoryId: 'wide2', limit: 22_000 },
    ]);
  });
});
