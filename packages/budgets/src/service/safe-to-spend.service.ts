import { dateInTimeZone, problems, type Clock } from '@budgeting/platform';
import type { ForecastSpendingPort } from '../contract';
import { NOTHING_SCHEDULED } from '../domain/forecast-math';
import { paceDays } from '../domain/pace-math';
import { periodContaining } from '../domain/periods';
import { BILLS_LISTED, safeToSpendIsExact, safeToSpendOf, type SafeToSpend } from '../domain/safe-to-spend';
import type { AccessService } from './access';
import type { SummaryService } from './summary.service';

/**
 * Safe to spend on a date (GET .../safe-to-spend): the summary's `remaining` of the period
 * containing it (SummaryService.ofPeriod: the very code and reads of GET /summary, less its
 * announced-thresholds Query, which safe-to-spend does not show), less the bills of the period
 * not recorded yet (before the date too), asked of the expenses module through ForecastSpendingPort
 * (the forecast's port: its recurrence, pauses, skips, ends and installment plans; budgets
 * computes no schedule). Reads: the access BatchGetItem, then in parallel the one Query of the
 * running totals and the Query of the budget's recurring definitions (one page for any budget,
 * at most 500). A period that has ended has no day and no bill left, an archived budget no bill
 * (the job records none of them): no definitions are read.
 */
export class SafeToSpendService {
  constructor(
    private readonly access: AccessService,
    private readonly summary: Pick<SummaryService, 'ofPeriod'>,
    private readonly spending: ForecastSpendingPort,
    private readonly clock: Clock,
  ) {}

  async safeToSpend(budgetId: string, userId: string, date?: string): Promise<SafeToSpend> {
    const { budget } = await this.access.require(budgetId, userId);
    const today = dateInTimeZone(this.clock.now(), budget.timezone);
    const day = date ?? today;
    const period = periodContaining(budget.period, day);
    const days = paceDays(period, day, today);
    const [summary, bills] = await Promise.all([
      this.summary.ofPeriod(budget, period, 'query.date'),
      // From the period's start, whatever the day asked: `remaining` is the whole period's (every
      // expense recorded in it, whatever its day), so the bills to take from it are every one of
      // the period not recorded yet: one the job has not reached (due before today: overdue) is
      // still money that will leave, as is one due between today and a later `date`. The port
      // answers only dates on or after each definition's nextOccurrenceOn, not paused: exactly
      // the bill status's due and overdue dates (domain/bill-status.ts), never one it reads paid.
      // An archived budget has no bill to come either: the recurring job skips its due dates
      // without recording them (packages/budgets/docs/budget-lifecycle.md "Archiving a budget").
      days.daysLeft === 0 || budget.archivedAt !== undefined ? NOTHING_SCHEDULED : this.spending.scheduledBetween(budget.id, period.start, period.end, BILLS_LISTED),
    ]);
    const answer = safeToSpendOf(summary, bills, day, days.daysLeft);
    if (!safeToSpendIsExact(answer)) {
      throw problems.validation([{ path: 'query.date', message: "This period's bills would exceed 2^53 - 1 minor units: safe to spend cannot be given exactly" }]);
    }
    return answer;
  }
}
