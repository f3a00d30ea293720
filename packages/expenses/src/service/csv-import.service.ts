import { ProblemError, WORK_UNIT_STALLED_AFTER_MS, createEvent, newId, problems, type Clock, type Logger, type WorkQueue, PLATFORM_PROBLEMS } from '@budgeting/platform';
import { JobWatchdog, isStalled, stallMinutes, type WatchOutcome } from '@budgeting/platform/job-watchdog';
import type { BudgetsFacade } from '@budgeting/budgets';
import { monthOf } from '../domain/dates';
import { IMPORTED_REVIEWED } from '../domain/review';
import { appliedRules, mayApplyRules } from '../domain/categorization';
import { categoryNameKey } from '../domain/csv/cells';
import { fingerprintKeyed, fingerprintRows } from '../domain/csv/fingerprint';
import type { ImportRow, RowContext } from '../domain/csv/rows';
import { validateFileRow } from '../domain/file-rows';
import { FileRowLimitError, type CreditsAs, type ImportFile, type ReadFile } from '../domain/import-file';
import { layoutOf, mappingProblems, type CsvCharset, type CsvDecoding, type CsvMapping, type PresetReading } from '../domain/csv/layout';
import { decodeCsv, sameDecoding, type DecodedCsv } from '../domain/csv/charset';
import { AUTO_PROFILE, headerSummary, mergeMapping, pickProfile } from '../domain/import-profiles';
import { IMPORT_PRESETS, presetOf } from '../domain/import-presets';
import type { ImportProfilesRepository } from '../repository/import-profiles.repository';
import type { Expense, ImportProfile, Income, SplitPart } from '../model';
import { IMPORT_MAX_ERRORS_LISTED, type ChunkRow, type ImportJobsRepository, type ImportRecord, type ImportError } from '../repository/import-jobs.repository';
import type { ImportsRepository, IncomeRow } from '../repository/imports.repository';
import { withImportOrigin } from '../repository/expenses.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import { candidateOccurrences, matchBills, occurrenceKey, type MatchableRow } from '../domain/bill-matching';
import type { RulesRepository } from '../repository/rules.repository';
import { CHANGE_SHARDS, changeShardOf } from '../repository/change-log';
import { TOTALS_SHARDS, idHash } from '../repository/totals-deltas';
import { MAX_EXACT_TOTAL } from '../repository/totals-cap';
import { authorize } from './access';
import { guardedWrite } from './guarded-write';
import { recordedEvent } from './expense-facts';
import { recordBatch, type ImportedRow } from './import-categories';
import { isRefund } from '../domain/refunds';
import { withRefunds } from '../domain/csv/refund-rows';
import { incomeFieldsOf, isIncomeCredit, readsCredits } from '../domain/income-rows';
import { incomeFacts } from '../domain/income-events';
import { incomeRecorded } from '../events';
import { CSV_IMPORT_JOB, IMPORT_WATCHDOG_JOB } from '../jobs/names';
import type { ImportUndoStall } from './import-undo-stall';
import type { RecordedBy } from '../repository/import-undo.repository';

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
/** Where an import's mapping comes from: a saved profile, or a built-in preset (`preset: true`). */
/** A row a delivery recorded: its fingerprint and what it wrote (an expense, or a `credits=income` entry). */
export type LandedRow = { fingerprint: string } & RecordedBy;

type MappingSource = Pick<ImportProfile, 'id' | 'mapping' | 'credits'> & { preset?: true; reading?: PresetReading };

/** The built-in preset with this id as a mapping source (import-presets.ts). */
function presetSource(id: string): MappingSource | undefined {
  const preset = presetOf(id);
  return preset ? { id: preset.id, mapping: preset.mapping, preset: true, ...(preset.reading ? { reading: preset.reading } : {}) } : undefined;
}

export const IMPORT_MAX_ROWS = 50_000;
export const IMPORT_CHUNK_ROWS = 500;
/** A chunk is one DynamoDB item (400 KB at most): rows are cut into a new chunk past this size. */
const CHUNK_MAX_BYTES = 300_000;
/**
 * A failed import's reason and code when its budget stopped taking rows while it ran: deleted,
 * or archived after the import's access check (a batch's change counter refused it:
 * packages/budgets/docs/budget-lifecycle.md "Archiving a budget"; read-only from then on; the rows recorded before stay, their
 * markers make importing the file again after unarchiving add only the rest).
 */
const STOPPED = {
  'budget-closed': { reason: 'the budget was deleted while importing', code: 'budget-deleted' },
  'budget-archived': { reason: 'the budget was archived while importing; rows recorded before stay, importing the file again after unarchiving adds only the rest', code: 'budget-archived' },
} as const;
/** The `errors` list is capped (the import record's repository keeps to it too); `errorCount` counts them all. */
export { IMPORT_MAX_ERRORS_LISTED };

export interface ImportUnit {
  budgetId: string;
  importId: string;
  chunk: number;
}

/** The import's watchdog (jobs/import-watchdog-job.ts): one unit per started import, held until its stall is due. */
export type ImportWatchdogUnit = {
  budgetId: string;
  importId: string;
};

/**
 * An import as the route hands it over: the file, and how a CSV file is laid out, as the query
 * says it: the mapping parameters given, and an import profile whose saved mapping they
 * override field by field (resolved here, after the access check: `layoutFor`).
 */
export interface ImportRequest {
  format: ImportFile['format'];
  /** The body as text: OFX and camt.053 decoded by their declared charset; QIF as CSV without a mapping; CSV by its byte order mark or `declaredCharset`, or none given, as UTF-16 if its start shows it, UTF-8 if it is and Windows-1252 if not (csv/charset.ts). */
  text: string;
  /** A CSV body's bytes, which a mapping's `charset` (the query's or the profile's) decodes instead (absent: `text`'s UTF-8 bytes). */
  bytes?: Uint8Array;
  /** The charset the Content-Type named for a CSV body: `text` is decoded by it, and it wins over a profile's `charset`. */
  declaredCharset?: CsvCharset;
  /** The mapping query parameters given (none: our own format, or the profile's mapping as it is). */
  mapping?: CsvMapping;
  /** `?profile=`: one of the budget's import profiles, or `auto` (the one whose columns the file's header has). */
  profileId?: string;
  /** `?matchRecurring=false`: every row is imported, none matched with the bills the recurring job recorded (default: matched). */
  matchRecurring?: boolean;
  /** `?credits=`: `refunds`, a bank format's credits are imported as refunds; `income`, as income entries; `skip` (the default), skipped. Given, it overrides the profile's `credits`. */
  credits?: CreditsAs;
}

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
 * file differs (`read`, by the media type; domain/import-file.ts). The request reads and
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
  /**
   * Batches of one (budget, totals shard) from this process, one at a time: every batch of a
   * totals shard updates that shard's month bucket, and two transactions on one item cancel
   * each other, so chunks worked at once in one process (the local work queue, an SQS batch)
   * queue here instead of failing and retrying. Other processes are kept apart by
   * ModuleStore.transactWrite's retries.
   */
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: {
      imports: ImportsRepository;
      jobs: ImportJobsRepository;
      rules: Pick<RulesRepository, 'all'>;
      /** The saved mappings an import may name (`?profile=`). */
      profiles: Pick<ImportProfilesRepository, 'get' | 'all'>;
      /** The budget's recurring definitions and occurrence markers (bill matching); absent: no row is matched. */
      recurring?: Pick<RecurringRepository, 'page' | 'maxPerBudget' | 'recorded'>;
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
    this.watchdog = new JobWatchdog({ job: IMPORT_WATCHDOG_JOB, watched: 'import', work: deps.work, clock: deps.clock, stalledAfterMs: this.stalledAfterMs, logger: deps.logger });
  }

  /** Validates the file, stores its rows in chunks and queues them; the record as created (as failed when they could not be queued). */
  async start(budgetId: string, userId: string, input: ImportRequest): Promise<ImportRecord> {
    const file = await this.prepare(budgetId, userId, input);
    const now = this.deps.clock.now();
    // By date: a chunk's rows then fall on few days, so each batch's transaction carries few
    // running-total buckets (one per day and month it touches) and more rows (see batchesByTotalsShard).
    const chunks = this.chunk(byDate(file.valid));
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
    // Deleted since the access read (prepare): as had it been gone already, nothing of the import stored.
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
      await this.deps.jobs.fail(budgetId, record.id, `the import failed: ${(err as Error).message}`, this.deps.clock.now(), 'not-started');
      // The record as now stored (failed, its reason at line 0), so the POST answers what GET
      // shows; one read, on this path only.
      return (await this.deps.jobs.get(budgetId, record.id)) ?? record;
    }
    // After the chunks, and a refusal only logged (JobWatchdog.arm): the watchdog must not
    // decide the import's fate. An import whose chunks could not be queued was failed above and
    // needs no watch; one with nothing to queue was born succeeded.
    await this.watchdog.arm({ budgetId, importId: record.id }, record);
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
    const file = await this.prepare(budgetId, userId, input);
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
   * One unit of work: the rows of one chunk. Idempotent (see the class comment). Stops starting
   * rows once `deadline` has passed and asks for the same unit again.
   */
  async workChunk(unit: ImportUnit, deadline: number): Promise<{ again: boolean; imported: number }> {
    const { budgetId, importId, chunk } = unit;
    const rows = await this.deps.jobs.pendingChunk(budgetId, importId, chunk);
    if (!rows) {
      await this.deps.jobs.finishIfComplete(budgetId, importId, this.deps.clock.now());
      return { again: false, imported: 0 };
    }
    const record = await this.deps.jobs.get(budgetId, importId);
    if (!record || record.status === 'failed') return { again: false, imported: 0 };
    // Only the first chunk finds it queued (the update is conditional anyway): one request less per chunk.
    if (record.status === 'queued') await this.deps.jobs.markRunning(budgetId, importId, this.deps.clock.now());

    const counts = { processed: rows.length, imported: 0, duplicates: 0, matched: 0, incomeImported: 0 };
    const raced: string[] = [];
    const bills = await this.recordMatches(budgetId, importId, await this.unmarked(budgetId, importId, rows, counts));
    if (bills === 'budget-closed' || bills === 'budget-archived') {
      await this.deps.jobs.fail(budgetId, importId, STOPPED[bills].reason, this.deps.clock.now(), STOPPED[bills].code);
      return { again: false, imported: counts.imported };
    }
    counts.matched += bills.matched;
    raced.push(...bills.raced);
    // `credits=income`: the credits are written as income entries, in their own transactions
    // (writeRows). Without income rows (every other import) `pending` is the rows as before.
    const incomeRows = bills.rest.filter((r) => r.income);
    const pending = incomeRows.length === 0 ? bills.rest : bills.rest.filter((r) => !r.income);
    // Each batch its own change shard (consecutive from the chunk's), its rows' ids drawn there.
    const first = chunkChangeShard(importId, chunk);
    const batches = await Promise.all(
      batchRows(pending).map((batch, n) =>
        Promise.all(batch.map((r) => this.importedExpense(record, r, (first + n) % CHANGE_SHARDS))),
      ),
    );

    // The income rows' ids are drawn in one change shard too (the recorded group's stamp is one
    // counter's, ImportsRepository.recordIncome): the one before the chunk's first, which its
    // expense batches reach last (only a chunk of 16 batches or more).
    const incomeShard = (first + CHANGE_SHARDS - 1) % CHANGE_SHARDS;
    const written = await this.writeRows(record, batches, incomeRows, incomeShard, deadline);
    const { closed, outOfTime } = written;
    counts.imported += written.imported;
    counts.incomeImported += written.incomeImported;
    raced.push(...written.raced);
    const wrote = bills.matched > 0 || written.wrote;
    const overLimit = written.overLimit;
    if (closed) {
      // Deleted (or archived) while importing: as for a single expense, as if it had been gone (archived) already.
      await this.deps.jobs.fail(budgetId, importId, STOPPED[closed].reason, this.deps.clock.now(), STOPPED[closed].code);
      return { again: false, imported: counts.imported };
    }
    if (outOfTime) {
      // The rest is the next delivery's, unless another delivery counted the chunk meanwhile
      // and the import is being undone: then what this one wrote is taken back (undoLanded).
      if (written.landed.length > 0 && !(await this.deps.jobs.pendingChunk(budgetId, importId, chunk))) await this.undoLanded(budgetId, importId, chunk, written.landed);
      return this.continueLater(unit, wrote, counts.imported);
    }
    if (raced.length > 0) {
      // Lost a race for the marker: to another import (a duplicate), or to a concurrent delivery of this chunk.
      const lost = new Set(raced);
      const owners = await this.deps.imports.markers(budgetId, rows.filter((r) => lost.has(r.fingerprint)));
      for (const fingerprint of raced) {
        const owner = owners.get(fingerprint);
        if (owner?.importId === importId) count(counts, owner);
        else counts.duplicates++;
      }
    }
    // Rows the month's running totals could not take (2^53 - 1: totals-cap.ts): error lines, not retries.
    const errors = overLimitErrors(rows, overLimit);
    const { incomeImported, ...rest } = counts;
    const mine = await this.deps.jobs.completeChunk(budgetId, importId, chunk, { ...rest, ...(incomeImported > 0 ? { incomeImported } : {}), errors }, this.deps.clock.now(), rows.map((r) => r.fingerprint));
    // Counted by another delivery of this unit (SQS may hand one message to two invocations):
    // what this one wrote may have landed after the import's undo removed the rows (undoLanded).
    if (!mine && written.landed.length > 0) await this.undoLanded(budgetId, importId, chunk, written.landed);
    await this.deps.jobs.finishIfComplete(budgetId, importId, this.deps.clock.now());
    return { again: false, imported: counts.imported };
  }

  /**
   * Rows a delivery wrote while another delivery of the same chunk counted it: when the import
   * has an undo, those it has taken up already go as the undo's rows go; the others it finds
   * by their markers and counts (ImportUndoService.removeLanded). Why: the late
   * delivery read the chunk's rows while they were pending; the other delivery recorded them,
   * the import finished, its undo deleted them with their markers (so a corrected file imports
   * again), and the late write then found no marker in its way and recorded them again, after
   * the undo had answered "succeeded" (tests/integration/races/import-undo-races.test.ts).
   * Without an undo they are the import's own rows (the other delivery counted them through
   * their markers), and an undo started later finds them by their markers.
   */
  private async undoLanded(budgetId: string, importId: string, chunk: number, landed: LandedRow[]): Promise<void> {
    await this.deps.undoLanded?.(budgetId, importId, chunk, landed);
  }

  /**
   * Writes a chunk's rows: the expense batches, one writer per totals shard (each batch is of one
   * change shard, so of one totals shard: the chunk's own batches never contend for a running
   * total), and (`credits=income`) its income rows in a lane of their own (incomeLane: one
   * writer of the budget's income totals in this process). allSettled, then the first failure: a
   * delivery that fails must not leave lanes still writing behind it (its retry would race its
   * own ghost; in Lambda they would run on in the next invocation of the container). Stops
   * starting transactions once the budget is closed or `deadline` has passed.
   */
  private async writeRows(record: ImportRecord, batches: ImportedRow[][], incomeRows: ChunkRow[], incomeShard: number, deadline: number) {
    const { budgetId, id: importId } = record;
    const out = { closed: undefined as keyof typeof STOPPED | undefined, outOfTime: false, wrote: false, imported: 0, incomeImported: 0, raced: [] as string[], overLimit: [] as string[], landed: [] as LandedRow[] };
    const counted = (outcome: Awaited<ReturnType<typeof recordBatch>>, written: readonly LandedRow[]) => {
      if (outcome === 'budget-closed' || outcome === 'budget-archived') {
        out.closed = outcome;
        return 0;
      }
      out.wrote = true;
      const imported = new Set(outcome.imported);
      out.landed.push(...written.filter((r) => imported.has(r.fingerprint)));
      out.imported += outcome.imported.length;
      out.raced.push(...outcome.raced);
      out.overLimit.push(...outcome.overLimit);
      return outcome.imported.length;
    };
    const mayStart = () => {
      if (out.closed || out.outOfTime) return false;
      if (Date.now() < deadline) return true;
      out.outOfTime = true;
      return false;
    };
    const incomeLane = async () => {
      if (incomeRows.length === 0 || !mayStart()) return;
      const entries = await Promise.all(incomeRows.map((r) => this.importedIncome(record, r, incomeShard)));
      const written = entries.map((e) => ({ fingerprint: e.fingerprint, incomeId: e.income.id }));
      out.incomeImported += counted(await this.inLane(`${budgetId}#income`, () => this.deps.imports.recordIncome(entries, importId, this.deps.budgets.notArchivedCheck(budgetId))), written);
    };
    await settleAll([
      incomeLane(),
      ...byTotalsShard(batches).map(async (lane, shard) => {
        for (const batch of lane) {
          if (!mayStart()) return;
          const written = batch.map((r) => ({ fingerprint: r.fingerprint, expenseId: r.expense.id }));
          // With its categories check: a category removed since the file was accepted is dropped from its rows (import-categories.ts).
          counted(await this.inLane(`${budgetId}#${shard}`, () => recordBatch(this.deps, budgetId, importId, batch)), written);
        }
      }),
    ]);
    return out;
  }

  /**
   * The rows without an import marker; the others are counted in `counts`: a marker of this
   * import was written by an earlier delivery of this chunk that did not get to count it
   * (imported, or matched when the marker says so), another's makes a duplicate. One batch read.
   */
  private async unmarked(budgetId: string, importId: string, rows: ChunkRow[], counts: RowCounts): Promise<ChunkRow[]> {
    const markers = await this.deps.imports.markers(budgetId, rows);
    const out: ChunkRow[] = [];
    for (const r of rows) {
      const owner = markers.get(r.fingerprint);
      if (!owner) out.push(r);
      else if (owner.importId === importId) count(counts, owner);
      else counts.duplicates++;
    }
    return out;
  }

  /**
   * The chunk's rows not imported before that matched a recorded bill when the file was accepted
   * (`match`): one BatchGetItem of their occurrences' bill match markers, then the rows whose
   * occurrence is still free are recorded as matched (ImportsRepository.recordMatched: the row's
   * import marker and the occurrence's bill match marker, conditionally, in one transaction per
   * 48 rows; no expense). A row whose occurrence another import took (found by the read, or by
   * the transaction's condition when it raced) joins `rest` and is imported as a new expense:
   * a row is never dropped because its match is gone. `raced`: rows whose import marker was
   * written meanwhile (counted by the caller, as recordMany's). No read nor write without a
   * matched row.
   */
  private async recordMatches(
    budgetId: string,
    importId: string,
    rows: ChunkRow[],
  ): Promise<{ matched: number; raced: string[]; rest: ChunkRow[] } | 'budget-closed' | 'budget-archived'> {
    const candidates = rows.filter((r) => r.match !== undefined);
    if (candidates.length === 0) return { matched: 0, raced: [], rest: rows };
    const taken = await this.deps.imports.matchesTaken(budgetId, candidates.map((r) => r.match!));
    const free = candidates.filter((r) => !taken.has(occurrenceKey(r.match!)));
    const outcome =
      free.length === 0
        ? { matched: [], raced: [], taken: [] }
        : await this.deps.imports.recordMatched(
            budgetId,
            free.map((r) => ({
              fingerprint: r.fingerprint,
              recurringExpenseId: r.match!.recurringExpenseId,
              occurredOn: r.match!.occurredOn,
              ...(r.entryFingerprint === undefined ? {} : { entryFingerprint: r.entryFingerprint }),
            })),
            importId,
            this.deps.clock.now(),
            // Bill matches take no change number: the budget item's not-archived check closes
            // the archive race (budgets README), not the importer's membership (who may leave).
            this.deps.budgets.notArchivedCheck(budgetId),
          );
    if (outcome === 'budget-closed' || outcome === 'budget-archived') return outcome;
    const lost = new Set(outcome.taken);
    return {
      matched: outcome.matched.length,
      raced: outcome.raced,
      rest: rows.filter((r) => r.match === undefined || taken.has(occurrenceKey(r.match)) || lost.has(r.fingerprint)),
    };
  }

  /**
   * A delivery ran out of its time: the rest of the chunk comes back as the same unit. If it
   * wrote rows, the import moved though no count did (its `updatedAt`, ImportJobsRepository.touch):
   * without that, a chunk needing several deliveries (a slow table) could look stalled to
   * `current`. Only a delivery that wrote something moves it, so a chunk that keeps running out
   * of time before its first write still ends as stalled instead of going round for ever.
   */
  private async continueLater(unit: ImportUnit, wrote: boolean, imported: number): Promise<{ again: boolean; imported: number }> {
    if (wrote) await this.deps.jobs.touch(unit.budgetId, unit.importId, this.deps.clock.now());
    return { again: true, imported };
  }

  /**
   * A row as the expense it records (its id drawn in `changeShard`) and its expense.recorded
   * event. The expense holds its import (ImportOrigin: stored on its item, never shown), by
   * which the recurring job knows it from one recorded by hand (bill matching, the job's half).
   */
  private async importedExpense(record: ImportRecord, { fingerprint, row, ruleId, renameRuleId, entryFingerprint }: ChunkRow, changeShard: number) {
    const now = this.deps.clock.now();
    const timestamp = now.toISOString();
    const id = idInChangeShard(now.getTime(), changeShard);
    // A bank's row waits for a member's review (domain/review.ts): one attribute more on its item, nothing else.
    const expense = withImportOrigin(
      { id, budgetId: record.budgetId, ...row, reviewed: IMPORTED_REVIEWED, createdBy: record.userId, version: 1, createdAt: timestamp, updatedAt: timestamp },
      { importId: record.id, matchRecurring: record.matchRecurring !== false },
    );
    const origin = {
      via: 'import' as const,
      ...(ruleId ? { categorizedBy: { ruleId } } : {}),
      ...(renameRuleId ? { renamedBy: { ruleId: renameRuleId } } : {}),
    };
    return { expense, origin, publish: await recordedEvent(expense, this.deps.clock, origin), fingerprint, ...(entryFingerprint === undefined ? {} : { entryFingerprint }) };
  }

  /**
   * A credit row (`credits=income`) as the income entry it records: the income create's fields
   * (income.service.ts), `createdBy` the importer, version 1, a new id in `changeShard` (the
   * group's change stamp is one counter's: ImportsRepository.recordIncome). No import origin is
   * kept on the entry: its import marker names it (`incomeId`), which is what an undo reads.
   * Its income.recorded carries a POST's data plus `via: "import"` and the import's id.
   */
  private async importedIncome(record: ImportRecord, { fingerprint, row, entryFingerprint }: ChunkRow, changeShard: number): Promise<IncomeRow> {
    const now = this.deps.clock.now();
    const timestamp = now.toISOString();
    const income: Income = { id: idInChangeShard(now.getTime(), changeShard), budgetId: record.budgetId, ...incomeFieldsOf(row), createdBy: record.userId, version: 1, createdAt: timestamp, updatedAt: timestamp };
    const data = { ...incomeFacts(income), createdBy: income.createdBy, version: income.version, via: 'import' as const, importId: record.id };
    const publish = { contract: incomeRecorded, event: await createEvent(incomeRecorded, data, this.deps.clock) };
    return { income, publish, fingerprint, ...(entryFingerprint === undefined ? {} : { entryFingerprint }) };
  }

  /** A chunk failed every attempt (it is dead-lettered): the import fails, naming the reason. */
  async failChunk(unit: ImportUnit, err: Error): Promise<void> {
    const message = `part ${unit.chunk + 1} of the file failed every attempt (${err.message}); rows recorded before stay, importing the file again adds only the rest`;
    await this.deps.jobs.fail(unit.budgetId, unit.importId, message, this.deps.clock.now(), 'part-failed');
  }

  private async inLane<T>(lane: string, write: () => Promise<T>): Promise<T> {
    const run = (this.lanes.get(lane) ?? Promise.resolve()).then(write);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.lanes.set(lane, settled);
    try {
      return await run;
    } finally {
      if (this.lanes.get(lane) === settled) this.lanes.delete(lane);
    }
  }

  /**
   * Access, reading the file by its format (import-file.ts: every reader gives the same rows),
   * the row rules, the row limit and the rows' identities: shared by start and dryRun, and by
   * CSV and OFX. `repeated`: lines of rows whose identity an earlier row of the same file has
   * (a bank statement listing a transaction twice), duplicates from the start: two writes of
   * one marker in one transaction would fail it.
   */
  private async prepare(budgetId: string, userId: string, input: ImportRequest) {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    const prepared = await this.fileOf(budgetId, input);
    const { file: importFile, profileId, charset } = prepared;
    const { rows: records, skipped } = await read(importFile, access.currency, this.maxRows);
    const entries = records.length + skipped.length;
    if (entries > this.maxRows) throw tooManyRows(entries, this.maxRows);
    const preset = prepared.preset === true;
    const context: RowContext = {
      currency: access.currency,
      categoryIds: new Map(access.categories.map((c) => [categoryNameKey(c.name), c.id])),
      // Another app's export (a built-in preset): a category we do not have is left empty (import-presets.ts).
      ...(preset ? { unknownCategory: 'uncategorized' as const } : {}),
    };
    const errors: { line: number; message: string }[] = [];
    const rows: (Omit<ChunkRow, 'fingerprint'> & { key?: string; identity?: ImportRow })[] = [];
    const splitFallbacks: { line: number; reason: string }[] = [];
    for (const record of records) {
      const result = validateFileRow(record, context);
      if (result.ok) {
        const { row, identity, splitFallback } = result.value;
        rows.push({
          line: record.line,
          row,
          ...(identity === undefined ? {} : { identity }),
          ...(record.key === undefined ? {} : { key: record.key }),
          ...(record.entryKey === undefined ? {} : { entryFingerprint: fingerprintKeyed(budgetId, record.entryKey) }),
        });
        if (splitFallback !== undefined) splitFallbacks.push({ line: record.line, reason: splitFallback });
      } else errors.push({ line: record.line, message: result.message });
    }
    // The identity of a row is what the FILE says (an empty category is null), not what a rule
    // makes of it, so the same file imported twice adds nothing even when the rules changed.
    // A row the file names (OFX: account and FITID) is known by that name; the others by their
    // values and occurrence among the file's rows without a name.
    // A QIF split row is known by its values as they were read before splits were (file-rows.ts `identity`).
    const byValues = fingerprintRows(budgetId, rows.filter((r) => r.key === undefined).map((r): ImportRow => r.identity ?? r.row)).values();
    const seen = new Set<string>();
    const unique: ChunkRow[] = [];
    const repeated: number[] = [];
    for (const { key, identity: _identity, ...r } of rows) {
      const fingerprint = key === undefined ? byValues.next().value! : fingerprintKeyed(budgetId, key);
      if (seen.has(fingerprint)) repeated.push(r.line);
      else unique.push({ ...r, fingerprint });
      seen.add(fingerprint);
    }
    // A camt.053 batch entry the file also lists as one row (once without its amounts): its
    // transactions are duplicates of that row (and one transaction never writes a marker twice).
    const listedWhole = (r: ChunkRow) => r.entryFingerprint !== undefined && seen.has(r.entryFingerprint);
    repeated.push(...unique.filter(listedWhole).map((r) => r.line));
    const valid = unique.filter((r) => !listedWhole(r));
    // `credits=income`: the credits become income entries (domain/income-rows.ts), kept away from
    // the rules and bill matching, which are the expenses' (a refund row is never matched anyway).
    const creditsAsIncome = importFile.credits === 'income' && readsCredits(importFile);
    if (creditsAsIncome) for (const r of valid) if (isIncomeCredit(importFile, r.row)) r.income = true;
    const expenseRows = creditsAsIncome ? valid.filter((r) => !r.income) : valid;
    await this.categorize(budgetId, expenseRows, new Set(access.categories.map((c) => c.id)));
    if (input.matchRecurring !== false) await this.matchRecorded(budgetId, expenseRows);
    return { total: records.length, valid, errors, repeated, skipped, countsSkipped: countsSkipped(importFile), creditsAsIncome, profileId, charset, format: importFile.format, splitFallbacks };
  }

  /**
   * The file with its layout: the mapping parameters given, over the profile's saved mapping
   * when the request names one (one GetItem, after the access check, so a stranger learns
   * nothing of the budget's profiles). The merged mapping is checked as a whole by the same
   * rules as a profile's body (layout.ts mappingProblems). A problem with a field the request did
   * not send (it came from the profile) names `query.profile`: the parameter the caller sent.
   * The Idempotency-Key's fingerprint covers the query, not the profile: a retry under the same
   * key replays the first answer even if the profile changed in between. A CSV file's text is
   * then decoded by the charset that applies (csvText): a mapping's `charset` contradicting the
   * Content-Type's is a 400 naming `query.charset` when the query gave it (a profile's yields).
   */
  private async fileOf(budgetId: string, input: ImportRequest): Promise<{ file: ImportFile; profileId?: string; charset?: CsvDecoding; preset?: boolean }> {
    let mapping = input.mapping ?? {};
    let fromProfile = new Set<string>();
    let profileId: string | undefined;
    let credits = input.credits;
    let preset = false;
    let reading: PresetReading | undefined;
    if (input.profileId !== undefined) {
      // A built-in preset's id is never a saved profile's (those are ULIDs): no read for it.
      const profile: MappingSource | undefined =
        input.profileId === AUTO_PROFILE ? await this.fittingProfile(budgetId, input) : (presetSource(input.profileId) ?? (await this.deps.profiles.get(budgetId, input.profileId)));
      if (!profile) throw problems.validation([{ path: 'query.profile', message: 'The budget has no import profile with this id, and no built-in preset has it' }], 'Unknown import profile; nothing was imported.');
      ({ mapping, fromProfile } = mergeMapping(profile.mapping, mapping));
      profileId = profile.id;
      preset = profile.preset === true;
      reading = profile.reading;
      // As a mapping parameter overrides its profile field, the query's `credits` overrides the profile's.
      credits ??= profile.credits;
    }
    const pathOf = (parameter: string) => (fromProfile.has(parameter) ? 'query.profile' : `query.${parameter}`);
    const messageOf = (parameter: string, message: string) => (fromProfile.has(parameter) ? `The profile's ${parameter}: ${message}` : message);
    const wrong = mappingProblems(mapping);
    if (wrong.length > 0) {
      throw problems.validation(
        wrong.map((p) => ({ path: pathOf(p.parameter), message: messageOf(p.parameter, p.message) })),
        'The column mapping is not valid; nothing was imported.',
      );
    }
    if (input.format === 'csv' && input.declaredCharset !== undefined && mapping.charset !== undefined && !fromProfile.has('charset') && !sameDecoding(input.declaredCharset, mapping.charset)) {
      throw problems.validation(
        [{ path: 'query.charset', message: `The Content-Type says charset=${input.declaredCharset}: give one of the two, or the same charset in both` }],
        'The file\'s character set is given twice, differently; nothing was imported.',
      );
    }
    const decoded = input.format === 'csv' ? csvText(input, mapping.charset) : undefined;
    if (decoded && !decoded.ok) {
      // The mapping's charset failed: it names the parameter. Else the file's own byte order
      // mark or UTF-16 look (or the Content-Type's charset, which the route refused already).
      const byMapping = decoded.source === 'given' && input.declaredCharset === undefined;
      throw problems.validation(
        [byMapping ? { path: pathOf('charset'), message: messageOf('charset', decoded.message) } : { path: 'body', message: decoded.message }],
        byMapping ? 'The file is not in the character set given; nothing was imported.' : 'The file cannot be decoded; nothing was imported.',
      );
    }
    // A preset's reading of its app's own columns goes with its mapping (a CSV file only: it reads header columns).
    const mapped = layoutOf(mapping);
    const layout = mapped && reading && input.format === 'csv' ? { ...mapped, reading } : mapped;
    const file: ImportFile = {
      format: input.format,
      text: decoded ? decoded.text : input.text,
      ...(credits === 'refunds' || credits === 'income' ? { credits } : {}),
      ...(layout ? { layout, parameterPath: (p: string) => ({ path: pathOf(p), message: (m: string) => messageOf(p, m) }) } : {}),
    };
    return { file, ...(profileId === undefined ? {} : { profileId }), ...(decoded ? { charset: decoded.charset } : {}), ...(preset ? { preset } : {}) };
  }

  /**
   * `?profile=auto`: the budget's profile (one Query, at most 20) whose columns the file's header
   * row has, each read with the profile's mapping under the parameters given (their skipLines and
   * delimiter find the header; domain pickProfile chooses). Profiles whose merged mapping is not
   * valid as a whole cannot read the file and take no part. None fits: a file that does not
   * decode without a profile's charset is a 400 naming `body` (or `query.charset`) with why;
   * otherwise a 400 naming `query.profile` that lists the header's columns (as the newest profile reads them, or
   * plainly: comma, no lines skipped, when the budget has none).
   */
  private async fittingProfile(budgetId: string, input: ImportRequest): Promise<MappingSource> {
    const { headerRow } = await import('../domain/csv/bank-csv');
    const profiles = await this.deps.profiles.all(budgetId);
    const candidates = profiles
      .map((profile) => ({ profile, id: profile.id, updatedAt: profile.updatedAt, mapping: mergeMapping(profile.mapping, input.mapping ?? {}).mapping }))
      .filter((c) => mappingProblems(c.mapping).length === 0);
    const headers = new Map<string, string[] | undefined>();
    const texts = new Map<string, DecodedCsv>();
    const headerOf = (mapping: CsvMapping) => {
      const layout = layoutOf(mapping);
      const delimiter = layout?.delimiter ?? ',';
      const skipLines = layout?.skipLines ?? 0;
      // Each profile's header in ITS charset too (a header name may hold "Empfänger"); each charset decoded once.
      const charset = input.declaredCharset ?? mapping.charset ?? 'auto';
      if (!texts.has(charset)) texts.set(charset, csvText(input, mapping.charset));
      const decoded = texts.get(charset)!;
      const key = `${skipLines}:${delimiter}:${charset}`;
      if (!headers.has(key)) headers.set(key, decoded.ok ? headerRow(decoded.text, delimiter, skipLines) : undefined);
      return headers.get(key);
    };
    const picked = pickProfile(candidates, (c) => headerOf(c.mapping));
    if (picked) return picked.profile;
    // Only then the built-in presets (a saved profile wins: the user made it for their files),
    // each needing its app's whole header (its signature) besides its mapped columns.
    const presets = IMPORT_PRESETS.map((p) => ({ id: p.id, updatedAt: '', alsoNeeds: p.signature, mapping: mergeMapping(p.mapping, input.mapping ?? {}).mapping })).filter(
      (c) => mappingProblems(c.mapping).length === 0,
    );
    const pickedPreset = pickProfile(presets, (c) => headerOf(c.mapping));
    if (pickedPreset) return presetSource(pickedPreset.id)!;
    // A file that does not decode by its own signs (a byte order mark, UTF-16's zero bytes) or the
    // charset the request names has no header for any profile to match: that is the answer.
    const own = csvText(input, input.mapping?.charset);
    if (!own.ok) {
      const byQuery = own.source === 'given' && input.declaredCharset === undefined;
      throw problems.validation(
        [{ path: byQuery ? 'query.charset' : 'body', message: own.message }],
        "The file cannot be decoded, so no saved import profile can read its header; nothing was imported.",
      );
    }
    const newest = [...candidates].sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1))[0];
    const header = headerOf(newest?.mapping ?? input.mapping ?? {}) ?? [];
    const message = profiles.length === 0 ? "The budget has no saved import profiles, and no built-in preset matches the file's header" : "No saved import profile or built-in preset matches the file's header";
    throw problems.validation(
      [{ path: 'query.profile', message }],
      `${message} (its columns: ${header.length > 0 ? headerSummary(header) : 'none'}); nothing was imported. Name a profile by its id, or give the mapping parameters.`,
    );
  }

  /**
   * Rows with a merchant are renamed by the first matching rule with a `renameTo` (whatever
   * their category), then rows with an empty category take the first rule's category and tags
   * matching the (renamed) merchant, and the row's amount and description where a rule has
   * those conditions (domain/categorization.ts appliedRules), rules whose
   * category the budget no longer has passed over. The rules are read once per import (one
   * Query), only when some row has a merchant. The fingerprints were computed before, from
   * the file's values.
   */
  private async categorize(budgetId: string, rows: ChunkRow[], categories: ReadonlySet<string>): Promise<void> {
    const asking = rows.filter((r) => mayApplyRules({ merchant: r.row.merchant }));
    if (asking.length === 0) return;
    const rules = await this.deps.rules.all(budgetId);
    for (const r of asking) {
      // An empty category asks a rule (an API body without the field does the same).
      const { categoryId, ...rest } = r.row;
      const applied = appliedRules({ ...rest, ...(categoryId === null ? {} : { categoryId }) }, rules, (id) => categories.has(id));
      if (!applied.categorizedBy && !applied.renamedBy) continue;
      const { splits } = applied.input;
      r.row = {
        ...r.row,
        merchant: applied.input.merchant,
        categoryId: applied.input.categoryId ?? null,
        // A split rule's parts (domain/rule-split.ts): the worker records them as a QIF split row's.
        ...(splits ? { splits } : {}),
        ...(applied.input.tags ? { tags: applied.input.tags } : {}),
      };
      if (applied.categorizedBy) r.ruleId = applied.categorizedBy;
      if (applied.renamedBy) r.renameRuleId = applied.renamedBy;
    }
  }

  /**
   * Bill matching (domain/bill-matching.ts), once per file at acceptance, after the rename rules:
   * the rows that are bills the recurring job recorded get their `match`. Reads, only when some
   * row has a merchant: ONE Query of the budget's recurring definitions (at most
   * MAX_RECURRING_PER_BUDGET, one page), then, only when some row has the amount and merchant of
   * a definition and a date in the window of one of its dates, one BatchGetItem per 100 such
   * occurrences of their occurrence markers: an occurrence was recorded exactly when its marker
   * exists (not skipped, not fallen while paused, also of a paused or ended definition, and the
   * marker names the expense). Markers live 100 days after their date, so older bills are not
   * matched (imported as usual).
   */
  private async matchRecorded(budgetId: string, rows: ChunkRow[]): Promise<void> {
    const recurring = this.deps.recurring;
    // Each row by its index: lines are not unique (a camt.053 batch's rows share their entry's).
    const matchable: MatchableRow[] = rows.flatMap((r, position) =>
      // A refund is money back, never a bill paid: not matched.
      r.row.merchant === undefined || isRefund(r.row) ? [] : [{ position, occurredOn: r.row.occurredOn, amount: r.row.amount, merchant: r.row.merchant }],
    );
    if (!recurring || matchable.length === 0) return;
    const { items: definitions } = await recurring.page(budgetId, recurring.maxPerBudget);
    const candidates = candidateOccurrences(matchable, definitions);
    if (candidates.length === 0) return;
    const recorded = await recurring.recorded(budgetId, candidates, this.deps.clock.now());
    const occurrences = candidates.flatMap((c) => {
      const key = occurrenceKey(c);
      if (!recorded.has(key)) return [];
      const expenseId = recorded.get(key);
      return [{ ...c, ...(expenseId === undefined ? {} : { expenseId }) }];
    });
    for (const { position, ...match } of matchBills(matchable, occurrences)) rows[position]!.match = match;
  }

  /** Cuts the rows into chunks of at most chunkRows rows and CHUNK_MAX_BYTES of JSON. */
  private chunk(rows: ChunkRow[]): ChunkRow[][] {
    const chunks: ChunkRow[][] = [];
    let current: ChunkRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = Buffer.byteLength(JSON.stringify(row));
      if (current.length >= this.chunkRows || (current.length > 0 && bytes + size > CHUNK_MAX_BYTES)) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(row);
      bytes += size + 1;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }
}

/**
 * The change shard of a chunk's first batch; its n-th batch takes the n-th shard after it. A
 * batch is of ONE change shard (its stamp takes consecutive numbers of one counter, see
 * ChangeLog.stampMany), and its rows' ids are drawn in it, so every batch is a full transaction
 * of rows in date order (see batchRows), where ids hashed at random spread a chunk's 500 rows
 * over all 16 shards, leaving each shard's share (31 +- 5 rows) a full transaction and a
 * small one. Consecutive batches take consecutive shards, so different totals shards (see
 * CHANGE_SHARDS) and can be written at once; the offset per import keeps two imports of one
 * budget apart.
 */
export function chunkChangeShard(importId: string, chunk: number): number {
  return (idHash(importId) + chunk) % CHANGE_SHARDS;
}

/**
 * A new expense id (a ULID of `time`) in change shard `shard`. The shard is a hash of the id
 * (change-log.ts), so ids are drawn until one lands there: 16 draws on average, microseconds.
 */
export function idInChangeShard(time: number, shard: number): string {
  for (let draw = 0; draw < 10_000; draw++) {
    const id = newId(time);
    if (changeShardOf(id) === shard) return id;
  }
  throw new Error(`no id in change shard ${shard} after 10,000 draws`);
}

/** TransactWriteItems takes at most 100 items. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * The rows cut into batches for ExpensesRepository.createMany, in date order, each at most 100
 * items: per row the expense, its marker and its change entry; per batch the counter, the
 * closed-budget check and one totals update per MONTH its rows fall in (the month item holds
 * the day figures too), so 32 rows in one month or across a month's end (3 x 32 + 2 + 1 or 2 =
 * 99 or 100 items), 31 only when its rows span three months. Before the day figures moved onto
 * the month item, each day of the batch was an item more (31 rows over two days, 29 over ten).
 * A camt.053 batch entry's transactions add one item per entry (its marker, written with
 * the first of them in the batch: ImportsRepository.recordMany). A batch whose rows name a
 * category adds one: the budget item's categories check (import-categories.ts recordBatch).
 */
export function batchRows(rows: ChunkRow[]): ChunkRow[][] {
  const out: ChunkRow[][] = [];
  let batch: ChunkRow[] = [];
  let months = new Set<string>();
  let entries = new Set<string>();
  let categorized = false;
  for (const r of byDate(rows)) {
    const month = monthOf(r.row.occurredOn);
    const monthCount = months.size + (months.has(month) ? 0 : 1);
    const entryCount = entries.size + (r.entryFingerprint === undefined || entries.has(r.entryFingerprint) ? 0 : 1);
    const categoriesCheck = categorized || namesCategory(r) ? 1 : 0;
    if (batch.length > 0 && 3 * (batch.length + 1) + 2 + monthCount + entryCount + categoriesCheck > MAX_TRANSACTION_ITEMS) {
      out.push(batch);
      batch = [];
      months = new Set<string>();
      entries = new Set<string>();
      categorized = false;
    }
    batch.push(r);
    months.add(month);
    if (r.entryFingerprint !== undefined) entries.add(r.entryFingerprint);
    categorized ||= namesCategory(r);
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** Whether the row names a category (its own or a part's): its batch carries the categories check. */
const namesCategory = (r: ChunkRow) => r.row.categoryId != null || (r.row.splits ?? []).some((p) => p.categoryId !== null);

/** The batches grouped per totals shard (of their change shard): one writer each. */
function byTotalsShard<T extends { expense: Expense }>(batches: T[][]): T[][][] {
  const out: T[][][] = Array.from({ length: TOTALS_SHARDS }, () => []);
  for (const batch of batches) out[changeShardOf(batch[0]!.expense.id) % TOTALS_SHARDS]!.push(batch);
  return out;
}

/**
 * The file's rows by its format. The readers are loaded by the first import of their format,
 * not at start (see
 * bench/HISTORY.md#cold-start-what-the-first-summary-still-pays-featcoldstart-2026-11-30).
 * A file that cannot be read as a whole is a 400 naming `body` with the line (and for OFX the
 * column): nothing is imported.
 */
async function read(file: ImportFile, currency: string, maxRows: number): Promise<ReadFile> {
  try {
    return await readByFormat(file, currency, maxRows);
  } catch (err) {
    // A bank format's reader stopped past the limit (import-file.ts), as the CSV readers do.
    if (err instanceof FileRowLimitError) throw tooManyRows(`more than ${maxRows}`, maxRows);
    throw err;
  }
}

async function readByFormat(file: ImportFile, currency: string, maxRows: number): Promise<ReadFile> {
  if (file.format === 'camt') {
    const { CamtFileError, readCamt } = await import('../domain/camt/read');
    try {
      return readCamt(file.text, currency, file.credits, maxRows);
    } catch (err) {
      if (!(err instanceof CamtFileError)) throw err;
      throw problems.validation([{ path: 'body', message: `Line ${err.line}, column ${err.column}: ${err.message}` }], 'The file is not a readable camt.053 statement; nothing was imported.');
    }
  }
  if (file.format === 'qif') {
    const { QifDateOrderError, QifFileError, readQif } = await import('../domain/qif/read');
    try {
      return readQif(file.text, file.layout?.dateFormat, file.credits, maxRows);
    } catch (err) {
      if (err instanceof QifDateOrderError) {
        throw problems.validation([{ path: 'query.dateFormat', message: err.message }], "The QIF file's dates can be read more than one way; nothing was imported.");
      }
      if (!(err instanceof QifFileError)) throw err;
      throw problems.validation([{ path: 'body', message: `Line ${err.line}: ${err.message}` }], 'The file is not a readable QIF file; nothing was imported.');
    }
  }
  if (file.format === 'ofx') {
    const { OfxFileError, readOfx } = await import('../domain/ofx/read');
    try {
      return readOfx(file.text, currency, file.credits, maxRows);
    } catch (err) {
      if (!(err instanceof OfxFileError)) throw err;
      throw problems.validation([{ path: 'body', message: `Line ${err.line}, column ${err.column}: ${err.message}` }], 'The file is not a readable OFX statement; nothing was imported.');
    }
  }
  const { CsvFileError, CsvRowLimitError, readCsv } = await import('../domain/csv/read');
  try {
    // Our own format: a negative amount is a refund. A bank's mapping skips its credits, or
    // with `credits=refunds` reads them as refunds (bank-csv.ts). Past the row limit the CSV
    // readers count the records without keeping them (CsvRowLimitError: memory stays bounded).
    if (file.layout === undefined) return { rows: withRefunds(readCsv(file.text, { maxRows })), skipped: [] };
    const { CsvLayoutError, readBankCsv } = await import('../domain/csv/bank-csv');
    try {
      return readBankCsv(file.text, file.layout, file.credits, currency, maxRows);
    } catch (err) {
      if (!(err instanceof CsvLayoutError)) throw err;
      const named = file.parameterPath?.(err.parameter) ?? { path: `query.${err.parameter}`, message: (m: string) => m };
      throw problems.validation([{ path: named.path, message: named.message(err.message) }], 'The column mapping does not fit the file; nothing was imported.');
    }
  } catch (err) {
    if (err instanceof CsvRowLimitError) throw tooManyRows(`more than ${maxRows}`, maxRows);
    if (!(err instanceof CsvFileError)) throw err;
    throw problems.validation([{ path: 'body', message: `Line ${err.line}: ${err.message}` }], 'The file is not valid CSV; nothing was imported.');
  }
}

/** The 413 of a file of more than `maxRows` rows (`rows`: its count, or "more than" it when a CSV reader stopped there). */
function tooManyRows(rows: number | string, maxRows: number): ProblemError {
  return new ProblemError(PLATFORM_PROBLEMS['payload-too-large'], `At most ${maxRows} rows per import; split the file.`, {
    errors: [{ path: 'body', message: `The file has ${rows} rows; at most ${maxRows} per import` }],
  });
}

/**
 * A CSV request's text in the charset that applies: the Content-Type's (the route decoded
 * `text` by it), else the mapping's (`charset` of the query or the profile, decoding the
 * body's bytes), else the route's guess (UTF-16 if the file's start shows it, UTF-8 if the
 * bytes are, else Windows-1252); a byte order mark before all of these.
 */
function csvText(input: ImportRequest, charset: CsvCharset | undefined): DecodedCsv {
  const bytes = input.bytes ?? Buffer.from(input.text, 'utf8');
  if (input.declaredCharset !== undefined) return decodeCsv(bytes, { charset: input.declaredCharset, by: 'the Content-Type says' });
  return decodeCsv(bytes, charset === undefined ? undefined : { charset, by: 'the mapping says' });
}

/**
 * Whether the answer counts skipped entries (money in, not spending): a bank statement (OFX, camt.053, QIF),
 * and a CSV file read with `amountSign=negativeIsSpending` or with debit and credit columns. Our own CSV format has none (its
 * answers stay as they were).
 */
function countsSkipped(file: ImportFile): boolean {
  return readsCredits(file);
}

type RowCounts = { imported: number; duplicates: number; matched: number; incomeImported: number };

/** A row whose marker this import wrote (an earlier delivery of the chunk, or a race it lost to itself): counted as its marker says. */
function count(counts: RowCounts, owner: { matched: boolean; income?: true }): void {
  if (owner.matched) counts.matched++;
  else {
    counts.imported++;
    if (owner.income) counts.incomeImported++;
  }
}

/** The rows ordered by date (stable: rows of one day keep the file's order). */
function byDate(rows: ChunkRow[]): ChunkRow[] {
  return rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.row.occurredOn < b.r.row.occurredOn ? -1 : a.r.row.occurredOn > b.r.row.occurredOn ? 1 : a.i - b.i)).map((x) => x.r);
}

/** Waits for every promise, then rejects with the first failure (if any). */
async function settleAll(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The error lines of the rows (by fingerprint) a write refused for the running totals' limit. */
function overLimitErrors(rows: ChunkRow[], fingerprints: string[]): ImportError[] {
  const refused = new Set(fingerprints);
  return rows
    .filter((r) => refused.has(r.fingerprint))
    .map((r) => ({ line: r.line, message: `amount: would take the running totals of ${monthOf(r.row.occurredOn)} past ${MAX_EXACT_TOTAL} minor units; not imported` }));
}
