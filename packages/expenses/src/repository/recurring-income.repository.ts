import { attr, type Item, type Key, type ModuleStore, type TransactItem } from '@budgeting/platform';
import type { Income, RecurringIncome } from '../model';
import { schedule } from './attributes';
import { CappedCollection, type CappedCreateOutcome } from './capped-collection';
import type { IncomeRepository } from './income.repository';
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
  unchangedDefinition as unchanged,
  writeAdvance,
  type AdvanceOptions,
  type DefinitionChange,
  type DefinitionStamp,
  type DueEntry,
} from './recurring-definitions';
import { INCOME_DUE_SHARDS, recurringIncomeKeys } from './keys';
import { TotalsLimitError } from './totals-cap';
import { WriterRefusedError, type WriterGuard } from './writer-guard';

const DEFINITION_KIND = 'recurring-income';
const COUNT_KIND = 'recurring-income-count';
const OCCURRENCE_KIND = 'recurring-income-occurrence';

/**
 * The most recurring income definitions one budget holds: every read of all of them (the list's
 * pages, upcoming's Query: 100 x ~0.4 KB, one page) stays bounded. A household has a few (two
 * salaries, a pension, a rent received).
 */
export const MAX_RECURRING_INCOME_PER_BUDGET = 100;

/**
 * An occurrence marker is needed only while its date could be computed again (nextOccurrenceOn
 * only moves forward; a changed schedule restarts from today): 35 days, as the recurring
 * expenses' markers were before the import's bill matching needed them longer.
 */
const MARKER_RETENTION_SECONDS = 35 * 24 * 60 * 60;

/** The definition changed (PATCH, DELETE, or another job run advanced it) since it was read. */
export class RecurringIncomeChangedError extends Error {
  constructor() {
    super('The recurring income changed concurrently');
    this.name = 'RecurringIncomeChangedError';
  }
}

/** What the due index says about one definition (the job re-reads the definition itself): the recurring expenses' entry. */
export type IncomeDueEntry = DueEntry;

/**
 * Recurring income definitions (packages/expenses/docs/income.md "Recurring income"), their due entries (gsi1,
 * attributes of the definition itself: sparse, absent while paused or ended) and their
 * occurrence markers. The layout of the recurring expenses' (RecurringRepository): a capped
 * collection, the due index keyed by the instant the next occurrence's day begins in the
 * budget's time zone, and each occurrence recorded in ONE transaction through the income
 * create's own write (IncomeRepository.create: the entry, its month's income total, its
 * income.recorded outbox item, the writer guard) with the occurrence marker (if absent) and the
 * definition's advance (conditioned on the version and nextOccurrenceOn read).
 */
export class RecurringIncomeRepository {
  private readonly keys: ReturnType<typeof recurringIncomeKeys>;
  private readonly capped: CappedCollection;

  constructor(
    private readonly store: ModuleStore,
    private readonly income: IncomeRepository,
    /** Tests lower it; production passes nothing. */
    readonly maxPerBudget = MAX_RECURRING_INCOME_PER_BUDGET,
  ) {
    this.keys = recurringIncomeKeys(store);
    this.capped = new CappedCollection(store, this.keys.count, COUNT_KIND, maxPerBudget);
  }

  async get(budgetId: string, id: string): Promise<RecurringIncome | undefined> {
    const item = await this.store.get({ Key: this.keys.definition(budgetId, id), ConsistentRead: true });
    return item && item.kind === DEFINITION_KIND ? toDefinition(item) : undefined;
  }

  /** The change numbers the recording of this definition's occurrence as the income entry `entryId` took (ChangeLog.recordingNumbers). */
  recordingNumbers(budgetId: string, id: string, entryId: string) {
    return this.income.changes.recordingNumbers(budgetId, entryId, id, true);
  }

  /** As get(), with its change counter in the same request (the job's read: recurring-definitions.ts definitionPrimed). */
  async getPrimed(budgetId: string, id: string): Promise<RecurringIncome | undefined> {
    const item = await definitionPrimed(this.store, this.income.changes, this.key(budgetId, id), budgetId, id);
    return item && item.kind === DEFINITION_KIND ? toDefinition(item) : undefined;
  }

  /** One page of a budget's definitions, oldest first (ids are ULIDs). Strongly consistent. */
  async page(budgetId: string, limit: number, startKey?: Record<string, unknown>) {
    const { items, lastKey } = await definitionsPage(this.store, this.keys.budgetPk(budgetId), this.keys.definitionPrefix, limit, startKey);
    return { items: items.map(toDefinition), ...(lastKey ? { lastKey } : {}) };
  }

  /** As page(), after the definition `afterId` (a first sync's pages, ChangesService): `more` when any may follow. */
  async pageAfter(budgetId: string, afterId: string | undefined, limit: number): Promise<{ items: RecurringIncome[]; more: boolean }> {
    const page = await this.page(budgetId, limit, afterId === undefined ? undefined : this.key(budgetId, afterId));
    return { items: page.items, more: page.lastKey !== undefined };
  }

  /**
   * As CappedCollection.create: 'exists' (an Idempotency-Key retry), 'budget-closed', 'full';
   * 'check-failed' with `refuseDeleted`: the id is a definition's deleted since (an offline
   * push's resent create, deletedMarker). `also`: items of the same transaction (a keyed
   * create's lease completion); 'key-taken' when one's condition failed (its lease taken over by
   * its retry), nothing written.
   */
  async create(r: RecurringIncome, timezone: string, guard?: WriterGuard, refuseDeleted = false, also: TransactItem[] = []): Promise<CappedCreateOutcome | 'check-failed' | 'key-taken'> {
    const deletedKey = refuseDeleted ? { deletedKey: this.keys.deleted(r.budgetId, r.id) } : {};
    return createStamped(this.capped, this.store, this.stamp(r, new Date(r.updatedAt)), { budgetId: r.budgetId, id: r.id, item: this.toItem(r, timezone) }, { ...(guard ? { guard } : {}), ...deletedKey, also });
  }

  /**
   * Replaces `previous` with `next` if neither a PATCH (version) nor the job (nextOccurrenceOn) moved it, with its change number (delta sync).
   * `also`: items of the same transaction (a keyed skip's lease completion): KeyTakenError when one's condition failed, nothing written.
   */
  async replace(previous: RecurringIncome, next: RecurringIncome, timezone: string, guard?: WriterGuard, also: TransactItem[] = []): Promise<void> {
    const put = { Item: this.toItem(next, timezone), ...unchanged(previous) };
    if (!(await putStamped(this.store, put, guard, this.stamp(next, new Date(next.updatedAt)), also))) throw new RecurringIncomeChangedError();
  }

  /** Deletes the definition and gives its place back in the budget's count; entries recorded stay. */
  async remove(previous: RecurringIncome, guard?: WriterGuard, at = new Date()): Promise<void> {
    // `at`: the service clock's time of the DELETE, from which the marker's 30 days count (the
    // create's check compares with that clock too).
    const stamp = this.stamp(previous, at, true);
    // Its deleted marker, as a recurring expense's (deletedMarker).
    const marker = [{ Put: { Item: deletedMarker(this.keys.deleted(previous.budgetId, previous.id), stamp.at) } }];
    await this.capped.remove(previous.budgetId, this.keys.definition(previous.budgetId, previous.id), unchanged(previous), () => new RecurringIncomeChangedError(), marker, guard, stampedCommit(this.store, stamp));
  }

  /** The change (delta sync) a write of `r` takes, on the income's change log; `deleted` for a DELETE. */
  private stamp(r: Pick<RecurringIncome, 'budgetId' | 'id'>, at: Date, deleted = false): DefinitionStamp {
    return { changes: this.income.changes, change: definitionChange(r.budgetId, r.id, true, deleted), at };
  }

  /** The key of a definition (delta sync reads them by key with the entries: ChangesService). */
  key(budgetId: string, id: string): Key {
    return this.keys.definition(budgetId, id) as Key;
  }

  /** An item read by key as a definition, undefined when it is none. */
  fromItem(item: Item): RecurringIncome | undefined {
    return item.kind === DEFINITION_KIND ? toDefinition(item) : undefined;
  }

  /** One page of one due shard: entries due at or before the instant `at`, oldest first (gsi1: eventually consistent). */
  duePage(shard: number, at: string, limit: number, startKey?: Record<string, unknown>) {
    return dueEntriesPage(this.store, this.keys, shard, at, limit, startKey);
  }

  /**
   * Records the occurrence `previous.nextOccurrenceOn` as `entry` and moves the definition to
   * `nextOccurrenceOn`, in ONE transaction: the income create's own (IncomeRepository.create:
   * entry, month total, `event`, `guard`) plus the advance and the occurrence marker.
   * 'changed': the definition is not as read (another run won, a PATCH, a DELETE);
   * 'already-recorded': the date's marker exists (a changed schedule met a date recorded
   * before); 'totals-limit': the month's income total cannot take it. Nothing written but on
   * 'recorded'. WriterRefusedError when the guard failed (the creator may no longer write, or
   * the budget was archived or deleted). `change`: the advance is also an API change of the
   * definition (record-next: its new version and updatedAt), as the recurring expenses'.
   * `also`: further items of the transaction (record-next's lease completion of its
   * Idempotency-Key): 'key-taken' when one's condition failed (its lease taken over).
   */
  async recordOccurrence(
    previous: RecurringIncome,
    entry: Income,
    event: TransactItem,
    nextOccurrenceOn: string | null,
    timezone: string,
    guard: WriterGuard,
    change?: DefinitionChange,
    also: TransactItem[] = [],
    /** record-next's caller's membership check when the caller is not the creator (whose is `guard`): WriterRefusedError when it failed. */
    callerGuard?: WriterGuard,
  ): Promise<'recorded' | 'changed' | 'already-recorded' | 'totals-limit' | 'key-taken'> {
    const date = previous.nextOccurrenceOn!;
    const marker: Item = {
      ...this.keys.occurrence(previous.budgetId, previous.id, date),
      kind: OCCURRENCE_KIND,
      recurringIncomeId: previous.id,
      incomeId: entry.id,
      occurredOn: date,
      expiresAt: markerExpiry(date, MARKER_RETENTION_SECONDS),
    };
    let outcome: Awaited<ReturnType<IncomeRepository['create']>>;
    try {
      // The definition's change (its new next date) rides on the entry's change counter: one entry more, no read more.
      const rider = { ...definitionChange(previous.budgetId, previous.id, true), shardOf: entry.id };
      outcome = await this.income.create(
        entry,
        event,
        guard,
        [this.advanceItem(previous, nextOccurrenceOn, timezone, change), { Put: { Item: marker, ConditionExpression: 'attribute_not_exists(pk)' } }, ...(callerGuard ? [callerGuard] : []), ...also],
        [rider],
      );
    } catch (err) {
      if (err instanceof TotalsLimitError) return 'totals-limit';
      throw err;
    }
    if (outcome === 'created') return 'recorded';
    // A keyed record-next's id is its key's reserved one: taken, another attempt of the same request
    // (its retry, which took the lease over) recorded it and completed the key, whose answer is that one.
    // A record-next (`change`) without the key's completion: a keyed push's id derived from the key's, the same.
    if (outcome === 'exists' && (also.length > 0 || change !== undefined)) return 'key-taken';
    if (outcome === 'exists') throw new Error(`income id ${entry.id} already exists`); // fresh ULIDs: a bug
    if (callerGuard && outcome.alsoFailed === 2) throw new WriterRefusedError();
    return outcome.alsoFailed === 0 ? 'changed' : outcome.alsoFailed === 1 ? 'already-recorded' : 'key-taken';
  }

  /** Moves the definition past occurrences it does not record (already recorded, or skipped). */
  advance(previous: RecurringIncome, nextOccurrenceOn: string | null, timezone: string, options: AdvanceOptions = {}): Promise<'advanced' | 'changed'> {
    return writeAdvance(this.store, this.advanceItem(previous, nextOccurrenceOn, timezone), this.stamp(previous, new Date()), nextOccurrenceOn !== previous.nextOccurrenceOn, options);
  }

  /** The recurring expenses' advance (recurring-definitions.ts advanceUpdate), on this definition's item. */
  private advanceItem(previous: RecurringIncome, next: string | null, timezone: string, change?: DefinitionChange) {
    const due = next === null ? undefined : this.dueAttributes({ ...previous, nextOccurrenceOn: next }, timezone);
    return advanceUpdate(this.keys.definition(previous.budgetId, previous.id) as Key, previous, next, due, change);
  }

  /** gsi1 keys while an occurrence is pending (recurring-definitions.ts dueAttributes), over INCOME_DUE_SHARDS. */
  private dueAttributes(r: RecurringIncome, timezone: string) {
    return dueAttributes(r, timezone, this.keys, INCOME_DUE_SHARDS);
  }

  private toItem(r: RecurringIncome, timezone: string): Item {
    const { nextOccurrenceOn, paused, pauses, skippedDates, historySince, ...rest } = r;
    return {
      ...(this.keys.definition(r.budgetId, r.id) as Key),
      kind: DEFINITION_KIND,
      ...rest,
      ...(paused ? { paused: true } : {}),
      // The pause history as a recurring expense's (recurring-definitions.ts storedHistory).
      ...storedHistory({ pauses, skippedDates, historySince }),
      ...(nextOccurrenceOn === null ? {} : { nextOccurrenceOn }),
      ...this.dueAttributes(r, timezone),
    };
  }
}

function toDefinition(item: Item): RecurringIncome {
  const source = attr.optionalStr(item, 'source');
  const description = attr.optionalStr(item, 'description');
  const skippedThrough = attr.optionalStr(item, 'skippedThrough');
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str, amount: attr.num }),
    ...(source === undefined ? {} : { source }),
    ...(description === undefined ? {} : { description }),
    schedule: schedule(item, 'schedule'),
    nextOccurrenceOn: attr.nullableStr(item, 'nextOccurrenceOn'),
    paused: item.paused === true,
    ...(skippedThrough === undefined ? {} : { skippedThrough }),
    // Absent on items written before the history was kept: they read as before (`pauses: []` in the API).
    ...historyOf(item),
    ...createdOnOf(item),
    ...attr.fields(item, { createdBy: attr.str, version: attr.num, createdAt: attr.str, updatedAt: attr.str }),
  };
}
