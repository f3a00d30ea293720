import { dateInTimeZone, problems, type Clock, addDays } from '@budgeting/platform';
import type { DateRange, SpendingTotals, SummarySpendingPort } from '../contract';
import type { ThresholdsRepository } from '../repository/thresholds.repository';
import type { AccessService } from './access';
import type { Budget } from '../model';
import { firstPeriodOf, periodContaining, type Period } from '../domain/periods';
import { paceDays, withPace, type PacedSummary } from '../domain/pace-math';
import { carriedOverOfLimits, carryAmountsAreExact, summarize, summaryFiguresAreExact, type BudgetSummary } from '../domain/summary-math';
import { historicLimitsSum } from '../domain/limit-history';
import { budgetInPeriod } from '../domain/period-limits';
import { crossedInPeriod } from '../domain/thresholds';
import { categoryCarries } from '../domain/category-rollover';
import { isExact as targetIsExact } from '../domain/category-target';

const NOTHING: SpendingTotals = { total: 0, byCategory: {}, uncategorized: 0 };

/** The reads of one period's summary (see SummaryService.plan). */
export interface SummaryPlan {
  /** The spending to read: this period, then (with rollover) everything before it. */
  ranges: DateRange[];
  /** The summary, from the spending of `ranges` (same order). */
  summarize(totals: SpendingTotals[]): BudgetSummary;
}

/**
 * The summary of the period containing a date. Its cost is fixed whatever the number of
 * expenses: one read for the budget and the caller's membership (a BatchGetItem), then, in
 * parallel, ONE totalsOfRanges read of the running totals (this period; and with rollover,
 * everything before it since the budget's first period; with category rollover, each rollover
 * category's carrying start to the day before the period: all adjacent ranges, so the expenses
 * module answers them from one Query) and one Query for the thresholds already announced in
 * the period (thresholds.ts). Three requests in two round trips; the thresholds cannot join
 * the first BatchGetItem, as their keys depend on the budget's period and categories.
 */
export class SummaryService {
  constructor(
    private readonly access: AccessService,
    private readonly spending: SummarySpendingPort,
    private readonly clock: Clock,
    /** Announced thresholds; without it the summary lists only what spending reaches now. */
    private readonly thresholds?: Pick<ThresholdsRepository, 'forPeriod'>,
  ) {}

  async summary(budgetId: string, userId: string, date?: string): Promise<PacedSummary> {
    const { budget } = await this.access.require(budgetId, userId);
    return this.onDay(budget, date);
  }

  /**
   * GET .../summary's answer for a budget already read (no access check: the caller did it),
   * the period containing `date` (default: today in the budget's time zone): the totals and
   * the thresholds announced in the period, two requests in parallel, and the pace on `date`
   * (pace-math.ts: judged as a whole once the period has ended before today). The home
   * overview (overview.service.ts) reads each budget's current period through here, with the
   * one instant `now` of its whole answer, so its figures are the summary's by construction.
   */
  async onDay(budget: Budget, date?: string, now: Date = this.clock.now()): Promise<PacedSummary> {
    // One local date per call, as before: "today" was already needed whenever `date` was absent.
    const today = dateInTimeZone(now, budget.timezone);
    const day = date ?? today;
    const period = periodContaining(budget.period, day);
    const [summary, announced] = await Promise.all([
      this.ofPeriod(budget, period, 'query.date'),
      this.thresholds ? this.thresholds.forPeriod(budget.id, period) : Promise.resolve([]),
    ]);
    return withPace({ ...summary, thresholdsCrossed: crossedInPeriod(summary.thresholdsCrossed, announced) }, paceDays(period, day, today));
  }

  /**
   * The numbers of one period of a budget already read (no access check: the caller did it,
   * or it is the report job), with the thresholds that spending reaches now. `datePath`
   * names the input that chose the period, for the error of an inexact rollover amount.
   */
  async ofPeriod(budget: Budget, period: Period, datePath: string): Promise<BudgetSummary> {
    const [summary] = await this.ofPeriods(budget, [period], datePath);
    return summary!;
  }

  /**
   * The numbers of several periods of a budget already read (no access check), each exactly
   * as ofPeriod gives it, from ONE totalsOfRanges read of every period's plan's ranges (the
   * trends: consecutive periods and, with rollover, what lies before each, so one Query of the
   * months from the earliest to the latest serves them all). Same order as `periods`.
   */
  async ofPeriods(budget: Budget, periods: Period[], datePath: string): Promise<BudgetSummary[]> {
    return (await this.ofPeriodsAnd(budget, periods, [], datePath)).summaries;
  }

  /**
   * ofPeriods, and the spending of `extra` ranges (same order) from the SAME one totalsOf read:
   * the year in review's months, year and previous year ride along with its periods' plans (ranges
   * far from the periods also read what lies between them, see SummarySpendingPort.totalsOfRanges).
   * `read`: the one read instead of totalsOf, when the caller takes more from it (the year in
   * review: its months' income, CashFlowSpendingPort); it must answer each range as totalsOf does.
   */
  async ofPeriodsAnd(
    budget: Budget,
    periods: Period[],
    extra: DateRange[],
    datePath: string,
    read: (ranges: DateRange[]) => Promise<SpendingTotals[]> = (ranges) => this.totalsOf(budget.id, ranges),
  ): Promise<{ summaries: BudgetSummary[]; extra: SpendingTotals[] }> {
    const plans = periods.map((period) => this.plan(budget, period, datePath));
    const totals = await read([...plans.flatMap((plan) => plan.ranges), ...extra]);
    let next = 0;
    const summaries = plans.map((plan) => plan.summarize(totals.slice(next, (next += plan.ranges.length))));
    return { summaries, extra: totals.slice(next) };
  }

  /**
   * What the numbers of one period need read, and how they follow from it, apart: a caller
   * that reads more of the running totals (the report: its previous period and its days) asks
   * for `ranges` within its own read, then hands their answers (same order) to `summarize`.
   */
  plan(stored: Budget, period: Period, datePath: string): SummaryPlan {
    // THE one place a period's budget is resolved for every figure built on the summary (pace,
    // trends, forecast, reports, overview, limit suggestions): its own and its categories' limits
    // as seen in this period (limit history, then per-period overrides,
    // packages/budgets/docs/periods-and-limits.md "Move money"). Carries
    // sum each earlier period's own limit (from the same history and overrides on the item).
    const budget = budgetInPeriod(stored, period);
    // Rollover starts with the period in which the budget was created (in its time zone).
    const firstStart = firstPeriodOf(budget).start;
    const carries = budget.rollover && firstStart < period.start;
    // This period and, with rollover, everything before it: ranges that meet at period.start.
    const ranges: DateRange[] = [{ from: period.start, to: period.end }];
    if (carries) ranges.push({ from: firstStart, to: addDays(period.start, -1) });
    // Category rollover: one range per distinct start, each ending where the budget's does (the
    // day before the period), so they are adjacent to the period too and the same one Query of
    // the months from the earliest start to the period's end answers them all; a category that
    // carries from the budget's first period shares the budget's range.
    // From the STORED budget: its base limits, for the earlier periods without an override.
    const categoryCarriesIn = categoryCarries(stored, period);
    const rangeOfStart = new Map<string, number>(carries ? [[firstStart, 1]] : []);
    for (const carry of categoryCarriesIn) {
      if (!rangeOfStart.has(carry.from)) rangeOfStart.set(carry.from, ranges.push({ from: carry.from, to: addDays(period.start, -1) }) - 1);
    }
    const summarizeTotals = (totals: SpendingTotals[]): BudgetSummary => {
      if (totals.length !== ranges.length) throw new Error(`SummaryPlan.summarize: ${totals.length} totals for ${ranges.length} ranges`);
      const current = totals[0]!;
      const before = carries ? totals[1]! : NOTHING;
      // The budget's own limits of the earlier periods, each the one it had then (limit-history.ts).
      const limits = carries ? historicLimitsSum(budget.period, stored.limitHistory, undefined, stored.limit, firstStart, period.start) : 0n;
      const categoryCarried: Record<string, number> = {};
      let exact = carryAmountsAreExact(limits, budget.limit, before.total, current.total);
      for (const carry of categoryCarriesIn) {
        const spentBefore = totals[rangeOfStart.get(carry.from)!]!.byCategory[carry.categoryId] ?? 0;
        // This period's limit of the category (its override here, else its own): what `available` adds.
        const limitHere = budget.categories.find((c) => c.id === carry.categoryId)!.limit!;
        exact &&= carryAmountsAreExact(carry.limits, limitHere, spentBefore, current.byCategory[carry.categoryId] ?? 0);
        categoryCarried[carry.categoryId] = carriedOverOfLimits(carry.limits, spentBefore);
      }
      const tooFar = () =>
        problems.validation([
          {
            path: datePath,
            message: 'Too far from the start of this rollover budget: the carried-over amount would exceed 2^53 - 1 minor units',
          },
        ]);
      if (!exact) throw tooFar();
      const carried = carries ? carriedOverOfLimits(limits, before.total) : 0;
      const summary = summarize(budget, period, current, carried, categoryCarried);
      // A target's neededPerPeriod passes 2^53 - 1 only when its line's remaining is near -2^53;
      // a group's carriedOver sums its members' (each exact), which can pass it too.
      if (summary.categories.some((c) => c.target !== undefined && !targetIsExact(c.target))) throw tooFar();
      if (summary.groups.some((g) => g.available !== undefined && ![g.carriedOver!, g.available, g.remaining!].every(Number.isSafeInteger))) throw tooFar();
      // The period's own spending, summed over the totals shards, can pass 2^53 - 1 with no rollover at all.
      if (!summaryFiguresAreExact(summary)) {
        throw problems.validation([{ path: datePath, message: "This period's spending would exceed 2^53 - 1 minor units: it cannot be given exactly" }]);
      }
      return summary;
    };
    return { ranges, summarize: summarizeTotals };
  }

  /** One read for all ranges when the port offers it (one Query of the months they span); else one totalsBetween per range. Spending insights read through it too. */
  totalsOf(budgetId: string, ranges: DateRange[]): Promise<SpendingTotals[]> {
    if (this.spending.totalsOfRanges) return this.spending.totalsOfRanges(budgetId, ranges);
    return Promise.all(ranges.map(({ from, to }) => this.spending.totalsBetween(budgetId, from, to)));
  }
}
