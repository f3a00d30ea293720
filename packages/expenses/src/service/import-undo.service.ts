import { ProblemError, problems, type Clock, type Logger, type ModuleStore, type WorkQueue } from '@budgeting/platform';
import { JobWatchdog, type WatchOutcome } from '@budgeting/platform/job-watchdog';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { Expense, Income } from '../model';
import { INTERNAL_FAILURE } from '../domain/internal-failure';
import { IncomeChangedError, type IncomeRepository } from '../repository/income.repository';
import { deleteIncome } from './income-delete';
import { IMPORT_RETENTION_SECONDS, type ImportJobsRepository, type ImportRecord, type ImportUndo } from '../repository/import-jobs.repository';
import type { ImportUndoRepository, RecordedBy, UndoChunk, UndoCounts } from '../repository/import-undo.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { ExpensesService } from './expenses.service';
import { authorize, refuseArchived } from './access';
import { guardedWrite } from './guarded-write';
import { mapBounded } from './bounded';
import { IMPORT_UNDO_JOB, IMPORT_UNDO_WATCHDOG_JOB } from '../jobs/names';
import type { ImportUndoStall } from './import-undo-stall';
import { EXPENSES_PROBLEMS } from '../problems';

/** One unit of an undo: one stored chunk of the import. */
export interface ImportUndoUnit {
  budgetId: string;
  importId: string;
  chunk: number;
}

/** The undo's watchdog (jobs/import-undo-watchdog-job.ts): one unit per started undo, held until its stall is due. */
export type ImportUndoWatchdogUnit = {
  budgetId: string;
  importId: string;
};

/** The version an import writes its expenses with (imported-rows.ts importedExpense): any change since moves it. */
export const IMPORTED_VERSION = 1;

/**
 * The undo is refused this long before the import's chunks expire (IMPORT_RETENTION_SECONDS), so
 * its units find them: a day covers the queue's hour of backlog and 5 attempts many times over.
 */
export const UNDO_MARGIN_SECONDS = 24 * 60 * 60;

/** Deletes at once per delivery, as the bulk edit's writes (BULK_WRITE_CONCURRENCY). */
const UNDO_WRITE_CONCURRENCY = 8;

/**
 * "I imported the wrong file": deletes the expenses an import recorded, a fan-out job of one unit
 * per stored chunk of the import (jobs/import-undo-job.ts), each expense through the DELETE's
 * own write (ExpensesService.removeAuthorized: totals, change log, expense.deleted, the
 * restorable copy) and only at the version the import wrote (a changed one is kept), then its
 * import marker, so importing a corrected file records those rows again.
 */
export class ImportUndoService {
  /** The started undos' watchdog (platform jobs/job-watchdog.ts, the import's on the same window). */
  private readonly watchdog: JobWatchdog<ImportUndoWatchdogUnit>;

  constructor(
    private readonly deps: {
      undo: ImportUndoRepository;
      jobs: Pick<ImportJobsRepository, 'get'>;
      /**
       * The import as its GET reads it (CsvImportService.peek): an import or an undo stalled but
       * not yet failed in the table (nobody read it, its watchdog not due or lost) is failed
       * first, so the undo is not refused as running (409) nor answered as running while GET
       * says failed.
       */
      importRead: (budgetId: string, importId: string) => Promise<ImportRecord | undefined>;
      repository: Pick<ExpenseQueries, 'getMany'>;
      expenses: Pick<ExpensesService, 'removeAuthorized'>;
      /** The income entries a `credits=income` import wrote (read, and deleted by the income DELETE's own write); absent: none are. */
      income?: Pick<IncomeRepository, 'getMany' | 'get' | 'remove'>;
      budgets: BudgetsFacade;
      /** The module's store: an income entry's removal puts its `income.deleted` outbox item (income-delete.ts). */
      store: ModuleStore;
      clock: Clock;
      work: WorkQueue;
      /** The stall rule applied on read (shared with the import's GET). */
      stall: ImportUndoStall;
      /** The import's stall window (the watchdog is due when the undo would read as stalled). */
      stalledAfterMs: number;
      logger?: Pick<Logger, 'warn'>;
    },
  ) {
    this.watchdog = new JobWatchdog({ job: IMPORT_UNDO_WATCHDOG_JOB, watched: 'import undo', work: deps.work, clock: deps.clock, stalledAfterMs: deps.stalledAfterMs, logger: deps.logger });
  }

  /**
   * Starts the undo (or answers the one started before): the import's starter or the budget's
   * owner; a finished import whose chunks are kept at least UNDO_MARGIN_SECONDS more.
   */
  async start(budgetId: string, userId: string, importId: string): Promise<ImportRecord> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write', { archiveAfterOwnRule: true });
    const record = await this.deps.importRead(budgetId, importId);
    if (!record) throw problems.notFound('Import not found.');
    if (access.role !== 'owner' && record.userId !== userId) {
      throw problems.forbidden('Only the member who started the import, or the budget\'s owner, can undo it.');
    }
    refuseArchived(access, budgetId);
    if (record.undo && record.undo.status !== 'failed') return record;
    if (record.status === 'queued' || record.status === 'running') {
      throw new ProblemError(EXPENSES_PROBLEMS['import-running'], `Import ${importId} is ${record.status}; undo it once it has finished.`);
    }
    const now = this.deps.clock.now();
    const lastUndo = Date.parse(record.createdAt) + (IMPORT_RETENTION_SECONDS - UNDO_MARGIN_SECONDS) * 1000;
    if (now.getTime() >= lastUndo) {
      throw new ProblemError(EXPENSES_PROBLEMS['import-undo-expired'], `Import ${importId} started on ${record.createdAt}; its rows are kept 7 days and an undo must start within 6 of them. Delete its expenses with the bulk edit instead.`,
      );
    }
    if (record.undo) return this.restart(record, userId, now);
    const undo: ImportUndo = {
      status: record.chunks === 0 ? 'succeeded' : 'queued',
      removed: 0,
      kept: 0,
      gone: 0,
      total: record.imported,
      chunksDone: 0,
      attempt: 1,
      startedBy: userId,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      ...(record.chunks === 0 ? { finishedAt: now.toISOString() } : {}),
    };
    // The watchdog before the start commits (see armWatchdog).
    if (record.chunks > 0) await this.armWatchdog(record, undo);
    // The starter's check in the start's write: removed or made a viewer since the access read,
    // the undo is refused (404 or 403), as its deletes are the job's and check no member.
    const started = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.undo.start(budgetId, importId, undo, guard));
    if (started && record.chunks > 0) await this.queueUnits(record, Array.from({ length: record.chunks }, (_, chunk) => chunk), now);
    // Ours, or a concurrent request's: the record as stored now.
    return (await this.deps.jobs.get(budgetId, importId)) ?? record;
  }

  /**
   * A failed undo asked again (the budget unarchived since, a chunk that failed every attempt, a
   * stall): queued again with its counts kept, by ONE conditional update on the failed undo read
   * (of two requests at once, one restarts it), then a unit per chunk not counted yet: the
   * record's `undoneChunks` (appended with each chunk's count) says which, so neither a read
   * per chunk here nor a delivery of a counted chunk is spent. An undo counted before that list
   * was kept (its length is not `chunksDone`) gets a unit per chunk, as before: a counted one
   * does nothing when delivered (2 GetItems). Every chunk counted already (the undo failed
   * after its last count, before its finish): nothing to queue, it is finished here. The rows
   * an earlier attempt deleted are counted by its planned sets, so the counts go on exactly.
   */
  private async restart(record: ImportRecord, userId: string, now: Date): Promise<ImportRecord> {
    const { budgetId, id: importId } = record;
    const seen = record.undo!;
    await this.armWatchdog(record, { ...seen, status: 'queued', updatedAt: now.toISOString() });
    const restarted = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.undo.restart(budgetId, importId, seen, now, guard));
    if (restarted) {
      const left = chunksLeft(record.chunks, seen);
      if (left.length === 0) await this.deps.undo.finishIfComplete(budgetId, importId, record.chunks, now);
      else await this.queueUnits(record, left, now);
    }
    return (await this.deps.jobs.get(budgetId, importId)) ?? record;
  }

  /**
   * The undo's watchdog, queued BEFORE the start (or restart) commits, as a step of its own whose
   * refusal is only logged (JobWatchdog.arm): a process that dies right after the commit queues
   * no unit and answers nothing, and the watchdog, already held, fails that undo unread once it
   * stalls (queued after the units until feat/outbox, the crash took it too, and the undo read
   * `queued` until someone read it). A start that does not commit (refused, or another request's
   * came first: its own watchdog then runs beside this one, both harmless) leaves a watch that
   * finds no undo of its own running and ends, or re-arms beside the other.
   */
  private armWatchdog(record: ImportRecord, undo: ImportUndo): Promise<void> {
    return this.watchdog.arm({ budgetId: record.budgetId, importId: record.id }, undo);
  }

  /** One unit per chunk of `chunks`; nothing queued: failed `not-started` (the watchdog was queued before the start: armWatchdog). */
  private async queueUnits(record: ImportRecord, chunks: number[], now: Date): Promise<void> {
    const { budgetId, id: importId } = record;
    try {
      await this.deps.work.enqueue(IMPORT_UNDO_JOB, chunks.map((chunk): ImportUndoUnit => ({ budgetId, importId, chunk })), now);
    } catch (err) {
      // The error is the operators' (logged here), never the reason's words (domain/internal-failure.ts).
      this.deps.logger?.warn('import undo not started: its units could not be queued', { budgetId, importId, error: err as Error });
      await this.deps.undo.fail(budgetId, importId, `the undo could not start (${INTERNAL_FAILURE})`, 'not-started', this.deps.clock.now());
    }
  }

  /** The record without an access check (Prefer: wait polls after start checked access), its undo's stall rule applied. */
  async peek(budgetId: string, importId: string): Promise<ImportRecord | undefined> {
    const record = await this.deps.jobs.get(budgetId, importId);
    return record && this.deps.stall.apply(record);
  }

  /**
   * One delivery of the undo's watchdog (jobs/import-undo-watchdog-job.ts): the undo read as GET
   * reads it (the same stall rule and conditional failure), then JobWatchdog ends the watch
   * (ended, or no undo) or re-arms it (still moving).
   */
  watch(unit: ImportUndoWatchdogUnit): Promise<WatchOutcome> {
    return this.watchdog.watch(unit, async () => (await this.peek(unit.budgetId, unit.importId))?.undo);
  }

  /** The chunk is gone (expired, or deleted with its budget: then the record is too and nothing is written): the undo fails, saying so. */
  private async chunkGone(budgetId: string, importId: string, chunk: number): Promise<{ again: boolean; removed: number }> {
    await this.deps.undo.fail(budgetId, importId, `part ${chunk + 1} of the import expired before it was undone; the expenses removed before stay removed`, 'expired', this.deps.clock.now());
    return { again: false, removed: 0 };
  }

  /**
   * One delivery of one chunk. Idempotent: the chunk's `undone` mark is set with its counts (so
   * they are added once), and `undoPlanned`/`undoGone` (written before any delete) let a
   * redelivery after a crash count the rows a dead delivery removed. Stops starting deletes at
   * `deadline` and asks for the same unit again (nothing counted yet: the next delivery counts all).
   */
  async workChunk(unit: ImportUndoUnit, deadline: number): Promise<{ again: boolean; removed: number }> {
    const { budgetId, importId, chunk } = unit;
    const record = await this.deps.jobs.get(budgetId, importId);
    const undo = record?.undo;
    if (!record || !undo || (undo.status !== 'queued' && undo.status !== 'running')) return { again: false, removed: 0 };
    const stored = await this.deps.undo.chunk(budgetId, importId, chunk);
    if (!stored) return this.chunkGone(budgetId, importId, chunk);
    if (stored.undone) {
      await this.deps.undo.finishIfComplete(budgetId, importId, record.chunks, this.deps.clock.now());
      return { again: false, removed: 0 };
    }
    if (!stored.fingerprints) {
      // Counted by the import before chunks kept their fingerprints: which expenses it recorded
      // cannot be told, so the undo says so instead of "succeeding" with nothing removed.
      await this.deps.undo.fail(
        budgetId,
        importId,
        `part ${chunk + 1} of the import was recorded before imports kept what they recorded, so it cannot be undone; delete its expenses with the bulk edit`,
        'import-undo-unavailable',
        this.deps.clock.now(),
      );
      return { again: false, removed: 0 };
    }
    if (undo.status === 'queued') await this.deps.undo.markRunning(budgetId, importId, this.deps.clock.now());

    const { counts, expenses, incomes, toDelete, toForget, newlyGone } = await this.sortRows(unit, { ...stored, fingerprints: stored.fingerprints });
    // Written before any delete, so a redelivery after a crash knows which were this undo's.
    // Gone since it was read (expired, or deleted with its budget): nothing planned, nothing deleted.
    if (!(await this.deps.undo.plan(budgetId, importId, chunk, toDelete.map((r) => r.fingerprint).filter((f) => !stored.planned.has(f)), newlyGone))) {
      return this.chunkGone(budgetId, importId, chunk);
    }

    let archived = false;
    let outOfTime = false;
    await mapBounded([...toForget.map((row) => ({ row, remove: false })), ...toDelete.map((row) => ({ row, remove: true }))], UNDO_WRITE_CONCURRENCY, async ({ row, remove }) => {
      if (archived) return;
      if (Date.now() >= deadline) {
        outOfTime = true;
        return;
      }
      if (remove) {
        const outcome = await this.removeRecorded(budgetId, undo.startedBy, row, expenses, incomes);
        if (outcome === 'archived') {
          archived = true;
          return;
        }
        if (outcome === 'kept') {
          counts.kept++; // changed between the read and the delete: kept, its marker stays
          return;
        }
        counts.removed++;
      }
      // After the expense's delete, a write of its own: a crash in between leaves the marker,
      // and the redelivery finds the expense gone (planned) and deletes it then.
      await this.deps.undo.deleteMarker(budgetId, row.fingerprint, importId, recordedBy(row));
    });
    if (archived) {
      await this.deps.undo.fail(budgetId, importId, 'the budget was archived while undoing the import; the expenses removed before stay removed, unarchive it and undo again to go on', 'budget-archived', this.deps.clock.now());
      return { again: false, removed: counts.removed };
    }
    if (outOfTime) {
      // Alive: moved, so the stall rule (and the watchdog) leave it alone while it goes on.
      await this.deps.undo.touch(budgetId, importId, this.deps.clock.now());
      return { again: true, removed: counts.removed };
    }
    await this.deps.undo.completeChunk(budgetId, importId, chunk, counts, this.deps.clock.now());
    await this.deps.undo.finishIfComplete(budgetId, importId, record.chunks, this.deps.clock.now());
    return { again: false, removed: counts.removed };
  }

  /**
   * The chunk's rows sorted by what the undo does with them: counted already (a dead delivery's
   * work, by its planned and gone sets), kept (changed since), to delete, or to forget (their
   * expense gone: only the marker goes). One BatchGetItem of the markers, one of the expenses.
   */
  private async sortRows(unit: ImportUndoUnit, stored: UndoChunk & { fingerprints: string[] }) {
    const { budgetId, importId } = unit;
    const markers = await this.deps.undo.markers(budgetId, stored.fingerprints);
    const counts: UndoCounts = { removed: 0, kept: 0, gone: 0 };
    // The rows whose marker this delivery removes, and the expenses (or income entries) it deletes first.
    const mine: UndoRow[] = [];
    for (const fingerprint of stored.fingerprints) {
      const marker = markers.get(fingerprint);
      if (marker?.importId === importId && marker.expenseId !== undefined) mine.push({ fingerprint, expenseId: marker.expenseId });
      // `credits=income`: a credit the import wrote as an income entry (its `imported` counts it, so the undo's total does).
      else if (marker?.importId === importId && marker.incomeId !== undefined) mine.push({ fingerprint, incomeId: marker.incomeId });
      // Its marker deleted by an earlier delivery, after its expense: counted as that delivery found it.
      else if (!marker && stored.planned.has(fingerprint)) counts.removed++;
      else if (!marker && stored.gone.has(fingerprint)) counts.gone++;
      // Otherwise a duplicate, a matched bill, another import's marker: not this import's expense.
    }
    const expenseIds = mine.flatMap((m) => ('expenseId' in m ? [m.expenseId] : []));
    const incomeIds = mine.flatMap((m) => ('incomeId' in m ? [m.incomeId] : []));
    const expenses = expenseIds.length === 0 ? new Map<string, Expense>() : await this.deps.repository.getMany(budgetId, expenseIds);
    // Only an import with income rows reads income (no request more for any other undo).
    const incomes = incomeIds.length === 0 || !this.deps.income ? new Map<string, Income>() : await this.deps.income.getMany(budgetId, incomeIds);
    const toDelete: typeof mine = [];
    const toForget: typeof mine = [];
    const newlyGone: string[] = [];
    for (const row of mine) {
      const written = 'expenseId' in row ? expenses.get(row.expenseId) : incomes.get(row.incomeId);
      if (written && written.version === IMPORTED_VERSION) toDelete.push(row);
      else if (written) counts.kept++; // changed since: kept, its marker stays
      else if (stored.planned.has(row.fingerprint)) {
        // Deleted by a dead delivery of this undo, which did not get to its marker.
        counts.removed++;
        toForget.push(row);
      } else {
        counts.gone++;
        toForget.push(row);
        if (!stored.gone.has(row.fingerprint)) newlyGone.push(row.fingerprint);
      }
    }
    return { counts, expenses, incomes, toDelete, toForget, newlyGone };
  }

  /**
   * A row's expense deleted by the DELETE's own write, at the imported version only (as an
   * If-Match: 1), or (`credits=income`) its income entry (removeIncome). 'kept': changed between
   * the read and the delete; 'removed' also when gone meanwhile (planned: ours or another's
   * delete); 'archived': the budget was archived meanwhile.
   */
  private async removeRecorded(budgetId: string, userId: string, row: UndoRow, expenses: Map<string, Expense>, incomes: Map<string, Income>): Promise<'removed' | 'kept' | 'archived'> {
    try {
      if ('incomeId' in row) return await this.removeIncome(userId, incomes.get(row.incomeId)!);
      // As the job (WriterKind): a 404 here must mean the expense is gone, never that the starter left.
      await this.deps.expenses.removeAuthorized(budgetId, userId, row.expenseId, Promise.resolve(expenses.get(row.expenseId)!), new Set([IMPORTED_VERSION]), 'job');
      return 'removed';
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      if (err.status === 412) return 'kept';
      if (err.status === 404) return 'removed';
      if (err.slug === 'budget-archived') return 'archived';
      throw err;
    }
  }

  /**
   * An income entry of the import deleted by the income DELETE's own write (income-delete.ts: the
   * entry, its month total and its `income.deleted` event in one transaction), at the version the
   * import wrote only. As the job, as the expenses' deletions (WriterKind 'job'): access was
   * checked when the undo was asked for; the member's guard here made a starter removed since
   * answer 404, which counted the entry removed while it stayed. 'kept' when it changed between
   * the read and the delete; an entry deleted meanwhile counts as removed (planned: ours, or
   * another's delete as the expenses' 404). A budget archived meanwhile: its change counter's
   * condition fails the write, answered 409 budget-archived (change-log.ts).
   */
  private async removeIncome(userId: string, entry: Income): Promise<'removed' | 'kept'> {
    const income = this.deps.income!;
    try {
      await deleteIncome({ repository: income, store: this.deps.store, clock: this.deps.clock }, entry, userId);
      return 'removed';
    } catch (err) {
      if (!(err instanceof IncomeChangedError)) throw err;
      return (await income.get(entry.budgetId, entry.id)) ? 'kept' : 'removed';
    }
  }

  /**
   * Rows an import's late delivery recorded in chunk `chunk` after another delivery of it counted
   * it (import-chunk.ts undoLanded): when the import has an undo (whatever its status: one that
   * failed restarts only the chunks it has not counted), the rows the undo has already taken up
   * (the chunk's planned or gone sets: it removed, or forgot, that row's earlier expense, so this
   * one landed behind it) go as the undo's own rows go, the expense (or income entry) at the
   * imported version through the DELETE's write, then its marker; one changed since is kept, as
   * the undo keeps one. The undo's counts are not moved: it counted that row once already. A row
   * the undo has not taken up yet is left to it: its marker names this import, so the undo finds
   * it and counts it (the other delivery counted it through that marker; removed here, no one
   * would, and removed + kept + gone would fall short of total). Without an undo: nothing (they
   * are the import's rows; an undo started later finds them by their markers). How many were
   * removed.
   */
  async removeLanded(budgetId: string, importId: string, chunk: number, landed: UndoRow[]): Promise<number> {
    const record = await this.deps.jobs.get(budgetId, importId);
    if (!record?.undo || landed.length === 0) return 0;
    const stored = await this.deps.undo.chunk(budgetId, importId, chunk);
    const rows = landed.filter((r) => stored?.planned.has(r.fingerprint) || stored?.gone.has(r.fingerprint));
    if (rows.length === 0) return 0;
    const { startedBy } = record.undo;
    const expenseIds = rows.flatMap((r) => ('expenseId' in r ? [r.expenseId] : []));
    const incomeIds = rows.flatMap((r) => ('incomeId' in r ? [r.incomeId] : []));
    const expenses = expenseIds.length === 0 ? new Map<string, Expense>() : await this.deps.repository.getMany(budgetId, expenseIds);
    const incomes = incomeIds.length === 0 || !this.deps.income ? new Map<string, Income>() : await this.deps.income.getMany(budgetId, incomeIds);
    let removed = 0;
    await mapBounded(rows, UNDO_WRITE_CONCURRENCY, async (row) => {
      const written = 'expenseId' in row ? expenses.get(row.expenseId) : incomes.get(row.incomeId);
      if (written && written.version !== IMPORTED_VERSION) return; // changed since: kept, its marker stays
      if (written) {
        if ((await this.removeRecorded(budgetId, startedBy, row, expenses, incomes)) !== 'removed') return;
        removed++;
      }
      await this.deps.undo.deleteMarker(budgetId, row.fingerprint, importId, recordedBy(row));
    });
    return removed;
  }

  /**
   * A chunk that failed its last attempt fails the undo (the expenses removed before stay
   * removed), saying which part, not the error (the runner logged it; domain/internal-failure.ts).
   */
  async failChunk(unit: ImportUndoUnit, _err: Error): Promise<void> {
    await this.deps.undo.fail(unit.budgetId, unit.importId, `part ${unit.chunk + 1} of the import failed every attempt (${INTERNAL_FAILURE}); the expenses removed before stay removed`, 'part-failed', this.deps.clock.now());
  }
}

/**
 * The chunks of an import of `chunks` chunks that `undo` has not counted: by its `undoneChunks`
 * when that list accounts for every chunk counted (one entry per count), else all of them (an
 * undo counted before the list was kept cannot tell which).
 */
export function chunksLeft(chunks: number, undo: Pick<ImportUndo, 'chunksDone' | 'undoneChunks'>): number[] {
  const all = Array.from({ length: chunks }, (_, chunk) => chunk);
  const undone = new Set(undo.undoneChunks ?? []);
  if ((undo.undoneChunks?.length ?? 0) !== undo.chunksDone || undone.size !== undo.chunksDone) return all;
  return all.filter((chunk) => !undone.has(chunk));
}

/** A row of the chunk this import recorded: its expense, or (`credits=income`) its income entry. */
type UndoRow = { fingerprint: string } & RecordedBy;

const recordedBy = (row: UndoRow): RecordedBy => ('expenseId' in row ? { expenseId: row.expenseId } : { incomeId: row.incomeId });
