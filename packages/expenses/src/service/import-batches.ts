import { newId } from '@budgeting/platform';
import { monthOf } from '../domain/dates';
import type { Expense } from '../model';
import type { ChunkRow } from '../repository/import-jobs.repository';
import { CHANGE_SHARDS, changeShardOf } from '../repository/change-log';
import { TOTAL_ATTRIBUTE, categoryAttribute, dayAttribute } from '../repository/totals-attributes';
import { TOTALS_SHARDS, idHash } from '../repository/totals-deltas';

// One job: how an import's rows are cut for writing (pure, no request): the file's rows into
// chunks (one stored item and one unit of work each), a chunk's rows into batches (one
// transaction each), the batches into one lane per totals shard; and a new id in a batch's change shard.

/** A chunk is one DynamoDB item (400 KB at most): rows are cut into a new chunk past this size. */
const CHUNK_MAX_BYTES = 300_000;

/** Cuts the rows into chunks of at most `chunkRows` rows and CHUNK_MAX_BYTES of JSON. */
export function chunksOf(rows: ChunkRow[], chunkRows: number): ChunkRow[][] {
  const chunks: ChunkRow[][] = [];
  let current: ChunkRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row));
    if (current.length >= chunkRows || (current.length > 0 && bytes + size > CHUNK_MAX_BYTES)) {
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
 * The most figures a batch may name in one month item. Its totals update is ONE `ADD #a0 :a0,
 * #a1 :a1, ...` per month (the batch's rows merged: TotalsRepository.updateItems), and DynamoDB
 * refuses an expression over 4 KB: 300 figures are at most about 3.7 KB. A row names its day's
 * and month's total and, per category (each split part's; `uncategorized` for none), its day's
 * and month's figure, so rows of many days each split over many categories (a month of daily rows
 * and a 10-part split rule: 31 x 10 x 2 + 31 + 1 = 652 figures) passed the bound, and the import
 * failed on "Expression size has exceeded the maximum allowed size" until 2026-12-07.
 */
export const MAX_FIGURES_PER_MONTH_UPDATE = 300;

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
  let figures = new Map<string, Set<string>>();
  for (const r of byDate(rows)) {
    const month = monthOf(r.row.occurredOn);
    const monthCount = months.size + (months.has(month) ? 0 : 1);
    const entryCount = entries.size + (r.entryFingerprint === undefined || entries.has(r.entryFingerprint) ? 0 : 1);
    const categoriesCheck = categorized || namesCategory(r) ? 1 : 0;
    const named = figuresOf(r);
    const monthFigures = figures.get(month) ?? new Set<string>();
    const figureCount = monthFigures.size + named.filter((f) => !monthFigures.has(f)).length;
    if (
      batch.length > 0 &&
      (3 * (batch.length + 1) + 2 + monthCount + entryCount + categoriesCheck > MAX_TRANSACTION_ITEMS || figureCount > MAX_FIGURES_PER_MONTH_UPDATE)
    ) {
      out.push(batch);
      batch = [];
      months = new Set<string>();
      entries = new Set<string>();
      categorized = false;
      figures = new Map<string, Set<string>>();
    }
    batch.push(r);
    months.add(month);
    const kept = figures.get(month) ?? new Set<string>();
    for (const f of named) kept.add(f);
    figures.set(month, kept);
    if (r.entryFingerprint !== undefined) entries.add(r.entryFingerprint);
    categorized ||= namesCategory(r);
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** The figures of its month item a row's expense adds to (totals-deltas.ts bucketDeltas): the total and each category's, month and day. */
function figuresOf(r: ChunkRow): string[] {
  const categories = r.row.splits ? r.row.splits.map((p) => p.categoryId) : [r.row.categoryId ?? null];
  const monthLevel = [TOTAL_ATTRIBUTE, ...categories.map((c) => categoryAttribute(c))];
  return [...monthLevel, ...monthLevel.map((name) => dayAttribute(r.row.occurredOn, name))];
}

/** Whether the row names a category (its own or a part's): its batch carries the categories check. */
const namesCategory = (r: ChunkRow) => r.row.categoryId != null || (r.row.splits ?? []).some((p) => p.categoryId !== null);

/** The batches grouped per totals shard (of their change shard): one writer each. */
export function byTotalsShard<T extends { expense: Expense }>(batches: T[][]): T[][][] {
  const out: T[][][] = Array.from({ length: TOTALS_SHARDS }, () => []);
  for (const batch of batches) out[changeShardOf(batch[0]!.expense.id) % TOTALS_SHARDS]!.push(batch);
  return out;
}

/** The rows ordered by date (stable: rows of one day keep the file's order). */
export function byDate(rows: ChunkRow[]): ChunkRow[] {
  return rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.row.occurredOn < b.r.row.occurredOn ? -1 : a.r.row.occurredOn > b.r.row.occurredOn ? 1 : a.i - b.i)).map((x) => x.r);
}
