import { WORK_UNIT_STALLED_AFTER_MS, fixedClock } from '@budgeting/platform';
import { describe, expect, it, vi } from 'vitest';
import type { RenameRecord } from '../repository/merchant-renames.repository';
import { MERCHANT_RENAME_JOB, MERCHANT_RENAME_WATCHDOG_JOB } from '../jobs/names';
import { merchantRenameWatchdogJob } from '../jobs/merchant-rename-watchdog-job';
import { MerchantRenameService } from './merchant-rename.service';

/**
 * The merchant rename's watchdog and stall rule around the service, on fakes: queued after
 * unit 0, its refusal neither fails the rename nor stops it; a delivery fails a stalled rename
 * through failStalled (with the message saying renaming again is safe) and ends, re-arms one
 * still moving. The shared piece is platform jobs/job-watchdog.test.ts; the integration side
 * tests/integration/expenses/merchant-rename-watchdog.test.ts and merchant-rename-stalled.test.ts.
 */
const NOW = '2026-11-20T03:00:00.000Z';
const running = (updatedAt: string): RenameRecord => ({
  id: '01JDRENAME00000000000000001',
  budgetId: 'b1',
  userId: 'u1',
  status: 'running',
  from: ['AMZN'],
  to: 'Amazon',
  examined: 3,
  renamed: 2,
  createdAt: '2026-11-20T00:00:00.000Z',
  updatedAt,
});

function service(options: { refuse?: string; records?: (RenameRecord | undefined)[] } = {}) {
  const records = [...(options.records ?? [])];
  const renames = {
    create: vi.fn(async (_record: RenameRecord, _alsoWrite?: unknown[]) => undefined),
    fail: vi.fn(async () => undefined),
    get: vi.fn(async () => records.shift()),
    failStalled: vi.fn(async () => true),
  };
  const enqueue = vi.fn(async (job: string, _units: unknown[], _tick: Date, _options?: { notBefore?: Date }) => {
    if (job === options.refuse) throw new Error('queue refused (test)');
  });
  const logger = { warn: vi.fn() };
  const budgets = { getAccess: async () => ({ role: 'editor', currency: 'USD', categories: [], budget: {} }), writeChecks: () => [{ ConditionCheck: {} }] };
  // Unit 0 is an item of the record's transaction (the stream relay queues it): handed to create.
  const queueUnit = vi.fn((job: string, unit: unknown) => ({ Put: { Item: { job, unit } } }));
  const deps = { renames, queries: {}, expenses: {}, budgets, clock: fixedClock(NOW), work: { enqueue }, queueUnit, logger };
  return { svc: new MerchantRenameService(deps as unknown as ConstructorParameters<typeof MerchantRenameService>[0]), renames, enqueue, logger };
}
const input = { from: ['AMZN'], to: 'Amazon' };

describe('MerchantRenameService: the watchdog at start', () => {
  it('is queued once, after the record and its unit 0 (one transaction), due one window and a minute after the start', async () => {
    const { svc, enqueue, renames } = service();
    const record = await svc.start('b1', 'u1', input);
    // Unit 0 goes with the record, never through the queue from the request; so does the starter's membership check.
    expect(renames.create.mock.calls).toEqual([[record, [{ Put: { Item: { job: MERCHANT_RENAME_JOB, unit: { budgetId: 'b1', renameId: record.id, n: 0 } } } }], { ConditionCheck: {} }]]);
    expect(enqueue.mock.calls.map((c) => c[0])).toEqual([MERCHANT_RENAME_WATCHDOG_JOB]);
    const [, units, , options] = enqueue.mock.calls[0]!;
    expect(units).toEqual([{ budgetId: 'b1', renameId: record.id }]);
    expect(options?.notBefore?.toISOString()).toBe('2026-11-20T04:16:00.000Z'); // 03:00 + 75 + 1 minutes
    expect(renames.fail).not.toHaveBeenCalled();
  });

  it('refused: the rename goes on (not failed), and the refusal is logged', async () => {
    const { svc, renames, logger } = service({ refuse: MERCHANT_RENAME_WATCHDOG_JOB });
    expect((await svc.start('b1', 'u1', input)).status).toBe('queued');
    expect(renames.fail).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledOnce();
  });
});

describe('MerchantRenameService.watch and the stall rule', () => {
  it('re-arms a rename still moving, due one window and a minute after its last move', async () => {
    const moved = '2026-11-20T02:30:00.000Z';
    const { svc, enqueue, renames } = service({ records: [running(moved)] });
    expect(await svc.watch({ budgetId: 'b1', renameId: running(moved).id })).toBe('rearmed');
    expect(renames.failStalled).not.toHaveBeenCalled();
    const [job, units, , options] = enqueue.mock.calls[0]!;
    expect(job).toBe(MERCHANT_RENAME_WATCHDOG_JOB);
    expect(units).toEqual([{ budgetId: 'b1', renameId: running(moved).id }]);
    expect(options?.notBefore?.toISOString()).toBe('2026-11-20T03:46:00.000Z');
  });

  it('fails a stalled rename (more than the window since it moved), saying renaming again is safe, and ends', async () => {
    const seen = running(new Date(Date.parse(NOW) - WORK_UNIT_STALLED_AFTER_MS - 1).toISOString());
    const { svc, enqueue, renames } = service({ records: [seen, { ...seen, status: 'failed', finishedAt: NOW }] });
    expect(await svc.watch({ budgetId: 'b1', renameId: seen.id })).toBe('ended');
    expect(renames.failStalled).toHaveBeenCalledExactlyOnceWith(
      seen,
      expect.stringMatching(/^the rename stalled: nothing moved for 75 minutes .*renaming again is safe: it only renames what still matches$/),
      new Date(NOW),
    );
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('GET applies the same rule: exactly the window is still running, nothing written', async () => {
    const seen = running(new Date(Date.parse(NOW) - WORK_UNIT_STALLED_AFTER_MS).toISOString());
    const { svc, renames } = service({ records: [seen] });
    expect(await svc.get('b1', 'u1', seen.id)).toEqual(seen);
    expect(renames.failStalled).not.toHaveBeenCalled();
  });

  it('ends, writing nothing, for a rename that ended or is gone', async () => {
    for (const record of [{ ...running(NOW), status: 'succeeded' as const, finishedAt: NOW }, { ...running(NOW), status: 'failed' as const, finishedAt: NOW }, undefined]) {
      const { svc, enqueue, renames } = service({ records: [record] });
      expect(await svc.watch({ budgetId: 'b1', renameId: 'r' })).toBe('ended');
      expect(enqueue).not.toHaveBeenCalled();
      expect(renames.failStalled).not.toHaveBeenCalled();
    }
  });
});

describe('merchantRenameWatchdogJob.parseUnit', () => {
  it('takes a budget and a rename, and refuses anything else', async () => {
    const job = merchantRenameWatchdogJob({} as MerchantRenameService);
    expect(await job.parseUnit({ budgetId: 'b1', renameId: 'r1', n: 0 })).toEqual({ budgetId: 'b1', renameId: 'r1' });
    for (const raw of [null, {}, { budgetId: 'b1' }, { budgetId: 'b1', importId: 'r1' }]) expect(() => job.parseUnit(raw)).toThrow(/budgetId and renameId/);
  });
});

describe('MerchantRenameService.failUnit (a page that failed every attempt)', () => {
  it("fails the rename saying which page and what to do, never the error's own words (the runner logged them)", async () => {
    const { svc, renames } = service();
    const aws = new Error('User: arn:aws:sts::123456789012:assumed-role/budgeting-production-FunctionRole/fn is not authorized to perform: dynamodb:TransactWriteItems on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/budgeting-production-Table');
    await svc.failUnit({ budgetId: 'b1', renameId: 'r1', n: 2 }, aws);
    expect(renames.fail).toHaveBeenCalledWith(
      'b1',
      'r1',
      "page 3 of the budget's expenses failed every attempt (an error on our side, logged for the operators); expenses renamed before stay, renaming again does only the rest",
      new Date(NOW),
      'part-failed',
    );
  });
});
