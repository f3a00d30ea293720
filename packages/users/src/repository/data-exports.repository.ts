import { conditionFailedAt, epochSeconds, isTransactionConditionFailed, outboxPut, type EventEnvelope, type ModuleStore } from '@budgeting/platform';
import type { ExportGate, ExportStatus } from '../domain/data-export';
import { userDataExportFinished } from '../events';
import type { UsersKeys } from './keys';
import type { TransactItem } from './transact';

/** A data export as stored: its status, and the fan-out's bookkeeping (parts left, pages per part). */
export interface DataExportRecord {
  exportId: string;
  userId: string;
  status: ExportStatus;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
  /** When the document (and this item) goes: createdAt + EXPORT_RETENTION_DAYS. */
  expiresOn: string;
  /** Parts not finished yet (the account, the budget planner, each budget); the one that brings it to 0 queues the assembly. */
  partsRemaining: number;
  /**
   * Each finished part's number of page objects, as a record stored before the part items
   * (DataExportsRepository.finishPart) kept them; empty on every later one (`partPages()` reads them).
   */
  partPages: Record<string, number>;
  /** The last memberships page the planner counted (-1: none yet). */
  plannedPage: number;
  budgets: number;
  size?: number;
  notifiedAt?: string;
  error?: string;
}

/** An export's final update, as a transaction item. */
type FinalUpdate = NonNullable<Parameters<ModuleStore['transactWrite']>[0][number]['Update']>;

export type FinishedPart = 'last' | 'more' | 'over';

const KIND = 'data-export';
const PART_KIND = 'data-export-part';

/** Data exports and the per-user gate that admits them, in the user's partition. */
export class DataExportsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  async gate(userId: string): Promise<ExportGate | undefined> {
    const item = await this.store.get({ Key: this.keys.dataExportGate(userId), ConsistentRead: true });
    return item ? { active: item.active as string | undefined, activeSince: item.activeSince as string | undefined, day: item.day as string | undefined, count: item.count as number | undefined, version: item.version as number } : undefined;
  }

  /**
   * Creates the export and moves the gate in one transaction, conditioned on the gate being
   * as read (`seen`): two POSTs at once cannot both be admitted ('gate-moved'). Only while the
   * account exists (`accountCheck`, the profile item's: UsersRepository.accountCheck, in the
   * same transaction), else 'account-gone': a start that read the gate (and passed the request's
   * account check) before the account's deletion, written after its cleanup removed the exports,
   * would keep a gate (no TTL) for ever and assemble a document of a deleted account.
   * `alsoWrite`: the export's job units (in the same transaction: they exist exactly when it does).
   */
  async create(record: DataExportRecord, gate: ExportGate, seen: ExportGate | undefined, accountCheck: TransactItem, alsoWrite: TransactItem[] = []): Promise<'created' | 'gate-moved' | 'account-gone'> {
    try {
      await this.store.transactWrite([
        { Put: { Item: this.toItem(record), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            Item: { ...this.keys.dataExportGate(record.userId), kind: 'data-export-gate', ...gate },
            ConditionExpression: seen ? 'version = :v' : 'attribute_not_exists(pk)',
            ...(seen ? { ExpressionAttributeValues: { ':v': seen.version } } : {}),
          },
        },
        accountCheck,
        ...alsoWrite,
      ]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 2)) return 'account-gone';
      // The gate moved (or, never expected, the export's id exists): a failed condition. A
      // cancellation by throttling or a conflict is thrown on (503), not read as a lost race.
      if (isTransactionConditionFailed(err)) return 'gate-moved';
      throw err;
    }
  }

  async get(userId: string, exportId: string): Promise<DataExportRecord | undefined> {
    const item = await this.store.get({ Key: this.keys.dataExport(userId, exportId), ConsistentRead: true });
    return item ? fromItem(item) : undefined;
  }

  /** The newest `limit` exports (ids are ULIDs: newest last in the partition). */
  async newest(userId: string, limit: number): Promise<DataExportRecord[]> {
    const { items } = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.dataExportSkPrefix },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: limit,
    });
    return items.map(fromItem);
  }

  /** queued -> running (the first unit to start); false when it is no longer queued. */
  markRunning(userId: string, exportId: string, at: string): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.dataExport(userId, exportId),
      UpdateExpression: 'SET #s = :running, startedAt = :at',
      ConditionExpression: '#s = :queued',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at },
    });
  }

  /**
   * Counts memberships page `page` (n budgets, each a part) once: a redelivered planner that
   * counted it already changes nothing (the page number must be the next one).
   */
  countPlanned(userId: string, exportId: string, page: number, n: number): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.dataExport(userId, exportId),
      UpdateExpression: 'SET plannedPage = :page ADD partsRemaining :n, budgets :n',
      ConditionExpression: 'plannedPage = :previous',
      ExpressionAttributeValues: { ':page': page, ':previous': page - 1, ':n': n },
    });
  }

  /**
   * Records part `part` finished with `pages` page objects, once (a redelivered unit finds it
   * recorded). 'last': no part is left (the caller queues the assembly; a redelivery of the
   * last part says 'last' again until the export is over, so a lost queueing is repaired);
   * 'more': parts are left; 'over': the export is gone (account deleted), failed or done.
   *
   * The part is an item of its own (`users#export-part#<exportId>#<part>`, its `pages`), put
   * if absent in ONE transaction with the record's `partsRemaining` decrement: the record holds
   * no map of the parts. There is one part per budget of the user, and the budgets an account
   * joins have no cap, so such a map grew with them: past about 22,000 budgets the record passed
   * DynamoDB's 400 KB, every later part's write was refused and the export stayed `running`
   * (until 2026-12-07; tests/integration/users/data-export-many-budgets.test.ts). Since every
   * unit and GET reads the record, it also cost each of them the map's bytes. `expiresOn`: the
   * export's (its record's), so the part item goes with it (TTL).
   */
  async finishPart(userId: string, exportId: string, part: string, pages: number, expiresOn: string): Promise<FinishedPart> {
    const record = this.keys.dataExport(userId, exportId);
    try {
      await this.store.transactWrite([
        {
          Put: {
            Item: { ...this.keys.dataExportPart(userId, exportId, part), kind: PART_KIND, exportId, part, pages, expiresAt: epochSeconds(new Date(expiresOn)) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            Key: record,
            UpdateExpression: 'ADD partsRemaining :minusOne',
            // `partPages.<part>`: a part an export stored before the part items recorded in its map.
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(partPages.#part) AND #s IN (:queued, :running)',
            ExpressionAttributeNames: { '#part': part, '#s': 'status' },
            ExpressionAttributeValues: { ':minusOne': -1, ':queued': 'queued', ':running': 'running' },
          },
        },
      ]);
    } catch (err) {
      if (!isTransactionConditionFailed(err)) throw err;
    }
    const now = await this.store.get({ Key: record, ConsistentRead: true, ProjectionExpression: '#s, partsRemaining', ExpressionAttributeNames: { '#s': 'status' } });
    if (!now || (now.status !== 'queued' && now.status !== 'running')) return 'over';
    return (now.partsRemaining as number) === 0 ? 'last' : 'more';
  }

  /**
   * Each finished part's number of page objects: the part items (Query pages of the export's
   * parts, strongly consistent), with the map a record stored before them carries (`legacy`).
   */
  async partPages(userId: string, exportId: string, legacy: Record<string, number> = {}): Promise<Record<string, number>> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.dataExportPartSkPrefix(exportId) },
      ProjectionExpression: 'part, pages',
      ConsistentRead: true,
    });
    const out: Record<string, number> = { ...legacy };
    for (const item of items) out[item.part as string] = item.pages as number;
    return out;
  }

  /**
   * running -> succeeded, with `event` (user.data_export_finished) to the outbox in the same
   * transaction: published exactly when the export succeeded. Then the gate lets the next
   * export in. False when it was not running (a redelivered assembly: no second event).
   */
  async succeed(userId: string, exportId: string, p: { completedAt: string; size: number }, event: EventEnvelope): Promise<boolean> {
    const done = await this.finishWith(event, {
      Key: this.keys.dataExport(userId, exportId),
      UpdateExpression: 'SET #s = :succeeded, completedAt = :at, #size = :size',
      ConditionExpression: '#s = :running AND partsRemaining = :zero',
      ExpressionAttributeNames: { '#s': 'status', '#size': 'size' },
      ExpressionAttributeValues: { ':succeeded': 'succeeded', ':running': 'running', ':at': p.completedAt, ':size': p.size, ':zero': 0 },
    });
    await this.release(userId, exportId);
    return done;
  }

  /**
   * queued|running -> failed (a unit's last attempt failed), with `event` to the outbox in the
   * same transaction (none when it had finished already), then the gate lets the next export in.
   */
  async fail(userId: string, exportId: string, p: { completedAt: string; error: string }, event: EventEnvelope): Promise<void> {
    await this.finishWith(event, {
      Key: this.keys.dataExport(userId, exportId),
      UpdateExpression: 'SET #s = :failed, completedAt = :at, #error = :error',
      ConditionExpression: '#s IN (:queued, :running)',
      ExpressionAttributeNames: { '#s': 'status', '#error': 'error' },
      ExpressionAttributeValues: { ':failed': 'failed', ':queued': 'queued', ':running': 'running', ':at': p.completedAt, ':error': p.error.slice(0, 500) },
    });
    await this.release(userId, exportId);
  }

  markNotified(userId: string, exportId: string, at: string): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.dataExport(userId, exportId),
      UpdateExpression: 'SET notifiedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  /**
   * Every export item and the gate (account deletion; the objects go with the exports cleanup job). Idempotent.
   * Not the exports' finished parts (`users#export-part#...`): one per budget of each export, so
   * their number grows with the budgets the account joined; the sessions cleanup's unit, written
   * in the deletion's transaction, deletes them in bounded steps (its `users#export` slice,
   * SessionsRepository.deletionSlice), and their TTL is the export's.
   */
  async deleteAllForUser(userId: string): Promise<void> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.dataExportSkPrefix },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    await this.store.batchDelete([...items.map((i) => ({ pk: i.pk as string, sk: i.sk as string })), this.keys.dataExportGate(userId)]);
  }

  /** The export's final update and its event in one transaction; false when the update's condition did not hold. */
  private async finishWith(event: EventEnvelope, update: FinalUpdate): Promise<boolean> {
    try {
      await this.store.transactWrite([{ Update: update }, outboxPut(this.store, userDataExportFinished, event)]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /** The gate no longer names this export (when it still does). */
  private async release(userId: string, exportId: string): Promise<void> {
    await this.store.updateIf({
      Key: this.keys.dataExportGate(userId),
      UpdateExpression: 'REMOVE active, activeSince ADD version :one',
      ConditionExpression: 'active = :id',
      ExpressionAttributeValues: { ':id': exportId, ':one': 1 },
    });
  }

  private toItem(r: DataExportRecord): Record<string, unknown> {
    return {
      ...this.keys.dataExport(r.userId, r.exportId),
      kind: KIND,
      ...r,
      // The table's TTL attribute (epoch seconds): the item goes with its document.
      expiresAt: epochSeconds(new Date(r.expiresOn)),
    };
  }
}

function fromItem(item: Record<string, unknown>): DataExportRecord {
  return {
    exportId: item.exportId as string,
    userId: item.userId as string,
    status: item.status as ExportStatus,
    createdAt: item.createdAt as string,
    ...(item.startedAt ? { startedAt: item.startedAt as string } : {}),
    ...(item.completedAt ? { completedAt: item.completedAt as string } : {}),
    expiresOn: item.expiresOn as string,
    partsRemaining: item.partsRemaining as number,
    partPages: (item.partPages as Record<string, number>) ?? {},
    plannedPage: item.plannedPage as number,
    budgets: (item.budgets as number) ?? 0,
    ...(item.size !== undefined ? { size: item.size as number } : {}),
    ...(item.notifiedAt ? { notifiedAt: item.notifiedAt as string } : {}),
    ...(item.error ? { error: item.error as string } : {}),
  };
}
