import { WORK_UNIT_STALLED_AFTER_MS, newId, problems, type Clock, type Logger, type WorkQueue } from '@budgeting/platform';
import { JobWatchdog, isStalled, stallMinutes, type WatchOutcome } from '@budgeting/platform/job-watchdog';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { CsvDecoding } from '../domain/csv/layout';
import type { ImportProfilesRepository } from '../repository/import-profiles.repository';
import type { Income, SplitPart } from '../model';
import { IMPORT_MAX_ERRORS_LISTED, type ImportJobsRepository, type ImportRecord } from '../repository/import-jobs.repository';
import type { ImportsRepository } from '../repository/imports.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import { occurrenceKey } from '../domain/bill-matching';
import type { RulesRepository } from '../repository/rules.repository';
import { authorize } from './access';
import { guardedWrite } from './guarded-write';
import { incomeFieldsOf } from '../domain/income-rows';
import { IMPORT_AGAIN, INTERNAL_FAILURE } from '../domain/internal-failure';
import { CSV_IMPORT_JOB, IMPORT_WATCHDOG_JOB } from '../jobs/names';
import type { ImportUndoStall } from './import-undo-stall';
import { byDate, chunksOf } from './import-batches';
import { ImportChunkWriter, type ImportUnit, type LandedRow } from './import-chunk';
import { prepareImport } from './import-prepare';
import type { ImportRequest } from './import-request';

// One job: the import resource's lifecycle (POST, its dry run, GET and Prefer: wait, the
// watchdog, a chunk's last failure), the one class the routes and jobs use. Reading the file is
// import-prepare.ts (with import-file-layout.ts, import-read.ts); writing a chunk is
// import-chunk.ts (with import-batches.ts, imported-rows.ts).

export type { ImportRequest } from './import-request';
export type { ImportUnit, LandedRow } from './import-chunk';

export interface ImportOptions {
  /** Rows (not counting the header and blank rows) one file may have. */
  maxRows?: number;
  /** Rows per chunk (one unit of work on the job queue). */
  chunkRows?: number;
  /** An import that has not moved for this long reads as failed (default WORK_UNIT_STALLED_AFTER_MS, from the job queue's figures). */
  stalledAfterMs?: number;
}

/**
 * 50,000 rows: with the 5 MB body limit a file of short rows; chunks of 500 rows make a
 * hundred units of work, each well inside one invocation's time budget.
 */
export const IMPORT_MAX_ROWS = 50_000;
export const IMPORT_CHUNK_ROWS = 500;
/** The `errors` list is capped (the import record's repository keeps to it too); `errorCount` counts them all. */
export { IMPORT_MAX_ERRORS_LISTED };

/** The import's watchdog (jobs/import-watchdog-job.ts): one unit per started import, held until its stall is due. */
export type ImportWatchdogUnit = {
  budgetId: string;
  importId: string;
};

export interface DryRunResult {
  dryRun: true;
  total: number;
  imported: number;
  duplicates: number;
  /** Rows that are bills the recurring job recorded (bill matching): not recorded again; `matched` lists the first 100. */
  matchedCount: number;
  errorCount: number;
  errors: { line: number; message: string }[];
  /** Lines of the rows that would be imported and of the duplicates (the first 100 of each). */
  importLines: number[];
  duplicateLines: number[];
  /** The first 100 rows that would match a recorded bill: the occurrence, and the expense the job recorded for it when its marker names it. */
  matched: { line: number; expenseId?: string; recurringExpenseId: string; occurredOn: string }[];
  /** Rows that would be imported whose category a categorization rule gives (the first 100). */
  /** `categoryId` null with `splits`: a split rule's parts. */
  categorized: { line: number; categoryId: string | null; splits?: SplitPart[]; ruleId: string }[];
  /** Rows that would be imported whose merchant a rule's `renameTo` replaces (the first 100): the new merchant. */
  renamed: { line: number; merchant: string; ruleId: string }[];
  /** A bank statement (OFX/QFX, camt.053, QIF) only: its credits and zero amounts (and entries not booked, transfers), left out (not in `total`), and their first 100 lines. */
  skipped?: number;
  skippedLines?: number[];
  /**
   * A QIF file only: the first 100 rows whose split lines did not make a split expense (each
   * one expense of its total), and why. Rows in error are in `errors` instead.
   */
  splitFallbacks?: { line: number; reason: string }[];
  /** The import profile the file was read with (`?profile=<id>`, or the one `?profile=auto` picked). */
  profileId?: string;
  /** `credits=income` only (a format that reads credits): of `imported`, the credits that would be income entries. */
  incomeImported?: number;
  /** `credits=income` only: the first 100 of those, as the income entries they would be (no id: nothing is written). */
  income?: ({ line: number } & Pick<Income, 'amount' | 'receivedOn' | 'source' | 'description'>)[];
  /** A CSV file only: the character set it was read in (`iso-8859-1` is read as `windows-1252`, `utf-16` as `utf-16le` or `utf-16be`). */
  charset?: CsvDecoding;
}

/**
 * CSV import as a job, and bank statements (OFX/QFX) through the same one: only reading the
 * file differs (import-read.ts `read`, by the media type; domain/import-file.ts). The request reads and
 * validates the file (the CSV rules and errors by line of csv/), stores the valid rows in chunks (ImportJobsRepository) and queues one unit
 * per chunk; workers record each row as an expense of the caller exactly as POST /expenses
 * would (running totals, change log and expense.recorded with via "import", so thresholds,
 * sync and activity see it), and count up the import record that GET /imports/{id} shows.
 *
 * A row imported before (its marker, see ImportsRepository) is a duplicate: found by batch
 * reads before writing, and by the marker's condition when two imports race for one row. A
 * chunk is idempotent: delivered again after a crash, rows whose marker names this import are
 * counted as imported, not written again.
 */
export class CsvImportService {
  private readonly maxRows: number;
  private readonly chunkRows: number;
  private readonly stalledAfterMs: number;
  /** The started imports' watchdog (platform jobs/job-watchdog.ts, shared with the merchant renames'). */
  private readonly watchdog: JobWatchdog<ImportWatchdogUnit>;
  /** Writes the chunks (import-chunk.ts); it holds this process's lanes. */
  private readonly chunks: ImportChunkWriter;

  constructor(
    private readonly deps: {
      imports: ImportsRepository;
      jobs: ImportJobsRepository;
      rules: Pick<RulesRepository, 'all'>;
      /** The saved mappings an import may name (`?profile=`). */
      profiles: Pick<ImportProfilesRepository, 'get' | 'all'>;
      /** The budget's recurring definitions and occurrence markers (bill matching); absent: no row is matched. */
      recurring?: Pick<RecurringRepository, 'all' | 'recorded'>;
      budgets: BudgetsFacade;
      clock: Clock;
      work: WorkQueue;
      /** Where a watchdog that could not be queued is reported (nothing else fails for it). */
      logger?: Logger;
      /** The import's undo read as GET shows it (a stalled undo failed); absent: as stored. */
      undoStall?: Pick<ImportUndoStall, 'apply'>;
      /** Takes back rows a late delivery wrote behind the import's undo (ImportUndoService.removeLanded); absent: none are. */
      undoLanded?: (budgetId: string, importId: string, chunk: number, rows: LandedRow[]) => Promise<unknown>;
    },
    options: ImportOptions = {},
  ) {
    this.maxRows = options.maxRows ?? IMPORT_MAX_ROWS;
    this.chunkRows = options.chunkRows ?? IMPORT_CHUNK_ROWS;
    this.stalledAfterMs = options.stalledAfterMs ?? WORK_UNIT_STALLED_AFTER_MS;
    this.chunks = new ImportChunkWriter(deps);
    this.watchdog = new JobWatchdog({ job: IMPORT_WATCHDOG_JOB, watched: 'import', work: deps.work, clock: deps.clock, stalledAfterMs: this.stalledAfterMs, logger: deps.logger });
  }

  /** Validates the file, stores its rows in chunks and queues them; the record as created (as failed when they could not be queued). */
  async start(budgetId: string, userId: string, input: ImportRequest): Promise<ImportRecord> {
    const file = await prepareImport(this.deps, this.maxRows, budgetId, userId, input);
    const now = this.deps.clock.now();
    // By date: a chunk's rows then fall on few days, so each batch's transaction carries few
    // running-total buckets (one per day and month it touches) and more rows (see import-batches.ts batchRows).
    const chunks = chunksOf(byDate(file.valid), this.chunkRows);
    const record: ImportRecord = {
      id: newId(now.getTime()),
      budgetId,
      userId,
      status: chunks.length === 0 ? 'succeeded' : 'queued',
      total: file.total,
      // Invalid rows (and a statement's transactions listed twice) are done from the start:
      // processed = imported + duplicates + matched + errorCount at the end.
      processed: file.errors.length + file.repeated.length,
      imported: 0,
      duplicates: file.repeated.length,
      matched: 0,
      // Only with `credits=income` (a format that reads credits): every other record is as before.
      ...(file.creditsAsIncome ? { incomeImported: 0 } : {}),
      errorCount: file.errors.length,
      errors: file.errors.slice(0, IMPORT_MAX_ERRORS_LISTED),
      ...(file.countsSkipped ? { skipped: file.skipped.length } : {}),
      chunks: chunks.length,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      ...(chunks.length === 0 ? { finishedAt: now.toISOString() } : {}),
      ...(file.profileId === undefined ? {} : { profileId: file.profileId }),
      ...(input.matchRecurring === false ? { matchRecurring: false as const } : {}),
    };
    // The watchdog goes BEFORE the record commits (a step of its own, a refusal only logged:
    // JobWatchdog.arm): a process that dies right after the commit queues no chunk and answers
    // nothing, and the import read `queued` until someone read it stalled, its starter never told
    // (armed after the commit, until feat/outbox, the crash took the watchdog too). Held until
    // the import would stall, it fails such an import unread; an import refused below is never
    // stored, and the watch of what is gone ends.
    if (chunks.length > 0) await this.watchdog.arm({ budgetId, importId: record.id }, record);
    // Deleted since the access read (prepareImport): as had it been gone already, nothing of the import stored.
    // The starter removed or made a viewer since: the same (guardedWrite's 404 or 403), as the
    // chunks' writes are the job's and check no member (packages/budgets/docs/members.md).
    const created = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.jobs.create(record, chunks, guard));
    if (created === 'budget-closed') throw problems.notFound('Budget not found.');
    if (chunks.length === 0) return record;
    try {
      await this.deps.work.enqueue(
        CSV_IMPORT_JOB,
        chunks.map((_, chunk): ImportUnit => ({ budgetId, importId: record.id, chunk })),
        now,
      );
    } catch (err) {
      // Nothing (or not everything) could be queued, or (no queue: worked inline) a chunk failed.
      // The error is the operators' (logged here); the reason, which every member reads (GET),
      // the starter's push shows and the event hands to webhooks, says only what to do (domain/internal-failure.ts).
      this.deps.logger?.warn('import not started: its units could not be queued', { budgetId, importId: record.id, error: err as Error });
      await this.deps.jobs.fail(budgetId, record.id, `the import failed to start (${INTERNAL_FAILURE}); ${IMPORT_AGAIN}`, this.deps.clock.now(), 'not-started');
      // The record as now stored (failed, its reason at line 0), so the POST answers what GET
      // shows; one read, on this path only.
      return (await this.deps.jobs.get(budgetId, record.id)) ?? record;
    }
    return record;
  }

  /**
   * One delivery of the import's watchdog (jobs/import-watchdog-job.ts). The import is read as
   * GET reads it (`current`: the same stall rule, and the same conditional failStalled whose
   * transaction writes expense.import_finished, so the starter is told, and a finish that a
   * dead worker never wrote is written); then JobWatchdog ends the watch (ended or gone) or
   * re-arms it, due one window (+ the margin) after the import last moved. A redelivery, or two
   * deliveries at once, read the import again: the failure is conditional, so it is written
   * (and its event) once, and a delivery that finds the import ended does nothing.
   */
  watch(unit: ImportWatchdogUnit): Promise<WatchOutcome> {
    return this.watchdog.watch(unit, () => this.current(unit.budgetId, unit.importId));
  }

  /** What `start` would do with the file, writing nothing. */
  async dryRun(budgetId: string, userId: string, input: ImportRequest): Promise<DryRunResult> {
    const file = await prepareImport(this.deps, this.maxRows, budgetId, userId, input);
    const markers = await this.deps.imports.markers(budgetId, file.valid);
    // Occurrences matched by an earlier import: their rows here would be imported (as the worker does).
    const taken = await this.deps.imports.matchesTaken(budgetId, file.valid.flatMap((v) => (v.match && !markers.has(v.fingerprint) ? [v.match] : [])));
    const importLines: number[] = [];
    const duplicateLines: number[] = [...file.repeated];
    const matchedRows: DryRunResult['matched'] = [];
    const categorized: DryRunResult['categorized'] = [];
    const renamed: DryRunResult['renamed'] = [];
    const income: NonNullable<DryRunResult['income']> = [];
    for (const v of file.valid) {
      const duplicate = markers.has(v.fingerprint);
      if (duplicate) duplicateLines.push(v.line);
      else if (v.income) {
        // As the worker would write it: an income entry, counted in `imported` (never matched or categorized).
        importLines.push(v.line);
        income.push({ line: v.line, ...incomeFieldsOf(v.row) });
        continue;
      } else if (v.match && !taken.has(occurrenceKey(v.match))) {
        matchedRows.push({ line: v.line, ...v.match });
        continue;
      } else importLines.push(v.line);
      if (!duplicate && v.ruleId) categorized.push({ line: v.line, categoryId: v.row.categoryId, ...(v.row.splits ? { splits: v.row.splits } : {}), ruleId: v.ruleId });
      if (!duplicate && v.renameRuleId) renamed.push({ line: v.line, merchant: v.row.merchant!, ruleId: v.renameRuleId });
    }
    return {
      dryRun: true,
      total: file.total,
      imported: importLines.length,
      duplicates: duplicateLines.length,
      matchedCount: matchedRows.length,
      errorCount: file.errors.length,
      errors: file.errors.slice(0, IMPORT_MAX_ERRORS_LISTED),
      importLines: importLines.slice(0, IMPORT_MAX_ERRORS_LISTED),
      duplicateLines: duplicateLines.slice(0, IMPORT_MAX_ERRORS_LISTED),
      matched: matchedRows.slice(0, IMPORT_MAX_ERRORS_LISTED),
      categorized: categorized.slice(0, IMPORT_MAX_ERRORS_LISTED),
      renamed: renamed.slice(0, IMPORT_MAX_ERRORS_LISTED),
      ...(file.countsSkipped ? { skipped: file.skipped.length, skippedLines: file.skipped.slice(0, IMPORT_MAX_ERRORS_LISTED) } : {}),
      ...(file.format === 'qif' ? { splitFallbacks: file.splitFallbacks.slice(0, IMPORT_MAX_ERRORS_LISTED) } : {}),
      ...(file.profileId === undefined ? {} : { profileId: file.profileId }),
      ...(file.charset === undefined ? {} : { charset: file.charset }),
      ...(file.creditsAsIncome ? { incomeImported: income.length, income: income.slice(0, IMPORT_MAX_ERRORS_LISTED) } : {}),
    };
  }

  /** An import of the budget, for any member (404 when unknown). */
  async get(budgetId: string, userId: string, importId: string): Promise<ImportRecord> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const record = await this.current(budgetId, importId);
    if (!record) throw problems.notFound('Import not found.');
    return record;
  }

  /** The record without an access check (Prefer: wait polls after start checked access). */
  peek(budgetId: string, importId: string): Promise<ImportRecord | undefined> {
    return this.current(budgetId, importId);
  }

  /**
   * The record as stored, except that an import still `queued` or `running` that has not
   * moved (`updatedAt`: created, started, a chunk counted, a continuation that wrote rows) for
   * WORK_UNIT_STALLED_AFTER_MS (75 minutes: the job queue's backlog alarm's hour for a first
   * receive, plus 5 receives x the 3-minute visibility timeout; platform
   * jobs/work-queue-limits.ts) is failed here, with an error of line 0 saying so. By then every
   * unit still in flight has either moved it or failed its last attempt, which fails the import
   * itself (failChunk), unless that attempt was killed before it could (a Lambda timeout) or
   * the unit was lost: the case this catches. It is found when someone looks (GET, Prefer:
   * wait) or when the import's watchdog looks (`watch`, a delayed unit per import, not a scan):
   * nobody reading it must not leave it `running` until it expires with its starter never told.
   *
   * The failure is written (conditionally: only if still not moved since this read; of two
   * readers at once one writes, the other reads it back), so it is final: a chunk already
   * past its start when it lands may still count its rows (completeChunk adds counts
   * whatever the status), but nothing turns a failed import back (finishIfComplete, markRunning
   * and touch need it queued or running) and a chunk delivered later does nothing (workChunk).
   * Rows recorded stay; importing the file again adds only the rest (their markers).
   */
  private async current(budgetId: string, importId: string): Promise<ImportRecord | undefined> {
    const record = await this.importCurrent(budgetId, importId);
    // Its undo, if any, under the same stall rule (import-undo-stall.ts: no request unless stalled).
    return record && this.deps.undoStall ? this.deps.undoStall.apply(record) : record;
  }

  private async importCurrent(budgetId: string, importId: string): Promise<ImportRecord | undefined> {
    const record = await this.deps.jobs.get(budgetId, importId);
    if (record?.status === 'succeeded' && !record.finishedAt) {
      // Every row counted, but the delivery that counted the last chunk never got to finish it
      // (it died, and its retries were used up): it reads as succeeded (the counts are the
      // truth), and this read writes the finish, so the import's expense.import_finished
      // exists (once: finishIfComplete is conditional). Then the record as stored.
      await this.deps.jobs.finishIfComplete(budgetId, importId, this.deps.clock.now());
      return this.deps.jobs.get(budgetId, importId);
    }
    const now = this.deps.clock.now();
    if (!record || !isStalled(record, now, this.stalledAfterMs)) return record;
    const message = `the import stalled: nothing moved for ${stallMinutes(this.stalledAfterMs)} minutes (a part of the file ended without being recorded or failed, e.g. its worker was stopped on its last attempt); rows recorded before stay, importing the file again adds only the rest`;
    await this.deps.jobs.failStalled(record, message, now);
    // Written by this call or another reader, or moved meanwhile: the stored record either way.
    return this.deps.jobs.get(budgetId, importId);
  }

  /**
   * One unit of work: the rows of one chunk (import-chunk.ts). Idempotent (see the class
   * comment). Stops starting rows once `deadline` has passed and asks for the same unit again.
   */
  workChunk(unit: ImportUnit, deadline: number): Promise<{ again: boolean; imported: number }> {
    return this.chunks.workChunk(unit, deadline);
  }

  /**
   * A chunk failed every attempt (it is dead-lettered): the import fails, saying which part and
   * what to do. Not the error's own words (the runner logged them with each failed attempt): an
   * AWS error names the account, roles and tables, and the reason reaches every member, the
   * starter's lock screen and webhook receivers (until 2026-12-07 it quoted the error).
   */
  async failChunk(unit: ImportUnit, _err: Error): Promise<void> {
    const message = `part ${unit.chunk + 1} of the file failed every attempt (${INTERNAL_FAILURE}); ${IMPORT_AGAIN}`;
    await this.deps.jobs.fail(unit.budgetId, unit.importId, message, this.deps.clock.now(), 'part-failed');
  }
}
