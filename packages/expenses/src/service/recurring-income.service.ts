import { addDays, changesNothing, keyInUse, newId, problems, type Clock, type CursorCodec, type KeyCompletion, type ModuleStore } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { monthOf, todayIn } from '../domain/dates';
import { paused, resumed, skipped, startedHistory } from '../domain/pause-history';
import { requireAChange } from '../domain/expense-rules';
import { firstOnOrAfter, nextAfter, windowDates } from '../domain/recurrence';
import { incomeWindow } from '../domain/cash-forecast';
import { WriteRacedError } from '../domain/write-retry';
import type { Income, RecurringIncome } from '../model';
import type { IncomeRepository } from '../repository/income.repository';
import { TotalsLimitError } from '../repository/totals-cap';
import { WriterRefusedError } from '../repository/writer-guard';
import { RecurringIncomeChangedError, type RecurringIncomeRepository } from '../repository/recurring-income.repository';
import {
  MAX_UPCOMING_INCOME,
  UPCOMING_INCOME_DEFAULT_DAYS,
  UPCOMING_INCOME_MAX_DAYS,
  type CreateRecurringIncomeInput,
  type ListRecurringIncomeInput,
  type RecordNextIncomeInput,
  type UpcomingIncomeInput,
  type UpdateRecurringIncomeInput,
} from '../schemas/recurring-income.schemas';
import { authorize } from './access';
import { guardedItem, guardedWrite, type GuardedItem } from './guarded-write';
import { requireBudgetCurrency } from './income.service';
import { occurrenceIncome, occurrenceIncomeEvent } from './occurrence-income';
import { optimistically } from './optimistic';
import { type UpcomingOccurrences, CreatorCannotRecordError, createdDefinition, foundRecording, createdSchedule, patchedSchedule, pendingOccurrence, refuseAfterToday, refuseOtherCreate, refuseOtherNext, refuseCountWithEndsOn, rescheduleAfterPatch, skippedNext, targetedRead, writeCompletingKey } from './recurring-definition';

export interface RecurringIncomeServiceDeps {
  repository: RecurringIncomeRepository;
  /** record-next's read of the entry an Idempotency-Key reserved (a retry after a commit). */
  income: IncomeRepository;
  /** The module's store: record-next's income.recorded is its outbox item (platform outboxPut). */
  store: ModuleStore;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

/** What record-next answers: the entry recorded and the definition moved past it. */
export interface RecordedNext {
  income: Income;
  recurringIncome: RecurringIncome;
}

const CREATOR_CANNOT_WRITE = 'Its creator can no longer record income in this budget, so its occurrences are not recorded; set up your own recurring income instead.';

/** The occurrences still to record through a date, nearest first (GET .../recurring-income/upcoming). */
export type UpcomingIncome = UpcomingOccurrences<{ recurringIncomeId: string; receivedOn: string; amount: number; source?: string; description?: string; overdue?: true }>;

/**
 * CRUD of recurring income definitions (packages/expenses/docs/income.md "Recurring income"): a budget resource
 * as income entries and recurring expenses are (owners and editors write under the budgets
 * module's guard, viewers read, an archived budget refuses writes with 409). The schedule is the
 * recurring expenses' (their schemas and checks: recurring-definition.ts checkedSchedule and the
 * rest, domain/recurrence.ts): no back-fill, a new or changed schedule's first occurrence is the
 * first on or after today in the budget's time zone; a pause drops nextOccurrenceOn and a resume
 * starts from today. The job (jobs/recurring-income-job.ts) records the occurrences.
 */
export class RecurringIncomeService {
  private readonly definitions: GuardedItem<RecurringIncome>;

  constructor(private readonly deps: RecurringIncomeServiceDeps) {
    this.definitions = guardedItem(deps, 'write', {
      notFound: 'Recurring income not found.',
      lostRace: (err) => err instanceof RecurringIncomeChangedError,
      busyDetail: 'The recurring income is being changed by others right now; retry.',
    });
  }

  /**
   * `clientId`: as a recurring expense's create (RecurringService.create): a push's client id
   * checks the deleted marker. `completeKey`: the POST's Idempotency-Key lease completed with its
   * 201 for the definition, as an item of the create's own transaction (as the income create's):
   * a retry after a crash between the commit and the answer replays it, even once the definition
   * was deleted (its reserved id would otherwise create it again).
   */
  async create(
    budgetId: string,
    userId: string,
    input: CreateRecurringIncomeInput,
    reservedId?: string,
    clientId = false,
    completeKey?: KeyCompletion<RecurringIncome>,
    clientsOwnId = false,
  ): Promise<RecurringIncome> {
    refuseCountWithEndsOn(input.schedule);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    requireBudgetCurrency(input.currency, access);
    const now = this.deps.clock.now();
    const today = todayIn(access.timezone, now);
    const schedule = createdSchedule(input.schedule, today);
    const setUpPaused = input.paused === true;
    const timestamp = now.toISOString();
    const definition: RecurringIncome = {
      id: reservedId ?? newId(now.getTime()),
      budgetId,
      amount: input.amount,
      ...(input.source ? { source: input.source } : {}),
      ...(input.description ? { description: input.description } : {}),
      schedule,
      nextOccurrenceOn: setUpPaused ? null : firstOnOrAfter(schedule, today),
      paused: setUpPaused,
      // The pause history begins now (domain/pause-history.ts), as a recurring expense's; set up
      // paused, it is paused from today (as a paused recurring expense's copy).
      ...startedHistory({ paused: setUpPaused }, today),
      createdOn: today,
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const also = completeKey ? [completeKey.item(definition)] : [];
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.repository.create(definition, access.timezone, guard, clientId, also));
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'created') completeKey?.committed();
    const cap = { max: this.deps.repository.maxPerBudget, plural: 'recurring incomes', collection: 'recurringIncome' };
    const result = await createdDefinition(outcome, definition, userId, cap, () => this.deps.repository.get(budgetId, definition.id));
    // `clientsOwnId`: a push's client id, resent maybe with the user's edit folded in (refuseOtherCreate).
    if (clientsOwnId && result !== definition) refuseOtherCreate(result, definition, input.schedule.startsOn !== undefined, 'recurring income');
    return result;
  }

  async get(budgetId: string, userId: string, id: string): Promise<RecurringIncome> {
    const read = this.definitions.prefetch(budgetId, id);
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.definitions.mustGet(budgetId, id, read);
  }

  async list(budgetId: string, userId: string, query: ListRecurringIncomeInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const binding = JSON.stringify(['recurring-income', budgetId]);
    const startKey = this.deps.cursors.decode(query.cursor, binding);
    const page = await this.deps.repository.page(budgetId, query.limit, startKey);
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.lastKey, binding) };
  }

  async update(budgetId: string, userId: string, id: string, input: UpdateRecurringIncomeInput, ifMatch: ReadonlySet<number> | undefined): Promise<RecurringIncome> {
    requireAChange(input);
    if (input.schedule) refuseCountWithEndsOn(input.schedule);
    const prefetched = this.definitions.prefetch(budgetId, id);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    requireBudgetCurrency(input.currency, access);
    return this.definitions.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      const now = this.deps.clock.now();
      const today = todayIn(access.timezone, now);
      const s = input.schedule ?? {};
      const next: RecurringIncome = {
        ...current,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        schedule: patchedSchedule(current.schedule, s),
        paused: input.paused ?? current.paused,
        version: current.version + 1,
        updatedAt: now.toISOString(),
      };
      for (const field of ['source', 'description'] as const) {
        const value = input[field];
        if (value === null || value === '') delete next[field];
        else if (value !== undefined) next[field] = value;
      }
      // As a recurring expense's (recurring-definition.ts): paused, none (it leaves the job's due
      // index in this very write); rescheduled or resumed, from today on; a skip survives a pause.
      rescheduleAfterPatch(current, next, today);
      // The pause history, as a recurring expense's (domain/pause-history.ts): a pause opens an
      // interval, a resume closes it, in this very write (the definition's Put: no item more).
      if (next.paused !== current.paused) Object.assign(next, next.paused ? paused(current, today) : resumed(current, today));
      // The values it has already (a client saving a form untouched): nothing to write, no new
      // version, as an income entry's PATCH. If-Match was checked on this read.
      if (changesNothing(current, next)) return current;
      await this.deps.repository.replace(current, next, access.timezone, guard);
      return next;
    }, prefetched);
  }

  /**
   * Skips the next paycheck only, as a recurring expense's skip (RecurringService.skip):
   * nextOccurrenceOn moves to the schedule's following one, or to null past `endsOn`; 409 when
   * paused or ended. The Put is conditioned on the version and nextOccurrenceOn read, as the
   * job's advance is: when both race for the same date exactly one wins, and a losing skip
   * re-reads and skips the one after. `completeKey`: the POST's Idempotency-Key completed with
   * its 200 in the skip's own Put transaction, so a retry after a crash between the commit and
   * the answer replays it instead of skipping the paycheck after too. `expectedNext`: an offline
   * push's, the date its client saw as next (refuseOtherNext: 412 on another one).
   */
  async skip(
    budgetId: string,
    userId: string,
    id: string,
    ifMatch: ReadonlySet<number> | undefined,
    completeKey?: KeyCompletion<RecurringIncome>,
    expectedNext?: string,
  ): Promise<RecurringIncome> {
    const prefetched = this.definitions.prefetch(budgetId, id);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    return this.definitions.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      refuseOtherNext(current, expectedNext, 'recurring income');
      const date = pendingOccurrence(current, 'recurring income', 'skip');
      const now = this.deps.clock.now();
      // The skipped date joins the history too, so a date after `historySince` in neither list reads as missed only when it was.
      const next: RecurringIncome = { ...skippedNext(current, date, now.toISOString()), ...skipped(current, date, todayIn(access.timezone, now)) };
      return writeCompletingKey(next, completeKey, (also) => this.deps.repository.replace(current, next, access.timezone, guard, also));
    }, prefetched);
  }

  /**
   * Records the next paycheck now, as a recurring expense's record-next (RecurringService.recordNext):
   * the entry the job would record (occurrenceIncome, created by the definition's creator,
   * `recurringIncomeId` set; dated `input.receivedOn` when sent, not after today), written by
   * the job's own transaction (RecurringIncomeRepository.recordOccurrence: the income create's
   * write under the creator's guard, the occurrence marker and the advance conditioned on the
   * version and nextOccurrenceOn read), here with version + 1 and income.recorded carrying
   * `recordedBy` (who asked).
   *
   * Exactly once per occurrence: the marker keeps the job (and a changed schedule) from
   * recording the date again, and the conditioned advance keeps this and a concurrent job run
   * from both recording it. A lost race never records another paycheck instead: when the
   * re-read's nextOccurrenceOn is no longer the date first read (the job recorded it, a skip),
   * 409; a PATCH that left the date alone is retried (412 with If-Match). A date whose marker
   * exists (a schedule changed onto a recorded date): moved past, as the job does, and 409.
   * `reservedId` (Idempotency-Key): the entry's id, so a retry of an attempt still running when
   * its lease was taken over finds that entry. `completeKey`: the key completed with the 200 in
   * the recording's own transaction, so a retry after a crash between the commit and the answer
   * replays it (never records the paycheck after, even once the entry was deleted).
   * `expectedNext`: an offline push's, the date its client saw as next (refuseOtherNext: 412 on another one).
   */
  async recordNext(
    budgetId: string,
    userId: string,
    id: string,
    input: RecordNextIncomeInput,
    ifMatch: ReadonlySet<number> | undefined,
    reservedId?: string,
    completeKey?: KeyCompletion<RecordedNext>,
    expectedNext?: string,
  ): Promise<RecordedNext> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    const today = todayIn(access.timezone, this.deps.clock.now());
    refuseAfterToday('receivedOn', input.receivedOn, today);
    if (reservedId !== undefined) {
      const recorded = await this.deps.income.get(budgetId, reservedId);
      if (recorded) return this.foundRecording(budgetId, id, recorded);
    }
    return optimistically({
      read: targetedRead<RecurringIncome>(() => this.definitions.mustGet(budgetId, id), ifMatch),
      ifMatch,
      write: async (current) => {
        refuseOtherNext(current, expectedNext, 'recurring income');
        const date = pendingOccurrence(current, 'recurring income', 'record');
        // As the job: recorded as the definition's creator, who must still be able to record income here.
        const creator = current.createdBy === userId ? access : await this.deps.budgets.getAccess(budgetId, current.createdBy);
        if (!creator || creator.role === 'viewer') throw new CreatorCannotRecordError(CREATOR_CANNOT_WRITE);
        const now = this.deps.clock.now();
        const following = nextAfter(current.schedule, date);
        const entry = occurrenceIncome(current, date, now, {
          ...(reservedId !== undefined ? { id: reservedId } : {}),
          ...(input.receivedOn !== undefined ? { receivedOn: input.receivedOn } : {}),
        });
        const next: RecurringIncome = { ...current, nextOccurrenceOn: following, version: current.version + 1, updatedAt: now.toISOString() };
        const event = await occurrenceIncomeEvent(this.deps.store, this.deps.clock, entry, userId);
        // The creator's guard, as the job's: the entry is theirs (createdBy), so they must still write here.
        const guard = this.deps.budgets.writeChecks(budgetId, current.createdBy, {})[0]!;
        let outcome: Awaited<ReturnType<RecurringIncomeRepository['recordOccurrence']>>;
        try {
          const also = completeKey ? [completeKey.item({ income: entry, recurringIncome: next })] : [];
          // The caller's check too when another member's definition is recorded (since feat/races16: a caller removed meanwhile recorded it).
          const callerGuard = current.createdBy === userId ? undefined : this.deps.budgets.writeChecks(budgetId, userId, {})[0]!;
          outcome = await this.deps.repository.recordOccurrence(current, entry, event, following, access.timezone, guard, { version: next.version, updatedAt: next.updatedAt }, also, callerGuard);
        } catch (err) {
          if (!(err instanceof WriterRefusedError)) throw err;
          // Archived, or the caller's or the creator's role gone, since the reads: the caller's own
          // access answers first (409 budget-archived, 403, 404), then the creator's read again;
          // both fine again (a role changed and back), nothing was recorded: a 409 to retry.
          await authorize(this.deps.budgets, budgetId, userId, 'write');
          const creatorNow = current.createdBy === userId ? undefined : await this.deps.budgets.getAccess(budgetId, current.createdBy);
          if (current.createdBy !== userId && (!creatorNow || creatorNow.role === 'viewer')) throw new CreatorCannotRecordError(CREATOR_CANNOT_WRITE);
          throw new WriteRacedError('The budget was archived or an access changed while this was recorded; nothing was recorded, retry.');
        }
        if (outcome === 'recorded') {
          completeKey?.committed();
          return { income: entry, recurringIncome: next };
        }
        if (outcome === 'key-taken') {
          // A keyed push's (no completion here): its retry recorded this id first; answered as found above.
          const recorded = completeKey || reservedId === undefined ? undefined : await this.deps.income.get(budgetId, reservedId);
          if (recorded) return this.foundRecording(budgetId, id, recorded);
          throw keyInUse();
        }
        if (outcome === 'changed') throw new RecurringIncomeChangedError();
        if (outcome === 'totals-limit') throw new TotalsLimitError(monthOf(entry.receivedOn));
        // already-recorded: move past it as the job does (a lost race there changes nothing).
        await this.deps.repository.advance(current, following, access.timezone);
        throw problems.conflict(`The occurrence of ${date} is recorded already; nothing was recorded.`);
      },
      lostRace: (err) => err instanceof RecurringIncomeChangedError,
      busyDetail: 'The recurring income is being changed by others right now; retry.',
    });
  }

  /** record-next's answer for the entry an earlier attempt of the request recorded (recurring-definition.ts foundRecording). */
  private async foundRecording(budgetId: string, id: string, recorded: Income): Promise<RecordedNext> {
    const { entry, definition } = await foundRecording(recorded, {
      numbers: () => this.deps.repository.recordingNumbers(budgetId, id, recorded.id),
      entry: () => this.deps.income.get(budgetId, recorded.id),
      definition: () => this.definitions.mustGet(budgetId, id),
    });
    return { income: entry, recurringIncome: definition };
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    const prefetched = this.definitions.prefetch(budgetId, id);
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.definitions.optimistically(budgetId, userId, id, ifMatch, (current, guard) => this.deps.repository.remove(current, guard, this.deps.clock.now()), prefetched);
  }

  /**
   * The occurrences still to record from each definition's next one through `to` (default
   * today + 29 days; at most 90 days including today), nearest first, at most
   * MAX_UPCOMING_INCOME listed (counted and summed all). One Query of the definitions (at most
   * 100: one page); each definition's dates computed arithmetically (occurrencesBetween).
   */
  async upcoming(budgetId: string, userId: string, query: UpcomingIncomeInput): Promise<UpcomingIncome> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const from = todayIn(access.timezone, this.deps.clock.now());
    const last = addDays(from, UPCOMING_INCOME_MAX_DAYS - 1);
    const to = query.to ?? addDays(from, UPCOMING_INCOME_DEFAULT_DAYS - 1);
    if (to < from || to > last) throw problems.validation([{ path: 'query.to', message: `Must be from ${from} (today in the budget's time zone) to ${last}` }]);
    // An archived budget's paychecks are not recorded (the job skips its due dates): nothing upcoming, no definition read.
    const { items: definitions } = access.budget.archivedAt === undefined ? await this.deps.repository.page(budgetId, this.deps.repository.maxPerBudget) : { items: [] };
    const items: UpcomingIncome['items'] = [];
    let total = 0;
    let count = 0;
    for (const d of definitions) {
      // The cash flow forecast lays out the same window (domain incomeWindow).
      const window = incomeWindow(d, to);
      if (window.count === 0) continue;
      count += window.count;
      total += window.count * d.amount;
      const text = { ...(d.source !== undefined ? { source: d.source } : {}), ...(d.description !== undefined ? { description: d.description } : {}) };
      // A date before today not recorded yet (the job's hour after midnight, or the job behind):
      // listed on its date, the entry's receivedOn, and `overdue` (the forecast lists it on today).
      for (const receivedOn of windowDates(d.schedule, window, MAX_UPCOMING_INCOME)) {
        items.push({ recurringIncomeId: d.id, receivedOn, amount: d.amount, ...text, ...(receivedOn < from ? { overdue: true as const } : {}) });
      }
    }
    if (!Number.isSafeInteger(total)) throw problems.unprocessable('The income of the range adds up past 2^53 - 1 minor units: it cannot be given exactly; ask a nearer `to`.');
    items.sort((a, b) => (a.receivedOn === b.receivedOn ? (a.recurringIncomeId < b.recurringIncomeId ? -1 : 1) : a.receivedOn < b.receivedOn ? -1 : 1));
    return { from, to, currency: access.currency, total, count, truncated: count > MAX_UPCOMING_INCOME, items: items.slice(0, MAX_UPCOMING_INCOME) };
  }
}
