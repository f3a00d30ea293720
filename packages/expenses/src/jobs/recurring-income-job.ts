import { dueInstant, type Clock, type FanOutJob, type HandlerContext, type ModuleStore, type PlanPage } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { nextAfter } from '../domain/recurrence';
import type { RecurringIncome } from '../model';
import { INCOME_DUE_SHARDS } from '../repository/keys';
import { JOB_ADVANCE } from '../repository/recurring-definitions';
import type { IncomeDueEntry, RecurringIncomeRepository } from '../repository/recurring-income.repository';
import { WriterRefusedError } from '../repository/writer-guard';
import { occurrenceIncome, occurrenceIncomeEvent } from '../service/occurrence-income';
import { RECURRING_INCOME_JOB, RECURRING_SCHEDULE } from './names';
import { allDueUnits, parseDueUnit, planDuePage, skipPastToday } from './recurring-due-units';

/**
 * The scheduled job that records recurring income (packages/expenses/docs/income.md "Recurring income"), a
 * fan-out job as the recurring expenses' (jobs/recurring-job.ts), on its own due index:
 * 1. plan: pages the recurring income due index (gsi1, INCOME_DUE_SHARDS partitions) for the
 *    definitions whose next occurrence's day has begun in their budget's time zone; each
 *    definition is one unit;
 * 2. work: the creator's access (the budget's time zone), a strongly consistent read of the
 *    definition, then every occurrence up to the tick's day, oldest first, each in ONE
 *    transaction: the income create's own write (IncomeRepository.create: the entry, its month's
 *    income total, its income.recorded outbox item with `via: "recurring"` and
 *    `recurringIncomeId`, and the budgets module's writer guard for the creator) plus the
 *    definition's advance (conditioned on the version and nextOccurrenceOn read) and the
 *    occurrence marker (if absent).
 *
 * Exactly once: a second delivery, concurrent or later, loses the advance's condition and
 * re-reads; a crash after a commit leaves the definition at the first date not recorded; a
 * marker already there (a changed schedule meeting a date recorded before) advances without
 * recording. A late tick catches up every missed occurrence. A creator who may no longer write
 * (removed, a viewer, the budget gone) or an archived budget (the access read, or the guard
 * failing after it): the due occurrences are skipped, nextOccurrenceOn moved past today, not
 * caught up later; in an archived budget those up to the archive's day too, where the recurring
 * expenses' job settles them with imported bills: no entry is ever matched with a paycheck's
 * date, so there is nothing to settle one with (packages/expenses/docs/income.md "Recurring income"). A date whose
 * month's income total would pass 2^53 - 1 is skipped alone, with a warning.
 */

export interface RecurringIncomeRunReport {
  due: number;
  recorded: number;
  skipped: number;
  notYetDue: number;
  /** Definitions with occurrences left at the invocation's deadline. */
  unfinished: number;
  failed: number;
}

const PAGE_SIZE = 100;

// eslint-disable-next-line max-lines-per-function -- a factory whose job and step share the run's state (as recurring-job.ts)
export function recurringIncomeJob(deps: {
  repository: RecurringIncomeRepository;
  budgets: BudgetsFacade;
  /** The module's store: each entry's event is its outbox item (platform outboxPut). */
  store: ModuleStore;
  clock: Clock;
}): FanOutJob<IncomeDueEntry> & { runOnce(ctx: HandlerContext): Promise<RecurringIncomeRunReport> } {
  const emptyReport = (): RecurringIncomeRunReport => ({ due: 0, recorded: 0, skipped: 0, notYetDue: 0, unfinished: 0, failed: 0 });

  function plan(now: Date, cursor: string | undefined): Promise<PlanPage<IncomeDueEntry>> {
    return planDuePage((shard, limit, key) => deps.repository.duePage(shard, dueInstant(now), limit, key), RECURRING_INCOME_JOB, INCOME_DUE_SHARDS, PAGE_SIZE, cursor);
  }

  /** Every page and unit in this process, as of the clock's now (tests and tools). */
  async function runOnce(ctx: HandlerContext): Promise<RecurringIncomeRunReport> {
    const now = deps.clock.now();
    const report = emptyReport();
    const due: IncomeDueEntry[] = await allDueUnits(plan, now);
    report.due = due.length;
    for (const entry of due) {
      try {
        await processDefinition(entry, now, report, ctx);
      } catch (err) {
        report.failed++;
        ctx.logger.error('recurring income not processed', { budgetId: entry.budgetId, recurringIncomeId: entry.id, error: (err as Error).message });
      }
    }
    ctx.logger.info('recurring income run', { ...report });
    return report;
  }

  /** One definition; true when occurrences are still due at the deadline (re-queue it). */
  async function processDefinition(entry: IncomeDueEntry, now: Date, report: RecurringIncomeRunReport, ctx: HandlerContext, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    const access = await deps.budgets.getAccess(entry.budgetId, entry.createdBy);
    const timezone = access?.timezone ?? 'UTC';
    const today = todayIn(timezone, now);
    const log = { budgetId: entry.budgetId, recurringIncomeId: entry.id };
    // With its change counter in the same request: a date moved without recording is numbered with no read more.
    let current = await deps.repository.getPrimed(entry.budgetId, entry.id);
    if (!access || access.role === 'viewer' || access.budget.archivedAt !== undefined) return skipUnwritable(current, today, timezone, report, ctx);
    if (current && current.nextOccurrenceOn === entry.nextOccurrenceOn && current.nextOccurrenceOn > today) {
      // Indexed as due, yet not due in the budget's time zone (it changed since): re-keyed at its true instant.
      report.notYetDue++;
      await deps.repository.advance(current, current.nextOccurrenceOn, timezone, JOB_ADVANCE);
      return false;
    }
    const guard = deps.budgets.writeChecks(entry.budgetId, entry.createdBy, {})[0]!;
    for (let steps = 0; ; steps++) {
      // Paused: no nextOccurrenceOn (a stale index entry meets it here and records nothing).
      if (!current || current.paused || current.nextOccurrenceOn === null || current.nextOccurrenceOn > today) return false;
      if (steps > 0 && Date.now() >= deadline) break;
      const date = current.nextOccurrenceOn;
      const following = nextAfter(current.schedule, date);
      const entryOf = occurrenceIncome(current, date, now);
      const event = await occurrenceIncomeEvent(deps.store, deps.clock, entryOf);
      let outcome: Awaited<ReturnType<RecurringIncomeRepository['recordOccurrence']>>;
      try {
        outcome = await deps.repository.recordOccurrence(current, entryOf, event, following, timezone, guard);
      } catch (err) {
        // The guard failed after the access read: archived, the creator's role or membership gone meanwhile.
        if (err instanceof WriterRefusedError) return skipUnwritable(await deps.repository.get(entry.budgetId, entry.id), today, timezone, report, ctx);
        throw err;
      }
      if (outcome === 'recorded') {
        report.recorded++;
        ctx.logger.info('recurring income recorded', { ...log, receivedOn: date, incomeId: entryOf.id, nextOccurrenceOn: following });
        current = { ...current, nextOccurrenceOn: following };
      } else if (outcome === 'changed') {
        // Another delivery recorded it, or a PATCH/DELETE came first: continue from what is there now.
        current = await deps.repository.get(entry.budgetId, entry.id);
      } else {
        // already-recorded (a changed schedule met a recorded date) or totals-limit (never fits): move past it.
        const advanced = (await deps.repository.advance(current, following, timezone, JOB_ADVANCE)) === 'advanced';
        if (advanced && outcome === 'totals-limit') {
          report.skipped++;
          ctx.logger.warn("recurring income skipped: its month's income total would pass 2^53 - 1 minor units", { ...log, receivedOn: date });
        }
        current = advanced ? { ...current, nextOccurrenceOn: following } : await deps.repository.get(entry.budgetId, entry.id);
      }
    }
    report.unfinished++;
    return true;
  }

  /** Moves a definition whose creator cannot write the budget (gone, viewer, archived) past today: its due dates skipped. */
  async function skipUnwritable(definition: RecurringIncome | undefined, today: string, timezone: string, report: RecurringIncomeRunReport, ctx: HandlerContext): Promise<false> {
    const skipped = await skipPastToday(definition, today, (d, resume) => deps.repository.advance(d, resume, timezone, JOB_ADVANCE));
    if (definition && skipped?.advanced) {
      report.skipped++;
      ctx.logger.warn('recurring income skipped: its creator cannot record income in the budget (or it is gone or archived)', {
        budgetId: definition.budgetId,
        recurringIncomeId: definition.id,
        skippedFrom: definition.nextOccurrenceOn,
        nextOccurrenceOn: skipped.resume,
      });
    }
    return false;
  }

  return {
    name: RECURRING_INCOME_JOB,
    schedule: RECURRING_SCHEDULE,
    plan: (now, cursor) => plan(now, cursor),
    async work(unit, now, ctx) {
      const report = emptyReport();
      const again = await processDefinition(unit, now, report, ctx, ctx.deadline);
      return { done: report.recorded, notDue: report.notYetDue > 0, ...(again ? { again: unit } : {}) };
    },
    parseUnit: (raw) => parseDueUnit(raw, 'recurring income unit'),
    runOnce,
  };
}
