import { describe, expect, it } from 'vitest';
import type { ScheduledOccurrence } from '../contract';
import { NOTHING_SCHEDULED } from './forecast-math';
import { BILLS_LISTED, perDayOf, safeToSpendIsExact, safeToSpendOf } from './safe-to-spend';
import type { BudgetSummary } from './summary-math';

/** November, rollover: limit 100,000 + 20,000 carried = 120,000 available, 45,000 spent. */
const summary: BudgetSummary = {
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  limit: 100_000,
  carriedOver: 20_000,
  available: 120_000,
  spent: 45_000,
  remaining: 75_000,
  categories: [
    // A rollover category: its summary line has available = 30,000 + 5,000.
    { categoryId: 'home', name: 'Home', limit: 30_000, group: null, carriedOver: 5_000, available: 35_000, spent: 10_000, remaining: 25_000 },
    { categoryId: 'fun', name: 'Fun', limit: 8_000, group: null, spent: 7_000, remaining: 1_000 },
    { categoryId: 'misc', name: 'Misc', limit: null, group: null, spent: 3_000, remaining: null },
  ],
  groups: [],
  uncategorizedSpent: 25_000,
  thresholdsCrossed: [],
};

const notAPlan = { count: null, paymentsLeft: null, paymentNumber: null };
const bill = (id: string, occurredOn: string, amount: number, categoryId: string | null, more: Partial<ScheduledOccurrence> = {}): ScheduledOccurrence => ({
  recurringExpenseId: id,
  occurredOn,
  amount,
  categoryId,
  ...notAPlan,
  ...more,
});

describe('perDayOf', () => {
  it('rounds down, in integers', () => {
    expect(perDayOf(47_500, 21)).toBe(2_261); // 21 x 2,261 = 47,481, 19 left over
    expect(perDayOf(21, 21)).toBe(1);
    expect(perDayOf(20, 21)).toBe(0);
    expect(perDayOf(1_000, 1)).toBe(1_000);
  });

  it('is 0 when nothing is safe or no day is left', () => {
    expect(perDayOf(0, 10)).toBe(0);
    expect(perDayOf(-10_000, 10)).toBe(0);
    expect(perDayOf(5_000, 0)).toBe(0);
  });

  it('stays exact at 2^53 - 1', () => {
    // 9,007,199,254,740,991 / 3 = 3,002,399,751,580,330.33...
    expect(perDayOf(Number.MAX_SAFE_INTEGER, 3)).toBe(3_002_399_751_580_330);
    // 9,007,199,254,740,991 / 7 = 1,286,742,750,677,284.43...
    expect(perDayOf(Number.MAX_SAFE_INTEGER, 7)).toBe(1_286_742_750_677_284);
  });
});

describe('safeToSpendOf', () => {
  it('subtracts the bills from remaining, the budget and each limited category; uncategorized, no-limit and removed-category bills only from the budget', () => {
    const s = safeToSpendOf(
      summary,
      {
        // home 20,000 (rent), fun 1,500 (a split part), misc 2,000 (no limit), gone 700 (removed), uncategorized 4,000 + 500 (the split's other part)
        total: 28_700,
        byCategory: { home: 20_000, fun: 1_500, misc: 2_000, gone: 700 },
        uncategorized: 4_500,
        upcoming: [
          bill('r-rent', '2026-11-28', 20_000, 'home', { description: 'Rent' }),
          bill('r-split', '2026-11-20', 2_000, null, { splits: [{ categoryId: 'fun', amount: 1_500 }, { categoryId: null, amount: 500 }], merchant: 'Club' }),
          bill('r-gone', '2026-11-21', 700, 'gone'),
        ],
        upcomingTruncated: true,
        occurrences: 6,
      },
      '2026-11-11',
      20,
    );
    // 75,000 - 28,700 = 46,300; / 20 = 2,315 exactly.
    expect(s).toMatchObject({ periodStart: '2026-11-01', periodEnd: '2026-11-30', date: '2026-11-11', available: 120_000, spent: 45_000, remaining: 75_000 });
    expect(s).toMatchObject({ safeToSpend: 46_300, daysLeft: 20, perDay: 2_315 });
    expect(s.upcomingBills.total).toBe(28_700);
    expect(s.upcomingBills.count).toBe(6);
    expect(s.categories).toEqual([
      // 25,000 - 20,000 = 5,000; / 20 = 250. Available is the rollover line's.
      { categoryId: 'home', name: 'Home', available: 35_000, spent: 10_000, remaining: 25_000, upcomingBills: 20_000, safeToSpend: 5_000, perDay: 250 },
      // 1,000 - 1,500 = -500: short, nothing a day.
      { categoryId: 'fun', name: 'Fun', available: 8_000, spent: 7_000, remaining: 1_000, upcomingBills: 1_500, safeToSpend: -500, perDay: 0 },
    ]);
    // Listed as the forecast lists them: a removed category is null; dueOn is the occurrence's date.
    expect(s.upcomingBills.items).toEqual([
      { recurringExpenseId: 'r-rent', description: 'Rent', categoryId: 'home', dueOn: '2026-11-28', amount: 20_000, ...notAPlan },
      { recurringExpenseId: 'r-split', merchant: 'Club', categoryId: null, splits: [{ categoryId: 'fun', amount: 1_500 }, { categoryId: null, amount: 500 }], dueOn: '2026-11-20', amount: 2_000, ...notAPlan },
      { recurringExpenseId: 'r-gone', categoryId: null, dueOn: '2026-11-21', amount: 700, ...notAPlan },
    ]);
    expect(safeToSpendIsExact(s)).toBe(true);
  });

  it('goes negative when the bills take more than is left: perDay 0', () => {
    const s = safeToSpendOf(summary, { total: 80_000, byCategory: {}, uncategorized: 80_000, upcoming: [], upcomingTruncated: true, occurrences: 1 }, '2026-11-30', 1);
    expect(s).toMatchObject({ remaining: 75_000, safeToSpend: -5_000, daysLeft: 1, perDay: 0 });
  });

  it('starts from a negative remaining (an overspent period)', () => {
    const overspent = { ...summary, spent: 130_000, remaining: -10_000 };
    const s = safeToSpendOf(overspent, { total: 1_000, byCategory: {}, uncategorized: 1_000, upcoming: [], upcomingTruncated: true, occurrences: 1 }, '2026-11-11', 20);
    expect(s).toMatchObject({ safeToSpend: -11_000, perDay: 0 });
  });

  it('without bills, or once the period has ended: safeToSpend is remaining; no day left: perDay 0', () => {
    const s = safeToSpendOf(summary, NOTHING_SCHEDULED, '2026-11-30', 0);
    expect(s).toMatchObject({ safeToSpend: 75_000, daysLeft: 0, perDay: 0, upcomingBills: { total: 0, count: 0, items: [] } });
    expect(s.categories.map((c) => [c.safeToSpend, c.perDay])).toEqual([
      [25_000, 0],
      [1_000, 0],
    ]);
  });

  it(`lists at most ${BILLS_LISTED} bills; count and total cover them all`, () => {
    const upcoming = Array.from({ length: 60 }, (_, i) => bill(`r${String(i).padStart(2, '0')}`, '2026-11-20', 10, null));
    const s = safeToSpendOf(summary, { total: 600, byCategory: {}, uncategorized: 600, upcoming, upcomingTruncated: false, occurrences: 60 }, '2026-11-11', 20);
    expect(s.upcomingBills.items).toHaveLength(50);
    expect(s.upcomingBills).toMatchObject({ total: 600, count: 60 });
    expect(s.safeToSpend).toBe(74_400);
  });

  it('flags amounts past 2^53 - 1 as inexact', () => {
    const s = safeToSpendOf({ ...summary, remaining: -Number.MAX_SAFE_INTEGER }, { total: 10, byCategory: {}, uncategorized: 10, upcoming: [], upcomingTruncated: true, occurrences: 1 }, '2026-11-11', 20);
    expect(safeToSpendIsExact(s)).toBe(false);
  });
});
