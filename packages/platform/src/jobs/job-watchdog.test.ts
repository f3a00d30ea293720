import { describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../clock';
import { JobWatchdog, WATCHDOG_MARGIN_MS, isStalled, stallMinutes, watchdogDueAt, watchdogJob, type WatchedRecord } from './job-watchdog';

/**
 * The job watchdog shared by the CSV import and the merchant rename, on fakes (no module, no
 * queue): the stall rule's edge, the due instant, arming that never throws, the re-arm-or-end
 * decision and the job's unit parsing. Every expected instant is written out by hand.
 */
const WINDOW = 75 * 60_000;
const NOW = '2026-11-20T03:00:00.000Z';
const open = (status: string, updatedAt: string): WatchedRecord => ({ status, updatedAt });

type Unit = { budgetId: string; thingId: string };

function watchdog(options: { refuse?: boolean } = {}) {
  const enqueue = vi.fn(async (_job: string, _units: unknown[], _tick: Date, _options?: { notBefore?: Date }) => {
    if (options.refuse) throw new Error('queue refused (test)');
  });
  const logger = { warn: vi.fn() };
  const dog = new JobWatchdog<Unit>({ job: 'thing-watchdog', watched: 'thing', work: { enqueue }, clock: fixedClock(NOW), stalledAfterMs: WINDOW, logger });
  return { dog, enqueue, logger };
}

describe('isStalled', () => {
  it('is more than the window since the last move, while queued or running', () => {
    // 01:45 is exactly 75 minutes before 03:00.
    expect(isStalled(open('running', '2026-11-20T01:45:00.000Z'), new Date(NOW), WINDOW)).toBe(false);
    expect(isStalled(open('running', '2026-11-20T01:44:59.999Z'), new Date(NOW), WINDOW)).toBe(true);
    expect(isStalled(open('queued', '2026-11-20T01:00:00.000Z'), new Date(NOW), WINDOW)).toBe(true);
  });

  it('never for a job that ended, however old', () => {
    for (const status of ['succeeded', 'failed']) expect(isStalled(open(status, '2026-11-01T00:00:00.000Z'), new Date(NOW), WINDOW)).toBe(false);
  });

  it('says the window in minutes', () => {
    expect(stallMinutes(WINDOW)).toBe(75);
  });
});

describe('watchdogDueAt', () => {
  it('is one window and the margin after the last move', () => {
    expect(WATCHDOG_MARGIN_MS).toBe(60_000);
    expect(watchdogDueAt('2026-11-20T02:30:00.000Z', new Date(NOW), WINDOW).toISOString()).toBe('2026-11-20T03:46:00.000Z');
  });

  it('is never sooner than a minute from now (a job left open past its window is not watched in a loop)', () => {
    expect(watchdogDueAt('2026-11-20T00:30:00.000Z', new Date(NOW), WINDOW).toISOString()).toBe('2026-11-20T03:01:00.000Z');
  });
});

describe('JobWatchdog.arm', () => {
  it('queues one unit of the watchdog job, held until due', async () => {
    const { dog, enqueue } = watchdog();
    await dog.arm({ budgetId: 'b1', thingId: 't1' }, open('queued', NOW));
    expect(enqueue).toHaveBeenCalledOnce();
    const [job, units, tick, options] = enqueue.mock.calls[0]!;
    expect(job).toBe('thing-watchdog');
    expect(units).toEqual([{ budgetId: 'b1', thingId: 't1' }]);
    expect(tick.toISOString()).toBe(NOW);
    expect(options?.notBefore?.toISOString()).toBe('2026-11-20T04:16:00.000Z');
  });

  it('refused: logged with the unit, not thrown (the job goes on)', async () => {
    const { dog, logger } = watchdog({ refuse: true });
    await expect(dog.arm({ budgetId: 'b1', thingId: 't1' }, open('queued', NOW))).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith('thing watchdog not queued; a read of the thing still fails it once stalled', {
      budgetId: 'b1',
      thingId: 't1',
      error: 'queue refused (test)',
    });
  });
});

describe('JobWatchdog.watch', () => {
  const unit = { budgetId: 'b1', thingId: 't1' };

  it('re-arms a job still open, due one window and the margin after its last move as read', async () => {
    const { dog, enqueue } = watchdog();
    expect(await dog.watch(unit, async () => open('running', '2026-11-20T02:30:00.000Z'))).toBe('rearmed');
    expect(enqueue).toHaveBeenCalledOnce();
    expect(enqueue.mock.calls[0]![1]).toEqual([unit]);
    expect(enqueue.mock.calls[0]![3]?.notBefore?.toISOString()).toBe('2026-11-20T03:46:00.000Z');
  });

  it('ends, queuing nothing, for a job that ended or is gone', async () => {
    for (const record of [open('succeeded', NOW), open('failed', NOW), undefined]) {
      const { dog, enqueue } = watchdog();
      expect(await dog.watch(unit, async () => record)).toBe('ended');
      expect(enqueue).not.toHaveBeenCalled();
    }
  });

  it('a refused re-arm fails the delivery (the queue delivers it again)', async () => {
    const { dog, logger } = watchdog({ refuse: true });
    await expect(dog.watch(unit, async () => open('running', NOW))).rejects.toThrow(/queue refused/);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});

describe('watchdogJob', () => {
  it('keeps only the named string fields of a unit, and refuses a unit without them', async () => {
    const job = watchdogJob<Unit>({ name: 'thing-watchdog', watched: 'thing', fields: ['budgetId', 'thingId'], watch: async () => 'ended' });
    expect(job.name).toBe('thing-watchdog');
    expect(job.schedule).toBeUndefined();
    expect(await job.parseUnit({ budgetId: 'b1', thingId: 't1', extra: 1 })).toEqual({ budgetId: 'b1', thingId: 't1' });
    for (const raw of [null, 'b1', {}, { budgetId: 'b1' }, { budgetId: 'b1', thingId: 2 }]) {
      expect(() => job.parseUnit(raw)).toThrow('thing watchdog unit needs budgetId and thingId');
    }
  });

  it('counts a watch that ended as done, a re-armed one not', async () => {
    const watch = vi.fn(async (_unit: Unit): Promise<'ended' | 'rearmed'> => 'ended');
    watch.mockResolvedValueOnce('ended').mockResolvedValueOnce('rearmed');
    const job = watchdogJob<Unit>({ name: 'thing-watchdog', watched: 'thing', fields: ['budgetId', 'thingId'], watch });
    const ctx = { deadline: Date.now() + 1000 } as Parameters<typeof job.work>[2];
    expect(await job.work(unit(), new Date(NOW), ctx)).toEqual({ done: 1 });
    expect(await job.work(unit(), new Date(NOW), ctx)).toEqual({ done: 0 });
    expect(watch).toHaveBeenCalledWith(unit());
  });
});

function unit(): Unit {
  return { budgetId: 'b1', thingId: 't1' };
}
