import { attr, conditionFailedAt, type Item, type Key, type ModuleStore } from '@budgeting/platform';
import type { Expense, RecurringExpense } from '../model';
import type { SharedAmount } from '../domain/shared-amounts';
import type { ExpensesRepository, CreateOutcome, Publish, TransactItems } from './expenses.repository';
import type { ExpenseQueries, ImportedExpenseFacts } from './expense-queries.repository';
import { TotalsLimitError } from './totals-cap';
import { DUE_SHARDS, importKeys, recurringKeys, type ImportKeys, type RecurringKeys } from './keys';
import { billMatchExpiry, billMatchPut } from './imports.repository';
import { CappedCollection, type CappedCreateOutcome } from './capped-collection';
import { schedule, sharedAmountsOf, sharedExpenseFields, splitsOf } from './attributes';
import type { WriterGuard } from './writer-guard';
import {
  advanceUpdate,
  definitionChange,
  definitionPrimed,
  definitionsPage,
  deletedMarker,
  createStamped,
  dueAttributes,
  dueEntriesPage,
  createdOnOf,
  historyOf,
  markerExpiry,
  putStamped,
  stampedCommit,
  storedHistory,
  unchangedDefinition,
  writeAdvance,
  type AdvanceOptions,
  type DefinitionChange,
  type DefinitionStamp,
} from './recurring-definitions';

export type { DefinitionChange, DueEntry } from './recurring-definitions';

/** What an occurrence marker says (RecurringRepository.recorded): the expense recorded, and its amount when the marker holds it. */
export interface RecordedMark {
  expenseId?: string;
  amount?: number;
}

/** The definition changed (PATCH, DELETE, or another job run advanced it) since we read it. */
const RECURRING_COUNT_KIND = 'recurring-count';
const DEFINITION_KIND = 'recurring-expense';

export class RecurringChangedError extends Error {
  constructor() {
    super('The recurring expense changed concurrently');
    this.name = 'RecurringChangedError';
  }
}

/** The `kind` of an occurrence marker (the bill status tells it from a bill match marker). */
export const OCCURRENCE_MARKER_KIND = 'recurring-occurrence';

/**
 * An occurrence marker is needed by the job only while its date can be computed again:
 * nextOccurrenceOn only moves forward, and a changed schedule restarts from today (a budget's
 * time zone change moves "today" by two days at most). The import reads it too: it is how an
 * imported bank row is known to be a bill the job recorded (bill matching, CsvImportService),
 * so it lives 100 days after its date: a statement imported up to about a quarter late still
 * finds the bills it holds. Markers written before 2026-12-02 live 35 days. The import ignores a
 * marker past its `expiresAt` that the TTL has not deleted yet.
 */
export const OCCURRENCE_MARKER_RETENTION_SECONDS = 100 * 24 * 60 * 60;

/**
 * Recurring expense definitions, their due entries (gsi1, on the definition item itself) and
 * the occurrence markers. Recording an occurrence goes through ExpensesRepository.create (the
 * expense, its running totals, its change stamp whose entry is also its outbox event, the
 * closed-budget check) with the marker and
 * the schedule's advance in the SAME transaction: the marker (attribute_not_exists) makes a
 * date recorded at most once per definition, the advance (conditioned on nextOccurrenceOn and
 * version) makes two job runs, or a run and a PATCH, unable to both win. Settling an occurrence
 * with an expense an import recorded (bill matching, the job's half: settleWithImported) writes
 * the same marker and advance, with the bill match and expense match markers, instead of an expense.
 */
/**
 * The most recurring expenses one budget holds. Every read of "all of a budget's definitions"
 * (the list, the forecast's Query) then stays bounded (500 x ~600 bytes: one 1 MB page), and a
 * client in a loop cannot grow them without end. A household has a few dozen.
 */
export const MAX_RECURRING_PER_BUDGET = 500;

/**
 * How the job's settle of an occurrence with an imported expense ended (settleWithImported):
 * 'matched': written; 'changed' / 'already-recorded' / 'budget-closed': as recordOccurrence's;
 * 'occurrence-taken': an import matched this occurrence already (its bill match marker);
 * 'expense-taken': another occurrence settled with this expense already (its expense match
 * marker); 'expense-changed': the expense is not as read (deleted, or its amount, date,
 * merchant changed). Nothing is written unless 'matched'.
 */
export type SettleOutcome = 'matched' | 'changed' | 'already-recorded' | 'budget-closed' | 'occurrence-taken' | 'expense-taken' | 'expense-changed';

export class RecurringRepository {
  private readonly keys: RecurringKeys;
  private readonly importKeys: ImportKeys;
  private readonly capped: CappedCollection;

  constructor(
    private readonly store: ModuleStore,
    private readonly expenses: ExpensesRepository,
    /** The bill matching's read of the imported expenses (importedBills). */
    private readonly queries: Pick<ExpenseQueries, 'importedOfAmount'>,
    /** Tests lower it; production passes nothing. */
    readonly maxPerBudget = MAX_RECURRING_PER_BUDGET,
  ) {
    this.keys = recurringKeys(store);
    this.importKeys = importKeys(store);
    this.capped = new CappedCollection(store, this.keys.recurringCount, RECURRING_COUNT_KIND, maxPerBudget);
  }

  async get(budgetId: string, id: string): Promise<RecurringExpense | undefined> {
    const item = await this.store.get({ Key: this.key(budgetId, id), ConsistentRead: true });
    return item ? toRecurring(item) : undefined;
  }

  /** The change numbers the recording of this definition's occurrence as the expense `entryId` took (ChangeLog.recordingNumbers). */
  recordingNumbers(budgetId: string, id: string, entryId: string) {
    return this.expenses.changes.recordingNumbers(budgetId, entryId, id, false);
  }

  /** As get(), with its change counter in the same request (the job's read: recurring-definitions.ts definitionPrimed). */
  async getPrimed(budgetId: string, id: string): Promise<RecurringExpense | undefined> {
    const item = await definitionPrimed(this.store, this.expenses.changes, this.key(budgetId, id), budgetId, id);
    return item ? toRecurring(item) : undefined;
  }

  /**
   * One page of a budget's definitions, oldest first (ids are ULIDs). Strongly consistent.
   * `lastKey` whenever more may follow, a page DynamoDB cut short at 1 MB included (limitPage).
   */
  async page(budgetId: string, limit: number, startKey?: Record<string, unknown>) {
    const { items, lastKey } = await definitionsPage(this.store, this.keys.budgetPk(budgetId), this.keys.recurringPrefix, limit, startKey);
    return { items: items.map(toRecurring), ...(lastKey ? { lastKey } : {}) };
  }

  /** As page(), after the definition `afterId` (a first sync's pages, ChangesService): `more` when any may follow. */
  async pageAfter(budgetId: string, afterId: string | undefined, limit: number): Promise<{ items: RecurringExpense[]; more: boolean }> {
    const page = await this.page(budgetId, limit, afterId === undefined ? undefined : this.key(budgetId, afterId));
    return { items: page.items, more: page.lastKey !== undefined };
  }

  /**
   * Every definition of the budget, oldest first: page() after page() until the last. A budget
   * holds at most maxPerBudget (500) of them, so this is ONE Query for a typical budget (500 x
   * ~0.6 KB), but a Query returns at most 1 MB and a definition within the API's bounds can be
   * about 30 KB (50 split parts with 500-character descriptions): some 35 of those fill a page,
   * and a read of the first page alone left the others out of the yearly costs, the bill status,
   * the price changes, the bill finder's covered merchants and an import's bill matching. At most
   * a few Queries (500 x 30 KB is 15 MB), memory bounded by the cap.
   */
  async all(budgetId: string): Promise<RecurringExpense[]> {
    const all: RecurringExpense[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.page(budgetId, this.maxPerBudget, startKey);
      all.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return all;
  }

  /**
   * Which of `occurrences` the job recorded: their occurrence markers (BatchGetItem, 100 keys a
   * request, strongly consistent), each live marker (not past its `expiresAt` at `now`) giving
   * the expense it recorded and the amount recorded (markers written before 2026-12-07 hold
   * none). Keyed `<recurringId>#<date>` (domain/bill-matching.ts occurrenceKey).
   */
  async recorded(budgetId: string, occurrences: readonly { recurringExpenseId: string; occurredOn: string }[], now: Date): Promise<Map<string, RecordedMark>> {
    if (occurrences.length === 0) return new Map();
    const items = await this.store.batchGet(occurrences.map((o) => this.keys.occurrence(budgetId, o.recurringExpenseId, o.occurredOn)), true);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    return new Map(
      items
        .filter((i) => typeof i.expiresAt !== 'number' || i.expiresAt > nowSeconds)
        .map((i): [string, RecordedMark] => [
          `${String(i.recurringExpenseId)}#${String(i.occurredOn)}`,
          { ...(typeof i.expenseId === 'string' ? { expenseId: i.expenseId } : {}), ...(typeof i.amount === 'number' ? { amount: i.amount } : {}) },
        ]),
    );
  }

  /**
   * One page of the budget's definitions that still have an occurrence to record on or before
   * `until` (the forecast's read): strongly consistent, as much as one Query returns (1 MB,
   * about 1,700 definitions of ~600 bytes). The filter drops ended definitions and those whose next
   * occurrence is later after the read, so read units count them too. `lastKey`: more to read.
   */
  async pendingPage(budgetId: string, until: string, startKey?: Record<string, unknown>) {
    const { items, lastKey } = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'nextOccurrenceOn <= :until',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.recurringPrefix, ':until': until },
      ConsistentRead: true,
      ExclusiveStartKey: startKey,
    });
    return { items: items.map(toRecurring), lastKey };
  }

  /**
   * 'exists' when a definition with this id is there already (an Idempotency-Key retry);
   * 'budget-closed' when the budget's data was deleted meanwhile (the same marker expense
   * creations check, so no definition outlives the budget.deleted cleanup); 'full' when the
   * budget holds `maxPerBudget` definitions (the count item moves in the same transaction, so
   * concurrent creates cannot pass the cap together); 'check-failed' with `refuseDeleted`: the id is a definition's deleted since (an offline
   * push's resent create, deletedMarker). `also`: items of the same transaction (a keyed
   * create's lease completion); 'key-taken' when one's condition failed (its lease taken over by
   * its retry), nothing written. `checks`: the named members' ConditionChecks, before `also`
   * (MemberCheckFailedError when one failed, nothing written).
   */
  async create(r: RecurringExpense, timezone: string, guard?: WriterGuard, refuseDeleted = false, also: TransactItems = [], checks: TransactItems = []): Promise<CappedCreateOutcome | 'check-failed' | 'key-taken'> {
    const deletedKey = refuseDeleted ? { deletedKey: this.keys.deleted(r.budgetId, r.id) } : {};
    return createStamped(this.capped, this.store, this.stamp(r, new Date(r.updatedAt)), { budgetId: r.budgetId, id: r.id, item: this.toItem(r, timezone) }, { ...(guard ? { guard } : {}), ...deletedKey, checks, also });
  }

  /**
   * Replaces `previous` with `next` if neither a PATCH (version) nor the job (nextOccurrenceOn)
   * moved it (and `guard` holds: writer-guard.ts), with its change number (delta sync) in the
   * same transaction: the Put, the counter's increment and the entry, the guard. `also`: items of
   * the same transaction after the Put (a keyed skip's lease completion): KeyTakenError when one's
   * condition failed, nothing written. `checks`: the named members' ConditionChecks
   * (MemberCheckFailedError when one failed, nothing written).
   */
  async replace(previous: RecurringExpense, next: RecurringExpense, timezone: string, guard?: WriterGuard, also: TransactItems = [], checks: TransactItems = []): Promise<void> {
    const put = { Item: this.toItem(next, timezone), ...this.unchanged(previous) };
    if (!(await putStamped(this.store, put, guard, this.stamp(next, new Date(next.updatedAt)), also, checks))) throw new RecurringChangedError();
  }

  /**
   * Deletes the definition and gives its place back in the budget's count, in one transaction.
   * (Definitions created before the count existed give back a place they never took: the count
   * can go below the number held by as many; the cap stays a bound, just that much looser.)
   */
  async remove(previous: RecurringExpense, guard?: WriterGuard, at = new Date()): Promise<void> {
    // `at`: the service clock's time of the DELETE, from which the marker's 30 days count (the
    // create's check compares with that clock too).
    const stamp = this.stamp(previous, at, true);
    // Its deleted marker, so a push's create resent with its id does not bring it back (deletedMarker).
    const marker = [{ Put: { Item: deletedMarker(this.keys.deleted(previous.budgetId, previous.id), stamp.at) } }];
    await this.capped.remove(previous.budgetId, this.key(previous.budgetId, previous.id), this.unchanged(previous), () => new RecurringChangedError(), marker, guard, stampedCommit(this.store, stamp));
  }

  /** The change (delta sync) a write of `r` takes; `deleted` for a DELETE. */
  private stamp(r: Pick<RecurringExpense, 'budgetId' | 'id'>, at: Date, deleted = false): DefinitionStamp {
    return { changes: this.expenses.changes, change: definitionChange(r.budgetId, r.id, false, deleted), at };
  }

  /**
   * One page of one due shard: entries due at or before the instant `at` (the start of their
   * next occurrence's day in the budget's time zone), oldest first. gsi1 is eventually
   * consistent: the job re-reads each definition before writing.
   */
  duePage(shard: number, at: string, limit: number, startKey?: Record<string, unknown>) {
    return dueEntriesPage(this.store, this.keys, shard, at, limit, startKey);
  }

  /**
   * Records the occurrence `previous.nextOccurrenceOn` as `expense` and moves the definition
   * to `nextOccurrenceOn`, all in one transaction. 'already-recorded': the marker of that date
   * exists (a changed schedule met a date recorded before), nothing written; 'changed': the
   * definition is not as read (another run won, a PATCH, a DELETE), nothing written;
   * 'totals-limit': the expense would take its month's running totals past 2^53 - 1
   * (TotalsLimitError), nothing written. `change`: the advance is also an API change of the
   * definition (record-next: its new version and updatedAt in the same Update); the job's
   * advance passes none (the version counts API changes only). `categories`: the budgets
   * module's check that the expense's categories are still the budget's
   * (BudgetsFacade.categoriesCheck; none when it names none): 'category-removed' when it failed
   * (a category removed after the caller read them), nothing written: read them again and
   * record it without the removed one (occurrence-expense.ts), as a create is refused there.
   */
  async recordOccurrence(
    previous: RecurringExpense,
    expense: Expense,
    publish: Publish,
    nextOccurrenceOn: string | null,
    timezone: string,
    categories: TransactItems,
    change?: DefinitionChange,
    also: TransactItems = [],
    /** The writers' membership checks (BudgetsFacade.writeChecks: record-next's caller and the definition's creator): 'writer-refused' when one failed. */
    writers: TransactItems = [],
  ): Promise<'recorded' | 'already-recorded' | 'changed' | 'budget-closed' | 'totals-limit' | 'key-taken' | 'category-removed' | 'writer-refused'> {
    const date = previous.nextOccurrenceOn!;
    const extra: TransactItems = [
      this.advanceItem(previous, nextOccurrenceOn, timezone, change),
      { Put: { Item: this.occurrenceItem(previous, date, expense.id, false, expense.amount), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...categories,
      ...writers,
      ...also,
    ];
    let outcome: CreateOutcome;
    try {
      // The definition's change (its new next date) rides on the expense's change counter: one entry more, no read more.
      const rider = { ...definitionChange(previous.budgetId, previous.id, false), shardOf: expense.id };
      outcome = await this.expenses.create(expense, publish, extra, { riders: [rider] });
    } catch (err) {
      // The month's totals cannot take it (totals-cap.ts): nothing written; no retry would fit it.
      if (err instanceof TotalsLimitError) return 'totals-limit';
      throw err;
    }
    if (outcome === 'created') return 'recorded';
    if (outcome === 'budget-closed') return 'budget-closed';
    // A keyed record-next's id is its key's reserved one: taken, another attempt of the same request
    // (its retry, which took the lease over) recorded it and completed the key, whose answer is that one.
    // A record-next (`change`) without the key's completion: a keyed push's id derived from the key's, the same.
    if (outcome === 'exists' && (also.length > 0 || change !== undefined)) return 'key-taken';
    if (outcome === 'exists') throw new Error(`expense id ${expense.id} already exists`); // fresh ULIDs: a bug
    if (outcome.extraFailed === 0) return 'changed';
    if (outcome.extraFailed === 1) return 'already-recorded';
    if (outcome.extraFailed < 2 + categories.length) return 'category-removed';
    return outcome.extraFailed < 2 + categories.length + writers.length ? 'writer-refused' : 'key-taken';
  }

  /**
   * The budget's expenses an import recorded (bill matching on) of `amount`, dated in [from, to]:
   * the job's ONE Query per occurrence with a merchant (ExpenseQueries.importedOfAmount).
   */
  importedBills(budgetId: string, amount: number, from: string, to: string, limit: number): Promise<ImportedExpenseFacts[]> {
    return this.queries.importedOfAmount(budgetId, amount, from, to, limit);
  }

  /**
   * Settles the occurrence `previous.nextOccurrenceOn` with `imported`, an expense an import
   * recorded that is its bill (bill matching, the job's half): NO expense is written; in ONE
   * transaction
   * 0. the definition moves to `nextOccurrenceOn` (the advance's condition: as read);
   * 1. the occurrence marker (if absent), naming the imported expense (`matched: true`), so
   *    the job never records that date again and an import finds the occurrence recorded;
   * 2. the occurrence's bill match marker (if absent): an import matched it, or will find it
   *    matched (a row of another file holding the same bill is then imported, as for a row
   *    matched by an import);
   * 3. the expense match marker (if absent): the expense settles no other occurrence. A marker
   *    keyed by the expense, not an attribute on its item: every write of an expense (PATCH,
   *    review, bulk edit, rename) puts its whole item conditioned on its version, so an
   *    attribute set here without a new version would be wiped by a PATCH that read the item
   *    before, and a new version would be a change without its change-log entry and event
   *    (sync clients and If-Match would meet a version they were never given). The marker is
   *    never touched by those writes, and DynamoDB serializes two writers of it;
   * 4. a check that the expense is still what was read (ExpensesRepository.importedUnchanged:
   *    it exists, same amount, date, merchant and import), so a deleted or edited one is not used;
   * 5. the closed-budget check of the expense's shard (a budget deleted meanwhile keeps nothing).
   * Markers 2 and 3 expire as bill match markers do (400 days after the occurrence).
   */
  async settleWithImported(
    previous: RecurringExpense,
    imported: ImportedExpenseFacts,
    nextOccurrenceOn: string | null,
    timezone: string,
    now: Date,
  ): Promise<SettleOutcome> {
    const date = previous.nextOccurrenceOn!;
    const budgetId = previous.budgetId;
    const occurrence = { recurringExpenseId: previous.id, occurredOn: date };
    const items: TransactItems = [
      this.advanceItem(previous, nextOccurrenceOn, timezone),
      { Put: { Item: this.occurrenceItem(previous, date, imported.id, true, imported.amount), ConditionExpression: 'attribute_not_exists(pk)' } },
      billMatchPut(this.importKeys, budgetId, occurrence, { importId: imported.importId, expenseId: imported.id }, now.toISOString()),
      {
        Put: {
          Item: {
            ...this.importKeys.expenseMatch(budgetId, imported.id),
            kind: 'bill-match-expense',
            expenseId: imported.id,
            ...occurrence,
            matchedAt: now.toISOString(),
            expiresAt: billMatchExpiry(date),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.expenses.importedUnchanged(budgetId, imported),
      this.expenses.budgetOpenFor(budgetId, imported.id),
    ];
    try {
      // With the definition's change number (its new next date; delta sync), after the items so
      // their indexes stay. A job's write: not stopped by an archive, as before (StampOptions).
      // Deliberately so in the archive's race too (after the job's access read): the imported
      // bill predates the archive and the settle only links it (no expense, totals or event);
      // refused, the date would be skipped and read missed although paid (packages/expenses/docs/import-export.md "Bill matching").
      await stampedCommit(this.store, this.stamp(previous, now), { evenArchived: true })(items, undefined);
      return 'matched';
    } catch (err) {
      // Most telling first: DynamoDB reports every item whose condition failed.
      if (conditionFailedAt(err, 5)) return 'budget-closed';
      if (conditionFailedAt(err, 0)) return 'changed';
      if (conditionFailedAt(err, 1)) return 'already-recorded';
      if (conditionFailedAt(err, 2)) return 'occurrence-taken';
      if (conditionFailedAt(err, 3)) return 'expense-taken';
      if (conditionFailedAt(err, 4)) return 'expense-changed';
      throw err;
    }
  }

  /** An expense of the budget (record-next's Idempotency-Key retry looks for the one it recorded). */
  expense(budgetId: string, expenseId: string): Promise<Expense | undefined> {
    return this.expenses.get(budgetId, expenseId);
  }

  /** Moves the definition past occurrences it does not record (already recorded, or skipped). */
  advance(previous: RecurringExpense, nextOccurrenceOn: string | null, timezone: string, options: AdvanceOptions = {}): Promise<'advanced' | 'changed'> {
    return writeAdvance(this.store, this.advanceItem(previous, nextOccurrenceOn, timezone), this.stamp(previous, new Date()), nextOccurrenceOn !== previous.nextOccurrenceOn, options);
  }

  /**
   * The occurrence marker of `date`: the expense recorded for it, or (`matched`) the imported
   * expense it was settled with, and its amount (what an import's row must be to match it: the
   * definition's amount may change later).
   */
  private occurrenceItem(previous: RecurringExpense, date: string, expenseId: string, matched: boolean, amount: number): Item {
    return {
      ...this.keys.occurrence(previous.budgetId, previous.id, date),
      kind: OCCURRENCE_MARKER_KIND,
      recurringExpenseId: previous.id,
      expenseId,
      amount,
      ...(matched ? { matched: true } : {}),
      occurredOn: date,
      expiresAt: markerExpiry(date, OCCURRENCE_MARKER_RETENTION_SECONDS),
    };
  }

  private advanceItem(previous: RecurringExpense, next: string | null, timezone: string, change?: DefinitionChange) {
    const due = next === null ? undefined : this.dueAttributes({ ...previous, nextOccurrenceOn: next }, timezone);
    return advanceUpdate(this.key(previous.budgetId, previous.id), previous, next, due, change);
  }

  /** The condition "still at the version and nextOccurrenceOn we read" (and so still there). */
  private unchanged(previous: RecurringExpense) {
    return unchangedDefinition(previous);
  }

  /** The key of a definition (delta sync reads them by key with the entries: ChangesService). */
  key(budgetId: string, id: string): Key {
    return { pk: this.keys.budgetPk(budgetId), sk: this.keys.recurringSk(id) };
  }

  /** An item read by key as a definition, undefined when it is none. */
  fromItem(item: Item): RecurringExpense | undefined {
    return item.kind === DEFINITION_KIND ? toRecurring(item) : undefined;
  }

  /** gsi1 keys while an occurrence is pending (recurring-definitions.ts dueAttributes), over DUE_SHARDS. */
  private dueAttributes(r: RecurringExpense, timezone: string) {
    return dueAttributes(r, timezone, this.keys, DUE_SHARDS);
  }

  private toItem(r: RecurringExpense, timezone: string): Item {
    const { nextOccurrenceOn, paused, pauses, skippedDates, historySince, ...rest } = r;
    return {
      ...this.key(r.budgetId, r.id),
      kind: DEFINITION_KIND,
      ...rest,
      ...(paused ? { paused: true } : {}),
      ...storedHistory({ pauses, skippedDates, historySince }),
      // A paused definition has no nextOccurrenceOn (service), so no due attributes either: it
      // leaves the job's index in the very write that pauses it.
      ...(nextOccurrenceOn === null ? {} : { nextOccurrenceOn }),
      ...this.dueAttributes(r, timezone),
    };
  }
}

function toRecurring(item: Item): RecurringExpense {
  const splits = splitsOf(item);
  const fields = sharedExpenseFields(item);
  return {
    ...fields,
    ...(splits ? { splits } : {}),
    ...addingUp(sharedAmountsOf(item), fields.amount),
    schedule: schedule(item, 'schedule'),
    nextOccurrenceOn: attr.nullableStr(item, 'nextOccurrenceOn'),
    // Read-side default: items written before pausing existed have no `paused`.
    paused: item.paused === true,
    ...(typeof item.skippedThrough === 'string' ? { skippedThrough: item.skippedThrough } : {}),
    ...historyOf(item),
    ...createdOnOf(item),
  };
}

/**
 * Read-side guard: amounts no longer adding up to the definition's `amount` (an item written
 * before a write checked it) are read as none, so the job and record-next never record an
 * expense whose exact amounts do not add up (the balances would owe more or less than was
 * paid) and the forecast never shows them: every member shares it, as after a PATCH's null.
 */
function addingUp(shared: { sharedAmounts?: SharedAmount[] }, amount: number): { sharedAmounts?: SharedAmount[] } {
  if (!shared.sharedAmounts) return {};
  return shared.sharedAmounts.reduce((sum, p) => sum + p.amount, 0) === amount ? shared : {};
}

