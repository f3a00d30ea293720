import { changesNothing, keyInUse, newId, problems, type Clock, type CursorCodec, type KeyCompletion } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import type { Expense, RecurringExpense } from '../model';
import { firstOnOrAfter, nextAfter } from '../domain/recurrence';
import type { CreateRecurringInput, ListRecurringInput, RecordNextInput, UpdateRecurringInput } from '../schemas/recurring.schemas';
import { RecurringChangedError, type RecurringRepository } from '../repository/recurring.repository';
import { authorize } from './access';
import { guardedItem, guardedWrite, type GuardedItem } from './guarded-write';
import { checkAgainstBudget, requireAChange } from '../domain/expense-rules';
import { optionalText } from '../domain/optional-text';
import { tagsField } from '../domain/tags';
import { foreignField } from '../domain/foreign';
import { sharedWithField } from '../domain/shared-with';
import { createdSharedAmounts } from '../domain/shared-amounts';
import { categoriesOf as categoriesIn, patchDetails } from '../domain/expense-patch';
import { refuseNonMembers, refuseStrangersSharing, sharingChecks, type SharedWithChecks } from './shared-with-checks';
import { MemberCheckFailedError } from '../repository/recurring-definitions';
import { createdCategories, patchedCategories } from '../domain/splits';
import { optimistically } from './optimistic';
import { TotalsLimitError } from '../repository/totals-cap';
import { recordedEvent } from './expense-facts';
import { categoriesOf, occurrenceExpense } from './occurrence-expense';
import { paused, resumed, skipped, startedHistory } from '../domain/pause-history';
import { WriteRacedError } from '../domain/write-retry';
import { CreatorCannotRecordError, createdDefinition, foundRecording, createdSchedule, patchedSchedule, pendingOccurrence, refuseAfterToday, refuseOtherCreate, refuseOtherNext, refuseCountWithEndsOn, rescheduleAfterPatch, skippedNext, targetedRead, writeCompletingKey } from './recurring-definition';

/** What record-next answers: the expense recorded and the definition moved past it. */
export interface RecordedNextExpense {
  expense: Expense;
  recurringExpense: RecurringExpense;
}

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
   * A definition's own write (create, PATCH, skip, DELETE) carries the budgets module's guard
   * (guarded-write.ts guardedItem): an archive committed after its access read fails it (409
   * budget-archived), for one ConditionCheck item more; it has carried it since before it took
   * a change number (delta sync, RecurringRepository), whose counter's archive condition would
   * now refuse it too. As for expenses, a lost race is re-read; If-Match is checked on every read.
   */
  private readonly definitions: GuardedItem<RecurringExpense>;

  constructor(private readonly deps: RecurringServiceDeps) {
    this.definitions = guardedItem(deps, 'write', {
      notFound: 'Recurring expense not found.',
      lostRace: (err) => err instanceof RecurringChangedError,
      busyDetail: 'The recurring expense is being changed by others right now; retry.',
    });
  }

  /**
   * `reservedId`: the Idempotency-Key's id, or an offline push's. `clientId`: that id is a
   * push's that may be resent after the definition was deleted (a client's `id`, or one derived
   * from the push's key, resent by a retry after a crash):
   * the write then checks its deleted marker (IdOfDeletedError, nothing written).
   * `completeKey`: the POST's Idempotency-Key lease completed with its 201 for the definition, as
   * an item of the create's own transaction (as the income create's): a retry after a crash
   * between the commit and the answer replays it, even once the definition was deleted.
   */
  async create(
    budgetId: string,
    userId: string,
    input: CreateRecurringInput,
    reservedId?: string,
    clientId = false,
    completeKey?: KeyCompletion<RecurringExpense>,
    clientsOwnId = false,
  ): Promise<RecurringExpense> {
    const [access, members] = await Promise.all([authorize(this.deps.budgets, budgetId, userId, 'write'), this.membersOf(budgetId, input)]);
    checkAgainstBudget(access, input);
    refuseStrangersSharing(input, members, [userId]);
    refuseCountWithEndsOn(input.schedule);
    const now = this.deps.clock.now();
    const today = todayIn(access.timezone, now);
    const schedule = createdSchedule(input.schedule, today);
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
      // Checked as an expense's: adding up to `amount`, not with sharedWith (a 400 naming sharedAmounts).
      ...createdSharedAmounts(input),
      schedule,
      nextOccurrenceOn: firstOnOrAfter(schedule, today),
      paused: false,
      ...startedHistory({ paused: false }, today),
      createdOn: today,
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    // The named members' checks ride the write (a removal since the members read fails them:
    // the 400 naming the entry, told from the lease completion's failure by the transaction's
    // cancellation reasons, so never 'key-taken'; shared-with-checks.ts).
    const shared = sharingChecks(this.deps.budgets, budgetId, [userId], input);
    const also = completeKey ? [completeKey.item(recurring)] : [];
    const outcome = await refusingRemoved(shared, () =>
      guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.repository.create(recurring, access.timezone, guard, clientId, also, shared.checks)),
    );
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'created') completeKey?.committed();
    const cap = { max: this.deps.repository.maxPerBudget, plural: 'recurring expenses', collection: 'recurringExpenses' };
    const result = await createdDefinition(outcome, recurring, userId, cap, () => this.deps.repository.get(budgetId, recurring.id));
    // `clientsOwnId`: a push's client id, resent maybe with the user's edit folded in (refuseOtherCreate).
    if (clientsOwnId && result !== recurring) refuseOtherCreate(result, recurring, input.schedule.startsOn !== undefined, 'recurring expense');
    return result;
  }

  /**
   * The budget's members when a write names `sharedWith` or `sharedAmounts` (one strongly
   * consistent Query, at the same time as the access read), none otherwise: the 400 before any
   * write. A member removed after this read fails the write's own checks (sharingChecks).
   */
  private async membersOf(budgetId: string, sent: Pick<UpdateRecurringInput, 'sharedWith' | 'sharedAmounts'>): Promise<string[]> {
    return sent.sharedWith || sent.sharedAmounts ? this.deps.budgets.memberIds(budgetId) : [];
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
    const [access, members] = await Promise.all([authorize(this.deps.budgets, budgetId, userId, 'write'), this.membersOf(budgetId, input)]);
    return this.definitions.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      // A category the definition is in already may be sent back (its form or splits sent whole)
      // though removed since, as on an expense's PATCH: only one it would move into must be the budget's.
      checkAgainstBudget(access, input, 'categoryId', categoriesIn(current));
      // Ids already on the definition, in either list, stay (someone who left since: history, as on expenses).
      const onIt = [...(current.sharedWith ?? []), ...(current.sharedAmounts ?? []).map((p) => p.userId)];
      refuseStrangersSharing(input, members, [userId, ...onIt]);
      const now = this.deps.clock.now();
      const today = todayIn(access.timezone, now);
      const next = applyPatch(current, input, now.toISOString());
      // The pause history (domain/pause-history.ts): a pause opens an interval, a resume closes it.
      if (next.paused !== current.paused) Object.assign(next, next.paused ? paused(current, today) : resumed(current, today));
      // Paused: none (it leaves the job's due index, RecurringRepository.toItem, and the
      // forecast); rescheduled or resumed: from today on (recurring-definition.ts).
      rescheduleAfterPatch(current, next, today);
      // The values it has already (a client saving a form untouched): nothing to write, no new
      // version, as a recurring income's PATCH. If-Match was checked on this read.
      if (changesNothing(current, next)) return current;
      // As the create's: a member named removed since the members read fails the write.
      const shared = sharingChecks(this.deps.budgets, budgetId, [userId, ...onIt], input);
      await refusingRemoved(shared, () => this.deps.repository.replace(current, next, access.timezone, guard, [], shared.checks));
      return next;
    });
  }

  /**
   * Skips the next occurrence only: nextOccurrenceOn moves to the schedule's following one, or
   * to null past `endsOn` (the schedule has ended, as after the job records its last one). 409
   * when paused or ended. The write is conditioned on the version and nextOccurrenceOn read,
   * as the job's recording is (RecurringRepository.recordOccurrence): when both race for the
   * same date exactly one wins; the loser re-reads (this skip then skips the one after).
   * `completeKey`: the POST's Idempotency-Key completed with its 200 in the skip's own
   * transaction, so a retry after a crash between the commit and the answer never skips twice.
   * `expectedNext`: an offline push's, the date its client saw as next (refuseOtherNext: 412 on
   * another one, also after a lost race, where the route's skip skips the one after).
   */
  async skip(
    budgetId: string,
    userId: string,
    id: string,
    ifMatch: ReadonlySet<number> | undefined,
    completeKey?: KeyCompletion<RecurringExpense>,
    expectedNext?: string,
  ): Promise<RecurringExpense> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    return this.definitions.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      refuseOtherNext(current, expectedNext, 'recurring expense');
      const date = pendingOccurrence(current, 'recurring expense', 'skip');
      const now = this.deps.clock.now();
      const next: RecurringExpense = { ...skippedNext(current, date, now.toISOString()), ...skipped(current, date, todayIn(access.timezone, now)) };
      return writeCompletingKey(next, completeKey, (also) => this.deps.repository.replace(current, next, access.timezone, guard, also));
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
   * as the job does, and 409. `reservedId` (Idempotency-Key): the expense's id, so a retry of
   * an attempt still running when its lease was taken over finds that expense. `completeKey`:
   * the key completed with the 200 in the recording's own transaction, so a retry after a crash
   * between the commit and the answer replays it (never records the next bill, even once the
   * expense was deleted). `expectedNext`: an offline push's, the date its client saw as next
   * (refuseOtherNext: 412 on another one).
   */
  async recordNext(
    budgetId: string,
    userId: string,
    id: string,
    input: RecordNextInput,
    ifMatch: ReadonlySet<number> | undefined,
    reservedId?: string,
    completeKey?: KeyCompletion<RecordedNextExpense>,
    expectedNext?: string,
  ): Promise<RecordedNextExpense> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    const today = todayIn(access.timezone, this.deps.clock.now());
    refuseAfterToday('occurredOn', input.occurredOn, today);
    if (reservedId !== undefined) {
      const recorded = await this.deps.repository.expense(budgetId, reservedId);
      if (recorded) return this.foundRecording(budgetId, id, recorded);
    }
    // A category removed after the categories were read (the recording refused): read them again.
    let categoriesRemoved = false;
    return optimistically({
      read: targetedRead<RecurringExpense>(() => this.definitions.mustGet(budgetId, id), ifMatch),
      ifMatch,
      write: async (current) => {
        refuseOtherNext(current, expectedNext, 'recurring expense');
        const date = pendingOccurrence(current, 'recurring expense', 'record');
        // As the job: recorded as the definition's creator, who must still be able to record expenses here.
        const creator = current.createdBy === userId && !categoriesRemoved ? access : await this.deps.budgets.getAccess(budgetId, current.createdBy);
        if (!creator || creator.role === 'viewer') {
          throw new CreatorCannotRecordError('Its creator can no longer record expenses in this budget, so its occurrences are not recorded; set up your own recurring expense instead.');
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
        const also = completeKey ? [completeKey.item({ expense, recurringExpense: next })] : [];
        const categories = this.deps.budgets.categoriesCheck(budgetId, categoriesOf(expense));
        // The caller's and the creator's membership checks (a writing role, not archived) in the
        // recording's transaction: either removed or made a viewer since the reads, nothing is
        // recorded (packages/budgets/docs/members.md "Audit"; before feat/races16 none was carried).
        const writers = [...new Set([userId, current.createdBy])].map((writer) => this.deps.budgets.writeChecks(budgetId, writer, {})[0]!);
        const outcome = await this.deps.repository.recordOccurrence(current, expense, publish, following, access.timezone, categories, change, also, writers);
        if (outcome === 'writer-refused') {
          // The caller's own access answers first (409 budget-archived, 403, 404), then the
          // creator's read again; both fine again (a role changed and back): a 409 to retry.
          await authorize(this.deps.budgets, budgetId, userId, 'write');
          const creatorNow = current.createdBy === userId ? undefined : await this.deps.budgets.getAccess(budgetId, current.createdBy);
          if (current.createdBy !== userId && (!creatorNow || creatorNow.role === 'viewer')) throw new CreatorCannotRecordError('Its creator can no longer record expenses in this budget, so its occurrences are not recorded; set up your own recurring expense instead.');
          throw new WriteRacedError('The budget was archived or your access changed while this was recorded; nothing was recorded, retry.');
        }
        if (outcome === 'recorded') {
          completeKey?.committed();
          return { expense, recurringExpense: next };
        }
        if (outcome === 'key-taken') {
          // A keyed push's (no completion here): its retry recorded this id first; answered as found above.
          const recorded = completeKey || reservedId === undefined ? undefined : await this.deps.repository.expense(budgetId, reservedId);
          if (recorded) return this.foundRecording(budgetId, id, recorded);
          throw keyInUse();
        }
        if (outcome === 'changed') throw new RecurringChangedError();
        if (outcome === 'category-removed') {
          // Nothing written: the next attempt reads the categories again and records it without the removed one.
          categoriesRemoved = true;
          throw new RecurringChangedError();
        }
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

  /** record-next's answer for the expense an earlier attempt of the request recorded (recurring-definition.ts foundRecording). */
  private async foundRecording(budgetId: string, id: string, recorded: Expense): Promise<RecordedNextExpense> {
    const { entry, definition } = await foundRecording(recorded, {
      numbers: () => this.deps.repository.recordingNumbers(budgetId, id, recorded.id),
      entry: () => this.deps.repository.expense(budgetId, recorded.id),
      definition: () => this.definitions.mustGet(budgetId, id),
    });
    return { expense: entry, recurringExpense: definition };
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.definitions.optimistically(budgetId, userId, id, ifMatch, (current, guard) => this.deps.repository.remove(current, guard, this.deps.clock.now()));
  }

}

function applyPatch(current: RecurringExpense, input: UpdateRecurringInput, now: string): RecurringExpense {
  const s = input.schedule ?? {};
  // amount, categoryId and splits as for an expense's PATCH (`splits: null` removes the parts).
  const { splits: _splits, ...unsplit } = current;
  const next: RecurringExpense = {
    ...unsplit,
    ...patchedCategories(current, input),
    schedule: patchedSchedule(current.schedule, s),
    paused: input.paused ?? current.paused,
    version: current.version + 1,
    updatedAt: now,
  };
  // The texts, tags, foreign amount and sharing, as an expense's PATCH (after the amount).
  patchDetails(next, input);
  return next;
}

/**
 * `write`, whose transaction carries `shared`'s checks: one failed (a named member removed since
 * the members read) is the 400 naming that entry (`sharedWith.<n>` / `sharedAmounts.<n>.userId`),
 * as removal first, nothing written.
 */
async function refusingRemoved<T>(shared: SharedWithChecks, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof MemberCheckFailedError) refuseNonMembers(err.failed, 0, shared);
    throw err;
  }
}
