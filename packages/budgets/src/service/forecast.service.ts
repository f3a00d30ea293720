import { dateInTimeZone, problems, type Clock } from '@budgeting/platform';
import type { ForecastSpendingPort } from '../contract';
import { periodContaining } from '../domain/periods';
import { forecastIsExact, forecastOf, NOTHING_SCHEDULED, type BudgetForecast } from '../domain/forecast-math';
import type { AccessService } from './access';
import type { SummaryService } from './summary.service';

/** How many scheduled occurrences a forecast lists (the sums count them all). */
export const UPCOMING_LIMIT = 100;

/**
 * The forecast of the period containing a date: the summary's numbers (SummaryService.ofPeriod,
 * the same code and reads as GET /summary, less the announced-thresholds Query a forecast does
 * not show) plus what the budget's recurring expenses will still record in the period, asked of
 * the expenses module through ForecastSpendingPort. Reads: the access BatchGetItem, then in
 * parallel the one Query of the running totals and the Query of the budget's recurring
 * definitions (paged). A period that has ended in the budget's time zone has nothing left to
 * record, nor has an archived budget (the job skips its due dates): no definitions are read,
 * `scheduled` is 0.
 */
export class ForecastService {
  constructor(
    private readonly access: AccessService,
    private readonly summary: Pick<SummaryService, 'ofPeriod'>,
    private readonly spending: ForecastSpendingPort,
    private readonly clock: Clock,
  ) {}

  async forecast(budgetId: string, userId: string, date?: string): Promise<BudgetForecast> {
    const { budget } = await this.access.require(budgetId, userId);
    const today = dateInTimeZone(this.clock.now(), budget.timezone);
    const period = periodContaining(budget.period, date ?? today);
    // Nothing left to record: a period that has ended, or an archived budget, whose due dates the
    // recurring job skips without recording (packages/budgets/docs/budget-lifecycle.md "Archiving a budget").
    const nothingToRecord = period.end < today || budget.archivedAt !== undefined;
    const [summary, scheduled] = await Promise.all([
      this.summary.ofPeriod(budget, period, 'query.date'),
      nothingToRecord ? NOTHING_SCHEDULED : this.spending.scheduledBetween(budget.id, period.start, period.end, UPCOMING_LIMIT),
    ]);
    const forecast = forecastOf(summary, scheduled);
    if (!forecastIsExact(forecast)) {
      throw problems.validation([
        { path: 'query.date', message: "This period's projected amounts would exceed 2^53 - 1 minor units: they cannot be given exactly" },
      ]);
    }
    return forecast;
  }
}
