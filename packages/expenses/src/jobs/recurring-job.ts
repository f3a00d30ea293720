import { dueInstant, type Clock, type FanOutJob, type HandlerContext, type PlanPage } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { isBudgetArchived } from '../domain/write-retry';
import type { RecurringExpense } from '../model';
import { nextAfter } from '../domain/recurrence';
import { JOB_MATCH_MAX_ATTEMPTS, JOB_MATCH_MAX_EXAMINED, importedBillCandidates, matchWindow, matchableMerchant } from '../domain/bill-matching';
import { DUE_SHARDS } from '../repository/keys';
import { JOB_ADVANCE } from '../repository/recurring-definitions';
import type { DueEntry, RecurringRepository, SettleOutcome } from '../repository/recurring.repository';
import { recordedEvent } from '../service/expense-facts';
import { categoriesOf, occurrenceExpense } from '../service/occurrence-expense';
import { RECURRING_JOB, RECURRING_SCHEDULE } from './names';
import { allDueUnits, parseDueUnit, planDuePage, skipPastToday } from './recurring-due-units';

/**
 * The scheduled job that records recurring expenses, as a fan-out job (platform
 * jobs/fan-out.ts). Each tick:
 * 1. plan: pages the due index (gsi1, write-sharded) shard by shard for definitions whose next
 *    occurrence's day has begun in their budget's time zone at the tick's instant (never
 *    scanning, never reading what is not due yet); each definition is one unit;
 * 2. work (one definition, its own invocation): asks the budgets module for its creator's
 *    access (the budget's time zone, categories and the creator's role), and records every
 *    occurrence up to the tick's day in the budget's time zone, oldest first, each in ONE
 *    transaction with its expense, running totals, change stamp (its entry is also the
 *    expense.recorded outbox event: one item),
 *    closed-budget check, occurrence marker and the advance of nextOccurrenceOn (see
 *    RecurringRepository.recordOccurrence). A split definition's occurrence is a split expense
 *    (its parts are attributes of the same expense Put and totals Update: no item more). When the invocation's deadline (or the optional
 *    per-invocation cap) comes first, the rest of the unit goes back to the queue.
 *
 * Exactly once, whatever the timing: a late tick records every missed occurrence; a second
 * delivery, concurrent or later, loses each occurrence's conditional write to the first and
 * records nothing; a crash between occurrences leaves the definition at the first one not
 * recorded.
 *
 * A creator who can no longer write to the budget (removed, demoted to viewer, account
 * deleted): the job records as that user, and only owners and editors may record expenses,
 * so it records nothing for them. Their due occurrences are skipped (nextOccurrenceOn moves
 * past today) rather than kept pending, so a definition nobody may record is not re-read every
 * hour and no back-log is recorded at once if the creator regains access. The definition stays
 * visible to the budget's members, who can delete it or set up their own. The same happens for
 * a budget that is gone (getAccess cannot tell it apart from a lost membership); the
 * budget.deleted cleanup then removes the definition. And for an archived budget (read-only:
 * packages/budgets/docs/budget-lifecycle.md "Archiving a budget"; getAccess carries `archivedAt`): nothing is recorded, its
 * occurrences due are not recorded late on unarchiving; but a date on or before the archive's
 * day (in the budget's time zone) of a definition with a merchant is still settled with the bill
 * an import recorded before the archive (bill matching below: markers and the advance, no
 * expense, no totals), else skipped that date alone; so is a date up to 2 days after it (its
 * match window starts on or before the archive's day: a bill paid early); later dates are
 * skipped unread (no import can have recorded their bill since). The same whether the archive came
 * before the job's access read or after it (then the recording refused: archived today), so a
 * bill paid before the archive never reads missed.
 *
 * An occurrence that would take its month's running totals past 2^53 - 1 minor units (the
 * write is refused: totals-cap.ts) is skipped the same way, that one date only, with a warning.
 *
 * Bill matching, the job's half (domain/bill-matching.ts; the import's half matches a row with
 * an occurrence recorded before it): before recording an occurrence of a definition with a
 * merchant, the job looks for an expense an import recorded that is that bill (the same rule:
 * the same amount, merchant, the row dated from 2 days before to 5 after), with ONE Query of the
 * budget's imported expenses of the amount in that window (RecurringRepository.importedBills).
 * The first that fits and is free settles the occurrence instead: no expense, no event, one
 * transaction of markers and the advance (RecurringRepository.settleWithImported), counted in
 * `matched`. An expense another occurrence holds, or changed meanwhile, passes to the next one
 * (at most JOB_MATCH_MAX_ATTEMPTS tries); an occurrence an import matched already, or no fitting
 * expense, is recorded as before. The advance and the occurrence marker are the same items a
 * recording writes, so of two deliveries (or a recording and a settle) exactly one wins.
 * A matched occurrence publishes nothing: no expense was created, and the imported expense's own
 * expense.recorded (via import) already told thresholds, sync and activity about the bill.
 *
 * A paused definition is not in the due index at all (pausing removes its due attributes in the
 * same write, RecurringRepository.toItem), so the planner never reads it; a skip moves
 * nextOccurrenceOn under the same condition as the advance here, so a skip and a recording of
 * the same date cannot both win.
 *
 * The due instant is computed in the budget's time zone when the definition is written; a
 * later change of the budget's time zone is met when the entry comes up: a definition found
 * not yet due is moved to its true instant (counted as a not-due read).
 */

export interface RecurringJobOptions {
  /** Occurrences one definition may record in one invocation (the rest is re-queued); default: until the deadline. */
  maxOccurrencesPerRun?: number;
  /** runOnce only: definitions processed at the same time in one process. */
  concurrency?: number;
}

export interface RecurringRunReport {
  due: number;
  recorded: number;
  /** Occurrences settled with an expense an import had recorded (bill matching): no expense written. */
  matched: number;
  skipped: number;
  notYetDue: number;
  /** Definitions with occurrences left (the per-invocation cap, or the deadline). */
  unfinished: number;
  failed: number;
}

/** A unit: one definition, as the due index names it. */
export type RecurringUnit = DueEntry;

const PAGE_SIZE = 100;

// One function over 80 lines on purpose: a factory whose job (run, runOnce) and per-definition
// step share the settings, the run's access cache and its report through its closure.
// eslint-disable-next-line max-lines-per-function -- a factory whose job and step share the run's state (see above)
export function recurringJob(
  deps: { repository: RecurringRepository; budgets: BudgetsFacade; clock: Clock },
  options: RecurringJobOptions = {},
): FanOutJob<RecurringUnit> & { runOnce(ctx: HandlerContext): Promise<RecurringRunReport> } {
  const maxPerInvocation = options.maxOccurrencesPerRun ?? Number.POSITIVE_INFINITY;
  const emptyReport = (): RecurringRunReport => ({ due: 0, recorded: 0, matched: 0, skipped: 0, notYetDue: 0, unfinished: 0, failed: 0 });

  function plan(now: Date, cursor: string | undefined): Promise<PlanPage<RecurringUnit>> {
    return planDuePage((shard, limit, key) => deps.repository.duePage(shard, dueInstant(now), limit, key), 'recurring', DUE_SHARDS, PAGE_SIZE, cursor);
  }

  /**
   * Every page and every unit in this process, as of the clock's now (tests and tools; the
   * deployed system fans the units out instead).
   */
  async function runOnce(ctx: HandlerContext): Promise<RecurringRunReport> {
    const now = deps.clock.now();
    const report = emptyReport();
    const due: RecurringUnit[] = await allDueUnits(plan, now);
    report.due = due.length;
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const entry = due[next++]!;
        try {
          await processDefinition(entry, await deps.budgets.getAccess(entry.budgetId, entry.createdBy), now, report, ctx);
        } catch (err) {
          report.failed++;
          ctx.logger.error('recurring expense not processed', { budgetId: entry.budgetId, recurringExpenseId: entry.id, error: (err as Error).message });
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
    ctx.logger.info('recurring expenses run', { ...report });
    return report;
  }

  /** One definition; true when occurrences are still due (re-queue it). */
  async function processDefinition(
    entry: DueEntry,
    access: BudgetAccess | null,
    now: Date,
    report: RecurringRunReport,
    ctx: HandlerContext,
    deadline = Number.POSITIVE_INFINITY,
  ): Promise<boolean> {
    const timezone = access?.timezone ?? 'UTC';
    const today = todayIn(timezone, now);
    // With its change counter in the same request: a date moved without recording is numbered with no read more.
    let current = await deps.repository.getPrimed(entry.budgetId, entry.id);
    const log = { budgetId: entry.budgetId, recurringExpenseId: entry.id };

    const skip = (definition: RecurringExpense | undefined) => skipUnwritable(definition, today, timezone, report, ctx);
    if (!access || access.role === 'viewer') return skip(current);
    // An archived budget is read-only: nothing recorded (not caught up on unarchiving either), but
    // its dates up to the archive's day still get the bill an import recorded before it (below).
    let archivedOn = access.budget.archivedAt === undefined ? undefined : todayIn(timezone, new Date(access.budget.archivedAt));

    if (archivedOn === undefined && current && current.nextOccurrenceOn === entry.nextOccurrenceOn && current.nextOccurrenceOn > today) {
      // Indexed as due, yet not due in the budget's time zone (the zone changed since the
      // entry was keyed): re-key it at its true instant.
      report.notYetDue++;
      await deps.repository.advance(current, current.nextOccurrenceOn, timezone, JOB_ADVANCE);
      return false;
    }

    for (let steps = 0; ; steps++) {
      // A paused definition has no nextOccurrenceOn and no due entry; a stale entry read from
      // the eventually consistent index meets the paused item here and records nothing.
      if (!current || current.paused || current.nextOccurrenceOn === null || current.nextOccurrenceOn > today) return false;
      if (steps >= maxPerInvocation || (steps > 0 && Date.now() >= deadline)) break;
      const date = current.nextOccurrenceOn;
      const following = nextAfter(current.schedule, date);
      // Archived: a date whose match window starts after the archive's day (no bill imported before can fit;
      // one paid early can), or of a bill nothing can match, is skipped with every other one due (one advance past today).
      if (archivedOn !== undefined && (matchWindow(date).from > archivedOn || !matchableMerchant(current.merchant))) return skip(current);
      const settled = archivedOn === undefined ? await settleOrRecord(current, following, access, timezone, now) : ((await matchImported(current, following, timezone, now)) ?? { outcome: 'unmatched' as const, expenseId: undefined });
      const { expenseId } = settled, outcome = settled.outcome === 'writer-refused' ? await whyRefused(entry) : settled.outcome;
      if (outcome === 'unwritable') return skip(current);
      if (outcome === 'budget-archived' || outcome === 'unmatched') {
        // Archived after the access read above (the recording refused, its bill looked for
        // already: none): from here as if archived before it, today. Either way this date had no
        // imported bill: skipped alone, so a later date up to the archive's day may still be matched.
        archivedOn ??= today;
        current = await skipDate(current, following, timezone, report, ctx, 'recurring expense skipped: the budget is archived (no bill an import recorded matched the date)');
      } else if (outcome === 'recorded' || outcome === 'matched') {
        report[outcome]++;
        const message = outcome === 'matched' ? 'recurring expense matched an expense an import recorded (not recorded again)' : 'recurring expense recorded';
        ctx.logger.info(message, { ...log, occurredOn: date, expenseId, nextOccurrenceOn: following });
        current = { ...current, nextOccurrenceOn: following };
      } else if (outcome === 'already-recorded') {
        // A changed schedule met a date recorded before: move past it without recording it again.
        current = (await deps.repository.advance(current, following, timezone, JOB_ADVANCE)) === 'advanced'
          ? { ...current, nextOccurrenceOn: following }
          : await deps.repository.get(entry.budgetId, entry.id);
      } else if (outcome === 'totals-limit') {
        // A permanent refusal (the month's totals cannot take it): skipped like a lost
        // membership's occurrences, not retried every hour. The next one may fall in another month.
        current = await skipDate(current, following, timezone, report, ctx, "recurring expense skipped: its month's running totals would pass 2^53 - 1 minor units");
      } else if (outcome === 'category-removed') {
        // A category of the occurrence was removed after the access read (the recording's
        // categories check refused it, nothing written): read the categories again and record
        // the same date without it, as a new expense may not name a removed category.
        const fresh = await deps.budgets.getAccess(entry.budgetId, entry.createdBy);
        if (!fresh || fresh.role === 'viewer') return skip(current);
        access = fresh;
      } else if (outcome === 'writer-refused') { // whyRefused read access again, fine now (a role changed and back): the same date again.
      } else if (outcome === 'changed') {
        // Another delivery recorded it, or a PATCH/DELETE came first: continue from what is there now.
        current = await deps.repository.get(entry.budgetId, entry.id);
      } else {
        return false; // budget-closed: the budget.deleted cleanup removes the definition
      }
    }
    report.unfinished++;
    ctx.logger.info('recurring expense still behind; it goes on in another invocation', { ...log, nextOccurrenceOn: current.nextOccurrenceOn });
    return true;
  }

  /**
   * The occurrence `current.nextOccurrenceOn`: settled with a bill an import recorded first
   * (matchImported: no expense), else recorded (RecurringRepository.recordOccurrence).
   * `expenseId`: the imported expense, or the one recorded.
   */
  async function settleOrRecord(current: RecurringExpense, following: string | null, access: BudgetAccess, timezone: string, now: Date) {
    const settled = await matchImported(current, following, timezone, now);
    if (settled) return settled;
    const expense = occurrenceExpense(current, current.nextOccurrenceOn!, access, now);
    const publish = await recordedEvent(expense, deps.clock, { via: 'recurring', recurringExpenseId: current.id });
    const categories = deps.budgets.categoriesCheck(current.budgetId, categoriesOf(expense));
    // The creator's writer check rides the recording (as the income job's): a creator removed or
    // made a viewer after the access read records nothing ('writer-refused', access read again).
    // Its first check only (the membership's writing role; an archive is met by the change counter, as before).
    const creator = [deps.budgets.writeChecks(current.budgetId, current.createdBy, {})[0]!];
    try {
      return { outcome: await deps.repository.recordOccurrence(current, expense, publish, following, timezone, categories, undefined, [], creator), expenseId: expense.id };
    } catch (err) {
      // The budget was archived after the job's access read (its change counter refused the write).
      if (isBudgetArchived(err)) return { outcome: 'budget-archived' as const, expenseId: expense.id };
      throw err;
    }
  }

  /**
   * The creator's check refused a recording (nothing written): access read again. Gone or a
   * viewer: 'unwritable' (skipped, as had the first read said so); the budget archived since (the
   * archive marks the membership too): as a recording the archive refused; else (a role changed
   * and back) 'writer-refused' again: the same date is recorded again.
   */
  async function whyRefused(entry: DueEntry): Promise<'unwritable' | 'budget-archived' | 'writer-refused'> {
    const fresh = await deps.budgets.getAccess(entry.budgetId, entry.createdBy);
    if (!fresh || fresh.role === 'viewer') return 'unwritable';
    return fresh.budget.archivedAt === undefined ? 'writer-refused' : 'budget-archived';
  }

  /** Moves past the date `current.nextOccurrenceOn` without recording it (counted and logged as skipped, `message`); the definition as it is after (re-read when another write moved it first). */
  async function skipDate(current: RecurringExpense, following: string | null, timezone: string, report: RecurringRunReport, ctx: HandlerContext, message: string) {
    if ((await deps.repository.advance(current, following, timezone, JOB_ADVANCE)) !== 'advanced') return deps.repository.get(current.budgetId, current.id);
    report.skipped++;
    ctx.logger.warn(message, { budgetId: current.budgetId, recurringExpenseId: current.id, occurredOn: current.nextOccurrenceOn, nextOccurrenceOn: following });
    return { ...current, nextOccurrenceOn: following };
  }

  /** Moves a definition whose creator cannot write the budget (gone, viewer, archived) past today: its due occurrences skipped, not caught up later. */
  async function skipUnwritable(definition: RecurringExpense | undefined, today: string, timezone: string, report: RecurringRunReport, ctx: HandlerContext): Promise<false> {
    const skipped = await skipPastToday(definition, today, (d, resume) => deps.repository.advance(d, resume, timezone, JOB_ADVANCE));
    if (definition && skipped?.advanced) {
      report.skipped++;
      ctx.logger.warn('recurring expense skipped: its creator cannot record expenses in the budget (or it is gone or archived)', {
        budgetId: definition.budgetId,
        recurringExpenseId: definition.id,
        createdBy: definition.createdBy,
        skippedFrom: definition.nextOccurrenceOn,
        nextOccurrenceOn: skipped.resume,
      });
    }
    return false;
  }

  /**
   * Bill matching, the job's half: settles the occurrence `current.nextOccurrenceOn` with an
   * expense an import recorded that is its bill, if one fits and is free. undefined: record it
   * as usual (no merchant: nothing read; nothing fits; an import matched it already; every
   * candidate tried is held by another occurrence or changed). Otherwise the settle's outcome,
   * which the caller meets as a recording's ('changed', 'already-recorded', 'budget-closed').
   */
  async function matchImported(
    current: RecurringExpense,
    following: string | null,
    timezone: string,
    now: Date,
  ): Promise<{ outcome: Exclude<SettleOutcome, 'occurrence-taken' | 'expense-taken' | 'expense-changed'>; expenseId: string } | undefined> {
    if (!matchableMerchant(current.merchant)) return undefined;
    const occurrence = { occurredOn: current.nextOccurrenceOn!, amount: current.amount, merchant: current.merchant };
    const { from, to } = matchWindow(occurrence.occurredOn);
    const found = await deps.repository.importedBills(current.budgetId, current.amount, from, to, JOB_MATCH_MAX_EXAMINED);
    for (const candidate of importedBillCandidates(occurrence, found).slice(0, JOB_MATCH_MAX_ATTEMPTS)) {
      const outcome = await deps.repository.settleWithImported(current, candidate, following, timezone, now);
      // Held by another occurrence (another definition of the same bill, a weekly one's
      // neighbour), or deleted/edited since the read: the next candidate.
      if (outcome === 'expense-taken' || outcome === 'expense-changed') continue;
      // An import matched this occurrence already (its bill match marker): record it as before.
      if (outcome === 'occurrence-taken') return undefined;
      return { outcome, expenseId: candidate.id };
    }
    return undefined;
  }

  return {
    name: RECURRING_JOB,
    schedule: RECURRING_SCHEDULE,
    plan: (now, cursor) => plan(now, cursor),
    async work(unit, now, ctx) {
      const report = emptyReport();
      const again = await processDefinition(unit, await deps.budgets.getAccess(unit.budgetId, unit.createdBy), now, report, ctx, ctx.deadline);
      return { done: report.recorded + report.matched, notDue: report.notYetDue > 0, ...(again ? { again: unit } : {}) };
    },
    parseUnit: (raw) => parseDueUnit(raw, 'recurring unit'),
    runOnce,
  };
}
