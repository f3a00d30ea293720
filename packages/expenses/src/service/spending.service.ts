import { deleteInSteps, isCalendarDate, isCalendarMonth, type Clock, type ModuleStore } from '@budgeting/platform';
import type { DateRange, DayFigure, ForecastSpendingPort, MerchantRanking, MerchantSpending, MonthRange, PaidByMember, ScheduledSpending, SpendingPort, SpendingTotals, TotalsAndCashFlow, TotalsAndDays } from '@budgeting/budgets';
import { BudgetDataRepository } from '../repository/budget-data.repository';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { SpendingReads } from '../repository/spending-reads.repository';
import type { TotalsRepository } from '../repository/totals.repository';
import { rankMerchants } from '../domain/merchants';

/**
 * The expenses module's spending: what the budgets module may ask (its SpendingPort), read
 * from the running-total buckets (never the expenses) but for a report's top merchants and the
 * settle-up balances' payers, plus
 * removal of a deleted budget's data, which only this module calls (on budget.deleted). The
 * forecast's scheduled spending reads the recurring definitions (service/scheduled.service.ts).
 */
export interface ExpensesSpending extends SpendingPort {
  totalsOfRanges(budgetId: string, ranges: DateRange[]): Promise<SpendingTotals[]>;
  monthTotalsByKey(budgetId: string, month: string): Promise<SpendingTotals>;
  /**
   * Removes every expense (and running total, and recurring expense) of a budget; idempotent.
   * No time limit: for tests and operators. The budget.deleted cascade uses the same slices
   * in bounded steps across invocations (jobs/budget-data-cleanup.ts).
   */
  deleteAllForBudget(budgetId: string): Promise<void>;
}

export function createSpending(
  store: ModuleStore,
  /** Loaded on first use (create-module.ts): the summary and threshold reads need only the totals. */
  expenses: () => Promise<Pick<ExpensesRepository, 'closeBudget'>>,
  /** The reports' reads of the range's expenses, loaded on first use as `expenses`. */
  reads: () => Promise<SpendingReads>,
  totals: TotalsRepository,
  clock: Clock,
  /** Loaded on first use too: the forecast's reader of recurring definitions (scheduled.service.ts). */
  scheduled: () => Promise<ForecastSpendingPort>,
): ExpensesSpending {
  return {
    async totalsBetween(budgetId: string, from: string, to: string): Promise<SpendingTotals> {
      assertRange('totalsBetween', from, to);
      if (from > to) return { total: 0, byCategory: {}, uncategorized: 0 };
      return totals.between(budgetId, from, to);
    },

    /** One Query of the months the ranges span (TotalsRepository.betweenEach). */
    async totalsOfRanges(budgetId: string, ranges: DateRange[]): Promise<SpendingTotals[]> {
      for (const { from, to } of ranges) assertRange('totalsOfRanges', from, to);
      return totals.betweenEach(budgetId, ranges);
    },

    async monthTotalsByKey(budgetId: string, month: string): Promise<SpendingTotals> {
      if (!isCalendarMonth(month)) throw new Error(`monthTotalsByKey: not a month: ${month}`);
      return totals.monthByKey(budgetId, month);
    },

    /** The same one Query as totalsOfRanges, `days` widening it like one more range (TotalsRepository.betweenEachAndDays). */
    async totalsAndDays(budgetId: string, ranges: DateRange[], days: DateRange, of?: DayFigure): Promise<TotalsAndDays> {
      for (const { from, to } of [...ranges, days]) assertRange('totalsAndDays', from, to);
      return totals.betweenEachAndDays(budgetId, ranges, days, of);
    },

    totalsAndCashFlow: (budgetId, ranges, days, months, totalsOf = []) => totalsAndCashFlow(totals, budgetId, ranges, days, months, totalsOf),

    async topMerchants(budgetId: string, from: string, to: string, limit: number): Promise<MerchantSpending[]> {
      assertRange('topMerchants', from, to);
      if (from > to) return [];
      return rankMerchants(await (await reads()).amountsAndMerchants(budgetId, from, to), limit);
    },

    /** The settle-up balances' payers and sharing sets: SpendingReads.paidByRecorder (a walk of the range's expenses, bounded). */
    async paidByMember(budgetId: string, from: string, to: string, maxExpenses: number): Promise<PaidByMember> {
      assertRange('paidByMember', from, to);
      if (!Number.isSafeInteger(maxExpenses) || maxExpenses < 1) throw new RangeError(`paidByMember: bad maxExpenses ${maxExpenses}`);
      if (from > to) return { paid: {}, sharedBy: [], owedExactly: {}, examined: 0, tooMany: false };
      return (await reads()).paidByRecorder(budgetId, from, to, maxExpenses);
    },

    merchantsRanked: (budgetId, from, to, limit, maxExpenses) => merchantsRanked(reads, budgetId, from, to, limit, maxExpenses),

    async scheduledBetween(budgetId: string, from: string, to: string, upcomingLimit: number): Promise<ScheduledSpending> {
      return (await scheduled()).scheduledBetween(budgetId, from, to, upcomingLimit);
    },

    /**
     * Idempotent: each call re-reads what is left, so a retry after a failure finishes the job.
     * The budget is closed first, so no expense (nor recurring expense, nor occurrence of one)
     * can be recorded behind the cleanup's back. The expense partition also holds the budget's
     * recurring expenses (whose due entries are attributes of theirs) and occurrence markers.
     */
    async deleteAllForBudget(budgetId: string): Promise<void> {
      await (await expenses()).closeBudget(budgetId, clock.now());
      const data = new BudgetDataRepository(store);
      await deleteInSteps(store, () => data.slice(budgetId, 1_000), Number.POSITIVE_INFINITY);
    },
  };
}

/**
 * The same one Query as totalsAndDays, widened to `months` and `totalsOf` (TotalsRepository.betweenEachDaysAndMonths,
 * asked for the months they span together), and those months' cash flow, and each of `totalsOf`'s
 * figures of the sums, by GET .../cash-flow's own arithmetic (domain/cash-flow.ts cashFlowOf).
 */
async function totalsAndCashFlow(
  totals: TotalsRepository,
  budgetId: string,
  ranges: DateRange[],
  days: DateRange | null,
  months: MonthRange,
  totalsOf: readonly MonthRange[],
): Promise<TotalsAndCashFlow> {
  for (const { from, to } of days ? [...ranges, days] : ranges) assertRange('totalsAndCashFlow', from, to);
  for (const range of [months, ...totalsOf]) {
    if (!isCalendarMonth(range.from) || !isCalendarMonth(range.to) || range.from > range.to) {
      throw new RangeError(`totalsAndCashFlow needs a month range, got ${range.from}..${range.to}`);
    }
  }
  // Every month asked, in one span: the Query reads each month's items once, whichever ranges hold it.
  const span = totalsOf.reduce((acc, r) => ({ from: r.from < acc.from ? r.from : acc.from, to: r.to > acc.to ? r.to : acc.to }), months);
  // The cash flow's math loads on first use, off the summary's cold path (as the income routes load it).
  const [read, { cashFlowOf, cashFlowIsExact, figuresAreExact, shownFigures }] = await Promise.all([
    totals.betweenEachDaysAndMonths(budgetId, ranges, days, span),
    import('../domain/cash-flow'),
  ]);
  const flow = cashFlowOf(read.months, months.from, months.to);
  const more = totalsOf.map((r) => cashFlowOf(read.months, r.from, r.to).total);
  // `totalsOf` answers sums without a rate (CashFlowSums): only the sums need to be exact.
  const exact = cashFlowIsExact(flow) && more.every((f) => figuresAreExact({ ...f, savingsRate: null }));
  return {
    totals: read.totals,
    days: read.days,
    monthsIncome: flow.months.map(({ figures }) => (figures.income <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(figures.income) : null)),
    cashFlow: exact
      ? {
          months: flow.months.map((m) => ({ month: m.month, ...shownFigures(m.figures) })),
          total: shownFigures(flow.total),
          ...(totalsOf.length > 0 ? { totalsOf: more.map((f) => ({ income: Number(f.income), spent: Number(f.spent), net: Number(f.net) })) } : {}),
        }
      : null,
  };
}

/**
 * The year in review's merchants: the spending breakdown's walk (SpendingReads.spendingRows,
 * bounded by `maxExpenses`) into its by-merchant grouping (domain/spending-breakdown.ts, loaded
 * on first use: off the summary's cold path), the expenses without a merchant and merchants at
 * or below 0 (refunds only) left out.
 */
async function merchantsRanked(
  reads: () => Promise<SpendingReads>,
  budgetId: string,
  from: string,
  to: string,
  limit: number,
  maxExpenses: number,
): Promise<MerchantRanking> {
  assertRange('merchantsRanked', from, to);
  if (!Number.isSafeInteger(maxExpenses) || maxExpenses < 1) throw new RangeError(`merchantsRanked: bad maxExpenses ${maxExpenses}`);
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`merchantsRanked: bad limit ${limit}`);
  if (from > to) return { merchants: [], expenses: 0, tooMany: false };
  const [{ SpendingBreakdown }, repository] = await Promise.all([import('../domain/spending-breakdown'), reads()]);
  const breakdown = new SpendingBreakdown('merchant');
  const read = await repository.spendingRows(budgetId, from, to, maxExpenses, (rows) => {
    for (const row of rows) breakdown.add(row);
  });
  if (read.tooMany) return { merchants: [], expenses: read.examined, tooMany: true };
  // A merchant's sum past 2^53 - 1 (another's refunds keeping the total small) is already rounded: no ranking of it.
  if (breakdown.exceedsSafeIntegers()) return { merchants: [], expenses: read.examined, tooMany: false, inexact: true };
  // One more than asked: the group of expenses without a merchant (key "") may be among the first.
  const result = breakdown.result(limit + 1);
  const merchants = result.items
    .filter((g) => g.key !== '' && g.label !== null && g.amount > 0)
    .slice(0, limit)
    .map((g) => ({ merchant: g.label!, spent: g.amount, count: g.count }));
  return { merchants, expenses: result.count, tooMany: false };
}


function assertRange(method: string, from: string, to: string): void {
  if (!isCalendarDate(from) || !isCalendarDate(to)) {
    throw new RangeError(`${method} needs calendar dates, got ${from}..${to}`);
  }
}
