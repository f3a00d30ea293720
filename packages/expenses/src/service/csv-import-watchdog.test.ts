import { WORK_UNIT_STALLED_AFTER_MS, fixedClock } from '@budgeting/platform';
import { describe, expect, it, vi } from 'vitest';
import type { ImportRecord } from '../repository/import-jobs.repository';
import { CSV_IMPORT_JOB, IMPORT_WATCHDOG_JOB } from '../jobs/names';
import { importWatchdogJob } from '../jobs/import-watchdog-job';
import { CsvImportService } from './csv-import.service';

/**
 * The import's watchdog around the service, on fakes: queued before the record commits (so a
 * process dying right after the commit leaves it queued), its refusal neither fails nor stops
 * the import; a delivery re-arms one window and a minute after the
 * import last moved, ends when the import has ended, and fails it (through failStalled) when
 * stalled. The integration side (the local work queue, the event, redeliveries) is
 * tests/integration/expenses/import-watchdog.test.ts.
 */
const NOW = '2026-11-20T03:00:00.000Z';
const running = (updatedAt: string): ImportRecord => ({
  id: '01JDIMPORT00000000000000001',
  budgetId: 'b1',
  userId: 'u1',
  status: 'running',
  total: 4,
  processed: 2,
  imported: 2,
  duplicates: 0,
  matched: 0,
  errorCount: 0,
  errors: [],
  chunks: 2,
  createdAt: '2026-11-20T00:00:00.000Z',
  updatedAt,
});

function service(options: { refuse?: string; records?: (ImportRecord | undefined)[] } = {}) {
  const records = [...(options.records ?? [])];
  const jobs = {
    create: vi.fn(async () => undefined),
    fail: vi.fn(async () => undefined),
    get: vi.fn(async () => records.shift()),
    failStalled: vi.fn(async () => true),
    finishIfComplete: vi.fn(async () => undefined),
  };
  const enqueue = vi.fn(async (job: string, _units: unknown[], _tick: Date, _options?: { notBefore?: Date }) => {
    if (job === options.refuse) throw new Error('queue refused (test)');
  });
  const logger = { warn: vi.fn() };
  const budgets = { getAccess: async () => ({ role: 'owner', currency: 'USD', categories: [], budget: {} }), writeChecks: () => [{ ConditionCheck: {} }] };
  const deps = { imports: {}, jobs, rules: { all: async () => [] }, budgets, clock: fixedClock(NOW), work: { enqueue }, logger };
  return { svc: new CsvImportService(deps as unknown as ConstructorParameters<typeof CsvImportService>[0], { chunkRows: 1 }), jobs, enqueue, logger };
}
const file = { format: 'csv' as const, text: 'date,amount,category,description,merchant\n2026-11-01,1.00,,a,Shop\n2026-11-02,2.00,,b,Shop\n' };

describe('CsvImportService: the watchdog at start', () => {
  it('is queued once, before the record is created, due one window and a minute after the start', async () => {
    const { svc, enqueue, jobs } = service();
    jobs.create.mockImplementation(async () => {
      // Queued already when the record commits: a process dying right after the commit leaves it.
      expect(enqueue.mock.calls.map((c) => c[0])).toEqual([IMPORT_WATCHDOG_JOB]);
      return undefined;
    });
    const record = await svc.start('b1', 'u1', file);
    expect(record.status).toBe('queued');
    expect(jobs.create).toHaveBeenCalledOnce();
    expect(enqueue.mock.calls.map((c) => c[0])).toEqual([IMPORT_WATCHDOG_JOB, CSV_IMPORT_JOB]);
    const [, units, , options] = enqueue.mock.calls[0]!;
    expect(units).toEqual([{ budgetId: 'b1', importId: record.id }]);
    expect(options?.notBefore?.toISOString()).toBe('2026-11-20T04:16:00.000Z'); // 03:00 + 75 + 1 minutes
    expect(jobs.fail).not.toHaveBeenCalled();
  });

  it('refused: the import goes on (not failed), and the refusal is logged', async () => {
    const { svc, enqueue, jobs, logger } = service({ refuse: IMPORT_WATCHDOG_JOB });
    const record = await svc.start('b1', 'u1', file);
    expect(record.status).toBe('queued');
    expect(enqueue).toHaveBeenCalledTimes(2);
    expect(jobs.fail).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledOnce();
  });

  it('queued before chunks that could not be (the import is failed at once: its watch ends when due), not for an import with nothing to queue', async () => {
    const failed: ImportRecord = { ...running('2026-11-20T03:00:00.000Z'), status: 'failed', processed: 0, imported: 0, failureCode: 'not-started' };
    const refused = service({ refuse: CSV_IMPORT_JOB, records: [failed] });
    // The record as stored after the failure (what GET shows), not the one created.
    expect(await refused.svc.start('b1', 'u1', file)).toBe(failed);
    expect(refused.jobs.fail).toHaveBeenCalledOnce();
    // The refusal is the operators' (logged), never the reason's words (members, pushes and webhooks read the reason).
    expect(JSON.stringify(refused.jobs.fail.mock.calls)).not.toContain('queue refused');
    expect(refused.logger.warn).toHaveBeenCalledWith('import not started: its units could not be queued', expect.objectContaining({ budgetId: 'b1', error: expect.objectContaining({ message: 'queue refused (test)' }) }));
    expect(refused.enqueue.mock.calls.map((c) => c[0])).toEqual([IMPORT_WATCHDOG_JOB, CSV_IMPORT_JOB]);

    const empty = service();
    const record = await empty.svc.start('b1', 'u1', { format: 'csv', text: 'date,amount,category,description,merchant\n' });
    expect(record.status).toBe('succeeded');
    expect(empty.enqueue).not.toHaveBeenCalled();
  });
});

describe('CsvImportService.watch', () => {
  it('re-arms an import still moving, due one window and a minute after its last move', async () => {
    const moved = '2026-11-20T02:30:00.000Z';
    const { svc, enqueue, jobs } = service({ records: [running(moved)] });
    expect(await svc.watch({ budgetId: 'b1', importId: running(moved).id })).toBe('rearmed');
    expect(jobs.failStalled).not.toHaveBeenCalled();
    expect(enqueue).toHaveBeenCalledOnce();
    const [job, units, , options] = enqueue.mock.calls[0]!;
    expect(job).toBe(IMPORT_WATCHDOG_JOB);
    expect(units).toEqual([{ budgetId: 'b1', importId: running(moved).id }]);
    expect(options?.notBefore?.toISOString()).toBe('2026-11-20T03:46:00.000Z');
  });

  it('fails a stalled import (the read path rule: more than the window since it moved) and ends', async () => {
    const seen = running(new Date(Date.parse(NOW) - WORK_UNIT_STALLED_AFTER_MS - 1).toISOString());
    const { svc, enqueue, jobs } = service({ records: [seen, { ...seen, status: 'failed', finishedAt: NOW }] });
    expect(await svc.watch({ budgetId: 'b1', importId: seen.id })).toBe('ended');
    expect(jobs.failStalled).toHaveBeenCalledExactlyOnceWith(seen, expect.stringMatching(/^the import stalled: nothing moved for 75 minutes/), new Date(NOW));
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('exactly the window since the last move is not stalled yet: re-armed', async () => {
    const seen = running(new Date(Date.parse(NOW) - WORK_UNIT_STALLED_AFTER_MS).toISOString());
    const { svc, enqueue, jobs } = service({ records: [seen] });
    expect(await svc.watch({ budgetId: 'b1', importId: seen.id })).toBe('rearmed');
    expect(jobs.failStalled).not.toHaveBeenCalled();
    expect(enqueue.mock.calls[0]![3]?.notBefore?.toISOString()).toBe('2026-11-20T03:01:00.000Z');
  });

  it('an import left open past its window (its stall write refused, read back unmoved) is watched again a minute later, not at once', async () => {
    const seen = running('2026-11-20T00:30:00.000Z');
    const { svc, enqueue, jobs } = service({ records: [seen, seen] });
    jobs.failStalled.mockResolvedValueOnce(false);
    expect(await svc.watch({ budgetId: 'b1', importId: seen.id })).toBe('rearmed');
    expect(jobs.failStalled).toHaveBeenCalledOnce();
    expect(enqueue.mock.calls[0]![3]?.notBefore?.toISOString()).toBe('2026-11-20T03:01:00.000Z');
  });

  it('ends, writing nothing, for an import that ended or is gone', async () => {
    for (const record of [{ ...running(NOW), status: 'succeeded' as const, finishedAt: NOW }, { ...running(NOW), status: 'failed' as const, finishedAt: NOW }, undefined]) {
      const { svc, enqueue, jobs } = service({ records: [record] });
      expect(await svc.watch({ budgetId: 'b1', importId: 'i' })).toBe('ended');
      expect(enqueue).not.toHaveBeenCalled();
      expect(jobs.failStalled).not.toHaveBeenCalled();
      expect(jobs.fail).not.toHaveBeenCalled();
    }
  });

  it('a refused re-arm fails the delivery (the queue delivers it again)', async () => {
    const { svc } = service({ records: [running(NOW)], refuse: IMPORT_WATCHDOG_JOB });
    await expect(svc.watch({ budgetId: 'b1', importId: 'i' })).rejects.toThrow(/queue refused/);
  });
});

describe('importWatchdogJob.parseUnit', () => {
  it('takes a budget and an import, and refuses anything else', async () => {
    const job = importWatchdogJob({} as CsvImportService);
    expect(await job.parseUnit({ budgetId: 'b1', importId: 'i1', extra: 1 })).toEqual({ budgetId: 'b1', importId: 'i1' });
    for (const raw of [null, {}, { budgetId: 'b1' }, { budgetId: 1, importId: 'i1' }]) expect(() => job.parseUnit(raw)).toThrow(/budgetId and importId/);
  });
});
