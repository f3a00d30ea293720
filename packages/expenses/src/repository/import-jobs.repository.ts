import { conditionFailedAt, createEvent, isTransactionConditionFailed, outboxPut, type EventEnvelope, type Item, type ModuleStore } from '@budgeting/platform';
import type { ImportRow } from '../domain/csv/rows';
import { expenseImportFinished, type JobFailureCode } from '../events';
import { expenseKeys, importJobKeys } from './keys';
import { shardOf } from './totals-deltas';
import { endWithEvent, type FinalUpdate } from './final-update';
import { WriterRefusedError, transactGuarded, type WriterGuard } from './writer-guard';

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
  /** Rows that matched a bill the recurring job had recorded (bill matching): no expense written for them. */
  matched: number;
  /**
   * `credits=income` only (absent otherwise, so other imports' records and answers are as before):
   * the credits written as income entries. They count in `imported` too (it is every row
   * written), so `imported - incomeImported` rows are expenses.
   */
  incomeImported?: number;
  errorCount: number;
  errors: { line: number; message: string }[];
  /** A bank statement (OFX/QFX, camt.053), a QIF file or a CSV read with a sign rule only: its credits and zero amounts (and entries not booked, transfers), left out (not counted in `total`). */
  skipped?: number;
  chunks: number;
  createdAt: string;
  /**
   * When the import last moved: created, started, a chunk counted (or a chunk's delivery that
   * wrote rows ran out of time), finished. The service reads an import that has not moved for
   * WORK_UNIT_STALLED_AFTER_MS as stalled and fails it (CsvImportService.current).
   */
  updatedAt: string;
  finishedAt?: string;
  /** The import profile the file was read with (`?profile=<id>`, or the one `?profile=auto` picked); written once, with the record. */
  profileId?: string;
  /**
   * Internal (not in the API's view): run with `?matchRecurring=false`. Its expenses carry it
   * (ExpensesRepository ImportOrigin), so the recurring job does not match them with bills either.
   */
  matchRecurring?: false;
  /**
   * A failed import's reason as a code (JobFailureCode; the event's `failureCode`), written with
   * `failure` by the same update. Absent when none: not failed, or failed before codes were stored.
   */
  failureCode?: string;
  /** Its undo (POST .../imports/{id}/undo: import-undo.repository.ts), absent before one was asked for. */
  undo?: ImportUndo;
}

/** An import's undo as stored on the import record (map attribute `undo`) and shown by GET. */
export interface ImportUndo {
  status: ImportStatus;
  /** Expenses of the import deleted (each as its own DELETE). */
  removed: number;
  /** Expenses of the import kept because they were changed since the import (their version moved). */
  kept: number;
  /** Expenses of the import already deleted by someone before the undo reached them. */
  gone: number;
  /** The import's `imported` when the undo started: removed + kept + gone once it succeeded. */
  total: number;
  /** Chunks counted so far (the undo succeeds when they are all). */
  chunksDone: number;
  /**
   * The numbers of the chunks counted, appended with each chunk's count (same update): a
   * restart queues units for the others only. Absent on undos counted before it was kept (a
   * restart then queues every chunk; a counted one does nothing when delivered).
   */
  undoneChunks?: number[];
  /** Which run: 1, then + 1 at each restart of a failed undo (its finished event says it). Absent: 1. */
  attempt?: number;
  startedBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  failure?: string;
  failureCode?: string;
}

/** The `errors` list is capped; `errorCount` counts them all. */
export const IMPORT_MAX_ERRORS_LISTED = 100;

export interface ImportError {
  line: number;
  message: string;
}

/** What a worked chunk adds to its import's counts; `errors`: its rows the write refused. */
export interface ChunkCounts {
  processed: number;
  imported: number;
  duplicates: number;
  /** Rows that matched a recorded bill (absent: none). */
  matched?: number;
  /** Of `imported`, the rows written as income entries (absent: none). */
  incomeImported?: number;
  errors?: ImportError[];
}

/** The record's list of error lines met while writing (DynamoDB list, appended by chunks). */
const WRITE_ERRORS_ATTRIBUTE = 'writeErrors';

/** A validated row waiting in a chunk: its line, its identity (csv/fingerprint.ts) and its values. */
export interface ChunkRow {
  line: number;
  fingerprint: string;
  row: ImportRow;
  /** The categorization rule that filled in the row's category and tags (its event names it). */
  ruleId?: string;
  /** The rule whose `renameTo` replaced the file's merchant in `row` (its event names it; the fingerprint is the file's). */
  renameRuleId?: string;
  /**
   * The recorded recurring occurrence the row matched when the file was accepted (bill matching,
   * domain/bill-matching.ts): the worker writes no expense for it, unless another row took the
   * occurrence meanwhile (then it is imported as usual).
   */
  match?: { recurringExpenseId: string; occurredOn: string; expenseId?: string };
  /**
   * camt.053: a batch booking's transaction (domain/camt/read.ts batchRows) carries the
   * fingerprint of its entry's key, under which a statement imported before batches were split
   * recorded the whole entry as one row (ImportsRepository.markers reads both; recordMany
   * writes the entry's as a split batch's marker).
   */
  entryFingerprint?: string;
  /**
   * `credits=income`: the row is a bank format's credit, written as an income entry (domain/
   * income-rows.ts), not an expense: never categorized, matched with a bill or given a change number.
   */
  income?: true;
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

  /**
   * Writes the chunks first, then the record: a record never names a chunk that is not there.
   * The record's write carries the budget's closed-budget check (ExpensesRepository.closeBudget,
   * the marker of the import id's shard), as an expense create does: an import whose access was
   * read just before its budget's DELETE, and whose chunks land after the budget.deleted cleanup
   * read the budget's partition, would otherwise leave the file's rows and its record stored for
   * the retention week (tests/integration/races/budget-lifecycle-races.test.ts). The cleanup
   * puts every marker before it reads anything, so a record that commits first is found by its
   * reads, with the chunks written before it; one that comes after fails as a whole, and its
   * chunks are deleted here: 'budget-closed', nothing of the import left (a crash before that
   * deletion leaves them to the retention TTL every chunk carries from its write).
   * `guard` (writer-guard.ts: the starter's BudgetsFacade.writeChecks) holds the record against
   * the starter's removal or demotion as well: the chunks' writes are the job's and check no
   * member, so a start refused here is the only stop (WriterRefusedError, chunks deleted as above).
   */
  async create(record: ImportRecord, chunks: ChunkRow[][], guard?: WriterGuard): Promise<'created' | 'budget-closed'> {
    const expiresAt = Math.floor(Date.parse(record.createdAt) / 1000) + IMPORT_RETENTION_SECONDS;
    const chunkKeys = chunks.map((_, n) => this.keys.chunk(record.budgetId, record.id, n));
    const puts = chunks.map((rows, n) => () => this.store.put({ Item: { ...chunkKeys[n]!, kind: 'import-chunk', rows: JSON.stringify(rows), expiresAt } }));
    // Ten at a time: a 50,000-row file is about a hundred chunks.
    for (let i = 0; i < puts.length; i += 10) await Promise.all(puts.slice(i, i + 10).map((put) => put()));
    const { id, budgetId, ...rest } = record;
    const put = {
      Item: { ...this.keys.record(budgetId, id), kind: 'import', importId: id, budgetId, ...rest, errors: JSON.stringify(record.errors), expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    const open = { ConditionCheck: { Key: expenseKeys(this.store).closedBudget(budgetId, shardOf(id)), ConditionExpression: 'attribute_not_exists(pk)' } };
    // Nothing to queue (every row invalid or repeated): the import ends as it is created, so
    // its expense.import_finished goes with the record.
    const finished = record.status === 'queued' || record.status === 'running' ? [] : [outboxPut(this.store, expenseImportFinished, await finishedEvent(record, record.status, new Date(record.finishedAt ?? record.createdAt)))];
    try {
      await transactGuarded(this.store, [{ Put: put }, open, ...finished], guard);
      return 'created';
    } catch (err) {
      if (err instanceof WriterRefusedError) {
        await this.store.batchDelete(chunkKeys);
        throw err;
      }
      if (!conditionFailedAt(err, 1)) throw err;
      await this.store.batchDelete(chunkKeys);
      return 'budget-closed';
    }
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
    await this.store.updateIf({
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
  async completeChunk(budgetId: string, importId: string, chunk: number, counts: ChunkCounts, now: Date, fingerprints: string[] = []): Promise<boolean> {
    const errors = counts.errors ?? [];
    // Error lines of the write itself (rows the month's totals could not take), listed while
    // the list has room; `errorCount` counts them all. Past the room the list is left as is.
    for (const listed of errors.length > 0 ? [errors.slice(0, IMPORT_MAX_ERRORS_LISTED), []] : [[]]) {
      try {
        await this.store.transactWrite([
          {
            Update: {
              Key: this.keys.chunk(budgetId, importId, chunk),
              // The rows go, their fingerprints stay (about 70 bytes a row, while the chunk lives:
              // a week): an undo of the import reads its markers by them (import-undo.repository.ts).
              // No write more: the update is billed on the larger image, the one with the rows.
              UpdateExpression: 'SET #done = :true, #fingerprints = :fingerprints REMOVE #rows',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#done)',
              ExpressionAttributeNames: { '#done': 'done', '#rows': 'rows', '#fingerprints': 'fingerprints' },
              ExpressionAttributeValues: { ':true': true, ':fingerprints': fingerprints },
            },
          },
          { Update: this.countsUpdate(budgetId, importId, { ...counts, errors }, listed, now) },
        ]);
        return true;
      } catch (err) {
        if (listed.length > 0 && conditionFailedAt(err, 1)) continue; // the list is full: count them only
        // Only a failed condition means "done already": a cancellation by throttling or a
        // conflict wrote nothing, and the delivery must fail so its retry counts the chunk.
        if (isTransactionConditionFailed(err)) return false;
        throw err;
      }
    }
    return false;
  }

  private countsUpdate(budgetId: string, importId: string, counts: ChunkCounts & { errors: ImportError[] }, listed: ImportError[], now: Date) {
    const names: Record<string, string> = { '#processed': 'processed', '#imported': 'imported', '#duplicates': 'duplicates' };
    const values: Record<string, unknown> = { ':p': counts.processed, ':i': counts.imported, ':d': counts.duplicates, ':now': now.toISOString() };
    const adds = ['#processed :p', '#imported :i', '#duplicates :d'];
    const sets = ['updatedAt = :now'];
    if ((counts.matched ?? 0) > 0) {
      names['#matched'] = 'matched';
      values[':m'] = counts.matched;
      adds.push('#matched :m');
    }
    if ((counts.incomeImported ?? 0) > 0) {
      names['#incomeImported'] = 'incomeImported';
      values[':ii'] = counts.incomeImported;
      adds.push('#incomeImported :ii');
    }
    if (counts.errors.length > 0) {
      names['#errorCount'] = 'errorCount';
      values[':e'] = counts.errors.length;
      adds.push('#errorCount :e');
    }
    if (listed.length === 0) {
      // Chunks worked at once may set their times a few ms out of order: a progress time, not a clock.
      return { Key: this.keys.record(budgetId, importId), UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
    }
    names['#writeErrors'] = WRITE_ERRORS_ATTRIBUTE;
    values[':listed'] = listed;
    values[':none'] = [];
    values[':room'] = IMPORT_MAX_ERRORS_LISTED;
    sets.push('#writeErrors = list_append(if_not_exists(#writeErrors, :none), :listed)');
    return {
      Key: this.keys.record(budgetId, importId),
      UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#writeErrors) OR size(#writeErrors) < :room',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /**
   * succeeded once every row is processed, with its expense.import_finished in the same
   * transaction (the counts read are final: every chunk is counted, and only once). Idempotent:
   * a second call (another chunk's delivery, a reader, a redelivery) finds it finished or its
   * condition fails, and writes nothing.
   */
  async finishIfComplete(budgetId: string, importId: string, now: Date): Promise<void> {
    const stored = await this.stored(budgetId, importId);
    if (!stored || !isOpen(stored.status) || stored.record.processed !== stored.record.total) return;
    await this.endWith(stored.record, 'succeeded', now, {
      Key: this.keys.record(budgetId, importId),
      UpdateExpression: 'SET #status = :succeeded, finishedAt = :now, updatedAt = :now',
      ConditionExpression: '#processed = #total AND #status IN (:queued, :running)',
      ExpressionAttributeNames: { '#status': 'status', '#processed': 'processed', '#total': 'total' },
      ExpressionAttributeValues: { ':succeeded': 'succeeded', ':now': now.toISOString(), ':queued': 'queued', ':running': 'running' },
    });
  }

  /**
   * A delivery that wrote rows ran out of time (its continuation is queued): the import moved,
   * though no count did. Only while `running`: a failed import stays failed.
   */
  async touch(budgetId: string, importId: string, now: Date): Promise<void> {
    await this.store.updateIf({
      Key: this.keys.record(budgetId, importId),
      UpdateExpression: 'SET updatedAt = :now',
      ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':now': now.toISOString() },
    });
  }

  /**
   * `failed` for an import that has not moved since `seen` was read (CsvImportService.current):
   * only if it is still queued or running with the same `updatedAt` and `processed`, so a chunk
   * counted (or a continuation) between the read and this write keeps it going, and of two
   * readers at once only one writes. True when this call wrote it.
   */
  async failStalled(seen: ImportRecord, message: string, now: Date): Promise<boolean> {
    // Also only while it has not moved since it was read: a delivery that touched it is alive.
    return this.failIfCountsAre(seen, { message, code: 'stalled' }, now, { unmovedSince: seen.updatedAt });
  }

  /**
   * failed, with the reason as an error of line 0 (the budget was deleted while importing, a
   * chunk dead-lettered, nothing could be queued), and its expense.import_finished in the same
   * transaction. The record is read first for the event's counts, and the write holds only
   * while `processed` is still what was read: a chunk counted in between makes it read again
   * (at most once per chunk). Nothing when it has ended already (no second event). `code`: the
   * reason as a code, the event's `failureCode`, stored on the record beside `failure` (same update).
   */
  async fail(budgetId: string, importId: string, message: string, now: Date, code: JobFailureCode): Promise<void> {
    for (let attempt = 0; attempt < FAIL_ATTEMPTS; attempt++) {
      const stored = await this.stored(budgetId, importId);
      if (!stored || !isOpen(stored.status)) return;
      const ended = await this.failIfCountsAre(stored.record, { message, code }, now);
      if (ended) return;
    }
    throw new Error(`import ${importId}: its counts kept moving while it was being failed`);
  }

  /**
   * failed, written only while `processed` (which moves with the other counts, in
   * completeChunk's one update) is still `seen`'s, so the event carries the final counts; with
   * `unmovedSince`, also only while `updatedAt` is that. Records written before updatedAt
   * existed read their creation time as updatedAt (toRecord), hence attribute_not_exists.
   */
  private failIfCountsAre(seen: ImportRecord, failure: { message: string; code: JobFailureCode }, now: Date, guard: { unmovedSince?: string } = {}): Promise<boolean> {
    const { message, code } = failure;
    const unmoved = guard.unmovedSince !== undefined;
    return this.endWith(
      seen,
      'failed',
      now,
      {
        Key: this.keys.record(seen.budgetId, seen.id),
        UpdateExpression: 'SET #status = :failed, finishedAt = :now, updatedAt = :now, failure = :message, failureCode = :code',
        ConditionExpression:
          '#status IN (:queued, :running) AND #processed = :processed' + (unmoved ? ' AND (#updatedAt = :seen OR attribute_not_exists(#updatedAt))' : ''),
        ExpressionAttributeNames: { '#status': 'status', '#processed': 'processed', ...(unmoved ? { '#updatedAt': 'updatedAt' } : {}) },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':now': now.toISOString(),
          ':message': message,
          ':code': code,
          ':queued': 'queued',
          ':running': 'running',
          ':processed': seen.processed,
          ...(unmoved ? { ':seen': guard.unmovedSince } : {}),
        },
      },
      failure,
    );
  }

  /** The record and its status as stored (toRecord reads a complete import as succeeded). */
  private async stored(budgetId: string, importId: string): Promise<{ record: ImportRecord; status: ImportStatus } | undefined> {
    const item = await this.store.get({ Key: this.keys.record(budgetId, importId), ConsistentRead: true });
    return item ? { record: toRecord(item), status: item.status as ImportStatus } : undefined;
  }

  /**
   * The record's move to its final status (`update`, conditional) and the import's
   * expense.import_finished (an outbox item) in ONE transaction: the event exists exactly when
   * the status became final. False (nothing written) when the update's condition failed.
   */
  private async endWith(record: ImportRecord, status: 'succeeded' | 'failed', now: Date, update: FinalUpdate, failure?: { message: string; code: JobFailureCode }): Promise<boolean> {
    const event = await finishedEvent(record, status, now, failure);
    return endWithEvent(this.store, update, expenseImportFinished, event);
  }

}


/** Reads of the record before failing it, each undone by a chunk counted meanwhile (one per chunk at most). */
const FAIL_ATTEMPTS = 10;

/** The event's `failure`: the reason, cut to the contract's 300 characters (its `failureCode` beside it). */
export const IMPORT_FAILURE_EVENT_CHARS = 300;

const isOpen = (status: ImportStatus) => status === 'queued' || status === 'running';

/** expense.import_finished of an import ending now with `record`'s counts (no rows, no file). */
function finishedEvent(record: ImportRecord, status: 'succeeded' | 'failed', now: Date, failure?: { message: string; code: JobFailureCode }): Promise<EventEnvelope> {
  const message = failure?.message;
  const reason = message && message.length > IMPORT_FAILURE_EVENT_CHARS ? `${message.slice(0, IMPORT_FAILURE_EVENT_CHARS - 1)}…` : message;
  return createEvent(
    expenseImportFinished,
    {
      budgetId: record.budgetId,
      importId: record.id,
      userId: record.userId,
      status,
      total: record.total,
      imported: record.imported,
      duplicates: record.duplicates,
      matched: record.matched,
      errorCount: record.errorCount,
      ...(record.skipped === undefined ? {} : { skipped: record.skipped }),
      // Exactly when the record has it (credits=income on a format that reads credits).
      ...(record.incomeImported === undefined ? {} : { incomeImported: record.incomeImported }),
      ...(reason ? { failure: reason } : {}),
      ...(failure ? { failureCode: failure.code } : {}),
    },
    { now: () => now },
  );
}

function toRecord(item: Item): ImportRecord {
  // The file's invalid rows (written with the record), then the rows the write refused, by line.
  const written = Array.isArray(item[WRITE_ERRORS_ATTRIBUTE]) ? (item[WRITE_ERRORS_ATTRIBUTE] as ImportError[]) : [];
  const parsed = JSON.parse(String(item.errors ?? '[]')) as ImportError[];
  const errors = [...parsed, ...written].sort((a, b) => a.line - b.line).slice(0, IMPORT_MAX_ERRORS_LISTED);
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
    // Records written before bill matching have none.
    matched: Number(item.matched ?? 0),
    ...(item.incomeImported === undefined ? {} : { incomeImported: Number(item.incomeImported) }),
    errorCount: Number(item.errorCount ?? 0),
    errors,
    ...(item.skipped === undefined ? {} : { skipped: Number(item.skipped) }),
    chunks: Number(item.chunks),
    createdAt: String(item.createdAt),
    // Records written before updatedAt existed: their creation is the last move known.
    updatedAt: String(item.updatedAt ?? item.createdAt),
    ...(typeof item.finishedAt === 'string' ? { finishedAt: item.finishedAt } : {}),
    ...(typeof item.profileId === 'string' ? { profileId: item.profileId } : {}),
    ...(item.matchRecurring === false ? { matchRecurring: false as const } : {}),
    // Records failed before codes were stored have none.
    ...(typeof item.failureCode === 'string' ? { failureCode: item.failureCode } : {}),
    ...(item.undo && typeof item.undo === 'object' ? { undo: item.undo as ImportUndo } : {}),
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
