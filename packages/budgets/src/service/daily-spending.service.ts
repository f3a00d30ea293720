import { addDays, dateInTimeZone, problems, type Clock } from '@budgeting/platform';
import { UNCATEGORIZED_KEY, type DayFigure, type ReportSpendingPort } from '../contract';
import type { Budget } from '../model';
import { dayByDay, daysAreExact, type SpendingDay } from '../domain/daily-spending';
import { budgetInPeriod } from '../domain/period-limits';
import { periodContaining, type Period } from '../domain/periods';
import type { AccessService } from './access';

/** One period's days (see DailySpendingService.daily). */
export interface PeriodDays {
  start: string;
  end: string;
  /** The budget's limit, or the category's in this period (its per-period limit if one is set); null: a category without a limit. */
  limit: number | null;
  /** What the listed days add up to. */
  spent: number;
  days: SpendingDay[];
}

export interface DailySpending {
  budgetId: string;
  currency: string;
  categoryId?: string;
  period: PeriodDays;
  previous: PeriodDays;
}

/**
 * Spending by day of the period containing a date, and of the period before it, for the app's
 * "this period against the last" chart: every day of the previous period, and the days of this
 * one up to today in the budget's time zone (all of them once it has ended; none before it
 * starts; further, to the last day holding spending, when an expense is dated ahead, so that
 * `spent` is always the summary's), each with its running sum. Optionally one category's figures (split parts count in
 * their own categories, as in the summary), or with `categoryId` UNCATEGORIZED_KEY the summary's
 * uncategorized line (no limit).
 *
 * Cost, fixed whatever the number of expenses: the access BatchGetItem, then ONE Query of the
 * running totals' month items covering both periods (ReportSpendingPort.totalsAndDays: the
 * month items hold each day's figures), e.g. 2-3 months of a monthly budget.
 */
export class DailySpendingService {
  constructor(
    private readonly access: AccessService,
    private readonly spending: Pick<ReportSpendingPort, 'totalsAndDays'>,
    private readonly clock: Clock,
  ) {}

  async daily(budgetId: string, userId: string, query: { date?: string; categoryId?: string }): Promise<DailySpending> {
    const { budget } = await this.access.require(budgetId, userId);
    const { categoryId } = query;
    if (categoryId !== undefined && categoryId !== UNCATEGORIZED_KEY && !budget.categories.some((c) => c.id === categoryId)) {
      throw problems.validation([{ path: 'query.categoryId', message: `Not a category of this budget (nor "${UNCATEGORIZED_KEY}")` }]);
    }
    const today = dateInTimeZone(this.clock.now(), budget.timezone);
    const period = periodContaining(budget.period, query.date ?? today);
    const previous = periodContaining(budget.period, addDays(period.start, -1));
    const { days } = await this.spending.totalsAndDays(budget.id, [], { from: previous.start, to: period.end }, figureOf(budget, categoryId));
    const shown = (p: Period, today: string): PeriodDays => {
      // Through today, or a later day holding spending (an expense dated ahead): `spent` is then the summary's.
      const lastSpent = days.filter((d) => d.date >= p.start && d.date <= p.end).at(-1)?.date;
      const through = lastSpent !== undefined && lastSpent > today ? lastSpent : today;
      const list = dayByDay(days, p.start, through < p.end ? through : p.end);
      return { start: p.start, end: p.end, limit: limitOf(budget, p, categoryId), spent: list.at(-1)?.cumulative ?? 0, days: list };
    };
    const answer = { period: shown(period, today), previous: shown(previous, previous.end) };
    if (!daysAreExact(answer.period.days) || !daysAreExact(answer.previous.days)) {
      throw problems.validation([{ path: 'query.date', message: "This period's running sums would exceed 2^53 - 1 minor units: they cannot be given exactly" }]);
    }
    return { budgetId: budget.id, currency: budget.currency, ...(categoryId === undefined ? {} : { categoryId }), ...answer };
  }
}

/** Which day figures to read: the total, one category's, or the uncategorized line (removed categories in it, as in the summary). */
function figureOf(budget: Budget, categoryId: string | undefined): DayFigure | undefined {
  if (categoryId === undefined) return undefined;
  if (categoryId === UNCATEGORIZED_KEY) return { categoryId: null, keptCategories: budget.categories.map((c) => c.id) };
  return { categoryId };
}

/** The budget's limit, or the category's in that period (null: it has none, as the uncategorized line never has). */
function limitOf(budget: Budget, period: Period, categoryId: string | undefined): number | null {
  // As the summary sees the period (limit history and overrides: period-limits.ts budgetInPeriod).
  const seen = budgetInPeriod(budget, period);
  if (categoryId === undefined) return seen.limit;
  if (categoryId === UNCATEGORIZED_KEY) return null;
  return seen.categories.find((c) => c.id === categoryId)?.limit ?? null;
}
