import { ProblemError, newId, problems, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { categoryNameKey } from '../domain/csv/cells';
import { fingerprintRows } from '../domain/csv/fingerprint';
import { validateRow, type ImportRow } from '../domain/csv/rows';
import type { Expense } from '../model';
import type { ImportsRepository } from '../repository/imports.repository';
import { TOTALS_SHARDS, shardOf } from '../repository/totals-deltas';
import { authorize } from './access';
import { recordedEvent } from './expense-facts';

export interface ImportOptions {
  /** Rows (not counting the header and blank rows) one file may have. */
  maxRows?: number;
  /** No new row is started after this long, so a request ends well inside API Gateway's 29 s. */
  timeBudgetMs?: number;
}

/**
 * Why 2,000 rows: each row is one TransactWriteItems (about 20-30 ms in AWS), and rows are
 * written by TOTALS_SHARDS workers, one per totals shard, so the import's own writes never
 * contend for a running-total item (two transactions on one item cancel each other). 2,000
 * rows is ~500 sequential transactions per worker: 10-15 s, well inside the 29 s of API
 * Gateway. The time budget is the safety net for a slow day (throttling, retries).
 */
export const IMPORT_MAX_ROWS = 2_000;
const IMPORT_TIME_BUDGET_MS = 20_000;
/** The `errors` list is capped; `errorCount` counts them all. */
export const IMPORT_MAX_ERRORS_LISTED = 100;

export interface ImportResult {
  imported: number;
  duplicates: number;
  errorCount: number;
  errors: { line: number; message: string }[];
}

/**
 * CSV import: every valid row becomes an expense created by the caller (exactly as POST
 * /expenses would: running totals, expense.recorded, so thresholds work as for any expense),
 * every invalid row is reported by its line, and a row imported before (see
 * ImportsRepository) is a duplicate. A partial import is the point: fix the reported rows
 * and import the same file again; the rows already in are duplicates then.
 */
export class CsvImportService {
  private readonly maxRows: number;
  private readonly timeBudgetMs: number;

  constructor(
    private readonly deps: { imports: ImportsRepository; budgets: BudgetsFacade; clock: Clock },
    options: ImportOptions = {},
  ) {
    this.maxRows = options.maxRows ?? IMPORT_MAX_ROWS;
    this.timeBudgetMs = options.timeBudgetMs ?? IMPORT_TIME_BUDGET_MS;
  }

  async import(budgetId: string, userId: string, text: string): Promise<ImportResult> {
    const started = performance.now();
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    const records = await read(text);
    if (records.length > this.maxRows) {
      throw new ProblemError(413, 'payload-too-large', 'Payload too large', `At most ${this.maxRows} rows per import; split the file.`, {
        errors: [{ path: 'body', message: `The file has ${records.length} rows; at most ${this.maxRows} per import` }],
      });
    }

    const context = { currency: access.currency, categoryIds: new Map(access.categories.map((c) => [categoryNameKey(c.name), c.id])) };
    const errors: { line: number; message: string }[] = [];
    const valid: { line: number; row: ImportRow }[] = [];
    for (const record of records) {
      const result = validateRow(record.fields, context);
      if (result.ok) valid.push({ line: record.line, row: result.value });
      else errors.push({ line: record.line, message: result.message });
    }
    const fingerprints = fingerprintRows(budgetId, valid.map((v) => v.row));
    const seen = await this.deps.imports.alreadyImported(budgetId, fingerprints);

    const now = this.deps.clock.now();
    const timestamp = now.toISOString();
    const result = { imported: 0, duplicates: 0 };
    const queues: { line: number; expense: Expense; fingerprint: string }[][] = Array.from({ length: TOTALS_SHARDS }, () => []);
    valid.forEach(({ line, row }, i) => {
      if (seen.has(fingerprints[i]!)) {
        result.duplicates++;
        return;
      }
      const expense: Expense = { id: newId(now.getTime()), budgetId, ...row, createdBy: userId, version: 1, createdAt: timestamp, updatedAt: timestamp };
      queues[shardOf(expense.id)]!.push({ line, expense, fingerprint: fingerprints[i]! });
    });

    let closed = false;
    // allSettled: a failed write (throttling after retries) must not leave other workers
    // writing after the answer; the file can be imported again (its imported rows are duplicates).
    const settled = await Promise.allSettled(
      queues.map(async (queue) => {
        for (const { line, expense, fingerprint } of queue) {
          if (closed) return;
          if (performance.now() - started > this.timeBudgetMs) {
            errors.push({ line, message: 'not imported: the import ran out of time; import the same file again to add the rest' });
            continue;
          }
          const outcome = await this.deps.imports.record(expense, recordedEvent(expense, this.deps.clock, { via: 'import' }), fingerprint);
          if (outcome === 'imported') result.imported++;
          else if (outcome === 'duplicate') result.duplicates++;
          else closed = true;
        }
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    // Deleted while importing: as for a single expense, as if it had been gone already.
    if (closed) throw problems.notFound('Budget not found.');

    errors.sort((a, b) => a.line - b.line);
    return { ...result, errorCount: errors.length, errors: errors.slice(0, IMPORT_MAX_ERRORS_LISTED) };
  }
}

async function read(text: string) {
  // csv-parse is loaded by the first import, not at start (see the README's cold start).
  const { CsvFileError, readCsv } = await import('../domain/csv/read');
  try {
    return readCsv(text);
  } catch (err) {
    if (!(err instanceof CsvFileError)) throw err;
    throw problems.validation([{ path: 'body', message: `Line ${err.line}: ${err.message}` }], 'The file is not valid CSV; nothing was imported.');
  }
}
