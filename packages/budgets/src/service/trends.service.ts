import { dateInTimeZone, problems, type Clock } from '@budgeting/platform';
import { periodsEndingWith, trendsOf, type BudgetTrends } from '../domain/trends-math';
import type { AccessService } from './access';
import type { SummaryService } from './summary.service';

/**
 * Spending trends: the `periods` budget periods ending with the one containing a date (default
 * today in the budget's time zone), each exactly as the summary gives it (SummaryService.ofPeriods:
 * the same plan and arithmetic as GET /summary, rollover included), with each category's and
 * the uncategorized total and average over them (domain/trends-math.ts). Reads: the access
 * BatchGetItem (as every budget route), then ONE totalsOfRanges read of the running totals
 * covering every period and, with rollover, what lies before each: one Query (paged) of the
 * month items from the earliest month needed to the last period's. No thresholds Query (a
 * trend does not list thresholds).
 */
export class TrendsService {
  constructor(
    private readonly access: AccessService,
    private readonly summary: Pick<SummaryService, 'ofPeriods'>,
    private readonly clock: Clock,
  ) {}

  async trends(budgetId: string, userId: string, query: { periods: number; date?: string }): Promise<BudgetTrends> {
    const { budget } = await this.access.require(budgetId, userId);
    const day = query.date ?? dateInTimeZone(this.clock.now(), budget.timezone);
    const periods = periodsEndingWith(budget.period, day, query.periods);
    // An inexact rollover amount is the summary's own 400, naming query.date as GET /summary does.
    const summaries = await this.summary.ofPeriods(budget, periods, 'query.date');
    const trends = trendsOf(budget.period, summaries);
    if (!trends) {
      throw problems.validation([
        { path: 'query.periods', message: 'A total over these periods would exceed 2^53 - 1 minor units: ask for fewer periods' },
      ]);
    }
    return trends;
  }
}
