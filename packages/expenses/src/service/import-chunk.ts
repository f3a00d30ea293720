import { KeyedLanes, settleAll, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { monthOf } from '../domain/dates';
import type { ChunkRow, ImportJobsRepository, ImportRecord, ImportError } from '../repository/import-jobs.repository';
import type { ImportsRepository } from '../repository/imports.repository';
import { occurrenceKey } from '../domain/bill-matching';
import { CHANGE_SHARDS } from '../repository/change-log';
import { MAX_EXACT_TOTAL } from '../repository/totals-cap';
import { recordBatch, type ImportedRow } from './import-categories';
import type { RecordedBy } from '../repository/import-undo.repository';
import { batchRows, byTotalsShard, chunkChangeShard } from './import-batches';
import { importedExpense, importedIncome } from './imported-rows';

// One job: one chunk of an import written (one unit of work of the import job): its rows
// recorded as expenses, bill matches or income entries, counted on the import record, the
// import finished when it was the last; idempotent when delivered again.

/** A row a delivery recorded: its fingerprint and what it wrote (an expense, or a `credits=income` entry). */
export type LandedRow = { fingerprint: string } & RecordedBy;

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

export interface ImportUnit {
  budgetId: string;
  importId: string;
  chunk: number;
}

/** Writes the chunks of the imports (CsvImportService.workChunk): one per service, holding this process's lanes. */
export class ImportChunkWriter {
  /**
   * Batches of one (budget, totals shard) from this process, one at a time: every batch of a
   * totals shard updates that shard's month bucket, and two transactions on one item cancel
   * each other, so chunks worked at once in one process (the local work queue, an SQS batch)
   * queue here instead of failing and retrying. Other processes are kept apart by
   * ModuleStore.transactWrite's retries.
   */
  private readonly lanes = new KeyedLanes();

  constructor(
    private readonly deps: {
      imports: Pick<ImportsRepository, 'markers' | 'matchesTaken' | 'recordMatched' | 'recordIncome' | 'recordMany'>;
      jobs: Pick<ImportJobsRepository, 'pendingChunk' | 'get' | 'markRunning' | 'fail' | 'completeChunk' | 'finishIfComplete' | 'touch'>;
      budgets: Pick<BudgetsFacade, 'notArchivedCheck' | 'categoriesCheck' | 'categoryIdsOf'>;
      clock: Clock;
      /** Takes back rows a late delivery wrote behind the import's undo (ImportUndoService.removeLanded); absent: none are. */
      undoLanded?: (budgetId: string, importId: string, chunk: number, rows: LandedRow[]) => Promise<unknown>;
    },
  ) {}

  /**
   * One unit of work: the rows of one chunk. Idempotent (see CsvImportService's comment). Stops starting
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
        Promise.all(batch.map((r) => importedExpense(this.deps.clock, record, r, (first + n) % CHANGE_SHARDS))),
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
      const entries = await Promise.all(incomeRows.map((r) => importedIncome(this.deps.clock, record, r, incomeShard)));
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
   * CsvImportService.current. Only a delivery that wrote something moves it, so a chunk that keeps running out
   * of time before its first write still ends as stalled instead of going round for ever.
   */
  private async continueLater(unit: ImportUnit, wrote: boolean, imported: number): Promise<{ again: boolean; imported: number }> {
    if (wrote) await this.deps.jobs.touch(unit.budgetId, unit.importId, this.deps.clock.now());
    return { again: true, imported };
  }

  private async inLane<T>(lane: string, write: () => Promise<T>): Promise<T> {
    return this.lanes.run(lane, write);
  }
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

/** The error lines of the rows (by fingerprint) a write refused for the running totals' limit. */
function overLimitErrors(rows: ChunkRow[], fingerprints: string[]): ImportError[] {
  const refused = new Set(fingerprints);
  return rows
    .filter((r) => refused.has(r.fingerprint))
    .map((r) => ({ line: r.line, message: `amount: would take the running totals of ${monthOf(r.row.occurredOn)} past ${MAX_EXACT_TOTAL} minor units; not imported` }));
}
