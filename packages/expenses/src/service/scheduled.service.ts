import { isCalendarDate } from '@budgeting/platform';
import type { ForecastSpendingPort, ScheduledSpending } from '@budgeting/budgets';
import { ScheduledTally } from '../domain/scheduled';
import type { RecurringRepository } from '../repository/recurring.repository';

/**
 * The budgets module's ForecastSpendingPort: what a budget's recurring expenses will still
 * record in a date range. Reads the budget's definitions page by page (one strongly consistent
 * Query of the budget's expense partition, paged past 1 MB), nothing else; the tally's work per
 * definition is bounded (domain/scheduled.ts). A budget holds at most 500 definitions
 * (MAX_RECURRING_PER_BUDGET), so a call costs one Query, a few past 1 MB of large definitions
 * (packages/expenses/docs/recurring.md, "Forecast").
 */
export class ScheduledService implements ForecastSpendingPort {
  constructor(private readonly recurring: Pick<RecurringRepository, 'pendingPage'>) {}

  async scheduledBetween(budgetId: string, from: string, to: string, upcomingLimit: number): Promise<ScheduledSpending> {
    if (!isCalendarDate(from) || !isCalendarDate(to)) throw new RangeError(`scheduledBetween needs calendar dates, got ${from}..${to}`);
    const tally = new ScheduledTally(from, to, upcomingLimit);
    if (from > to) return tally.result();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.recurring.pendingPage(budgetId, to, startKey);
      for (const definition of page.items) tally.add(definition);
      startKey = page.lastKey;
    } while (startKey);
    return tally.result();
  }
}
