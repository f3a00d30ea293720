import { conditionFailedAt, createEvent, isConditionFailed, isTransactionConditionFailed, type EventEnvelope, type ModuleStore, type TransactItem } from '@budgeting/platform';
import { expenseImportUndoFinished } from '../events';
import { IMPORT_FAILURE_EVENT_CHARS, type ImportUndo } from './import-jobs.repository';
import { importJobKeys, importKeys } from './keys';
import { endWithEvent, type FinalUpdate } from './final-update';
import { transactGuarded, type WriterGuard } from './writer-guard';

/** What an undo's chunk delivery counted (added to the record's `undo` with the chunk's mark). */
export interface UndoCounts {
  removed: number;
  kept: number;
  gone: number;
}

/** A chunk as an undo reads it: its rows' fingerprints, whether the undo counted it, and what earlier deliveries planned. */
export interface UndoChunk {
  /** Undefined: counted by the import before fingerprints were kept (neither rows nor fingerprints). */
  fingerprints: string[] | undefined;
  undone: boolean;
  /** Fingerprints whose expense an earlier delivery set out to delete (`undoPlanned`). */
  planned: Set<string>;
  /** Fingerprints whose expense an earlier delivery found deleted already (`undoGone`). */
  gone: Set<string>;
}

/** An import marker as the undo reads it: the import that wrote it and the expense (or, `credits=income`, the income entry) it recorded. */
export interface UndoMarker {
  importId?: string;
  expenseId?: string;
  incomeId?: string;
}

/** What a marker recorded: an expense, or an income entry. */
export type RecordedBy = { expenseId: string } | { incomeId: string };

const OPEN = { ':queued': 'queued', ':running': 'running' };

/**
 * The undo of an import (service/import-undo.service.ts): its state in the import record's
 * `undo` map (set once, only on a finished import), the per-chunk marks on the import's own
 * chunk items (`undone`, set in the same transaction that adds the chunk's counts, as the
 * import's `done`; `undoPlanned`/`undoGone`, string sets that let a redelivery count what a
 * dead delivery did), and the import markers it reads and deletes.
 */
export class ImportUndoRepository {
  private readonly jobKeys: ReturnType<typeof importJobKeys>;
  private readonly markerKeys: ReturnType<typeof importKeys>;

  constructor(private readonly store: ModuleStore) {
    this.jobKeys = importJobKeys(store);
    this.markerKeys = importKeys(store);
  }

  /**
   * Sets the record's `undo` (queued) if it has none and the import has finished: true when this
   * call set it (a concurrent or second undo finds it set and answers the same resource). An
   * undo that ends as it starts (an import with no chunks: `succeeded`) carries its
   * expense.import_undo_finished in the same transaction. `guard` (writer-guard.ts: the
   * starter's BudgetsFacade.writeChecks) holds it against the starter's removal or demotion:
   * the undo's deletes are the job's and check no member (WriterRefusedError: nothing written).
   */
  async start(budgetId: string, importId: string, undo: ImportUndo, guard?: WriterGuard): Promise<boolean> {
    const update = {
      Key: this.jobKeys.record(budgetId, importId),
      UpdateExpression: 'SET #undo = :undo',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#undo) AND #status IN (:succeeded, :failed)',
      ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status' },
      ExpressionAttributeValues: { ':undo': undo, ':succeeded': 'succeeded', ':failed': 'failed' },
    };
    if (undo.status === 'succeeded' || undo.status === 'failed') return this.endWith(budgetId, importId, undo, undo.status, new Date(undo.updatedAt), update, undefined, guard);
    return this.updateGuarded(update, guard);
  }

  /** One conditional update, alone (one request) or with `guard` (a 2-item transaction): false when its own condition failed. */
  private async updateGuarded(update: Parameters<ModuleStore['update']>[0], guard: WriterGuard | undefined): Promise<boolean> {
    try {
      if (guard) await transactGuarded(this.store, [{ Update: update as NonNullable<TransactItem['Update']> }], guard);
      else await this.store.update(update);
      return true;
    } catch (err) {
      if (isConditionFailed(err) || conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /**
   * Restarts a failed undo (queued again, its reason cleared, its counts, `chunksDone` and
   * `undoneChunks` kept, `attempt` + 1: the run that ends next publishes its own event), only
   * while it is still the failed undo `seen` read: of two requests at once, one restarts it.
   */
  async restart(budgetId: string, importId: string, seen: ImportUndo, now: Date, guard?: WriterGuard): Promise<boolean> {
    return this.updateGuarded(
      {
        Key: this.jobKeys.record(budgetId, importId),
        UpdateExpression: 'SET #undo.#status = :queued, #undo.updatedAt = :now, #undo.#attempt = :attempt REMOVE #undo.finishedAt, #undo.failure, #undo.failureCode',
        ConditionExpression: '#undo.#status = :failed AND #undo.updatedAt = :seen',
        ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status', '#attempt': 'attempt' },
        ExpressionAttributeValues: { ':queued': 'queued', ':failed': 'failed', ':seen': seen.updatedAt, ':now': now.toISOString(), ':attempt': attemptOf(seen) + 1 },
      },
      guard,
    );
  }

  /**
   * The chunk's fingerprints (kept by the import's completeChunk; a chunk never worked still has
   * its rows); undefined when expired. A chunk with neither (counted before fingerprints were
   * kept) has `fingerprints` undefined: nothing of it can be found.
   */
  async chunk(budgetId: string, importId: string, n: number): Promise<UndoChunk | undefined> {
    const item = await this.store.get({ Key: this.jobKeys.chunk(budgetId, importId, n), ConsistentRead: true });
    if (!item) return undefined;
    const fingerprints = Array.isArray(item.fingerprints)
      ? (item.fingerprints as string[])
      : typeof item.rows === 'string'
        ? (JSON.parse(item.rows) as { fingerprint: string }[]).map((r) => r.fingerprint)
        : undefined;
    const set = (v: unknown) => new Set(v instanceof Set ? ([...v] as string[]) : []);
    return { fingerprints, undone: item.undone === true, planned: set(item.undoPlanned), gone: set(item.undoGone) };
  }

  /**
   * Adds fingerprints to the chunk's planned and gone sets (ADD is a union: a redelivery adds
   * nothing twice), only while the chunk exists: an ADD on a chunk deleted meanwhile (the
   * budget.deleted cleanup, or its week's expiry) would re-create it with the fingerprints and
   * no expiry, for good (tests/integration/races/budget-lifecycle-races.test.ts). false: gone,
   * nothing written.
   */
  async plan(budgetId: string, importId: string, n: number, planned: string[], gone: string[]): Promise<boolean> {
    const adds: string[] = [];
    const values: Record<string, unknown> = {};
    if (planned.length > 0) {
      adds.push('undoPlanned :planned');
      values[':planned'] = new Set(planned);
    }
    if (gone.length > 0) {
      adds.push('undoGone :gone');
      values[':gone'] = new Set(gone);
    }
    if (adds.length === 0) return true;
    return this.store.updateIf({ Key: this.jobKeys.chunk(budgetId, importId, n), UpdateExpression: `ADD ${adds.join(', ')}`, ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: values });
  }

  /** The markers of `fingerprints` that exist (BatchGetItem, 100 keys a request, strongly consistent). */
  async markers(budgetId: string, fingerprints: string[]): Promise<Map<string, UndoMarker>> {
    if (fingerprints.length === 0) return new Map();
    const items = await this.store.batchGet(fingerprints.map((f) => this.markerKeys.marker(budgetId, f)), true);
    const prefix = this.markerKeys.marker(budgetId, '').sk;
    return new Map(
      items.map((i) => [
        String(i.sk).slice(prefix.length),
        {
          ...(typeof i.importId === 'string' ? { importId: i.importId } : {}),
          ...(typeof i.expenseId === 'string' ? { expenseId: i.expenseId } : {}),
          ...(typeof i.incomeId === 'string' ? { incomeId: i.incomeId } : {}),
        },
      ]),
    );
  }

  /** Deletes a row's marker, only while it still names this import and expense (or income entry): a later import's marker of the row stays. */
  async deleteMarker(budgetId: string, fingerprint: string, importId: string, recorded: RecordedBy): Promise<void> {
    const [name, id] = 'expenseId' in recorded ? ['expenseId', recorded.expenseId] : ['incomeId', recorded.incomeId];
    try {
      await this.store.delete({
        Key: this.markerKeys.marker(budgetId, fingerprint),
        ConditionExpression: `importId = :importId AND ${name} = :recordedId`,
        ExpressionAttributeValues: { ':importId': importId, ':recordedId': id },
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  async markRunning(budgetId: string, importId: string, now: Date): Promise<void> {
    await this.store.updateIf({
      Key: this.jobKeys.record(budgetId, importId),
      UpdateExpression: 'SET #undo.#status = :running, #undo.updatedAt = :now',
      ConditionExpression: '#undo.#status = :queued',
      ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':now': now.toISOString() },
    });
  }

  /**
   * Marks the chunk undone and adds its counts to the record's undo, in ONE transaction, only
   * while the undo is open; false (nothing written) when the chunk was counted already (a
   * redelivery) or the undo ended. The chunk's number is appended to the undo's `undoneChunks`
   * in the same update (once: the chunk's own condition holds once), so a restart reads from the
   * record alone which chunks are left (no read per chunk).
   */
  async completeChunk(budgetId: string, importId: string, n: number, counts: UndoCounts, now: Date): Promise<boolean> {
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.jobKeys.chunk(budgetId, importId, n),
            UpdateExpression: 'SET #undone = :true',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#undone)',
            ExpressionAttributeNames: { '#undone': 'undone' },
            ExpressionAttributeValues: { ':true': true },
          },
        },
        {
          Update: {
            Key: this.jobKeys.record(budgetId, importId),
            UpdateExpression:
              'SET #undo.removed = #undo.removed + :removed, #undo.kept = #undo.kept + :kept, #undo.gone = #undo.gone + :gone, #undo.chunksDone = #undo.chunksDone + :one, #undo.updatedAt = :now, #undo.#undoneChunks = list_append(if_not_exists(#undo.#undoneChunks, :none), :chunk)',
            ConditionExpression: '#undo.#status IN (:queued, :running)',
            ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status', '#undoneChunks': 'undoneChunks' },
            ExpressionAttributeValues: { ':removed': counts.removed, ':kept': counts.kept, ':gone': counts.gone, ':one': 1, ':now': now.toISOString(), ':none': [], ':chunk': [n], ...OPEN },
          },
        },
      ]);
      return true;
    } catch (err) {
      // Only a failed condition means "counted already, or the undo ended": a cancellation by
      // throttling or a conflict wrote nothing, and the delivery must fail so its retry counts it.
      if (isTransactionConditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * succeeded once every chunk is counted, with its expense.import_undo_finished in the same
   * transaction. The undo is read first (no write at all while chunks are left); once every
   * chunk is counted its counts are final (completeChunk adds a chunk's counts once), and the
   * write's condition lets one of several deliveries finishing together write it: the others,
   * and a redelivery, find it ended and write nothing, so there is one event.
   */
  async finishIfComplete(budgetId: string, importId: string, chunks: number, now: Date): Promise<void> {
    const undo = await this.current(budgetId, importId);
    if (!undo || !isOpen(undo) || undo.chunksDone < chunks) return;
    await this.endWith(budgetId, importId, undo, 'succeeded', now, {
      Key: this.jobKeys.record(budgetId, importId),
      UpdateExpression: 'SET #undo.#status = :succeeded, #undo.updatedAt = :now, #undo.finishedAt = :now',
      ConditionExpression: '#undo.chunksDone >= :chunks AND #undo.#status IN (:queued, :running)',
      ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status' },
      ExpressionAttributeValues: { ':succeeded': 'succeeded', ':now': now.toISOString(), ':chunks': chunks, ...OPEN },
    });
  }

  /** Moves `updatedAt` of an open undo (a delivery out of time that asks for its unit again is alive: the stall rule reads it). */
  async touch(budgetId: string, importId: string, now: Date): Promise<void> {
    await this.store.updateIf({
      Key: this.jobKeys.record(budgetId, importId),
      UpdateExpression: 'SET #undo.updatedAt = :now',
      ConditionExpression: '#undo.#status IN (:queued, :running)',
      ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status' },
      ExpressionAttributeValues: { ':now': now.toISOString(), ...OPEN },
    });
  }

  /** The update that fails an open undo with `message` and `code`, held by `guard` (what must not have moved since it was read). */
  private failedUpdate(budgetId: string, importId: string, message: string, code: string, now: Date, guard: { condition: string; values: Record<string, unknown> }) {
    return {
      Key: this.jobKeys.record(budgetId, importId),
      UpdateExpression: 'SET #undo.#status = :failed, #undo.updatedAt = :now, #undo.finishedAt = :now, #undo.failure = :message, #undo.failureCode = :code',
      ConditionExpression: `#undo.#status IN (:queued, :running) AND ${guard.condition}`,
      ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':now': now.toISOString(), ':message': message, ':code': code, ...guard.values, ...OPEN },
    };
  }

  /**
   * failed `stalled`, only while still open and not moved since `seen` was read (once; a unit that
   * moved it keeps it going), with its expense.import_undo_finished: a chunk counted moves
   * `updatedAt`, so when this write holds `seen`'s counts are the final ones.
   */
  async failStalled(budgetId: string, importId: string, seen: ImportUndo, message: string, now: Date): Promise<void> {
    await this.endWith(
      budgetId,
      importId,
      seen,
      'failed',
      now,
      this.failedUpdate(budgetId, importId, message, 'stalled', now, { condition: '#undo.updatedAt = :seen', values: { ':seen': seen.updatedAt } }),
      { message, code: 'stalled' },
    );
  }

  /**
   * failed with its reason and code, while open (once), with its expense.import_undo_finished.
   * The undo is read first for the event's counts and the write holds only while `chunksDone`
   * (which moves with the counts, in completeChunk's one update) is still what was read: a chunk
   * counted in between makes it read again (at most once per chunk). Nothing when it has ended
   * already (no second event).
   */
  async fail(budgetId: string, importId: string, message: string, code: string, now: Date): Promise<void> {
    for (let attempt = 0; attempt < FAIL_ATTEMPTS; attempt++) {
      const seen = await this.current(budgetId, importId);
      if (!seen || !isOpen(seen)) return;
      const ended = await this.endWith(
        budgetId,
        importId,
        seen,
        'failed',
        now,
        this.failedUpdate(budgetId, importId, message, code, now, { condition: '#undo.chunksDone = :chunksDone', values: { ':chunksDone': seen.chunksDone } }),
        { message, code },
      );
      if (ended) return;
    }
    throw new Error(`undo of import ${importId}: its counts kept moving while it was being failed`);
  }

  /** The record's undo as stored (strongly consistent), undefined without a record or an undo. */
  private async current(budgetId: string, importId: string): Promise<ImportUndo | undefined> {
    const item = await this.store.get({ Key: this.jobKeys.record(budgetId, importId), ConsistentRead: true });
    return item?.undo && typeof item.undo === 'object' ? (item.undo as ImportUndo) : undefined;
  }

  /**
   * The undo's move to its final status (`update`, conditional) and its
   * expense.import_undo_finished (an outbox item) in ONE transaction, as the import's
   * (ImportJobsRepository.endWith): the event exists exactly when the status became final.
   * False (nothing written) when the update's condition failed.
   */
  private async endWith(budgetId: string, importId: string, undo: ImportUndo, status: 'succeeded' | 'failed', now: Date, update: FinalUpdate, failure?: { message: string; code: string }, guard?: WriterGuard): Promise<boolean> {
    const event = await undoFinishedEvent(budgetId, importId, undo, status, now, failure);
    return endWithEvent(this.store, update, expenseImportUndoFinished, event, guard);
  }

}


/** Reads of the undo before failing it, each undone by a chunk counted meanwhile (one per chunk at most, as the import's). */
const FAIL_ATTEMPTS = 10;

const isOpen = (undo: ImportUndo) => undo.status === 'queued' || undo.status === 'running';

/** The run of an undo: undos started before runs were numbered are their first. */
export const attemptOf = (undo: ImportUndo) => undo.attempt ?? 1;

/** expense.import_undo_finished of an undo ending now with `undo`'s counts (no expense contents). */
function undoFinishedEvent(budgetId: string, importId: string, undo: ImportUndo, status: 'succeeded' | 'failed', now: Date, failure?: { message: string; code: string }): Promise<EventEnvelope> {
  const message = failure?.message;
  const reason = message && message.length > IMPORT_FAILURE_EVENT_CHARS ? `${message.slice(0, IMPORT_FAILURE_EVENT_CHARS - 1)}…` : message;
  return createEvent(
    expenseImportUndoFinished,
    {
      budgetId,
      importId,
      startedBy: undo.startedBy,
      attempt: attemptOf(undo),
      status,
      removed: undo.removed,
      kept: undo.kept,
      gone: undo.gone,
      total: undo.total,
      ...(reason ? { failure: reason } : {}),
      ...(failure ? { failureCode: failure.code } : {}),
    },
    { now: () => now },
  );
}
