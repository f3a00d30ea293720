import { TABLE, attr, conditionFailedAt, dueIndexPage, dueInstant, isConditionFailed, limitPage, shardOf as dueShard, startOfDayIn, type Item, type Key, type ModuleStore } from '@budgeting/platform';
import type { CreationDay, PauseHistory } from '../model';
import type { ChangeLog, ChangeRef } from './change-log';
import type { CappedCollection, CappedCreateOutcome, Commit, CreateCheck } from './capped-collection';
import { transactGuarded, type WriterGuard } from './writer-guard';

/**
 * The storage of a recurring definition that recurring expenses (RecurringRepository), their
 * reminders (RecurringRemindersRepository) and recurring income (RecurringIncomeRepository)
 * share: a definition item with its sparse due index (gsi1) on it, advanced under the
 * condition "as read" (version and nextOccurrenceOn). One copy, so that a fix to the condition,
 * the advance's Update, the due keys or the due entry's reading is made once for all of them.
 */

/** What a definition's storage reads of it (RecurringExpense and RecurringIncome both are). */
export interface StoredDefinition {
  budgetId: string;
  id: string;
  version: number;
  nextOccurrenceOn: string | null;
  paused: boolean;
}

/** An API change of the definition written with an advance (record-next): its new version and updatedAt. */
export interface DefinitionChange {
  version: number;
  updatedAt: string;
}

/** What the due index says about one definition (the job re-reads the definition itself). */
export interface DueEntry {
  budgetId: string;
  id: string;
  createdBy: string;
  nextOccurrenceOn: string;
}

/** The due keys of a kind of definition (keys.ts recurringKeys, recurringIncomeKeys). */
export interface DueKeys {
  duePk(shard: number): string;
  dueSk(dueAt: string, budgetId: string, id: string): string;
  dueAtOf(gsi1sk: string): string;
  dueUntil(at: string): { lo: string; hi: string };
}

/** Where a page of definitions resumes: the table's key. */
const TABLE_KEY = ['pk', 'sk'] as const;

/** The condition "still at the version and nextOccurrenceOn read" (and so still there). */
export function unchangedDefinition(previous: Pick<StoredDefinition, 'version' | 'nextOccurrenceOn'>) {
  const next = previous.nextOccurrenceOn;
  return {
    ConditionExpression: `#version = :version AND ${next === null ? 'attribute_not_exists(nextOccurrenceOn)' : 'nextOccurrenceOn = :readNext'}`,
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': previous.version, ...(next === null ? {} : { ':readNext': next }) },
  };
}

/**
 * gsi1 keys while an occurrence is pending: a sparse index of what the job must look at,
 * keyed by the UTC instant the occurrence's day begins in the budget's time zone (so a tick
 * reads it only once it is due there), write-sharded by definition id over `shards`.
 */
export function dueAttributes(r: StoredDefinition, timezone: string, keys: Pick<DueKeys, 'duePk' | 'dueSk'>, shards: number) {
  if (r.nextOccurrenceOn === null || r.paused) return undefined;
  const at = dueInstant(startOfDayIn(r.nextOccurrenceOn, timezone));
  return { gsi1pk: keys.duePk(dueShard(r.id, shards)), gsi1sk: keys.dueSk(at, r.budgetId, r.id) };
}

/**
 * The advance of `previous` (item `key`) to `next`, conditioned on it being as read: the new
 * date with its due keys `due`, or none (ended: the date and the due keys removed); `change`
 * also writes an API change (record-next's version and updatedAt; the job's advance has none).
 */
export function advanceUpdate(key: Key, previous: StoredDefinition, next: string | null, due: { gsi1pk: string; gsi1sk: string } | undefined, change?: DefinitionChange) {
  const guard = unchangedDefinition(previous);
  const sets = [
    ...(due ? ['nextOccurrenceOn = :next', 'gsi1pk = :duePk', 'gsi1sk = :dueSk'] : []),
    ...(change ? ['#version = :newVersion', 'updatedAt = :updatedAt'] : []),
  ];
  return {
    Update: {
      Key: key,
      UpdateExpression: [sets.length > 0 ? `SET ${sets.join(', ')}` : '', due ? '' : 'REMOVE nextOccurrenceOn, gsi1pk, gsi1sk'].filter(Boolean).join(' '),
      ConditionExpression: guard.ConditionExpression,
      ExpressionAttributeNames: guard.ExpressionAttributeNames,
      ExpressionAttributeValues: {
        ...guard.ExpressionAttributeValues,
        ...(due ? { ':next': next, ':duePk': due.gsi1pk, ':dueSk': due.gsi1sk } : {}),
        ...(change ? { ':newVersion': change.version, ':updatedAt': change.updatedAt } : {}),
      },
    },
  };
}

/**
 * How an advance alone is numbered. `evenArchived`: the jobs' bookkeeping, made even in an
 * archived budget (they skip its due dates: StampOptions.evenArchived). Absent: a member's
 * request (record-next meeting a recorded date), refused as every member write is once the
 * budget is archived (409 budget-archived from the counter's re-read), even when the archive
 * committed after its access check.
 */
export interface AdvanceOptions {
  evenArchived?: boolean;
}

/** The jobs' advance (AdvanceOptions). */
export const JOB_ADVANCE: AdvanceOptions = { evenArchived: true };

/**
 * Writes an advance alone (past occurrences not recorded: already recorded, or skipped); 'changed'
 * when not as read. A new date is a change of what GET answers, so it takes the definition's
 * change number in its transaction (`change`; delta sync, docs/sync.md "Recurring
 * definitions"), in an archived budget only for the jobs (`options`, AdvanceOptions).
 * The same date (the due entry re-keyed after a time zone change) changes nothing a client
 * sees: one Update as before.
 */
export async function writeAdvance(
  store: ModuleStore,
  advance: ReturnType<typeof advanceUpdate>,
  stamp: DefinitionStamp,
  moved: boolean,
  options: AdvanceOptions = {},
): Promise<'advanced' | 'changed'> {
  try {
    if (moved) await stampedCommit(store, stamp, { evenArchived: options.evenArchived === true })([advance], undefined);
    else await store.update(advance.Update);
    return 'advanced';
  } catch (err) {
    if (isConditionFailed(err) || conditionFailedAt(err, 0)) return 'changed';
    throw err;
  }
}

/**
 * A definition read with its change counter in ONE strongly consistent BatchGetItem (the jobs'
 * read, where a GetItem was), the counter's value remembered by the log (ChangeLog.prime): a
 * write that moves the date without recording (a matched bill, a skip) then numbers its change
 * with no read more, so the jobs' requests per occurrence stay what they were.
 */
export async function definitionPrimed(store: ModuleStore, changes: ChangeLog, key: Key, budgetId: string, id: string): Promise<Item | undefined> {
  const counterKey = changes.counterKeyOf(budgetId, id);
  const items = await store.batchGet([key, counterKey], true);
  const at = (k: Key) => items.find((i) => i.pk === k.pk && i.sk === k.sk);
  changes.prime(budgetId, id, at(counterKey));
  return at(key);
}

/** What numbers a definition's write in the budget's change log: the log and the change. */
export interface DefinitionStamp {
  changes: ChangeLog;
  change: ChangeRef;
  /** The write's time (the entry expires counted from it). */
  at: Date;
}

/** A definition's change (delta sync): a recurring expense's, or with `income` a recurring income's. */
export function definitionChange(budgetId: string, id: string, income: boolean, deleted = false): ChangeRef {
  return { budgetId, expenseId: id, deleted, recurring: true, ...(income ? { income: true as const } : {}) };
}

/**
 * A Commit (capped-collection.ts) that sends the items with the definition's change stamp after
 * them and the guard last, in ONE transaction (ChangeLog.commitStamped, without the process's
 * queue, as income's single writes: a lost race re-reads outside it), so a definition's write
 * and its change number commit together, never one without the other.
 */
export function stampedCommit(store: ModuleStore, stamp: DefinitionStamp, options: { evenArchived?: boolean } = {}): Commit {
  return (items, guard: WriterGuard | undefined) =>
    stamp.changes.commitStamped([{ change: stamp.change }], stamp.at, items.length, (own) => transactGuarded(store, [...items, ...own], guard), false, options.evenArchived === true);
}

/** A keyed write's lease completion (an item of its transaction) failed: its lease was taken over by its retry; nothing written. */
export class KeyTakenError extends Error {
  constructor() {
    super("The Idempotency-Key's lease was taken over by another attempt");
    this.name = 'KeyTakenError';
  }
}

/**
 * A named member's ConditionCheck (`checks`, BudgetsFacade.membersCheck) failed: they were removed
 * since the write's members read; `failed` are positions in `checks`. Nothing written. Told apart
 * from KeyTakenError by the transaction's own cancellation reasons, so a keyed write never answers
 * "key in use" for a removed member (nor needs to read the members again to tell).
 */
export class MemberCheckFailedError extends Error {
  constructor(readonly failed: number[]) {
    super('A member the write names is no member of the budget');
    this.name = 'MemberCheckFailedError';
  }
}

/** The positions of `checks` (from `at` in the transaction) whose condition failed: a MemberCheckFailedError when any. */
function refuseFailedChecks(err: unknown, checks: readonly unknown[], at: number): void {
  const failed = checks.flatMap((_, n) => (conditionFailedAt(err, at + n) ? [n] : []));
  if (failed.length > 0) throw new MemberCheckFailedError(failed);
}

/**
 * A definition's conditional Put with its change stamp and the guard, `checks` (named members'
 * ConditionChecks) and `also` (a keyed write's lease completion) after it; false when the Put's
 * own condition failed, MemberCheckFailedError when a check did, KeyTakenError when one of
 * `also`'s did (nothing written either way).
 */
export async function putStamped(
  store: ModuleStore,
  put: { Item: Item; ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> },
  guard: WriterGuard | undefined,
  stamp: DefinitionStamp,
  also: Parameters<ModuleStore['transactWrite']>[0] = [],
  checks: Parameters<ModuleStore['transactWrite']>[0] = [],
): Promise<boolean> {
  try {
    await stampedCommit(store, stamp)([{ Put: put }, ...checks, ...also], guard);
    return true;
  } catch (err) {
    if (conditionFailedAt(err, 0)) return false;
    refuseFailedChecks(err, checks, 1);
    if (also.some((_, n) => conditionFailedAt(err, 1 + checks.length + n))) throw new KeyTakenError();
    throw err;
  }
}

/**
 * A definition's create in its budget's capped collection (CappedCollection.createWith's
 * outcomes), with its change stamp; `deletedKey`: a create sent with a client's id checks that
 * no deleted marker holds it ('check-failed', noDeletedMarker); `checks`: named members'
 * ConditionChecks (MemberCheckFailedError when one failed); `also`: items after them (a keyed
 * create's lease completion), 'key-taken' when one's condition failed. Nothing written but on
 * 'created'.
 */
export async function createStamped(
  capped: CappedCollection,
  store: ModuleStore,
  stamp: DefinitionStamp,
  definition: { budgetId: string; id: string; item: Item },
  options: { guard?: WriterGuard; deletedKey?: Key; checks?: Parameters<ModuleStore['transactWrite']>[0]; also?: Parameters<ModuleStore['transactWrite']>[0] },
): Promise<CappedCreateOutcome | 'check-failed' | 'key-taken'> {
  const { guard, deletedKey, checks = [], also = [] } = options;
  const check = deletedKey ? { check: noDeletedMarker(deletedKey, stamp.at) } : {};
  try {
    return await capped.createWith(definition.budgetId, definition.id, definition.item, { ...(guard ? { guard } : {}), commit: stampedCommit(store, stamp), ...check, alsoWrite: [...checks, ...also] });
  } catch (err) {
    // After the capped create's own three items (the definition, the closed budget's check, the count) and the marker's check.
    const first = deletedKey ? 4 : 3;
    refuseFailedChecks(err, checks, first);
    if (also.some((_, n) => conditionFailedAt(err, first + checks.length + n))) return 'key-taken';
    throw err;
  }
}

/**
 * How long a deleted definition's id refuses an offline push's create sent again: as long as a
 * deleted expense's restorable copy refuses one (30 days from the deletion).
 */
export const DELETED_DEFINITION_SECONDS = 30 * 24 * 60 * 60;

/**
 * The marker a definition's DELETE leaves under its id (`key`: the kind's `deleted` key, outside
 * the definitions' prefix, so no list, page or sync meets it), in the delete's own transaction,
 * removed by the TTL DELETED_DEFINITION_SECONDS later (or with the budget's partition). An
 * offline push's create with a client id checks it (noDeletedMarker): a create resent after its
 * definition was deleted (a retry without the key of a batch that created and deleted it, a
 * phone that never got its answer) is then a conflict `{id, deleted}`, not the definition back.
 * Definitions keep neither an expense's 24 h tombstone nor its restorable copy: this is both.
 */
export function deletedMarker(key: Key, at: Date): Item {
  return { ...key, kind: 'recurring-deleted', [TABLE.ttlAttribute]: Math.floor(at.getTime() / 1000) + DELETED_DEFINITION_SECONDS };
}

/** The create's check that `key` holds no deleted marker at `now` (none, or one past its TTL the table has not removed yet). */
export function noDeletedMarker(key: Key, now: Date): CreateCheck {
  return {
    Key: key,
    ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
    ExpressionAttributeNames: { '#expiresAt': TABLE.ttlAttribute },
    ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
  };
}

/**
 * One page of a budget's definitions (sort keys under `prefix`), oldest first (ids are ULIDs),
 * strongly consistent. `lastKey` whenever more may follow, a page DynamoDB cut short at 1 MB
 * included (limitPage).
 */
export async function definitionsPage(store: ModuleStore, pk: string, prefix: string, limit: number, startKey?: Record<string, unknown>) {
  const read = await store.query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: true,
    Limit: limit + 1,
    ExclusiveStartKey: startKey,
  });
  return limitPage(read.items, limit, read.lastKey, TABLE_KEY);
}

/**
 * One page of one due shard: entries due at or before the instant `at` (the start of their
 * next occurrence's day in the budget's time zone), oldest first. gsi1 is eventually
 * consistent: the job re-reads each definition before writing.
 */
export async function dueEntriesPage(store: ModuleStore, keys: DueKeys, shard: number, at: string, limit: number, startKey?: Record<string, unknown>) {
  const { lo, hi } = keys.dueUntil(at);
  const { items, lastKey } = await dueIndexPage(store, { pk: keys.duePk(shard), lo, hi, attributes: DUE_ENTRY_ATTRIBUTES, limit, startKey });
  return { entries: items.map((i) => dueEntryOf(i, keys)), lastKey };
}

/** What a due page reads of a due-index entry (besides its keys). */
const DUE_ENTRY_ATTRIBUTES = ['budgetId', 'id', 'createdBy', 'nextOccurrenceOn'];

/** A due-index entry read (the job's and the reminders' pages), with the instant it is due at. */
export function dueEntryOf(item: Item, keys: Pick<DueKeys, 'dueAtOf'>): DueEntry & { dueAt: string } {
  return {
    budgetId: attr.str(item, 'budgetId'),
    id: attr.str(item, 'id'),
    createdBy: attr.str(item, 'createdBy'),
    nextOccurrenceOn: attr.str(item, 'nextOccurrenceOn'),
    dueAt: keys.dueAtOf(attr.str(item, 'gsi1sk')),
  };
}

/** When an occurrence marker of `date` expires (its TTL attribute `expiresAt`, epoch seconds). */
export function markerExpiry(date: string, retentionSeconds: number): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + retentionSeconds;
}

/** A definition's pause history (domain/pause-history.ts) as its item stores it: only when not empty (most definitions are never paused or skipped). */
export function storedHistory(h: PauseHistory): PauseHistory {
  return {
    ...(h.pauses && h.pauses.length > 0 ? { pauses: h.pauses } : {}),
    ...(h.skippedDates && h.skippedDates.length > 0 ? { skippedDates: h.skippedDates } : {}),
    ...(h.historySince === undefined ? {} : { historySince: h.historySince }),
  };
}

/** A definition's creation day (model.ts CreationDay) read from its item; none on items written before it was kept. */
export function createdOnOf(item: Item): CreationDay {
  return typeof item.createdOn === 'string' ? { createdOn: item.createdOn } : {};
}

/** A definition's pause history read from its item; none on items written before it was kept (no `historySince`). */
export function historyOf(item: Item): PauseHistory {
  if (typeof item.historySince !== 'string') return {};
  const pauses = Array.isArray(item.pauses) ? (item.pauses as Item[]).map((p) => ({ from: String(p.from), to: typeof p.to === 'string' ? p.to : null })) : [];
  const skippedDates = Array.isArray(item.skippedDates) ? (item.skippedDates as unknown[]).map(String) : [];
  return { pauses, skippedDates, historySince: item.historySince };
}
