import { MAX_DATE, newId, problems, type Clock, type CursorCodec, type FieldError } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import type { Expense, RecurringExpense } from '../model';
import { firstOnOrAfter, nextAfter, type Schedule } from '../domain/recurrence';
import { countedEndsOn } from '../domain/installments';
import type { CreateRecurringInput, ListRecurringInput, RecordNextInput, UpdateRecurringInput } from '../schemas/recurring.schemas';
import { RecurringChangedError, type RecurringRepository } from '../repository/recurring.repository';
import { authorize } from './access';
import { guardedItem, guardedWrite, type GuardedItem } from './guarded-write';
import { checkAgainstBudget, requireAChange } from '../domain/expense-rules';
import { optionalText, patchOptionalText } from '../domain/optional-text';
import { patchTags, tagsField } from '../domain/tags';
import { foreignField, patchForeign } from '../domain/foreign';
import { patchSharedWith, sharedWithField } from '../domain/shared-with';
import { refuseStrangers } from './shared-with-checks';
import { createdCategories, patchedCategories } from '../domain/splits';
import { optimistically } from './optimistic';
import { TotalsLimitError } from '../repository/totals-cap';
import { recordedEvent } from './expense-facts';
import { occurrenceExpense } from './occurrence-expense';
import { paused, resumed, skipped, startedHistory } from '../domain/pause-history';

export interface RecurringServiceDeps {
  repository: RecurringRepository;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

/**
 * CRUD of recurring expense definitions: the same roles and budget checks as expenses. A new
 * definition's first occurrence is the first one on or after today in the budget's time zone:
 * a startsOn in the past anchors the schedule but is never back-filled (a schedule started in
 * 2020 does not record six years of expenses at once). The job (recurring-job.ts) records them.
 *
 * A definition may be split (`splits`) under exactly the rules of a split expense, checked by
 * the same code (domain/splits.ts on the state the write leaves; each part's category by
 * checkAgainstBudget, as the definition's own category is): its occurrences are split expenses.
 */
export class RecurringService {
  /**
   * A definition's own write (create, PATCH, skip, DELETE) takes no change number, so it carries
   * the budgets module's guard (guarded-write.ts guardedItem): an archive committed after its
   * access read fails it (409 budget-archived), for one ConditionCheck item more. As for
   * expenses, a lost race is re-read; If-Match is checked on every read.
   */
  private readonly definitions: GuardedItem<RecurringExpense>;

  constructor(private readonly deps: RecurringServiceDeps) {
    this.definitions = guardedItem(deps, 'write', {
      notFound: 'Recurring expense not found.',
      lostRace: (err) => err instanceof RecurringChangedError,
      busyDetail: 'The recurring expense is being changed by others right now; retry.',
    });
  }

  async create(budgetId: string, userId: string, input: CreateRecurringInput, reservedId?: string): Promise<RecurringExpense> {
    const [access, members] = await Promise.all([authorize(this.deps.budgets, budgetId, userId, 'write'), this.membersOf(budgetId, input.sharedWith)]);
    checkAgainstBudget(access, input);
    refuseStrangers(input.sharedWith, members, [userId]);
    refuseCountWithEndsOn(input.schedule);
    const now = this.deps.clock.now();
    const today = todayIn(access.timezone, now);
    const schedule = checkedSchedule({
      frequency: input.schedule.frequency,
      interval: input.schedule.interval ?? 1,
      startsOn: input.schedule.startsOn ?? today,
      ...(input.schedule.endsOn !== undefined ? { endsOn: input.schedule.endsOn } : {}),
      ...(input.schedule.count !== undefined ? { count: input.schedule.count } : {}),
    });
    const timestamp = now.toISOString();
    const recurring: RecurringExpense = {
      id: reservedId ?? newId(now.getTime()),
      budgetId,
      amount: input.amount,
      ...createdCategories(input),
      ...optionalText(input),
      ...tagsField(input.tags),
      ...foreignField(input.foreign),
      ...sharedWithField(input.sharedWith),
      schedule,
      nextOccurrenceOn: firstOnOrAfter(schedule, today),
      paused: false,
      ...startedHistory({ paused: false }, today),
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.repository.create(recurring, access.timezone, guard));
    if (outcome === 'created') return recurring;
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    if (outcome === 'full') {
      throw problems.conflict(`A budget can have at most ${this.deps.repository.maxPerBudget} recurring expenses; delete one first.`);
    }
    const existing = await this.deps.repository.get(budgetId, recurring.id);
    if (!existing || existing.createdBy !== userId) {
      throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
    }
    return existing;
  }

  /**
   * The budget's members when a write names `sharedWith` (one strongly consistent Query, at
   * the same time as the access read), none otherwise: a definition's write carries no
   * transaction for the expenses' ConditionChecks (its PATCH is one conditional Put).
   */
  private async membersOf(budgetId: string, sharedWith: readonly string[] | null | undefined): Promise<string[]> {
    return sharedWith ? this.deps.budgets.memberIds(budgetId) : [];
  }

  async get(budgetId: string, userId: string, id: string): Promise<RecurringExpense> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.definitions.mustGet(budgetId, id);
  }

  async list(budgetId: string, userId: string, query: ListRecurringInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const binding = JSON.stringify(['recurring-expenses', budgetId]);
    const startKey = this.deps.cursors.decode(query.cursor, binding);
    const page = await this.deps.repository.page(budgetId, query.limit, startKey);
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.lastKey, binding) };
  }

  async update(
    budgetId: string,
    userId: string,
    id: string,
    input: UpdateRecurringInput,
    ifMatch: ReadonlySet<number> | undefined,
  ): Promise<RecurringExpense> {
    requireAChange(input);
    if (input.schedule) refuseCountWithEndsOn(input.schedule);
    const [access, members] = await Promise.all([authorize(this.deps.budgets, budgetId, userId, 'write'), this.membersOf(budgetId, input.sharedWith)]);
    checkAgainstBudget(access, input);
    return this.definitions.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      // Ids already on the definition stay (someone who left since: history, as on expenses).
      refuseStrangers(input.sharedWith, members, [userId, ...(current.sharedWith ?? [])]);
      const now = this.deps.clock.now();
      const today = todayIn(access.timezone, now);
      const next = applyPatch(current, input, now.toISOString());
      // The pause history (domain/pause-history.ts): a pause opens an interval, a resume closes it.
      if (next.paused !== current.paused) Object.assign(next, next.paused ? paused(current, today) : resumed(current, today));
      if (next.paused) {
        // Paused: no next occurrence, so the definition leaves the job's due index in this
        // same write (RecurringRepository.toItem) and the forecast leaves it out.
        next.nextOccurrenceOn = null;
      } else if (!sameSchedule(current.schedule, next.schedule)) {
        // Rescheduled: from today on. Past dates are never recorded by a change, and a date
        // recorded already (today's, say) is not recorded again (its occurrence marker, see the
        // job). A skip was of the old schedule's date: the new schedule's dates all stand.
        next.nextOccurrenceOn = firstOnOrAfter(next.schedule, today);
        delete next.skippedThrough;
      } else if (current.paused) {
        // Resumed: from today on (occurrences missed while paused are not recorded, as YNAB
        // does), but never a date the user skipped before pausing.
        next.nextOccurrenceOn = resumedFrom(next, today);
      }
      await this.deps.repository.replace(current, next, access.timezone, guard);
      return next;
    });
  }

  /**
   * Skips the next occurrence only: nextOccurrenceOn moves to the schedule's following one, or
   * to null past `endsOn` (the schedule has ended, as after the job records its last one). 409
   * when paused or ended. The write is conditioned on the version and nextOccurrenceOn read,
   * as the job's recording is (RecurringRepository.recordOccurrence): when both race for the
   * same date exactly one wins; the loser re-reads (this skip then skips the one after).
   */
  async skip(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<RecurringExpense> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    return this.definitions.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      if (current.paused) throw problems.conflict('The recurring expense is paused: resume it first (PATCH paused: false).');
      if (current.nextOccurrenceOn === null) throw problems.conflict('The recurring expense has ended: it has no next occurrence to skip.');
      const now = this.deps.clock.now();
      const next: RecurringExpense = {
        ...current,
        nextOccurrenceOn: nextAfter(current.schedule, current.nextOccurrenceOn),
        skippedThrough: current.nextOccurrenceOn,
        ...skipped(current, current.nextOccurrenceOn, todayIn(access.timezone, now)),
        version: current.version + 1,
        updatedAt: now.toISOString(),
      };
      await this.deps.repository.replace(current, next, access.timezone, guard);
      return next;
    });
  }

  /**
   * Records the next occurrence now (YNAB's "Enter now"): the expense the job would record for
   * it (occurrenceExpense, created by the definition's creator; dated `input.occurredOn` when
   * sent, not after today), written by the job's own transaction (recordOccurrence: expense,
   * totals, expense.recorded via recurring with `recordedBy` (who asked: the activity log's
   * actor; `createdBy` stays the creator, the payer), closed-budget check, the occurrence marker and the
   * advance conditioned on the version and nextOccurrenceOn read), here with version + 1.
   *
   * Exactly once per occurrence: the marker keeps the job (and a changed schedule) from
   * recording the date again, and the conditioned advance makes this and a concurrent job run
   * unable to both record it. A lost race never records another occurrence instead: when the
   * re-read's nextOccurrenceOn is no longer the date first read (the job recorded it, a skip),
   * 409; a PATCH that left the date alone is retried (412 with If-Match). A date whose marker
   * exists already (a schedule changed onto a recorded date): the definition moves past it,
   * as the job does, and 409. `reservedId` (Idempotency-Key): the expense's id, so a retry
   * whose first attempt committed before its answer was stored finds that expense.
   */
  async recordNext(
    budgetId: string,
    userId: string,
    id: string,
    input: RecordNextInput,
    ifMatch: ReadonlySet<number> | undefined,
    reservedId?: string,
  ): Promise<{ expense: Expense; recurringExpense: RecurringExpense }> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    const today = todayIn(access.timezone, this.deps.clock.now());
    if (input.occurredOn !== undefined && input.occurredOn > today) {
      throw problems.validation([{ path: 'occurredOn', message: `Must not be after today (${today}) in the budget's time zone` }]);
    }
    if (reservedId !== undefined) {
      const recorded = await this.deps.repository.expense(budgetId, reservedId);
      if (recorded) return { expense: recorded, recurringExpense: await this.definitions.mustGet(budgetId, id) };
    }
    let target: string | null | undefined;
    return optimistically({
      read: async () => {
        const current = await this.definitions.mustGet(budgetId, id);
        if (target === undefined) target = current.nextOccurrenceOn;
        else if (current.nextOccurrenceOn !== target && (ifMatch === undefined || ifMatch.has(current.version))) {
          throw problems.conflict(`The occurrence of ${target} was recorded or skipped meanwhile; nothing was recorded.`);
        }
        return current;
      },
      ifMatch,
      write: async (current) => {
        if (current.paused) throw problems.conflict('The recurring expense is paused: resume it first (PATCH paused: false).');
        const date = current.nextOccurrenceOn;
        if (date === null) throw problems.conflict('The recurring expense has ended: it has no next occurrence to record.');
        // As the job: recorded as the definition's creator, who must still be able to record expenses here.
        const creator = current.createdBy === userId ? access : await this.deps.budgets.getAccess(budgetId, current.createdBy);
        if (!creator || creator.role === 'viewer') {
          throw problems.conflict('Its creator can no longer record expenses in this budget, so its occurrences are not recorded; set up your own recurring expense instead.');
        }
        const now = this.deps.clock.now();
        const following = nextAfter(current.schedule, date);
        const expense = occurrenceExpense(current, date, creator, now, {
          ...(reservedId !== undefined ? { id: reservedId } : {}),
          ...(input.occurredOn !== undefined ? { occurredOn: input.occurredOn } : {}),
        });
        const next: RecurringExpense = { ...current, nextOccurrenceOn: following, version: current.version + 1, updatedAt: now.toISOString() };
        const publish = await recordedEvent(expense, this.deps.clock, { via: 'recurring', recurringExpenseId: current.id, recordedBy: userId });
        const change = { version: next.version, updatedAt: next.updatedAt };
        const outcome = await this.deps.repository.recordOccurrence(current, expense, publish, following, access.timezone, change);
        if (outcome === 'recorded') return { expense, recurringExpense: next };
        if (outcome === 'changed') throw new RecurringChangedError();
        if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
        if (outcome === 'totals-limit') throw new TotalsLimitError(expense.occurredOn.slice(0, 7));
        // already-recorded: move past it as the job does (a lost race there changes nothing).
        await this.deps.repository.advance(current, following, access.timezone);
        throw problems.conflict(`The occurrence of ${date} is recorded already; nothing was recorded.`);
      },
      lostRace: (err) => err instanceof RecurringChangedError,
      busyDetail: 'The recurring expense is being changed by others right now; retry.',
    });
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.definitions.optimistically(budgetId, userId, id, ifMatch, (current, guard) => this.deps.repository.remove(current, guard));
  }

}

/**
 * A schedule without undefined fields (DynamoDB stores it as a map), endsOn not before startsOn.
 * With a `count`, endsOn is derived from it (the count-th occurrence; any endsOn given is
 * ignored: callers pass one or the other), so a changed frequency, interval or startsOn moves it.
 */
export function checkedSchedule(s: Schedule): Schedule {
  const errors: FieldError[] = [];
  let endsOn = s.endsOn;
  if (s.count !== undefined) {
    endsOn = countedEndsOn(s, s.count) ?? undefined;
    if (endsOn === undefined) errors.push({ path: 'schedule.count', message: `Its last occurrence would fall after ${MAX_DATE}` });
  } else if (endsOn !== undefined && endsOn < s.startsOn) {
    errors.push({ path: 'schedule.endsOn', message: `Must be on or after startsOn (${s.startsOn})` });
  }
  if (errors.length > 0) throw problems.validation(errors);
  return {
    frequency: s.frequency,
    interval: s.interval,
    startsOn: s.startsOn,
    ...(endsOn !== undefined ? { endsOn } : {}),
    ...(s.count !== undefined ? { count: s.count } : {}),
  };
}

/** `count` and `endsOn` both end a schedule: one or the other (checked before any read). */
export function refuseCountWithEndsOn(s: { count?: number | null; endsOn?: string | null }): void {
  if (typeof s.count === 'number' && s.endsOn !== undefined) {
    throw problems.validation([{ path: 'schedule.count', message: 'Send either count or endsOn, not both' }]);
  }
}

/**
 * The end a PATCH leaves: a count sent replaces the end; an endsOn sent (null too) replaces a
 * count; `count: null` removes the count and the endsOn derived from it (an endsOn set by hand,
 * on a definition without a count, stays); nothing sent keeps the count (checkedSchedule then
 * derives endsOn again from the new frequency, interval or startsOn) or the endsOn.
 */
export function patchedEnd(current: Schedule, s: NonNullable<UpdateRecurringInput['schedule']>): Pick<Schedule, 'endsOn' | 'count'> {
  if (typeof s.count === 'number') return { count: s.count };
  if (s.endsOn !== undefined) return s.endsOn === null ? {} : { endsOn: s.endsOn };
  if (current.count !== undefined) return s.count === null ? {} : { count: current.count };
  return current.endsOn !== undefined ? { endsOn: current.endsOn } : {};
}

export function sameSchedule(a: Schedule, b: Schedule): boolean {
  return a.frequency === b.frequency && a.interval === b.interval && a.startsOn === b.startsOn && a.endsOn === b.endsOn;
}

/** The first occurrence on or after `today` that is after the latest skipped date (recurring expenses and income). */
export function resumedFrom(definition: { schedule: Schedule; skippedThrough?: string }, today: string): string | null {
  const first = firstOnOrAfter(definition.schedule, today);
  const skipped = definition.skippedThrough;
  return first !== null && skipped !== undefined && first <= skipped ? nextAfter(definition.schedule, skipped) : first;
}

function applyPatch(current: RecurringExpense, input: UpdateRecurringInput, now: string): RecurringExpense {
  const s = input.schedule ?? {};
  // amount, categoryId and splits as for an expense's PATCH (`splits: null` removes the parts).
  const { splits: _splits, ...unsplit } = current;
  const next: RecurringExpense = {
    ...unsplit,
    ...patchedCategories(current, input),
    schedule: checkedSchedule({
      frequency: s.frequency ?? current.schedule.frequency,
      interval: s.interval ?? current.schedule.interval,
      startsOn: s.startsOn ?? current.schedule.startsOn,
      ...patchedEnd(current.schedule, s),
    }),
    paused: input.paused ?? current.paused,
    version: current.version + 1,
    updatedAt: now,
  };
  patchOptionalText(next, input);
  patchTags(next, input.tags);
  patchForeign(next, input.foreign);
  patchSharedWith(next, input.sharedWith);
  return next;
}
