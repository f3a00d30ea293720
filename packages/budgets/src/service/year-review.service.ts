import { dateInTimeZone, problems, type Clock } from '@budgeting/platform';
import type { BudgetPeriod, CashFlowSums, CashFlowSpendingPort, DateRange, MerchantSpending, TotalsAndCashFlow, YearReviewSpendingPort } from '../contract';
import { creationDateOf, firstPeriodOf } from '../domain/periods';
import {
  TOP,
  biggestAndQuietest,
  changeOf,
  comparedMonths,
  comparisonRanges,
  monthsOf,
  periodsOfYear,
  periodsWithinLimit,
  topCategories,
  yearRange,
  type MonthFigure,
  type TopCategory,
} from '../domain/year-review';
import type { AccessService } from './access';
import type { SummaryService } from './summary.service';

/**
 * Expenses the merchants' walk examines at most: the spending breakdown's bound (packages/expenses/docs/insights.md
 * "Spending breakdown", SPENDING_MAX_EXPENSES), 55 expenses a day over a year. A year
 * holding more answers `merchants: null` (and no `expenseCount`), never a partial ranking.
 */
export const YEAR_REVIEW_MAX_EXPENSES = 20_000;

export interface YearReview {
  year: number;
  period: BudgetPeriod;
  currency: string;
  from: string;
  to: string;
  spent: number;
  /** The year's income, what was left of it (income - spent) and the share kept, as GET .../cash-flow gives the year's twelve months in total. */
  income: number;
  net: number;
  savingsRate: number | null;
  expenseCount?: number;
  months: (MonthFigure & { income: number; net: number; savingsRate: number | null })[];
  biggestMonth: { month: string; spent: number } | null;
  quietestMonth: { month: string; spent: number } | null;
  categories: TopCategory[];
  merchants: MerchantSpending[] | null;
  periodsWithinLimit: { count: number; of: number };
  comparedWithPreviousYear: { from: string; to: string; spent: number; change: number | null; cashFlow: ComparedCashFlow | null };
}

/**
 * The previous year's income and net over the same whole months (`from`, `to`: YYYY-MM, see
 * domain/year-review.ts comparedMonths), and this year's same months' change against each, in
 * basis points of |previous| (null from 0). Null when no month of the year has ended yet.
 */
export interface ComparedCashFlow {
  from: string;
  to: string;
  income: number;
  incomeChange: number | null;
  net: number;
  netChange: number | null;
}

/**
 * The year in review (GET /v1/budgets/{budgetId}/year-review): a year's spending, month by
 * month, its top categories and merchants, how many budget periods kept to their limit and how
 * it compares with the year before (domain/year-review.ts). Reads, whatever the number of
 * expenses but for the merchants: the access BatchGetItem, then in parallel ONE read of the
 * running totals, which also brings the months' income (CashFlowSpendingPort.totalsAndCashFlow,
 * through SummaryService.ofPeriodsAnd: the year's periods exactly as the summary and the trends
 * compute them, plus the months, the year and the compared ranges, one Query of the month items
 * from the previous year's January, or the budget's first period with rollover, to the year's
 * end) and the merchants' bounded walk of the year's expenses (YearReviewSpendingPort).
 */
export class YearReviewService {
  constructor(
    private readonly access: AccessService,
    private readonly summary: Pick<SummaryService, 'ofPeriodsAnd'>,
    private readonly spending: YearReviewSpendingPort & CashFlowSpendingPort,
    private readonly clock: Clock,
  ) {}

  async review(budgetId: string, userId: string, query: { year?: number }): Promise<YearReview> {
    const { budget } = await this.access.require(budgetId, userId);
    const today = dateInTimeZone(this.clock.now(), budget.timezone);
    const createdOn = creationDateOf(budget);
    const thisYear = Number(today.slice(0, 4));
    const firstYear = Math.min(Number(createdOn.slice(0, 4)), thisYear); // The creation day stays in its zone then (domain/periods.ts): moved west, it can be next year's.
    const year = query.year ?? thisYear;
    if (year < firstYear || year > thisYear) {
      throw problems.validation([{ path: 'query.year', message: `Must be a year of this budget, from ${firstYear} (its creation) to ${thisYear}` }]);
    }
    const first = firstPeriodOf(budget);
    const whole = yearRange(year);
    const months = monthsOf(year);
    const compared = comparisonRanges(year, today);
    // Income's comparison: the same whole months of both years, from the same one read (its Query
    // already spans the previous January to this December for the spending's compared days).
    const incomeMonths = comparedMonths(year, today);
    // Before its first period there was no budget to keep to: those periods are neither planned nor judged.
    const periods = periodsOfYear(budget.period, year).filter((p) => p.start >= first.start);
    // The one totals read, through the cash flow's port: its Query already holds the months' income items.
    let cashFlow: TotalsAndCashFlow['cashFlow'] = null;
    const read = async (ranges: DateRange[]) => {
      const answer = await this.spending.totalsAndCashFlow(
        budget.id,
        ranges,
        null,
        { from: months[0]!.month, to: months[11]!.month },
        incomeMonths ? [incomeMonths.current, incomeMonths.previous] : [],
      );
      cashFlow = answer.cashFlow;
      return answer.totals;
    };
    const [{ summaries, extra }, ranking] = await Promise.all([
      this.summary.ofPeriodsAnd(budget, periods, [...months, whole, compared.current, compared.previous], 'query.year', read),
      this.spending.merchantsRanked(budget.id, whole.from, whole.to, TOP, YEAR_REVIEW_MAX_EXPENSES),
    ]);
    const yearTotals = extra[12]!;
    const [current, previous] = [extra[13]!.total, extra[14]!.total];
    const change = changeOf(current, previous);
    const categories = topCategories(yearTotals, budget.categories, yearTotals.total);
    // The running totals keep each figure within 2^53 - 1; a change or a line summed here may not be.
    // Set inside `read` (TypeScript cannot see that the closure ran: the cast says so).
    const flow = cashFlow as TotalsAndCashFlow['cashFlow'];
    const comparedFlow = flow && incomeMonths ? comparedCashFlow(incomeMonths.previous, flow.totalsOf!) : null;
    const changes = [change, comparedFlow?.incomeChange ?? null, comparedFlow?.netChange ?? null];
    // Spending summed from the totals shards in numbers: each shard stays within 2^53 - 1, not their
    // sum, which is then already rounded. The cash flow's BigInt check covers the year's months, not
    // the previous year's compared days (its month under way, or all of them in January).
    const amounts = [yearTotals.total, current, previous, ...(categories ?? []).map((c) => c.spent)];
    if (changes.some((c) => c !== null && !Number.isSafeInteger(c)) || !amounts.every(Number.isSafeInteger) || categories === null || flow === null || ranking.inexact) {
      throw problems.unprocessable('A figure of this year passes 2^53 - 1 minor units (or basis points): it cannot be given exactly.');
    }
    // A monthly budget's months are its periods: each month shows that period's limit.
    const monthly = budget.period === 'monthly' ? new Map(summaries.map((s) => [s.periodStart.slice(0, 7), s])) : undefined;
    const monthFigures: YearReview['months'] = months.map(({ month, to }, i) => {
      const spent = extra[i]!.total;
      const { income, net, savingsRate } = flow.months[i]!;
      const period = monthly?.get(month);
      if (!period) return { month, spent, income, net, savingsRate };
      return { month, spent, limit: period.limit, ...(to < today ? { underLimit: spent <= period.limit } : {}), income, net, savingsRate };
    });
    return {
      year,
      period: budget.period,
      currency: budget.currency,
      from: whole.from,
      to: whole.to,
      spent: yearTotals.total,
      income: flow.total.income,
      net: flow.total.net,
      savingsRate: flow.total.savingsRate,
      ...(ranking.tooMany ? {} : { expenseCount: ranking.expenses }),
      months: monthFigures,
      ...biggestAndQuietest(monthFigures, today, createdOn.slice(0, 7)),
      categories,
      merchants: ranking.tooMany ? null : ranking.merchants,
      periodsWithinLimit: periodsWithinLimit(summaries, today, first.start),
      comparedWithPreviousYear: { from: compared.previous.from, to: compared.previous.to, spent: previous, change, cashFlow: comparedFlow },
    };
  }
}

/** The comparison of income and net from the port's `totalsOf` figures: [this year's months, the previous year's]. */
function comparedCashFlow(previousMonths: { from: string; to: string }, [current, previous]: CashFlowSums[]): ComparedCashFlow {
  return {
    from: previousMonths.from,
    to: previousMonths.to,
    income: previous!.income,
    incomeChange: changeOf(current!.income, previous!.income),
    net: previous!.net,
    netChange: changeOf(current!.net, previous!.net),
  };
}
