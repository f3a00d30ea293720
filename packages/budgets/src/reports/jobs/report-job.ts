import { dateInTimeZone, dueInstant, ProblemError, type FanOutJob, type HandlerContext, type Logger, type PlanPage } from '@budgeting/platform';
import type { BudgetsRepository } from '../../repository/budgets.repository';
import { budgetFromItem, type BudgetItem } from '../../repository/items';
import {
  initialReportsThrough,
  nextReport,
  RECHECK,
  type ReportScheduleRepository,
} from '../repository/report-schedule.repository';
import type { ReportsRepository } from '../repository/reports.repository';
import type { ReportsService } from '../service/reports.service';

/**
 * The scheduled report job, as a fan-out job (platform jobs/fan-out.ts): every budget whose
 * period has ended since its last report gets that period's report, exactly once.
 *
 * Plan (one tick): the due index (report-schedule.repository.ts), shard by shard, up to the
 * tick's instant: exactly the budgets whose next report's local day has begun. Each is one
 * unit, worked in its own invocation; no cap per tick.
 *
 * Work (one budget): re-read the budget (strongly consistent), then report its ended periods
 * oldest first as of the tick, until none is left or the invocation's deadline passes (then
 * the rest comes back as the same unit in another invocation).
 *
 * Exactly once, whatever runs twice, concurrently or late: a report is a conditional Put keyed
 * by its period, in one transaction with its report.generated event and the move of the
 * budget's place (itself conditioned on the place it was computed from). A unit that lost a
 * race re-reads and goes on from where the winner left the budget. A report that exists
 * already (generated on request) only moves the place.
 *
 * A period whose figures cannot be given exactly (past 2^53 - 1 minor units: a rollover
 * carried centuries on, or a month's spending summed over the totals shards, which
 * GET .../summary refuses with its 400, SummaryService.plan) passes without a report, a warning
 * logged, its place moved on as an archived budget's: a report of rounded figures would be wrong,
 * and a failing unit would fail again at every tick and hold back every later period of the
 * budget. Its report on request stays the summary's 400 naming the date.
 */
export const REPORT_JOB = 'budget-reports';
export const REPORT_JOB_SCHEDULE = 'rate(1 hour)';

const PAGE_SIZE = 100;
/** Re-reads of one budget after losing a race to another delivery, before leaving the budget to it. */
const MAX_RACES = 5;

export interface ReportJobDeps {
  budgets: BudgetsRepository;
  schedule: ReportScheduleRepository;
  reports: ReportsRepository;
  service: ReportsService;
}

export interface ReportUnit {
  budgetId: string;
  /** The due instant the planner found (tells "indexed as due yet not due" from "done by another delivery"). */
  dueAt?: string;
}

export interface CatchUpResult {
  generated: number;
  /** The budget was read but had nothing due. */
  notDue: boolean;
  /** Periods are still due: the deadline came first. */
  unfinished: boolean;
}

interface Cursor {
  shard: number;
  key?: Record<string, unknown>;
}

export class ReportJob {
  constructor(private readonly d: ReportJobDeps) {}

  asFanOutJob(): FanOutJob<ReportUnit> {
    return {
      name: REPORT_JOB,
      schedule: REPORT_JOB_SCHEDULE,
      plan: (now, cursor, ctx) => this.plan(now, cursor, ctx),
      work: async (unit, now, ctx) => {
        const result = await this.catchUp(unit.budgetId, now, ctx.deadline, ctx.logger, unit.dueAt);
        return { done: result.generated, notDue: result.notDue, ...(result.unfinished ? { again: unit } : {}) };
      },
      parseUnit(raw) {
        const unit = raw as Partial<ReportUnit> | null;
        if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('report unit needs a budgetId');
        return { budgetId: unit.budgetId, ...(typeof unit.dueAt === 'string' ? { dueAt: unit.dueAt } : {}) };
      },
    };
  }

  /** One page of the due index (one shard's page), as of the tick. */
  async plan(now: Date, cursor: string | undefined, _ctx?: HandlerContext): Promise<PlanPage<ReportUnit>> {
    const at = decodeCursor(cursor);
    const page = await this.d.schedule.due(at.shard, dueInstant(now), PAGE_SIZE, at.key);
    const next: Cursor | undefined = page.lastKey
      ? { shard: at.shard, key: page.lastKey }
      : at.shard + 1 < this.d.schedule.shards
        ? { shard: at.shard + 1 }
        : undefined;
    // The backlog's age from the earliest real instant: a re-check entry (RECHECK, sorted first)
    // says "look again", not when anything fell due (read as an instant it was NaN seconds old,
    // which hid the page's real age from the metric and its alarm).
    const oldest = page.items.find((i) => i.dueAt !== RECHECK);
    return {
      units: page.items.map((i) => ({ budgetId: i.id, dueAt: i.dueAt })),
      ...(next ? { cursor: encodeCursor(next) } : {}),
      ...(oldest ? { oldestDueAt: oldest.dueAt } : {}),
    };
  }

  /** Everything in one process (tests, tools): every page, every unit, as of `now`. */
  async runAll(now: Date, ctx: HandlerContext): Promise<{ budgets: number; reports: number }> {
    const result = { budgets: 0, reports: 0 };
    let cursor: string | undefined;
    do {
      const page = await this.plan(now, cursor, ctx);
      for (const unit of page.units) {
        result.budgets += 1;
        result.reports += (await this.catchUp(unit.budgetId, now, Number.POSITIVE_INFINITY, ctx.logger)).generated;
      }
      cursor = page.cursor;
    } while (cursor);
    return result;
  }

  /**
   * Reports the ended periods of one budget as of `time`, oldest first, until none is due or
   * `deadline` (epoch ms) has passed. `plannedDueAt`: the index entry the planner read; a
   * budget still indexed there but not due counts as a not-due read (a duplicate delivery
   * finding the work done does not). `logger`: where a period passed without a report is told.
   */
  async catchUp(budgetId: string, time: Date, deadline: number, logger: Pick<Logger, 'warn'>, plannedDueAt?: string): Promise<CatchUpResult> {
    const result: CatchUpResult = { generated: 0, notDue: false, unfinished: false };
    let steps = 0;
    for (let races = 0; races <= MAX_RACES; ) {
      const item = await this.d.budgets.getItem(budgetId);
      if (!item) return result; // deleted: its index entry went with it
      const budget = budgetFromItem(item);
      const through = typeof item.reportsThrough === 'string' ? item.reportsThrough : initialReportsThrough(budget);
      const next = nextReport(budget, through);
      const today = dateInTimeZone(time, budget.timezone);
      if (next.period.end >= today) {
        // Nothing (more) due: leave the index pointing at the instant the next report is due.
        if (steps === 0 && plannedDueAt !== undefined) result.notDue = this.d.schedule.dueAtOf(item) === plannedDueAt;
        if (item.gsi2sk !== this.d.schedule.dueKey(budget, next.due) || item.reportsThrough !== through) {
          await this.d.schedule.moveAlone(item, through, next.due);
        }
        return result;
      }
      if (steps > 0 && Date.now() >= deadline) {
        result.unfinished = true;
        return result;
      }
      steps += 1;
      const after = nextReport(budget, next.period.end);
      // A period that ends while the budget is archived passes without a report (docs/budget-lifecycle.md "Archiving a budget"):
      // its place moves on as when the report exists, so unarchiving does not make them late.
      // One that ended before the archive (its local day began after the period's last) is reported.
      const outcome = endedBeforeArchive(budget, next.period.end) ? await this.generate(item, next.period, after.due) : 'archived';
      if (outcome === 'created') result.generated += 1;
      else if (outcome === 'exists' || outcome === 'archived' || outcome === 'inexact') {
        if (!(await this.d.schedule.moveAlone(item, next.period.end, after.due))) races += 1;
        else if (outcome === 'inexact') {
          logger.warn('period report skipped: its figures would pass 2^53 - 1 minor units', { budgetId, periodStart: next.period.start, periodEnd: next.period.end });
        }
      } else races += 1;
    }
    // Another delivery of this unit keeps winning: it is doing the work. Should it crash, the
    // budget stays due in the index and the next tick takes it up.
    return result;
  }

  private async generate(item: BudgetItem, period: { start: string; end: string }, nextDue: string) {
    if (await this.d.reports.get(item.id, period)) return 'exists' as const;
    let report;
    try {
      report = await this.d.service.compute(budgetFromItem(item), period, INEXACT_PATH);
    } catch (err) {
      // The summary's refusal of figures past 2^53 - 1: the same at every try.
      if (isInexact(err)) return 'inexact' as const;
      throw err;
    }
    // 'guard-failed': the budget's place moved (another run) or the budget is gone: re-read.
    return this.d.service.save(report, this.d.schedule.advance(item, period.end, nextDue));
  }
}

/** Whether the period ending on `periodEnd` had ended when the budget was archived (or it is not archived): its report is due. */
function endedBeforeArchive(budget: { archivedAt?: string; timezone: string }, periodEnd: string): boolean {
  return budget.archivedAt === undefined || periodEnd < dateInTimeZone(new Date(budget.archivedAt), budget.timezone);
}

/** The input the job names to compute (the summary's 400 names it): what tells that 400 from any other failure. */
const INEXACT_PATH = 'period';

/** The summary's refusal of figures past 2^53 - 1 (summary.service.ts), raised naming INEXACT_PATH. */
function isInexact(err: unknown): err is ProblemError {
  return err instanceof ProblemError && err.status === 400 && (err.extras.errors ?? []).some((e) => e.path === INEXACT_PATH);
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(cursor: string | undefined): Cursor {
  if (!cursor) return { shard: 0 };
  const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
  if (!Number.isInteger(c.shard) || c.shard < 0) throw new Error('report plan cursor is malformed');
  return c;
}
