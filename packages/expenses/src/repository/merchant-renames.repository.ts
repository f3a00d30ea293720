import { attr, type Item, type ModuleStore } from '@budgeting/platform';
import { renameKeys } from './keys';

export const RENAME_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RenameStatus = (typeof RENAME_STATUSES)[number];

/** One merchant rename as GET /merchant-renames/{renameId} shows it (and who started it). */
export interface RenameRecord {
  id: string;
  budgetId: string;
  /** Who asked: the expenses' writes (their events' `updatedBy`) are theirs. */
  userId: string;
  status: RenameStatus;
  from: string[];
  to: string;
  /** The budget's expenses read so far. */
  examined: number;
  /** Expenses whose merchant became `to`. */
  renamed: number;
  createdAt: string;
  /** When it last moved: created, started, a unit counted, finished. */
  updatedAt: string;
  finishedAt?: string;
  /** Why it failed (the budget was deleted meanwhile, a unit failed every attempt, it stalled). */
  failure?: string;
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
 * A merchant rename's items (keys.ts): the record GET shows, counted up by the job's units, and
 * one item per unit (a page of the budget's expenses). A unit is marked done, with the cursor of
 * the page after it, in the SAME transaction that adds its counts to the record (as the CSV
 * import's chunks, ImportJobsRepository.completeChunk), so a unit delivered twice counts once.
 *
 * Before writing, a delivery adds the ids of the expenses it is about to rename to its unit item
 * (`planned`, a string set: ADD is a union, so concurrent and repeated deliveries only add). A
 * delivery after a crash (some expenses renamed, the counts never recorded) then counts the
 * planned expenses it finds already named `to` as renamed: they no longer match, so it does not
 * write them again, and without the set it would not know they were this rename's.
 */
export class MerchantRenamesRepository {
  private readonly keys: ReturnType<typeof renameKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = renameKeys(store);
  }

  async create(record: RenameRecord): Promise<void> {
    const { id, budgetId, ...rest } = record;
    await this.store.put({
      Item: { ...this.keys.record(budgetId, id), kind: 'merchant-rename', renameId: id, budgetId, ...rest, expiresAt: this.expiresAt(record.createdAt) },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
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

  /** Adds expense ids to the unit's planned set (nothing once the unit is done). */
  async plan(budgetId: string, renameId: string, n: number, expenseIds: string[], createdAt: string): Promise<void> {
    if (expenseIds.length === 0) return;
    await this.store.updateIf({
      Key: this.keys.unit(budgetId, renameId, n),
      UpdateExpression: 'ADD #planned :ids SET #kind = :kind, expiresAt = if_not_exists(expiresAt, :expiresAt)',
      ConditionExpression: 'attribute_not_exists(#done)',
      ExpressionAttributeNames: { '#done': 'done', '#planned': 'planned', '#kind': 'kind' },
      ExpressionAttributeValues: { ':ids': new Set(expenseIds), ':kind': 'merchant-rename-unit', ':expiresAt': this.expiresAt(createdAt) },
    });
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
   * (succeeded) in the same update.
   */
  async completeUnit(
    budgetId: string,
    renameId: string,
    n: number,
    outcome: { examined: number; renamed: number; next: string | null },
    createdAt: string,
    now: Date,
  ): Promise<boolean> {
    const at = now.toISOString();
    const finish = outcome.next === null ? ', #status = :succeeded, finishedAt = :now' : '';
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.unit(budgetId, renameId, n),
            UpdateExpression: 'SET #done = :true, #next = :next, #kind = :kind, expiresAt = if_not_exists(expiresAt, :expiresAt) REMOVE #planned',
            ConditionExpression: 'attribute_not_exists(#done)',
            ExpressionAttributeNames: { '#done': 'done', '#next': 'next', '#kind': 'kind', '#planned': 'planned' },
            ExpressionAttributeValues: { ':true': true, ':next': outcome.next, ':kind': 'merchant-rename-unit', ':expiresAt': this.expiresAt(createdAt) },
          },
        },
        {
          Update: {
            Key: this.keys.record(budgetId, renameId),
            UpdateExpression: `ADD #examined :examined, #renamed :renamed SET updatedAt = :now${finish}`,
            ConditionExpression: '#status IN (:queued, :running)',
            ExpressionAttributeNames: { '#status': 'status', '#examined': 'examined', '#renamed': 'renamed' },
            ExpressionAttributeValues: {
              ':examined': outcome.examined,
              ':renamed': outcome.renamed,
              ':now': at,
              ':queued': 'queued',
              ':running': 'running',
              ...(finish ? { ':succeeded': 'succeeded' } : {}),
            },
          },
        },
      ]);
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'TransactionCanceledException') return false;
      throw err;
    }
  }

  /** failed, saying why (only while queued or running: a finished rename stays as it ended). */
  async fail(budgetId: string, renameId: string, reason: string, now: Date): Promise<void> {
    await this.store.updateIf({
      Key: this.keys.record(budgetId, renameId),
      UpdateExpression: 'SET #status = :failed, finishedAt = :now, updatedAt = :now, failure = :reason',
      ConditionExpression: '#status IN (:queued, :running)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':now': now.toISOString(), ':reason': reason, ':queued': 'queued', ':running': 'running' },
    });
  }

  /**
   * failed as stalled (MerchantRenameService.current): only while still queued or running AND
   * not moved since `seen` was read (a unit counted meanwhile keeps it going), so of two readers
   * at once one writes. true when this call wrote it.
   */
  async failStalled(seen: RenameRecord, reason: string, now: Date): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.record(seen.budgetId, seen.id),
      UpdateExpression: 'SET #status = :failed, finishedAt = :now, updatedAt = :now, failure = :reason',
      ConditionExpression: '#status IN (:queued, :running) AND updatedAt = :seen',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':now': now.toISOString(), ':reason': reason, ':queued': 'queued', ':running': 'running', ':seen': seen.updatedAt },
    });
  }

  private expiresAt(createdAt: string): number {
    return Math.floor(Date.parse(createdAt) / 1000) + RENAME_RETENTION_SECONDS;
  }
}

function toRecord(item: Item): RenameRecord {
  const f = attr.fields(item, {
    renameId: attr.str,
    budgetId: attr.str,
    userId: attr.str,
    status: attr.among(RENAME_STATUSES),
    to: attr.str,
    createdAt: attr.str,
    updatedAt: attr.str,
    finishedAt: attr.optionalStr,
    failure: attr.optionalStr,
  });
  const from = attr.nullableStrList(item, 'from') ?? [];
  return {
    id: f.renameId,
    budgetId: f.budgetId,
    userId: f.userId,
    status: f.status,
    from,
    to: f.to,
    examined: Number(item.examined ?? 0),
    renamed: Number(item.renamed ?? 0),
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    ...(f.finishedAt === undefined ? {} : { finishedAt: f.finishedAt }),
    ...(f.failure === undefined ? {} : { failure: f.failure }),
  };
}
