import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASYNC_INVOCATION_RETRIES } from '@budgeting/platform';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { jobForRule } from '../../../packages/app/src/lambda/dispatch';
import { readDeadLetters } from '../../../packages/app/src/local/dead-letters';
import { parseRate, ScheduleExpressionError } from '@budgeting/app/wiring';
import { startLocalScheduler } from '../../../packages/app/src/local/events-scheduler';
import { recordingLogger } from './recording-logger';

describe('schedule expressions (EventBridge rate syntax)', () => {
  it('reads the period of a rate', () => {
    expect(parseRate('rate(1 minute)')).toEqual({ expression: 'rate(1 minute)', periodMs: 60_000 });
    expect(parseRate('rate(5 minutes)').periodMs).toBe(300_000);
    expect(parseRate('rate(1 hour)').periodMs).toBe(3_600_000);
    expect(parseRate('rate(2 days)').periodMs).toBe(172_800_000);
  });

  it('refuses what EventBridge refuses, and cron(), which the local scheduler cannot run, with the reason', () => {
    expect(() => parseRate('rate(1 minutes)')).toThrow(/use "minute" for 1/);
    expect(() => parseRate('rate(2 hour)')).toThrow(/use "hours" for 2/);
    expect(() => parseRate('rate(0 hours)')).toThrow(/positive integer/);
    expect(() => parseRate('rate(1 week)')).toThrow(/expected rate/);
    expect(() => parseRate('rate(-1 hour)')).toThrow(ScheduleExpressionError);
    expect(() => parseRate('cron(5 0 * * ? *)')).toThrow(/expected rate/);
    expect(() => parseRate('at(2026-01-01T00:00:00)')).toThrow(ScheduleExpressionError);
  });
});

describe('local scheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('runs each SCHEDULES job every period from its start and skips a run while the previous one is going', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T12:00:30Z') });
    const runs: string[] = [];
    let release!: () => void;
    const logger = recordingLogger();
    const scheduler = startLocalScheduler({
      rows: [
        { name: 'quick', module: 'budgets', schedule: 'rate(1 minute)' },
        { name: 'slow', module: 'expenses', schedule: 'rate(2 minutes)' },
        { name: 'missing', module: 'users', schedule: 'rate(1 hour)' },
        { name: 'bad', module: 'users', schedule: 'cron(* * * * ? *)' },
      ],
      jobs: [
        { name: 'quick', schedule: 'rate(1 minute)', run: async (t) => void runs.push(`quick ${t.toISOString()}`) },
        {
          name: 'slow',
          schedule: 'rate(2 minutes)',
          run: (t) => {
            runs.push(`slow ${t.toISOString()}`);
            return new Promise<void>((r) => (release = r));
          },
        },
        { name: 'bad', schedule: 'cron(* * * * ? *)', run: async () => void runs.push('bad') },
      ],
      logger,
    });
    expect(scheduler.nextRuns()).toEqual({ quick: '2026-11-24T12:01:30.000Z', slow: '2026-11-24T12:02:30.000Z' });
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(runs).toEqual([
      'quick 2026-11-24T12:01:30.000Z',
      'slow 2026-11-24T12:02:30.000Z',
      'quick 2026-11-24T12:02:30.000Z',
      'quick 2026-11-24T12:03:30.000Z',
      'quick 2026-11-24T12:04:30.000Z',
    ]);
    // 12:04:30: slow was still running its 12:02:30 run.
    expect(logger.entries.some((e) => e.message === 'scheduled run skipped: the previous run is still going')).toBe(true);
    release();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(runs.filter((r) => r.startsWith('slow'))).toEqual(['slow 2026-11-24T12:02:30.000Z', 'slow 2026-11-24T12:06:30.000Z']);
    expect(logger.entries.some((e) => e.level === 'error' && e.attributes.job === 'missing')).toBe(true);
    expect(logger.entries.some((e) => e.message === 'schedule not started' && e.attributes.job === 'bad')).toBe(true);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toHaveLength(8);
  });

  it("retries a failed run as Lambda retries a schedule's invocation (the function's 2 retries), then parks its Scheduled Event in the dead-letter folder", async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T12:00:30Z') });
    const dir = mkdtempSync(join(tmpdir(), 'schedule-dead-letters-'));
    const runs: string[] = [];
    let flaky = 0;
    const scheduler = startLocalScheduler({
      rows: [
        { name: 'flaky', module: 'budgets', schedule: 'rate(1 hour)' },
        { name: 'broken', module: 'expenses', schedule: 'rate(1 hour)' },
      ],
      jobs: [
        {
          name: 'flaky',
          schedule: 'rate(1 hour)',
          run: async (t) => {
            runs.push(`flaky ${t.toISOString()}`);
            if (++flaky <= 2) throw new Error('the table is unavailable');
          },
        },
        {
          name: 'broken',
          schedule: 'rate(1 hour)',
          run: async (t) => {
            runs.push(`broken ${t.toISOString()}`);
            throw new Error('always broken');
          },
        },
      ],
      logger: recordingLogger(),
      deadLetterDir: dir,
    });
    await vi.advanceTimersByTimeAsync(60 * 60_000 + 30_000);
    const tick = '2026-11-24T13:00:30.000Z';
    // Each attempt as of the same scheduled time (the event's `time`).
    expect(runs.filter((r) => r.startsWith('flaky'))).toEqual(Array.from({ length: 3 }, () => `flaky ${tick}`));
    expect(runs.filter((r) => r.startsWith('broken'))).toEqual(Array.from({ length: 1 + ASYNC_INVOCATION_RETRIES }, () => `broken ${tick}`));
    expect(readDeadLetters(dir)).toMatchObject([
      { kind: 'event', rule: 'broken', error: 'always broken', attempts: 1 + ASYNC_INVOCATION_RETRIES, event: { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-11-24T13:00:30Z' } },
    ]);
    // What the deployed function dispatches on: the rule's name ends with the job's.
    const resources = readDeadLetters(dir).flatMap((l) => (l.kind === 'event' ? l.event.resources : []));
    expect(jobForRule([{ name: 'broken', schedule: 'rate(1 hour)', run: async () => {} }], resources)?.name).toBe('broken');
    scheduler.stop();
  });

  it('after the process stood still past several runs (a machine asleep), runs once as of the latest, not every missed run back to back', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T12:00:30Z') });
    const runs: string[] = [];
    const scheduler = startLocalScheduler({
      rows: [{ name: 'quick', module: 'budgets', schedule: 'rate(1 minute)' }],
      jobs: [{ name: 'quick', schedule: 'rate(1 minute)', run: async (t) => void runs.push(t.toISOString()) }],
      logger: recordingLogger(),
    });
    // The wall clock moves on ten minutes while no timer runs (setSystemTime fires none), then
    // the first timer fires, ten minutes late.
    vi.setSystemTime(new Date('2026-11-24T12:11:00Z'));
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.advanceTimersByTimeAsync(1_000);
    // EventBridge delivers each run at its time and never a missed one later: the stand-in runs
    // the run due last (12:11:30, the wall clock now 12:12:01) and goes on from the next.
    expect(runs).toEqual(['2026-11-24T12:11:30.000Z']);
    expect(scheduler.nextRuns()).toEqual({ quick: '2026-11-24T12:12:30.000Z' });
    scheduler.stop();
  });
});
