import { attr, conditionFailedAt, isTransactionConditionFailed, outboxPut, type EventEnvelope, type Item, type ModuleStore, type TransactItem } from '@budgeting/platform';
import type { JobFailureCode } from '../events';
import { expenseKeys, renameKeys } from './keys';
import { shardOf } from './totals-deltas';
import { WriterRefusedError, type WriterGuard } from './writer-guard';

/** One element of a ModuleStore.transactWrite call. */
export type { TransactItem };

export const RENAME_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RenameStatus = (typeof RENAME_STATUSES)[number];

/** One rename (of a merchant or a tag) as GET /merchant-renames/{renameId} or /tag-renames/{renameId} shows it (and who started it). */
export interface RenameRecord {
  id: string;
  budgetId: string;
  /** Who asked: the expenses' writes (their events' `updatedBy`) are theirs. */
  userId: string;
  status: RenameStatus;
  from: string[];
  /** A merchant rename's `to` is a name; a tag rename's is a tag, or null (the `from` tags are removed). */
  to: string | null;
  /** The budget's expenses read so far. */
  examined: number;
  /** Expenses whose merchant became `to` (a tag rename: whose `from` tags were replaced or removed). */
  renamed: number;
  createdAt: string;
  /** When it last moved: created, started, a unit counted, finished. */
  updatedAt: string;
  finishedAt?: string;
  /** Why it failed (the budget was deleted meanwhile, a unit failed every attempt, it stalled). */
  failure?: string;
  /**
   * Beside `failure`: its reason as a code (JobFailureCode; the event's `failureCode`), written by
   * the same update. Absent when none: not failed, or failed before codes were stored.
   */
  failureCode?: string;
  /** With `remember: true`: the rename rules the request created (empty when every spelling had one). */
  ruleIds?: string[];
}

/** A unit's item: done (with the next page's cursor, null after the last page), or what it means to rename. */
export interface RenameUnitState {
  done: boolean;
  /** Set once done: where the next unit starts, null when this was the last page. */
  next?: string | null;
  /** Expenses an earlier delivery of this unit set out to rename (see the class comment). */
  planned: ReadonlySet<string>;
}

/** Rename records and their unit items expire a week after the rename started (TTL attribute). */
export const RENAME_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/**
 * What tells one kind of rename's items from another's (a merchant rename's, a tag rename's):
 * the sort-key prefixes of its record and unit items (keys.ts renameKeys), the items' `kind`,
 * and the event written with the move to a final status, if the kind has one (the merchant
 * rename's expense.merchant_rename_finished; the tag rename has none).
 */
export interface RenameItems {
  recordPrefix: string;
  unitPrefix: string;
  kind: string;
  /** What failure messages call it ("merchant rename"). */
  label: string;
  finished?: { definition: Parameters<typeof outboxPut>[1]; event: (record: RenameRecord, status: 'succeeded' | 'failed', now: Date, failure?: { reason: string; code: JobFailureCode }) => Promise<EventEnvelope> };
}

/**
 * A rename's items (keys.ts): the record GET shows, counted up by the job's units, and
 * one item per unit (a page of the budget's expenses). A unit is marked done, with the cursor of
 * the page after it, in the SAME transaction that adds its counts to the record (as the CSV
 * import's chunks, ImportJobsRepository.completeChunk), so a unit delivered twice counts once.
 *
 * Before writing, a delivery adds the ids of the expenses it is about to rename to its unit item
 * (`planned`, a string set: ADD is a union, so concurrent and repeated deliveries only add). A
 * delivery after a crash (some expenses renamed, the counts never recorded) then counts the
 * planned expenses it finds already named `to` as renamed: they no longer match, so it does not
 * write them again, and without the set it would not know they were this rename's.
 *
 * Every write that ends a rename (the last page's completeUnit, fail, failStalled) is ONE
 * transaction of the record's conditional move to `succeeded` or `failed` and the rename's
 * finished event, if its kind has one (expense.merchant_rename_finished, an outbox item), as the import's (ImportJobsRepository.endWith):
 * the event exists exactly when the status became final, so of a unit, a reader and the
 * watchdog racing to end it, only the one whose condition held publishes. Each is also
 * conditioned on the counts it read (`examined`, `renamed`), so the event carries the final ones.
 */
export class RenamesRepository {
  private readonly keys: ReturnType<typeof renameKeys>;

  constructor(
    private readonly store: ModuleStore,
    private readonly items: RenameItems,
  ) {
    this.keys = renameKeys(store, items);
  }

  /**
   * The record, in ONE transaction with `alsoWrite` (its unit 0: it exists exactly when the
   * record does) and the budget's closed-budget check (ExpensesRepository.closeBudget, the
   * marker of the rename id's shard), as the import's record: a rename whose access was read
   * just before its budget's DELETE would otherwise commit after the budget.deleted cleanup read
   * the partition, its record staying the week and its unit queued over a budget that is gone
   * (tests/integration/races/budget-lifecycle-races.test.ts). 'budget-closed': nothing written.
   * `guard` (writer-guard.ts: the starter's BudgetsFacade.writeChecks, last) holds it against
   * the starter's removal or demotion: the units' writes are the job's and check no member
   * (WriterRefusedError: nothing written).
   */
  async create(record: RenameRecord, alsoWrite: TransactItem[] = [], guard?: WriterGuard): Promise<'created' | 'budget-closed'> {
    const { id, budgetId, ...rest } = record;
    try {
      await this.store.transactWrite([
        {
          Put: {
            Item: { ...this.keys.record(budgetId, id), kind: this.items.kind, renameId: id, budgetId, ...rest, expiresAt: this.expiresAt(record.createdAt) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { ConditionCheck: { Key: expenseKeys(this.store).closedBudget(budgetId, shardOf(id)), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...alsoWrite,
        ...(guard ? [guard] : []),
      ]);
      return 'created';
    } catch (err) {
      if (guard && conditionFailedAt(err, 2 + alsoWrite.length)) throw new WriterRefusedError();
      if (conditionFailedAt(err, 1)) return 'budget-closed';
      throw err;
    }
  }

  async get(budgetId: string, renameId: string): Promise<RenameRecord | undefined> {
    const item = await this.store.get({ Key: this.keys.record(budgetId, renameId), ConsistentRead: true });
    return item ? toRecord(item) : undefined;
  }

  async unit(budgetId: string, renameId: string, n: number): Promise<RenameUnitState> {
    const item = await this.store.get({ Key: this.keys.unit(budgetId, renameId, n), ConsistentRead: true });
    const planned = item?.planned instanceof Set ? new Set([...(item.planned as Set<unknown>)].map(String)) : new Set<string>();
    if (!item || item.done !== true) return { done: false, planned };
    return { done: true, next: typeof item.next === 'string' ? item.next : null, planned };
  }

  /**
   * Adds expense ids to the unit's planned set (nothing once the unit is done), with the budget's
   * closed-budget check as `create`: the ADD creates the unit item (a later page's unit exists
   * only from here), so a plan whose budget was deleted after the unit read the record would
   * re-create it behind the budget.deleted cleanup, its expense ids staying the week
   * (tests/integration/races/budget-lifecycle-races.test.ts). 'budget-closed': nothing written.
   */
  async plan(budgetId: string, renameId: string, n: number, expenseIds: string[], createdAt: string): Promise<'planned' | 'budget-closed'> {
    if (expenseIds.length === 0) return 'planned';
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.unit(budgetId, renameId, n),
            UpdateExpression: 'ADD #planned :ids SET #kind = :kind, expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(#done)',
            ExpressionAttributeNames: { '#done': 'done', '#planned': 'planned', '#kind': 'kind' },
            ExpressionAttributeValues: { ':ids': new Set(expenseIds), ':kind': `${this.items.kind}-unit`, ':expiresAt': this.expiresAt(createdAt) },
          },
        },
        { ConditionCheck: { Key: expenseKeys(this.store).closedBudget(budgetId, shardOf(renameId)), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'budget-closed';
      // The unit is done already (another delivery counted it): nothing to add, as before.
      if (conditionFailedAt(err, 0)) return 'planned';
      throw err;
    }
    return 'planned';
  }

  async markRunning(budgetId: string, renameId: string, now: Date): Promise<void> {
    await this.store.updateIf({
      Key: this.keys.record(budgetId, renameId),
      UpdateExpression: 'SET #status = :running, updatedAt = :now',
      ConditionExpression: '#status = :queued',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':now': now.toISOString() },
    });
  }

  /**
   * Marks unit `n` done with the next page's cursor (null: it was the last page) and adds its
   * counts to the record, in one transaction; false (nothing written) when the unit was done
   * already or the record is gone or finished. The last page's unit also finishes the record
   * (succeeded) in the same update, with the kind's finished event (a merchant rename's expense.merchant_rename_finished), its
   * counts `seen`'s plus this page's: that update holds only while the record's counts are still
   * `seen`'s (pages are counted one after another, each once, so they are; a false here with the
   * unit not done and the rename open means they moved, and the caller tries again).
   */
  async completeUnit(seen: RenameRecord, n: number, outcome: { examined: number; renamed: number; next: string | null }, now: Date): Promise<boolean> {
    const { budgetId, id: renameId, createdAt } = seen;
    const at = now.toISOString();
    const last = outcome.next === null;
    const record = {
      Key: this.keys.record(budgetId, renameId),
      UpdateExpression: `ADD #examined :examined, #renamed :renamed SET updatedAt = :now${last ? ', #status = :succeeded, finishedAt = :now' : ''}`,
      ConditionExpression: `#status IN (:queued, :running)${last ? ' AND #examined = :seenExamined AND #renamed = :seenRenamed' : ''}`,
      ExpressionAttributeNames: { '#status': 'status', '#examined': 'examined', '#renamed': 'renamed' },
      ExpressionAttributeValues: {
        ':examined': outcome.examined,
        ':renamed': outcome.renamed,
        ':now': at,
        ':queued': 'queued',
        ':running': 'running',
        ...(last ? { ':succeeded': 'succeeded', ':seenExamined': seen.examined, ':seenRenamed': seen.renamed } : {}),
      },
    };
    const finished = last ? await this.finishedPut({ ...seen, examined: seen.examined + outcome.examined, renamed: seen.renamed + outcome.renamed }, 'succeeded', now) : [];
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.unit(budgetId, renameId, n),
            UpdateExpression: 'SET #done = :true, #next = :next, #kind = :kind, expiresAt = if_not_exists(expiresAt, :expiresAt) REMOVE #planned',
            ConditionExpression: 'attribute_not_exists(#done)',
            ExpressionAttributeNames: { '#done': 'done', '#next': 'next', '#kind': 'kind', '#planned': 'planned' },
            ExpressionAttributeValues: { ':true': true, ':next': outcome.next, ':kind': `${this.items.kind}-unit`, ':expiresAt': this.expiresAt(createdAt) },
          },
        },
        { Update: record },
        ...finished,
      ]);
      return true;
    } catch (err) {
      // A failed condition only (done already, the record ended or its counts moved): a
      // cancellation by throttling or a conflict is thrown on, the delivery's retry writes it.
      if (isTransactionConditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * failed, saying why (the budget was deleted, a page failed every attempt, nothing could be
   * queued), with its kind's finished event (if any) in the same transaction. The record is
   * read first for the event's counts and the write holds only while they are still those: a
   * page counted in between makes it read again. Nothing when it has ended already (a finished
   * rename stays as it ended, and no second event). `code`: the reason as a code, the event's
   * `failureCode`, stored on the record beside `failure` (same update).
   */
  async fail(budgetId: string, renameId: string, reason: string, now: Date, code: JobFailureCode): Promise<void> {
    for (let attempt = 0; attempt < FAIL_ATTEMPTS; attempt++) {
      const seen = await this.get(budgetId, renameId);
      if (!seen || !isOpen(seen.status)) return;
      if (await this.failIfUnmoved(seen, { reason, code }, now)) return;
    }
    throw new Error(`${this.items.label} ${renameId}: its counts kept moving while it was being failed`);
  }

  /**
   * failed as stalled (MerchantRenameService.current): only while still queued or running AND
   * not moved since `seen` was read (a unit counted meanwhile keeps it going), so of two readers
   * at once, or a reader and the watchdog, one writes, and only that one publishes the event.
   * true when this call wrote it.
   */
  failStalled(seen: RenameRecord, reason: string, now: Date): Promise<boolean> {
    return this.failIfUnmoved(seen, { reason, code: 'stalled' }, now, { unmovedSince: seen.updatedAt });
  }

  /**
   * The move to failed and the event, in ONE transaction, only while the status is open and the
   * counts are `seen`'s (with `unmovedSince`, also while `updatedAt` is that). False (nothing
   * written) when the condition failed.
   */
  private async failIfUnmoved(seen: RenameRecord, failure: { reason: string; code: JobFailureCode }, now: Date, guard: { unmovedSince?: string } = {}): Promise<boolean> {
    const unmoved = guard.unmovedSince !== undefined;
    const { reason, code } = failure;
    const finished = await this.finishedPut(seen, 'failed', now, failure);
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.record(seen.budgetId, seen.id),
            UpdateExpression: 'SET #status = :failed, finishedAt = :now, updatedAt = :now, failure = :reason, failureCode = :code',
            ConditionExpression: '#status IN (:queued, :running) AND #examined = :examined AND #renamed = :renamed' + (unmoved ? ' AND updatedAt = :seen' : ''),
            ExpressionAttributeNames: { '#status': 'status', '#examined': 'examined', '#renamed': 'renamed' },
            ExpressionAttributeValues: {
              ':failed': 'failed',
              ':now': now.toISOString(),
              ':reason': reason,
              ':code': code,
              ':queued': 'queued',
              ':running': 'running',
              ':examined': seen.examined,
              ':renamed': seen.renamed,
              ...(unmoved ? { ':seen': guard.unmovedSince } : {}),
            },
          },
        },
        ...finished,
      ]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /** The kind's finished event as an outbox put, to go in the final transaction (none for a kind without one). */
  private async finishedPut(record: RenameRecord, status: 'succeeded' | 'failed', now: Date, failure?: { reason: string; code: JobFailureCode }) {
    const finished = this.items.finished;
    return finished ? [outboxPut(this.store, finished.definition, await finished.event(record, status, now, failure))] : [];
  }

  private expiresAt(createdAt: string): number {
    return Math.floor(Date.parse(createdAt) / 1000) + RENAME_RETENTION_SECONDS;
  }
}

/** Reads of the record before failing it, each undone by a page counted meanwhile (one per page at most). */
const FAIL_ATTEMPTS = 10;


const isOpen = (status: RenameStatus) => status === 'queued' || status === 'running';

function toRecord(item: Item): RenameRecord {
  const f = attr.fields(item, {
    renameId: attr.str,
    budgetId: attr.str,
    userId: attr.str,
    status: attr.among(RENAME_STATUSES),
    createdAt: attr.str,
    updatedAt: attr.str,
    finishedAt: attr.optionalStr,
    failure: attr.optionalStr,
    failureCode: attr.optionalStr,
  });
  const from = attr.nullableStrList(item, 'from') ?? [];
  const ruleIds = item.ruleIds === undefined ? undefined : (attr.nullableStrList(item, 'ruleIds') ?? []);
  return {
    id: f.renameId,
    budgetId: f.budgetId,
    userId: f.userId,
    status: f.status,
    from,
    // A tag rename that removes its tags stores `to` as null.
    to: typeof item.to === 'string' ? item.to : null,
    examined: Number(item.examined ?? 0),
    renamed: Number(item.renamed ?? 0),
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    ...(f.finishedAt === undefined ? {} : { finishedAt: f.finishedAt }),
    ...(f.failure === undefined ? {} : { failure: f.failure }),
    // Records failed before codes were stored have none.
    ...(f.failureCode === undefined ? {} : { failureCode: f.failureCode }),
    ...(ruleIds === undefined ? {} : { ruleIds }),
  };
}
