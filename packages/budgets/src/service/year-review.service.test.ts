import { fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { CashFlowSpendingPort, DateRange, MerchantRanking, MonthRange, SpendingTotals, SummarySpendingPort, TotalsAndCashFlow, YearReviewSpendingPort } from '../contract';
import { testBudget } from '../domain/test-budget';
import type { AccessService } from './access';
import { SummaryService } from './summary.service';
import { YEAR_REVIEW_MAX_EXPENSES, YearReviewService } from './year-review.service';

/** The port's cash flow of 2026 (its figures are the expenses module's; here only passed through): income in March only. */
const cashFlowOf2026: TotalsAndCashFlow['cashFlow'] = {
  months: Array.from({ length: 12 }, (_, i) => {
    const month = `2026-${String(i + 1).padStart(2, '0')}`;
    return i === 2 ? { month, income: 5_000, spent: 3_100, net: 1_900, savingsRate: 3_800 } : { month, income: 0, spent: 3_000, net: -3_000, savingsRate: null };
  }),
  total: { income: 5_000, spent: 36_500, net: -31_500, savingsRate: -63_000 },
  // The `totalsOf` asked: 2026's January-February, then 2025's (the figures made up, passed through).
  totalsOf: [
    { income: 5_000, spent: 6_200, net: -1_200 },
    { income: 4_000, spent: 6_000, net: -2_000 },
  ],
};

/** A budget created 10 January 2026 (UTC, monthly, limit 10,000), reviewed on 20 March 2026. */
function setup(ranking: MerchantRanking, cashFlow: TotalsAndCashFlow['cashFlow'] = cashFlowOf2026) {
  const budget = testBudget();
  const totalsCalls: DateRange[][] = [];
  const merchantCalls: unknown[][] = [];
  const monthCalls: (MonthRange | DateRange | null | readonly MonthRange[] | undefined)[][] = [];
  // 100 a day: each range's total says how many days it holds.
  const totalsOf = (ranges: DateRange[]): SpendingTotals[] =>
    ranges.map(({ from, to }) => {
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      return { total: 100 * days, byCategory: {}, uncategorized: 100 * days };
    });
  const port: SummarySpendingPort & YearReviewSpendingPort & CashFlowSpendingPort = {
    totalsBetween: () => Promise.reject(new Error('one totals read only')),
    totalsOfRanges: () => Promise.reject(new Error('the year in review reads its totals with the cash flow')),
    async totalsAndCashFlow(_id, ranges, days, months, sumsOf) {
      totalsCalls.push(ranges);
      monthCalls.push([days, months, sumsOf]);
      return { totals: totalsOf(ranges), days: [], cashFlow, monthsIncome: cashFlow?.months.map((m) => m.income) ?? [] };
    },
    async merchantsRanked(...args) {
      merchantCalls.push(args);
      return ranking;
    },
  };
  const access = { require: async () => ({ budget, role: 'viewer' as const }) } as unknown as AccessService;
  const clock = fixedClock('2026-03-20T12:00:00Z');
  return { service: new YearReviewService(access, new SummaryService(access, port, clock), port, clock), totalsCalls, merchantCalls, monthCalls };
}

describe('YearReviewService', () => {
  it('reads the totals once and walks the year for its merchants, bounded; past the bound merchants are null', async () => {
    const { service, totalsCalls, merchantCalls, monthCalls } = setup({ merchants: [], expenses: 20_001, tooMany: true });
    const review = await service.review('b1', 'u1', {});
    expect(totalsCalls).toHaveLength(1);
    // The same one read brings the year's twelve months of cash flow, no day figures, and the
    // sums of the ended months (January, February) of this year and the previous one.
    const compared = [{ from: '2026-01', to: '2026-02' }, { from: '2025-01', to: '2025-02' }];
    expect(monthCalls).toEqual([[null, { from: '2026-01', to: '2026-12' }, compared]]);
    expect(merchantCalls).toEqual([['b1', '2026-01-01', '2026-12-31', 5, YEAR_REVIEW_MAX_EXPENSES]]);
    expect(YEAR_REVIEW_MAX_EXPENSES).toBe(20_000);
    expect(review.merchants).toBeNull();
    expect(review).not.toHaveProperty('expenseCount');
    // 365 days at 100; January 31 x 100 = 3,100 against its limit of 10,000.
    expect(review.spent).toBe(36_500);
    expect(review.months[0]).toEqual({ month: '2026-01', spent: 3_100, limit: 10_000, underLimit: true, income: 0, net: -3_000, savingsRate: null });
    expect(review.months[2]).toEqual({ month: '2026-03', spent: 3_100, limit: 10_000, income: 5_000, net: 1_900, savingsRate: 3_800 });
    expect(review).toMatchObject({ income: 5_000, net: -31_500, savingsRate: -63_000 });
    // 1 January - 20 March (79 days) against 2025's same days (79): no change.
    // Income 5,000 against 4,000: +25 %; net -1,200 against -2,000: +800 of 2,000, +40 %.
    expect(review.comparedWithPreviousYear).toEqual({
      from: '2025-01-01',
      to: '2025-03-20',
      spent: 7_900,
      change: 0,
      cashFlow: { from: '2025-01', to: '2025-02', income: 4_000, incomeChange: 2_500, net: -2_000, netChange: 4_000 },
    });
    // January and February ended.
    expect(review.periodsWithinLimit).toEqual({ count: 2, of: 2 });
  });

  it('is a 422 when the cash flow cannot be given exactly (the port answers null past 2^53 - 1)', async () => {
    const { service } = setup({ merchants: [], expenses: 0, tooMany: false }, null);
    await expect(service.review('b1', 'u1', {})).rejects.toMatchObject({ status: 422 });
  });

  it("is a 422 when a merchant's spending cannot be given exactly (the port says so past 2^53 - 1), never a ranking without it", async () => {
    const { service } = setup({ merchants: [], expenses: 3, tooMany: false, inexact: true });
    await expect(service.review('b1', 'u1', {})).rejects.toMatchObject({ status: 422 });
  });

  it('refuses (400) a year before the creation year or after the current one', async () => {
    const { service } = setup({ merchants: [], expenses: 0, tooMany: false });
    for (const year of [2025, 2027]) {
      await expect(service.review('b1', 'u1', { year })).rejects.toMatchObject({ status: 400 });
    }
  });
});
