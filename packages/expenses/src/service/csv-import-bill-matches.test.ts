import { fixedClock } from '@budgeting/platform';
import { describe, expect, it, vi } from 'vitest';
import type { ChunkRow, ImportRecord } from '../repository/import-jobs.repository';
import type { MarkerOwner } from '../repository/imports.repository';
import { CsvImportService } from './csv-import.service';

/**
 * The worker's side of bill matching (CsvImportService.workChunk with fakes): rows that matched
 * a recorded bill at acceptance are written as matches (no expense) unless their occurrence is
 * taken, found by the batch read or (a race) by the transaction's condition; either way the
 * row is then imported as a new expense, never dropped. A redelivered chunk counts its own
 * matched rows from their markers.
 */
const importId = '01JDIMPORT00000000000000001';
const record: ImportRecord = {
  id: importId, budgetId: 'b1', userId: 'u1', status: 'running', total: 4, processed: 0, imported: 0, duplicates: 0, matched: 0,
  errorCount: 0, errors: [], chunks: 1, createdAt: '2026-11-20T00:00:00.000Z', updatedAt: '2026-11-20T00:00:00.000Z',
};
const rent = (fingerprint: string, line: number, occurredOn: string): ChunkRow => ({
  line,
  fingerprint,
  row: { occurredOn: '2026-11-03', amount: 120000, categoryId: null, merchant: 'Acme Rentals' },
  match: { recurringExpenseId: 'r1', occurredOn, expenseId: 'e1' },
});
const coffee: ChunkRow = { line: 5, fingerprint: 'coffee', row: { occurredOn: '2026-11-03', amount: 450, categoryId: null, merchant: 'Cafe' } };

function service(rows: ChunkRow[], opts: { markers?: Map<string, MarkerOwner>; taken?: string[]; lostInRace?: string[] } = {}) {
  const jobs = {
    pendingChunk: vi.fn(async () => rows),
    get: vi.fn(async () => record),
    markRunning: vi.fn(async () => undefined),
    touch: vi.fn(async () => undefined),
    completeChunk: vi.fn(async () => true),
    finishIfComplete: vi.fn(async () => undefined),
    fail: vi.fn(async () => undefined),
  };
  const imported: string[] = [];
  const imports = {
    markers: vi.fn(async () => opts.markers ?? new Map<string, MarkerOwner>()),
    matchesTaken: vi.fn(async () => new Set(opts.taken ?? [])),
    recordMatched: vi.fn(async (_budgetId: string, matched: { fingerprint: string }[]) => {
      const lost = new Set(opts.lostInRace ?? []);
      return { matched: matched.map((m) => m.fingerprint).filter((f) => !lost.has(f)), raced: [], taken: matched.map((m) => m.fingerprint).filter((f) => lost.has(f)) };
    }),
    recordMany: vi.fn(async (batch: { fingerprint: string }[]) => {
      imported.push(...batch.map((b) => b.fingerprint));
      return { imported: batch.map((b) => b.fingerprint), raced: [], overLimit: [] };
    }),
  };
  const deps = { imports, jobs, rules: { all: async () => [] }, budgets: { notArchivedCheck: () => ({ ConditionCheck: { Key: { pk: 'budgets#budget#b1', sk: 'budgets#budget' } } }), categoriesCheck: () => [] }, clock: fixedClock('2026-11-20T00:10:00.000Z'), work: { enqueue: async () => undefined } };
  const svc = new CsvImportService(deps as unknown as ConstructorParameters<typeof CsvImportService>[0]);
  const work = () => svc.workChunk({ budgetId: 'b1', importId, chunk: 0 }, Number.MAX_SAFE_INTEGER);
  const counted = () => (jobs.completeChunk.mock.calls[0] as unknown[])[3];
  return { work, imports, imported, counted };
}

describe('CsvImportService.workChunk: bill matches', () => {
  it('writes a free match as a match, not an expense; the other rows as expenses', async () => {
    const s = service([rent('a', 2, '2026-11-01'), coffee]);
    await s.work();
    expect(s.imports.matchesTaken).toHaveBeenCalledExactlyOnceWith('b1', [{ recurringExpenseId: 'r1', occurredOn: '2026-11-01', expenseId: 'e1' }]);
    expect(s.imports.recordMatched.mock.calls[0]![1]).toEqual([{ fingerprint: 'a', recurringExpenseId: 'r1', occurredOn: '2026-11-01' }]);
    expect(s.imported).toEqual(['coffee']);
    expect(s.counted()).toMatchObject({ processed: 2, imported: 1, matched: 1, duplicates: 0 });
  });

  it('imports a row whose occurrence the batch read finds taken', async () => {
    const s = service([rent('a', 2, '2026-11-01'), coffee], { taken: ['r1#2026-11-01'] });
    await s.work();
    expect(s.imports.recordMatched).not.toHaveBeenCalled();
    expect(s.imported.sort()).toEqual(['a', 'coffee']);
    expect(s.counted()).toMatchObject({ processed: 2, imported: 2, matched: 0 });
  });

  it('imports a row whose occurrence was taken in a race (the transaction condition)', async () => {
    const s = service([rent('a', 2, '2026-11-01'), rent('b', 3, '2026-12-01')], { lostInRace: ['a'] });
    await s.work();
    expect(s.imported).toEqual(['a']);
    expect(s.counted()).toMatchObject({ processed: 2, imported: 1, matched: 1 });
  });

  it('counts its own matched rows again on a redelivery, and does not read or write matches without candidates', async () => {
    const markers = new Map<string, MarkerOwner>([
      ['a', { importId, matched: true }],
      ['coffee', { importId, matched: false }],
    ]);
    const s = service([rent('a', 2, '2026-11-01'), coffee], { markers });
    await s.work();
    expect(s.imports.matchesTaken).not.toHaveBeenCalled();
    expect(s.imported).toEqual([]);
    expect(s.counted()).toMatchObject({ processed: 2, imported: 1, matched: 1, duplicates: 0 });
  });
});
