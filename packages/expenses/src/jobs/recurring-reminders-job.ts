import { createEvent, dueInstant, type Clock, type FanOutJob, type HandlerContext, type PlanPage } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { hasBegun, isDueSoon, reminderWindow } from '../domain/reminders';
import { expenseRecurringDueSoon } from '../events';
import type { RecurringExpense } from '../model';
import { DUE_SHARDS } from '../repository/keys';
import type { RecurringRepository } from '../repository/recurring.repository';
import type { RecurringRemindersRepository, ReminderEntry } from '../repository/recurring-reminders.repository';
import { RECURRING_REMINDERS_JOB, RECURRING_SCHEDULE } from './names';
import { parseDueUnit, planDuePage } from './recurring-due-units';

/**
 * Bill reminders: expense.recurring_due_soon the day before a recurring expense is due, from
 * 09:00 in the budget's time zone (never a push at midnight: domain/reminders.ts), as a
 * fan-out job (platform jobs/fan-out.ts) on the recording job's hourly schedule and over the
 * recording job's own due index. Each tick:
 * 1. plan: pages the due index (gsi1, 16 shards) for the entries whose instant (the start of
 *    their next occurrence's day in the budget's time zone) lies in the REMINDER_LEAD_MS (15
 *    hours) after the tick (reminderWindow, domain/reminders.ts): the instants the recording
 *    job will reach within those 15 hours. Never a scan; entries already reminded of that
 *    occurrence are filtered out (the definition's `remindedOn` hint), so a definition is a
 *    unit once per occurrence, not once an hour;
 * 2. work (one definition, its own invocation): the creator's access (the budget's time zone
 *    and currency; a creator who may not record any more gets no reminder, as the recording
 *    job records nothing for them), a strongly consistent read of the definition, the window
 *    checked again in the budget's current time zone (isDueSoon: the same reminderWindow, the
 *    same constant) and, against the clock, its day not begun yet (a unit handed late, after a
 *    backlog or replayed from the dead letters, reminds of nothing due today), then the event in ONE transaction with the occurrence's reminder marker
 *    and the hint, conditioned on the definition still being at that date and at the version
 *    read (RecurringRemindersRepository.remind; edited meanwhile: read again, up to 3 times, so a
 *    reminder published after a PATCH answered tells the PATCH's amount).
 *
 * Exactly once per (definition, occurrence): a second delivery of the unit, concurrent or
 * later, or a second tick within the window, loses the marker's condition and publishes
 * nothing. A paused definition has no due entry (and no nextOccurrenceOn: the condition fails
 * on a stale entry); a skipped date is no longer nextOccurrenceOn, so it is never reminded of
 * (the skip moves the definition to the following date, which is reminded of in its turn).
 * A definition created, resumed or moved less than 15 hours before its date's day begins (at
 * noon for tomorrow) is reminded of at the next tick; none once that day has begun. A tick that
 * never runs: its definitions are picked up by the next tick while their day has not begun
 * (the window reaches 15 hours ahead of every tick).
 */

export interface RemindersRunReport {
  candidates: number;
  reminded: number;
  /** Reminded before (another delivery won the marker). */
  already: number;
  /** Not due soon after all (the budget's time zone changed), paused, ended, moved or no longer recordable. */
  passed: number;
  failed: number;
}

const PAGE_SIZE = 100;
/** Reads of a definition changed under its reminder before the unit leaves it to the next tick (its date still due soon then). */
const REMIND_ATTEMPTS = 3;

export function recurringRemindersJob(deps: {
  reminders: RecurringRemindersRepository;
  recurring: RecurringRepository;
  budgets: BudgetsFacade;
  clock: Clock;
}): FanOutJob<ReminderEntry> & { runOnce(ctx: HandlerContext): Promise<RemindersRunReport> } {
  /** The recording job's plan (recurring-due-units.ts) over the window's instants; no backlog age (they fall due after the tick). */
  function plan(now: Date, cursor: string | undefined): Promise<PlanPage<ReminderEntry>> {
    const { after, until } = reminderWindow(now);
    return planDuePage((shard, limit, key) => deps.reminders.remindPage(shard, dueInstant(after), dueInstant(until), limit, key), 'reminder', DUE_SHARDS, PAGE_SIZE, cursor, false);
  }

  /** One definition's reminder, if still due soon at the tick `now`. */
  async function remindOne(unit: ReminderEntry, now: Date): Promise<'reminded' | 'already' | 'passed'> {
    const access = await deps.budgets.getAccess(unit.budgetId, unit.createdBy);
    // No reminder of a bill the job will not record: a creator who cannot write, or an archived budget.
    if (!access || access.role === 'viewer' || access.budget.archivedAt !== undefined) return 'passed';
    for (let attempt = 1; ; attempt++) {
      const current = await deps.recurring.get(unit.budgetId, unit.id);
      if (!current || current.paused || current.nextOccurrenceOn === null) return 'passed';
      if (!isDueSoon(current.nextOccurrenceOn, access.timezone, now)) return 'passed';
      // Worked late (a backlog, a dead letter replayed): due soon as of the tick, but its day has begun since.
      if (hasBegun(current.nextOccurrenceOn, access.timezone, deps.clock.now())) return 'passed';
      const event = await createEvent(expenseRecurringDueSoon, dueSoonFacts(current, access.currency), deps.clock);
      // The creator's writer check in the reminder's transaction: the access read above may be
      // older than an archive (the archive race, packages/budgets/docs/budget-lifecycle.md).
      const outcome = await deps.reminders.remind(current, expenseRecurringDueSoon, event, deps.budgets.writeChecks(unit.budgetId, unit.createdBy, {})[0]!);
      if (outcome === 'refused') return 'passed';
      if (outcome !== 'changed') return outcome;
      // Edited (or moved, paused, deleted) since the read: read it again, so the reminder tells
      // what it says now (a PATCH answered before the reminder is never contradicted by it).
      if (attempt >= REMIND_ATTEMPTS) return 'passed';
    }
  }

  /** Every page and every unit in this process, as of the clock's now (tests and tools; deployed, the units fan out). */
  async function runOnce(ctx: HandlerContext): Promise<RemindersRunReport> {
    const now = deps.clock.now();
    const report: RemindersRunReport = { candidates: 0, reminded: 0, already: 0, passed: 0, failed: 0 };
    let cursor: string | undefined;
    do {
      const page = await plan(now, cursor);
      report.candidates += page.units.length;
      for (const unit of page.units) {
        try {
          report[await remindOne(unit, now)]++;
        } catch (err) {
          report.failed++;
          ctx.logger.error('recurring expense reminder not published', { budgetId: unit.budgetId, recurringExpenseId: unit.id, error: (err as Error).message });
        }
      }
      cursor = page.cursor;
    } while (cursor);
    ctx.logger.info('recurring reminders run', { ...report });
    return report;
  }

  return {
    name: RECURRING_REMINDERS_JOB,
    schedule: RECURRING_SCHEDULE,
    plan: (now, cursor) => plan(now, cursor),
    async work(unit, now, ctx) {
      const outcome = await remindOne(unit, now);
      if (outcome === 'reminded') ctx.logger.info('recurring expense reminder published', { budgetId: unit.budgetId, recurringExpenseId: unit.id, dueOn: unit.nextOccurrenceOn });
      return { done: outcome === 'reminded' ? 1 : 0 };
    },
    parseUnit: (raw) => parseDueUnit(raw, 'reminder unit'),
    runOnce,
  };
}

/** What the reminder says: the occurrence the recording job will record, as the definition is now. */
function dueSoonFacts(r: RecurringExpense, currency: string) {
  return {
    budgetId: r.budgetId,
    recurringExpenseId: r.id,
    dueOn: r.nextOccurrenceOn!,
    amount: r.amount,
    currency,
    categoryId: r.categoryId,
    ...(r.splits ? { splits: r.splits } : {}),
    merchant: r.merchant ?? null,
    description: r.description ?? null,
  };
}
