import { conditionFailedAt, dateInTimeZone, deferReads, problems, type Clock, addDays } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { SpendingPort, TotalsAndCashFlow } from '../../contract';
import { reportGenerated } from '../../events';
import { TOP_MERCHANTS, type Budget, type Report } from '../../model';
import type { TransactItem } from '../../repository/keys';
import type { Page } from '../../repository/page';
import type { ReportsRepository } from '../repository/reports.repository';
import { budgetNotFound, requireRole, type AccessService } from '../../service/access';
import type { OutboxWriter } from '../../service/events';
import { firstPeriodOf, periodContaining, type Period } from '../../domain/periods';
import { buildReport, periodOfReportId } from '../domain/report-math';
import type { SummaryService } from '../../service/summary.service';

export interface ReportsServiceDeps {
  clock: Clock;
  access: AccessService;
  summary: SummaryService;
  spending: SpendingPort;
  reports: ReportsRepository;
  outbox: OutboxWriter;
  /** The viewer's locale for the HTML pages (getForPage, listForPage). */
  users: Pick<UsersFacade, 'getById'>;
}

/** Where save() puts its guard: after the report (0) and its event (1). */
const GUARD_INDEX = 2;

export const reportNotFound = (reportId: string) => problems.notFound(`Report ${reportId} was not found.`);

/**
 * Period reports: computing one (the summary service's numbers, per-day spending, top
 * merchants, the previous period), storing it once with its report.generated event, and
 * reading them back. Used by the HTTP routes and by the report job.
 */
export class ReportsService {
  constructor(private readonly d: ReportsServiceDeps) {}

  /**
   * POST .../reports {date}: the report of the period containing `date`. A period that
   * already has one gets it back (created: false): a report is never generated twice. A
   * period that has not ended yet in the budget's time zone is a 409: its numbers can still
   * change (the summary shows them), and storing them would stand in for the real report.
   */
  async request(budgetId: string, userId: string, date: string): Promise<{ report: Report; created: boolean }> {
    const caller = await this.d.access.require(budgetId, userId);
    requireRole(caller, 'reports');
    const { budget } = caller;
    const period = periodContaining(budget.period, date);
    const today = dateInTimeZone(this.d.clock.now(), budget.timezone);
    if (period.end >= today) {
      throw problems.conflict(
        `The ${budget.period} period ${period.start}..${period.end} has not ended yet (today is ${today} in ${budget.timezone}); ` +
          `its report can be generated from ${addDays(period.end, 1)}. GET /v1/budgets/${budgetId}/summary shows its numbers so far.`,
      );
    }
    const existing = await this.d.reports.get(budgetId, period);
    if (existing) return { report: existing, created: false };
    const report = await this.compute(budget, period, 'date');
    const outcome = await this.save(report);
    if (outcome === 'created') return { report, created: true };
    if (outcome === 'guard-failed') throw budgetNotFound(budgetId);
    // Generated meanwhile by the job or another request: that one is the report.
    const stored = await this.d.reports.get(budgetId, period);
    if (!stored) throw budgetNotFound(budgetId);
    return { report: stored, created: false };
  }

  async get(budgetId: string, userId: string, reportId: string): Promise<Report> {
    await this.d.access.require(budgetId, userId);
    const period = periodOfReportId(reportId);
    const report = period ? await this.d.reports.get(budgetId, period) : undefined;
    if (!report) throw reportNotFound(reportId);
    return report;
  }

  async list(budgetId: string, userId: string, limit: number, startKey?: Record<string, unknown>): Promise<Page<Report>> {
    await this.d.access.require(budgetId, userId);
    return this.d.reports.page(budgetId, limit, startKey);
  }

  /**
   * get() for the HTML page, with the VIEWER's locale (their profile's, through the users
   * facade; undefined when none is set), the page's amounts and dates are formatted in. No
   * request added: the profile read is queued (platform deferReads) before the access check,
   * so it travels in the access check's BatchGetItem, where the account check (requireAuth)
   * already reads that very profile item.
   */
  async getForPage(budgetId: string, userId: string, reportId: string): Promise<{ report: Report; locale: string | undefined }> {
    const locale = this.viewerLocale(userId);
    const report = await this.get(budgetId, userId, reportId);
    return { report, locale: await locale };
  }

  /** list() for the HTML page, with the viewer's locale, read as getForPage's. */
  async listForPage(budgetId: string, userId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ page: Page<Report>; locale: string | undefined }> {
    const locale = this.viewerLocale(userId);
    const page = await this.list(budgetId, userId, limit, startKey);
    return { page, locale: await locale };
  }

  private viewerLocale(userId: string): Promise<string | undefined> {
    const read = deferReads(() => this.d.users.getById(userId)).then((user) => user?.locale ?? undefined);
    read.catch(() => undefined); // observed: the access check may refuse before anyone awaits it
    return read;
  }

  /**
   * The report of one period of a budget already read. Its cost, in parallel: ONE read of the
   * running totals (ReportSpendingPort.totalsAndDays: one Query of the months from the
   * earlier of the budget's first period with rollover, or the previous period, to this
   * period's end) answering the summary's ranges (SummaryService.plan, the same code as
   * /summary), the previous period's totals and the period's day figures, and one walk of the
   * period's expenses (merchants). A monthly budget's read also brings the month's income (its
   * total item lies within that Query: CashFlowSpendingPort.totalsAndCashFlow), for the report's
   * `income` and `savingsRate`. `datePath` names the input that chose the period.
   */
  async compute(budget: Budget, period: Period, datePath: string): Promise<Report> {
    const previousPeriod = periodContaining(budget.period, addDays(period.start, -1));
    // A period that ended before the budget's first period: the budget did not exist then.
    const hasPrevious = previousPeriod.end >= firstPeriodOf(budget).start;
    const plan = this.d.summary.plan(budget, period, datePath);
    const ranges = hasPrevious ? [...plan.ranges, { from: previousPeriod.start, to: previousPeriod.end }] : plan.ranges;
    const days = { from: period.start, to: period.end };
    // A monthly period is a calendar month: its income total item is among the items this one
    // Query reads anyway, so the cash flow's port reads it with them (no request, no byte more).
    const month = budget.period === 'monthly' ? period.start.slice(0, 7) : null;
    const [read, merchants] = await Promise.all([
      month
        ? this.d.spending.totalsAndCashFlow(budget.id, ranges, days, { from: month, to: month })
        : this.d.spending.totalsAndDays(budget.id, ranges, days).then((answer): TotalsAndCashFlow => ({ ...answer, cashFlow: null, monthsIncome: [] })),
      this.d.spending.topMerchants(budget.id, period.start, period.end, TOP_MERCHANTS),
    ]);
    const summary = plan.summarize(read.totals.slice(0, plan.ranges.length));
    // A day's spending is summed over the totals shards too, each within 2^53 - 1 but not
    // together, and refunds on other days can keep the period's (checked above) small: such a
    // day has no exact figure, and a report with it could not be stored. Refused as the
    // summary refuses its own (the job passes over the period, as for those).
    if (!read.days.every((d) => Number.isSafeInteger(d.total))) {
      throw problems.validation([{ path: datePath, message: "A day's spending in this period would exceed 2^53 - 1 minor units: it cannot be given exactly" }]);
    }
    // The previous period's spending is summed over the totals shards, each within 2^53 - 1 but not
    // together: past it the comparison cannot be given exactly (nor stored), so the report has none.
    const previousTotals = hasPrevious && Number.isSafeInteger(read.totals[plan.ranges.length]!.total) ? read.totals[plan.ranges.length]! : null;
    return buildReport({
      budget,
      period,
      summary,
      days: read.days,
      merchants,
      previous: previousTotals ? { period: previousPeriod, totals: previousTotals } : null,
      cashFlow: read.cashFlow?.months[0],
      generatedAt: this.d.clock.now().toISOString(),
    });
  }

  /**
   * Stores the report with its report.generated event and `guard`, in one transaction, if the
   * period has no report yet ('exists': nothing written) and the guard's condition holds
   * ('guard-failed'). The guard by default checks that the budget still exists (no report may
   * outlive its budget's cleanup); the job's guard moves the budget's place instead (which
   * checks that too: one transaction may touch the budget item only once).
   */
  async save(report: Report, guard: TransactItem = this.d.reports.budgetExists(report.budgetId)): Promise<'created' | 'exists' | 'guard-failed'> {
    try {
      return await this.d.reports.create(report, [
        await this.d.outbox(reportGenerated, {
          reportId: report.id,
          budgetId: report.budgetId,
          ownerId: report.ownerId,
          periodStart: report.periodStart,
          periodEnd: report.periodEnd,
          currency: report.currency,
          limit: report.limit,
          spent: report.spent,
          ...(report.income !== undefined ? { income: report.income, savingsRate: report.savingsRate } : {}),
        }),
        guard,
      ]);
    } catch (err) {
      if (conditionFailedAt(err, GUARD_INDEX)) return 'guard-failed';
      throw err;
    }
  }
}
