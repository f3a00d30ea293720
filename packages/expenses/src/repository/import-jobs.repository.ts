import type { Item, ModuleStore } from '@budgeting/platform';
import type { ImportRow } from '../domain/csv/rows';
import { importJobKeys } from './keys';

export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One import as GET /imports/{importId} shows it (counts are rows of the file). */
export interface ImportRecord {
  id: string;
  budgetId: string;
  userId: string;
  status: ImportStatus;
  total: number;
  processed: number;
  imported: number;
  duplicates: number;
  errorCount: number;
  errors: { line: number; message: string }[];
  chunks: number;
  createdAt: string;
  /**
   * When the import last moved: created, started, a chunk counted, finished. While it is
   * `running`, a time that stops moving for longer than the job queue's attempts take means a
   * part of the file is in the job dead letters (README, "How to operate").
   */
  updatedAt: string;
  finishedAt?: string;
}

/** A validated row waiting in a chunk: its line, its identity (csv/fingerprint.ts) and its values. */
export interface ChunkRow {
  line: number;
  fingerprint: string;
  row: ImportRow;
  /** The categorization rule that filled in the row's category and tags (its event names it). */
  ruleId?: string;
}

/** Import records and their chunks expire a week after the import started (TTL attribute). */
export const IMPORT_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/**
 * The import job's own items (see keys.ts): the import record, which the workers count up, and
 * the file's validated rows in chunks, each one unit of work on the job queue. A chunk is
 * marked `done` in the same transaction that adds its counts to the record, so a chunk
 * delivered twice (a retry, a crash after the counts) counts once.
 */
export class ImportJobsRepository {
  private readonly keys: ReturnType<typeof importJobKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = importJobKeys(store);
  }

  /** Writes the chunks first, then the record: a record never names a chunk that is not there. */
  async create(record: ImportRecord, chunks: ChunkRow[][]): Promise<void> {
    const expiresAt = Math.floor(Date.parse(record.createdAt) / 1000) + IMPORT_RETENTION_SECONDS;
    const puts = chunks.map((rows, n) => () =>
      this.store.put({
        Item: { ...this.keys.chunk(record.budgetId, record.id, n), kind: 'import-chunk', rows: JSON.stringify(rows), expiresAt },
      }),
    );
    // Ten at a time: a 50,000-row file is about a hundred chunks.
    for (let i = 0; i < puts.length; i += 10) await Promise.all(puts.slice(i, i + 10).map((put) => put()));
    const { id, budgetId, ...rest } = record;
    await this.store.put({
      Item: { ...this.keys.record(budgetId, id), kind: 'import', importId: id, budgetId, ...rest, errors: JSON.stringify(record.errors), expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async get(budgetId: string, importId: string): Promise<ImportRecord | undefined> {
    const item = await this.store.get({ Key: this.keys.record(budgetId, importId), ConsistentRead: true });
    return item ? toRecord(item) : undefined;
  }

  /** The rows of a chunk, or undefined when it was worked already (or expired). */
  async pendingChunk(budgetId: string, importId: string, chunk: number): Promise<ChunkRow[] | undefined> {
    const item = await this.store.get({ Key: this.keys.chunk(budgetId, importId, chunk), ConsistentRead: true });
    if (!item || item.done === true) return undefined;
    return JSON.parse(String(item.rows)) as ChunkRow[];
  }

  async markRunning(budgetId: string, importId: string, now: Date): Promise<void> {
    await this.conditional({
      Key: this.keys.record(budgetId, importId),
      UpdateExpression: 'SET #status = :running, updatedAt = :now',
      ConditionExpression: '#status = :queued',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':now': now.toISOString() },
    });
  }

  /**
   * Marks the chunk done and adds its counts to the record, in one transaction; false (and
   * nothing written) when the chunk was done already.
   */
  async completeChunk(budgetId: string, importId: string, chunk: number, counts: { processed: number; imported: number; duplicates: number }, now: Date): Promise<boolean> {
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.chunk(budgetId, importId, chunk),
            UpdateExpression: 'SET #done = :true REMOVE #rows',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#done)',
            ExpressionAttributeNames: { '#done': 'done', '#rows': 'rows' },
            ExpressionAttributeValues: { ':true': true },
          },
        },
        {
          Update: {
            Key: this.keys.record(budgetId, importId),
            // Chunks worked at once may set their times a few ms out of order: a progress time, not a clock.
            UpdateExpression: 'ADD #processed :p, #imported :i, #duplicates :d SET updatedAt = :now',
            ExpressionAttributeNames: { '#processed': 'processed', '#imported': 'imported', '#duplicates': 'duplicates' },
            ExpressionAttributeValues: { ':p': counts.processed, ':i': counts.imported, ':d': counts.duplicates, ':now': now.toISOString() },
          },
        },
      ]);
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'TransactionCanceledException') return false;
      throw err;
    }
  }

  /** succeeded once every row is processed (idempotent: a second call changes nothing). */
  async finishIfComplete(budgetId: string, importId: string, now: Date): Promise<void> {
    await this.conditional({
      Key: this.keys.record(budgetId, importId),
      UpdateExpression: 'SET #status = :succeeded, finishedAt = :now, updatedAt = :now',
      ConditionExpression: '#processed = #total AND #status IN (:queued, :running)',
      ExpressionAttributeNames: { '#status': 'status', '#processed': 'processed', '#total': 'total' },
      ExpressionAttributeValues: { ':succeeded': 'succeeded', ':now': now.toISOString(), ':queued': 'queued', ':running': 'running' },
    });
  }

  /** failed, with the reason as an error of line 0 (the budget was deleted while importing). */
  async fail(budgetId: string, importId: string, message: string, now: Date): Promise<void> {
    await this.conditional({
      Key: this.keys.record(budgetId, importId),
      UpdateExpression: 'SET #status = :failed, finishedAt = :now, updatedAt = :now, failure = :message',
      ConditionExpression: '#status IN (:queued, :running)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':now': now.toISOString(), ':message': message, ':queued': 'queued', ':running': 'running' },
    });
  }

  private async conditional(input: Parameters<ModuleStore['update']>[0]): Promise<void> {
    try {
      await this.store.update(input);
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    }
  }
}

function toRecord(item: Item): ImportRecord {
  const errors = JSON.parse(String(item.errors ?? '[]')) as { line: number; message: string }[];
  if (typeof item.failure === 'string') errors.unshift({ line: 0, message: item.failure });
  return {
    id: String(item.importId),
    budgetId: String(item.budgetId),
    userId: String(item.userId),
    status: statusOf(item),
    total: Number(item.total),
    processed: Number(item.processed ?? 0),
    imported: Number(item.imported ?? 0),
    duplicates: Number(item.duplicates ?? 0),
    errorCount: Number(item.errorCount ?? 0),
    errors,
    chunks: Number(item.chunks),
    createdAt: String(item.createdAt),
    // Records written before updatedAt existed: their creation is the last move known.
    updatedAt: String(item.updatedAt ?? item.createdAt),
    ...(typeof item.finishedAt === 'string' ? { finishedAt: item.finishedAt } : {}),
  };
}

/**
 * The counts are the truth: once every row is processed the import has succeeded, even when the
 * delivery that counted the last chunk died before `finishIfComplete` (and its retries were
 * used up), so a crash between the two writes can never leave an import `running` for ever.
 */
function statusOf(item: Item): ImportStatus {
  const stored = item.status as ImportStatus;
  const complete = Number(item.processed ?? 0) >= Number(item.total);
  return complete && (stored === 'queued' || stored === 'running') ? 'succeeded' : stored;
}
