import { dateInTimeZone, problems, type Clock } from '@budgeting/platform';
import { firstPeriodOf } from '../domain/periods';
import { insightRanges, spendingInsights, type SpendingInsights } from '../domain/spending-insights';
import type { AccessService } from './access';
import type { SummaryService } from './summary.service';

/**
 * Unusual spending ("45% more on Dining than usual by this point"): the first days of the
 * period containing a date (default today in the budget's time zone) against the average of
 * the same days of the `periods` periods before it, since the budget's first period
 * (domain/spending-insights.ts). Spending only: limits, per-period limits and rollover play no
 * part. Reads, fixed whatever the number of expenses: the access BatchGetItem (as every budget
 * route), then ONE totalsOfRanges read of the running totals (SummaryService.totalsOf: one
 * Query, paged past 1 MB, of the month items from the oldest compared period's first month to
 * the date's month), e.g. 4 month items for a monthly budget and 3 periods.
 */
export class SpendingInsightsService {
  constructor(
    private readonly access: AccessService,
    private readonly summary: Pick<SummaryService, 'totalsOf'>,
    private readonly clock: Clock,
  ) {}

  async insights(
    budgetId: string,
    userId: string,
    query: { date?: string; periods: number; minDifference: number },
  ): Promise<SpendingInsights & { budgetId: string; currency: string }> {
    const { budget } = await this.access.require(budgetId, userId);
    const date = query.date ?? dateInTimeZone(this.clock.now(), budget.timezone);
    const ranges = insightRanges(budget.period, date, query.periods, firstPeriodOf(budget).start);
    const [current, ...previous] = await this.summary.totalsOf(budget.id, [ranges.current, ...ranges.previous]);
    const insights = spendingInsights(budget, ranges, date, { current: current!, previous }, query.minDifference);
    if (!insights) {
      throw problems.validation([{ path: 'query.date', message: 'A spending figure or difference here would exceed 2^53 - 1 minor units: it cannot be given exactly' }]);
    }
    return { budgetId: budget.id, currency: budget.currency, ...insights };
  }
}
