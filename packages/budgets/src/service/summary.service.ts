import { dateInTimeZone, problems, type Clock } from '@budgeting/platform';
import type { SpendingPort, SpendingTotals } from '../contract';
import type { ThresholdsRepository } from '../repository/thresholds.repository';
import type { AccessService } from './access';
import { addDays, periodContaining, periodsBetween } from './periods';
import { carriedOver, summarize, summaryAmountsAreExact, type BudgetSummary } from './summary-math';
import { crossedInPeriod } from './thresholds';

const NOTHING: SpendingTotals = { total: 0, byCategory: {}, uncategorized: 0 };

/**
 * The summary of the period containing a date. Its cost is fixed whatever the number of
 * expenses: one read for the budget and the caller's membership, then at most two
 * totalsBetween calls (this period; and with rollover, everything before it since the
 * budget's first period), which the expenses module answers from running totals; and in
 * parallel one Query for the thresholds already announced in the period (thresholds.ts).
 */
export class SummaryService {
  constructor(
    private readonly access: AccessService,
    private readonly spending: SpendingPort,
    private readonly clock: Clock,
    /** Announced thresholds; without it the summary lists only what spending reaches now. */
    private readonly thresholds?: Pick<ThresholdsRepository, 'forPeriod'>,
  ) {}

  async summary(budgetId: string, userId: string, date?: string): Promise<BudgetSummary> {
    const { budget } = await this.access.require(budgetId, userId);
    const day = date ?? dateInTimeZone(this.clock.now(), budget.timezone);
    const period = periodContaining(budget.period, day);
    // Rollover starts with the period in which the budget was created (in its time zone).
    const firstStart = periodContaining(budget.period, dateInTimeZone(new Date(budget.createdAt), budget.timezone)).start;
    const carries = budget.rollover && firstStart < period.start;

    const [current, before, announced] = await Promise.all([
      this.spending.totalsBetween(budgetId, period.start, period.end),
      carries ? this.spending.totalsBetween(budgetId, firstStart, addDays(period.start, -1)) : Promise.resolve(NOTHING),
      this.thresholds ? this.thresholds.forPeriod(budgetId, period) : Promise.resolve([]),
    ]);
    const previousPeriods = carries ? periodsBetween(budget.period, firstStart, period.start) : 0;
    if (!summaryAmountsAreExact(previousPeriods, budget.limit, before.total, current.total)) {
      throw problems.validation([
        {
          path: 'query.date',
          message: 'Too far from the start of this rollover budget: the carried-over amount would exceed 2^53 - 1 minor units',
        },
      ]);
    }
    const carried = carries ? carriedOver(previousPeriods, budget.limit, before.total) : 0;
    const summary = summarize(budget, period, current, carried);
    return { ...summary, thresholdsCrossed: crossedInPeriod(summary.thresholdsCrossed, announced) };
  }
}
