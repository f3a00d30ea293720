import { addDays, latestDateOnEarth, newId, type Clock, type HandlerContext, type ScheduledJob } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import type { Expense, RecurringExpense } from '../model';
import { firstOnOrAfter, nextAfter } from '../domain/recurrence';
import type { DueEntry, RecurringRepository } from '../repository/recurring.repository';
import { recordedEvent } from '../service/expense-facts';

/**
 * The scheduled job that records recurring expenses. Each run:
 * 1. queries the due index (gsi1, one partition per due shard) for definitions whose
 *    nextOccurrenceOn is on or before the latest "today" on Earth (UTC+14, the platform's latestDateOnEarth),
 *    never scanning the table;
 * 2. per definition, asks the budgets module for its creator's access (the budget's time zone,
 *    categories and the creator's role), and records every occurrence up to today in the
 *    budget's time zone, oldest first, each in ONE transaction with its expense, running
 *    totals, expense.recorded outbox event, closed-budget check, occurrence marker and the
 *    advance of nextOccurrenceOn (see RecurringRepository.recordOccurrence).
 *
 * Exactly once, whatever the timing: a run that is late records every missed occurrence (at
 * most MAX_OCCURRENCES_PER_RUN per definition per run; the next run continues); a second run,
 * concurrent or later, loses each occurrence's conditional write to the first and records
 * nothing; a crash between occurrences leaves the definition at the first one not recorded.
 *
 * A creator who can no longer write to the budget (removed, demoted to viewer, account
 * deleted): the job records as that user, and only owners and editors may record expenses,
 * so it records nothing for them. Their due occurrences are skipped (nextOccurrenceOn moves
 * past today) rather than kept pending, so a definition nobody may record is not re-read every
 * hour and no back-log is recorded at once if the creator regains access. The definition stays
 * visible to the budget's members, who can delete it or set up their own. The same happens for
 * a budget that is gone (getAccess cannot tell it apart from a lost membership); the
 * budget.deleted cleanup then removes the definition.
 */
export const RECURRING_JOB = 'recurring-expenses';
export const RECURRING_SCHEDULE = 'rate(1 hour)';

export interface RecurringJobOptions {
  /** Occurrences one definition may record in one run (a long outage is caught up over several runs). */
  maxOccurrencesPerRun?: number;
  /** No new definition is started after this long, so a run ends well inside the Lambda timeout (30 s). */
  timeBudgetMs?: number;
  /** Definitions processed at the same time. */
  concurrency?: number;
}

export interface RecurringRunReport {
  due: number;
  recorded: number;
  skipped: number;
  notYetDue: number;
  /** Definitions with occurrences left for the next run (the per-run cap, or the time budget). */
  unfinished: number;
  failed: number;
}

const DEFAULTS = { maxOccurrencesPerRun: 12, timeBudgetMs: 20_000, concurrency: 4 };

// One function over 80 lines on purpose: a factory whose job (run, runOnce) and per-definition
// step share the settings, the run's access cache and its report through its closure.
export function recurringJob(
  deps: { repository: RecurringRepository; budgets: BudgetsFacade; clock: Clock },
  options: RecurringJobOptions = {},
): ScheduledJob & { runOnce(ctx: HandlerContext): Promise<RecurringRunReport> } {
  const settings = { ...DEFAULTS, ...options };

  async function runOnce(ctx: HandlerContext): Promise<RecurringRunReport> {
    const started = performance.now();
    const now = deps.clock.now();
    const report: RecurringRunReport = { due: 0, recorded: 0, skipped: 0, notYetDue: 0, unfinished: 0, failed: 0 };
    const due = await deps.repository.due(latestDateOnEarth(now));
    report.due = due.length;
    const accessCache = new Map<string, Promise<BudgetAccess | null>>();
    const accessOf = (e: DueEntry) => {
      const key = `${e.budgetId} ${e.createdBy}`;
      if (!accessCache.has(key)) accessCache.set(key, deps.budgets.getAccess(e.budgetId, e.createdBy));
      return accessCache.get(key)!;
    };

    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const entry = due[next++]!;
        if (performance.now() - started > settings.timeBudgetMs) {
          report.unfinished++;
          continue;
        }
        try {
          await processDefinition(entry, await accessOf(entry), now, report, ctx);
        } catch (err) {
          report.failed++;
          ctx.logger.error('recurring expense not processed', { budgetId: entry.budgetId, recurringExpenseId: entry.id, error: (err as Error).message });
        }
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    ctx.logger.info('recurring expenses run', { ...report });
    return report;
  }

  async function processDefinition(entry: DueEntry, access: BudgetAccess | null, now: Date, report: RecurringRunReport, ctx: HandlerContext) {
    const today = todayIn(access?.timezone ?? 'UTC', now);
    if (access && entry.nextOccurrenceOn > today) {
      report.notYetDue++; // already due somewhere on Earth, not yet in this budget's time zone
      return;
    }
    let current = await deps.repository.get(entry.budgetId, entry.id);
    const log = { budgetId: entry.budgetId, recurringExpenseId: entry.id };

    if (!access || access.role === 'viewer') {
      if (!current || current.nextOccurrenceOn === null || current.nextOccurrenceOn > today) return;
      const resume = firstOnOrAfter(current.schedule, addDays(today, 1));
      if ((await deps.repository.advance(current, resume)) === 'advanced') {
        report.skipped++;
        ctx.logger.warn('recurring expense skipped: its creator cannot record expenses in the budget (or it is gone)', {
          ...log,
          createdBy: current.createdBy,
          skippedFrom: current.nextOccurrenceOn,
          nextOccurrenceOn: resume,
        });
      }
      return;
    }

    for (let attempt = 0; attempt < settings.maxOccurrencesPerRun; attempt++) {
      if (!current || current.nextOccurrenceOn === null || current.nextOccurrenceOn > today) return;
      const date = current.nextOccurrenceOn;
      const following = nextAfter(current.schedule, date);
      const expense = occurrenceExpense(current, date, access, now);
      const outcome = await deps.repository.recordOccurrence(current, expense, recordedEvent(expense, deps.clock), following);
      if (outcome === 'recorded') {
        report.recorded++;
        ctx.logger.info('recurring expense recorded', { ...log, occurredOn: date, expenseId: expense.id, nextOccurrenceOn: following });
        current = { ...current, nextOccurrenceOn: following };
      } else if (outcome === 'already-recorded') {
        // A changed schedule met a date recorded before: move past it without recording it again.
        current = (await deps.repository.advance(current, following)) === 'advanced'
          ? { ...current, nextOccurrenceOn: following }
          : await deps.repository.get(entry.budgetId, entry.id);
      } else if (outcome === 'changed') {
        // Another run recorded it, or a PATCH/DELETE came first: continue from what is there now.
        current = await deps.repository.get(entry.budgetId, entry.id);
      } else {
        return; // budget-closed: the budget.deleted cleanup removes the definition
      }
    }
    if (current && current.nextOccurrenceOn !== null && current.nextOccurrenceOn <= today) {
      report.unfinished++;
      ctx.logger.info('recurring expense still behind; the next run continues', { ...log, nextOccurrenceOn: current.nextOccurrenceOn });
    }
  }

  return {
    name: RECURRING_JOB,
    schedule: RECURRING_SCHEDULE,
    runOnce,
    async run(time, ctx) {
      const report = await runOnce(ctx);
      if (report.failed > 0) {
        // Surfaces in Lambda's error metrics; the other definitions were processed, and a
        // retry (or the next run) records only what is still due.
        throw new Error(`recurring expenses run scheduled for ${time.toISOString()}: ${report.failed} definitions failed`);
      }
    },
  };
}

/**
 * The expense of one occurrence, created by the definition's creator. A category removed from
 * the budget since is not used: a new expense must have one of the budget's categories, so the
 * occurrence is recorded uncategorized instead.
 */
function occurrenceExpense(r: RecurringExpense, date: string, access: BudgetAccess, now: Date): Expense {
  const timestamp = now.toISOString();
  const categoryId = r.categoryId !== null && access.categories.some((c) => c.id === r.categoryId) ? r.categoryId : null;
  return {
    id: newId(now.getTime()),
    budgetId: r.budgetId,
    amount: r.amount,
    categoryId,
    occurredOn: date,
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r.merchant !== undefined ? { merchant: r.merchant } : {}),
    createdBy: r.createdBy,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}
