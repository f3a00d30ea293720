import { describe, expect, it } from 'vitest';
import type { ChunkRow } from '../repository/import-jobs.repository';
import { batchRows } from './import-batches';

/**
 * A batch is ONE TransactWriteItems: per row the expense, its marker and its change entry (3),
 * per batch the change counter and the closed-budget check (2) and one running-totals item per
 * month its rows fall in (the month item holds the day figures). DynamoDB refuses more than 100.
 */
const row = (line: number, occurredOn: string): ChunkRow => ({ line, fingerprint: `f${line}`, row: { occurredOn, amount: 100, categoryId: null } });
const itemsOf = (batch: ChunkRow[]) => 3 * batch.length + 2 + new Set(batch.map((r) => r.row.occurredOn.slice(0, 7))).size;

describe('batchRows: import rows per transaction', () => {
  it('takes 32 rows of one month (99 items), however many days they span', () => {
    // 100 rows over all 30 days of November: before, every day was an item of its own.
    const rows = Array.from({ length: 100 }, (_, i) => row(i, `2026-11-${String((i % 30) + 1).padStart(2, '0')}`));
    const batches = batchRows(rows);
    expect(batches.map((b) => b.length)).toEqual([32, 32, 32, 4]);
    expect(batches.map(itemsOf)).toEqual([99, 99, 99, 15]);
    expect(batches.flat().map((r) => r.line).sort((a, b) => a - b)).toEqual(rows.map((r) => r.line));
  });

  it('takes 32 rows across a month end too (two totals items: 100), 31 over three months; never more than 100 items', () => {
    const rows = [...Array.from({ length: 20 }, (_, i) => row(i, '2026-11-30')), ...Array.from({ length: 20 }, (_, i) => row(20 + i, '2026-12-01'))];
    const batches = batchRows(rows);
    expect(batches.map((b) => b.length)).toEqual([32, 8]);
    expect(batches.map(itemsOf)).toEqual([100, 27]);
    // In date order: the first batch holds all of November's rows.
    expect(batches[0]!.slice(0, 20).every((r) => r.row.occurredOn === '2026-11-30')).toBe(true);

    const sparse = [row(0, '2026-10-31'), ...Array.from({ length: 30 }, (_, i) => row(1 + i, '2026-11-15')), row(31, '2026-12-01'), row(32, '2026-12-02')];
    const three = batchRows(sparse);
    expect(three.map((b) => b.length)).toEqual([31, 2]);
    expect(Math.max(...three.map(itemsOf))).toBeLessThanOrEqual(100);
  });

  it("counts a camt.053 batch entry's marker once per entry in a batch: 32 rows of one entry (100 items), 31 of two", () => {
    const split = (line: number, entry: string): ChunkRow => ({ ...row(line, '2026-11-21'), entryFingerprint: entry });
    const one = batchRows(Array.from({ length: 40 }, (_, i) => split(i, 'e1')));
    // 3 x 32 + 2 + 1 month + 1 entry marker = 100
    expect(one.map((b) => b.length)).toEqual([32, 8]);
    const two = batchRows([...Array.from({ length: 20 }, (_, i) => split(i, 'e1')), ...Array.from({ length: 20 }, (_, i) => split(20 + i, 'e2'))]);
    // 3 x 31 + 2 + 1 month + 2 entry markers = 98; a 32nd row would make 101
    expect(two.map((b) => b.length)).toEqual([31, 9]);
  });

  it('counts the categories check once per batch whose rows name a category: 32 rows of one month (100 items), 31 across a month end', () => {
    const filed = (line: number, occurredOn: string): ChunkRow => ({ ...row(line, occurredOn), row: { occurredOn, amount: 100, categoryId: 'c1' } });
    // 3 x 32 + 2 + 1 month + 1 check = 100
    expect(batchRows(Array.from({ length: 40 }, (_, i) => filed(i, '2026-11-21'))).map((b) => b.length)).toEqual([32, 8]);
    // 3 x 31 + 2 + 2 months + 1 check = 98; a 32nd row would make 101 (without a category it is 100: the test above)
    const monthEnd = [...Array.from({ length: 20 }, (_, i) => filed(i, '2026-11-30')), ...Array.from({ length: 20 }, (_, i) => filed(20 + i, '2026-12-01'))];
    expect(batchRows(monthEnd).map((b) => b.length)).toEqual([31, 9]);
  });
});
