import { createLogger, deleteInSteps, deleteInStepsJob, type Key } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';

/**
 * The bounded deleting of cascades (platform jobs/delete-in-steps.ts) against an in-memory
 * store and a fake clock on which each BatchWriteItem request takes a fixed time: it starts no
 * step that would end past the deadline, and repeated calls (the re-queued units) finish.
 */
function fakeTable(count: number, msPerRequest: number, msPerSlice = 0) {
  const clock = { now: 0 };
  const left = new Map<string, Key>();
  for (let i = 0; i < count; i++) left.set(`k${i}`, { pk: 'm#p', sk: `k${i}` });
  const requests: number[] = [];
  const store = {
    async batchDelete(keys: Key[]) {
      requests.push(keys.length);
      keys.forEach((k) => left.delete(k.sk));
      clock.now += msPerRequest;
    },
  };
  const slice = async () => {
    clock.now += msPerSlice;
    return [...left.values()].slice(0, 1_000);
  };
  return { clock, left, requests, store, slice, now: () => clock.now };
}

describe('deleteInSteps', () => {
  it('deletes everything when there is no deadline, in requests of at most 25 keys', async () => {
    const t = fakeTable(2_345, 1);
    expect(await deleteInSteps(t.store, t.slice, Number.POSITIVE_INFINITY, t.now)).toEqual({ deleted: 2_345, finished: true });
    expect(t.left.size).toBe(0);
    expect(Math.max(...t.requests)).toBe(25);
    expect(t.requests).toHaveLength(Math.ceil(2_345 / 25));
  });

  it('ends every call inside its time budget, and later calls finish what is left', async () => {
    const t = fakeTable(10_000, 30); // a 100-key step (4 requests) takes 120 ms
    const budgetMs = 1_000;
    let calls = 0;
    let deleted = 0;
    for (let finished = false; !finished; calls++) {
      const started = t.clock.now;
      const out = await deleteInSteps(t.store, t.slice, started + budgetMs, t.now);
      expect(t.clock.now - started).toBeLessThanOrEqual(budgetMs);
      expect(out.deleted).toBeGreaterThan(0);
      deleted += out.deleted;
      finished = out.finished;
    }
    expect(deleted).toBe(10_000);
    expect(t.left.size).toBe(0);
    // A step starts only while one twice as slow would still end in time (start <= 759 ms):
    // 7 steps, 700 keys a call, so 15 calls.
    expect(calls).toBe(15);
  });

  it('deletes at least one step per call when the table is too slow for the budget, so the job never stalls', async () => {
    const t = fakeTable(250, 100, 700); // reading a slice alone takes most of the 1 s budget
    const calls: number[] = [];
    for (let finished = false; !finished; ) {
      const out = await deleteInSteps(t.store, t.slice, t.clock.now + 1_000, t.now);
      calls.push(out.deleted);
      finished = out.finished;
    }
    expect(calls).toEqual([100, 100, 50, 0]);
    expect(t.left.size).toBe(0);
  });
});

describe('deleteInStepsJob', () => {
  const logger = createLogger('SILENT');
  const unitOf = (budgetId: string) => ({ budgetId });

  function job(t: ReturnType<typeof fakeTable>, before?: () => Promise<{ deleted: number; finished: boolean } | void>) {
    return deleteInStepsJob<{ budgetId: string }>({
      name: 'test-cleanup',
      store: t.store,
      slice: async (_unit, limit) => (await t.slice()).slice(0, limit),
      ...(before ? { before } : {}),
      logMessage: 'test data deleted',
      unit: { what: 'test cleanup', fields: ['budgetId'] },
      now: t.now,
    });
  }

  it('queues the same unit again until everything is deleted', async () => {
    const t = fakeTable(3_000, 30);
    const cleanup = job(t);
    const outcomes = [];
    for (let unit: { budgetId: string } | undefined = unitOf('b1'); unit; ) {
      const out = await cleanup.work(unit, new Date(0), { logger, deadline: t.clock.now + 1_000 });
      outcomes.push(out);
      unit = out?.again;
    }
    expect(t.left.size).toBe(0);
    expect(outcomes.length).toBeGreaterThan(1);
    expect(outcomes.slice(0, -1).every((o) => o?.again?.budgetId === 'b1')).toBe(true);
    expect(outcomes.reduce((sum, o) => sum + (o?.done ?? 0), 0)).toBe(3_000);
  });

  it('touches no item while its first step is unfinished, and queues the unit again', async () => {
    const t = fakeTable(10, 1);
    const out = await job(t, async () => ({ deleted: 7, finished: false })).work(unitOf('b1'), new Date(0), { logger, deadline: Number.POSITIVE_INFINITY });
    expect(out).toEqual({ done: 7, again: { budgetId: 'b1' } });
    expect(t.left.size).toBe(10);
  });

  it('refuses a unit without every id, and keeps only the ids of one that has them', async () => {
    const cleanup = job(fakeTable(0, 1));
    for (const raw of [null, 'b1', {}, { budgetId: '' }, { budgetId: 7 }]) {
      expect(() => cleanup.parseUnit(raw)).toThrow('test cleanup unit needs budgetId');
    }
    expect(await cleanup.parseUnit({ budgetId: 'b1', extra: 'x' })).toEqual({ budgetId: 'b1' });
  });
});
