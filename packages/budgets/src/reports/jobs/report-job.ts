import { dateInTimeZone, latestDateOnEarth, type HandlerContext, type ScheduledJob } from '@budgeting/platform';
import type { BudgetsRepository } from '../../repository/budgets.repository';
import { budgetFromItem, type BudgetItem } from '../../repository/items';
import {
  initialReportsThrough,
  nextReport,
  type ReportScheduleRepository,
} from '../repository/report-schedule.repository';
import type { ReportsRepository } from '../repository/reports.repository';
import type { ReportsService } from '../service/reports.service';

/**
 * The scheduled report job: for every budget whose period has ended since its last report,
 * generates that period's report, exactly once.
 *
 * Which budgets: the due index (report-schedule.repository.ts), read up to the latest calendar
 * date anywhere on Earth (UTC+14) so every time zone is covered; each budget found is re-read
 * (strongly consistent) and checked against today in its own time zone.
 *
 * Exactly once, whatever runs twice, concurrently or late: a report is a conditional Put keyed
 * by its period, in one transaction with its report.generated event and the move of the
 * budget's place (itself conditioned on the place it was computed from). A run that lost a race
 * re-reads and goes on from where the winner left the budget. A report that exists already
 * (generated on request) only moves the place.
 *
 * Catching up: a budget not seen for a while gets one report per missed period, oldest first,
 * at most MAX_PERIODS_PER_BUDGET per run; one run writes at most MAX_REPORTS_PER_RUN reports
 * (the function's timeout is 30 s). What is left stays due, so the next run carries on.
 */
export const REPORT_JOB = 'budget-reports';
export const REPORT_JOB_SCHEDULE = 'rate(1 hour)';

const MAX_PERIODS_PER_BUDGET = 12;
const MAX_REPORTS_PER_RUN = 200;
const PAGE_SIZE = 50;
/** Re-reads of one budget after losing a race to another run, before leaving it to the next run. */
const MAX_RACES = 5;

export interface ReportJobDeps {
  budgets: BudgetsRepository;
  schedule: ReportScheduleRepository;
  reports: ReportsRepository;
  service: ReportsService;
}

export interface ReportJobResult {
  budgets: number;
  reports: number;
  failures: number;
}

export class ReportJob {
  constructor(private readonly d: ReportJobDeps) {}

  asScheduledJob(): ScheduledJob {
    return {
      name: REPORT_JOB,
      schedule: REPORT_JOB_SCHEDULE,
      run: async (time, ctx) => {
        await this.run(time, ctx);
      },
    };
  }

  async run(time: Date, ctx: HandlerContext): Promise<ReportJobResult> {
    const result: ReportJobResult = { budgets: 0, reports: 0, failures: 0 };
    const horizon = latestDateOnEarth(time);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.d.schedule.due(horizon, PAGE_SIZE, startKey);
      for (const budgetId of page.items) {
        const room = MAX_REPORTS_PER_RUN - result.reports;
        if (room <= 0) break;
        result.budgets += 1;
        try {
          result.reports += await this.catchUp(budgetId, time, Math.min(room, MAX_PERIODS_PER_BUDGET));
        } catch (err) {
          // One budget's failure must not starve the others; it stays due for the next run.
          result.failures += 1;
          ctx.logger.error('report job: budget failed', { budgetId, error: err as Error });
        }
      }
      ctx.logger.info('report job progress', { ...result, horizon });
      startKey = result.reports < MAX_REPORTS_PER_RUN ? page.lastKey : undefined;
    } while (startKey);
    if (result.reports >= MAX_REPORTS_PER_RUN) ctx.logger.warn('report job stopped at its cap; the next run continues', { ...result });
    return result;
  }

  /** Reports the ended periods of one budget, oldest first, at most `max`; how many it generated. */
  async catchUp(budgetId: string, time: Date, max: number): Promise<number> {
    let generated = 0;
    // Periods dealt with (generated now, or found generated on request): at most `max` per run.
    let done = 0;
    for (let races = 0; races <= MAX_RACES; ) {
      const item = await this.d.budgets.getItem(budgetId);
      if (!item) return generated; // deleted: its index entry went with it
      const budget = budgetFromItem(item);
      const through = typeof item.reportsThrough === 'string' ? item.reportsThrough : initialReportsThrough(budget);
      const next = nextReport(budget, through);
      const today = dateInTimeZone(time, budget.timezone);
      if (next.period.end >= today || done >= max) {
        // Not due (or capped): leave the index pointing at the day the next report is due.
        if (item.gsi2sk !== this.d.schedule.dueKey(budgetId, next.due) || item.reportsThrough !== through) {
          await this.d.schedule.moveAlone(item, through, next.due);
        }
        return generated;
      }
      const after = nextReport(budget, next.period.end);
      const outcome = await this.generate(item, next.period, after.due);
      if (outcome === 'created') {
        generated += 1;
        done += 1;
      } else if (outcome === 'exists') {
        if (await this.d.schedule.moveAlone(item, next.period.end, after.due)) done += 1;
        else races += 1;
      } else races += 1;
    }
    return generated;
  }

  private async generate(item: BudgetItem, period: { start: string; end: string }, nextDue: string) {
    if (await this.d.reports.get(item.id, period)) return 'exists' as const;
    const report = await this.d.service.compute(budgetFromItem(item), period, 'period');
    // 'guard-failed': the budget's place moved (another run) or the budget is gone: re-read.
    return this.d.service.save(report, this.d.schedule.advance(item, period.end, nextDue));
  }
}
