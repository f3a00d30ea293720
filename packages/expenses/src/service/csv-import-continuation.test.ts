import { fixedClock } from '@budgeting/platform';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChunkRow, ImportRecord } from '../repository/import-jobs.repository';
import { CsvImportService } from './csv-import.service';

/**
 * A chunk delivery that runs out of its time comes back as the same unit. If it wrote rows, the
 * import moved though no count did: its `updatedAt` is moved (touch), so a chunk needing several
 * deliveries is not read as stalled. One that wrote nothing moves nothing (a chunk that never
 * gets to write ends as stalled instead of going round for ever). Fakes for the repositories,
 * and for the wall clock the deadline is read from: it stands at 0 until a batch is written,
 * then jumps past the deadline. 160 rows are 5 batches, the first and the fifth in one totals
 * lane (4 lanes), so each lane's first batch starts and the fifth finds the time up.
 */
const rows: ChunkRow[] = Array.from({ length: 160 }, (_, n) => ({
  line: n + 2,
  fingerprint: `f${n}`,
  row: { occurredOn: '2026-11-10', amount: 100 + n, categoryId: null },
}));
const record: ImportRecord = {
  id: '01JDIMPORT00000000000000001',
  budgetId: 'b1',
  userId: 'u1',
  status: 'running',
  total: 160,
  processed: 0,
  imported: 0,
  duplicates: 0,
  matched: 0,
  errorCount: 0,
  errors: [],
  chunks: 1,
  createdAt: '2026-11-20T00:00:00.000Z',
  updatedAt: '2026-11-20T00:00:00.000Z',
};

const wall = { now: 0 };
beforeEach(() => {
  wall.now = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => wall.now);
});
afterEach(() => vi.restoreAllMocks());

function service() {
  const written: string[] = [];
  const jobs = {
    pendingChunk: vi.fn(async () => rows),
    get: vi.fn(async () => record),
    markRunning: vi.fn(async () => undefined),
    touch: vi.fn(async () => undefined),
    completeChunk: vi.fn(async () => true),
    finishIfComplete: vi.fn(async () => undefined),
    fail: vi.fn(async () => undefined),
  };
  const imports = {
    markers: vi.fn(async () => new Map<string, string>()),
    recordMany: vi.fn(async (batch: { fingerprint: string }[]) => {
      await new Promise((r) => setTimeout(r, 5));
      wall.now = 1_000;
      written.push(...batch.map((b) => b.fingerprint));
      return { imported: batch.map((b) => b.fingerprint), raced: [], overLimit: [] };
    }),
  };
  const deps = { imports, jobs, rules: { all: async () => [] }, budgets: { categoriesCheck: () => [] }, clock: fixedClock('2026-11-20T00:10:00.000Z'), work: { enqueue: async () => undefined } };
  return { svc: new CsvImportService(deps as unknown as ConstructorParameters<typeof CsvImportService>[0]), jobs, written };
}

describe('CsvImportService.workChunk out of time', () => {
  it('moves the import when the delivery wrote rows, and asks for the rest', async () => {
    const { svc, jobs, written } = service();
    const out = await svc.workChunk({ budgetId: 'b1', importId: record.id, chunk: 0 }, 500);
    expect(out.again).toBe(true);
    // Each lane's first batch (4 of 32 rows), not the fifth.
    expect(written).toHaveLength(128);
    expect(jobs.touch).toHaveBeenCalledExactlyOnceWith('b1', record.id, new Date('2026-11-20T00:10:00.000Z'));
    expect(jobs.completeChunk).not.toHaveBeenCalled();
  });

  it('moves nothing when the delivery wrote nothing', async () => {
    const { svc, jobs, written } = service();
    const out = await svc.workChunk({ budgetId: 'b1', importId: record.id, chunk: 0 }, 0);
    expect(out).toEqual({ again: true, imported: 0 });
    expect(written).toEqual([]);
    expect(jobs.touch).not.toHaveBeenCalled();
  });
});
