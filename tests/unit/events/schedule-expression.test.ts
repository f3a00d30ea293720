import { describe, expect, it, vi, afterEach } from 'vitest';
import { parseSchedule, ScheduleExpressionError } from '../../../packages/app/src/local/events-schedule-expression';
import { startLocalScheduler } from '../../../packages/app/src/local/events-scheduler';
import { recordingLogger } from './recording-logger';

const next = (expr: string, after: string, origin?: string) =>
  parseSchedule(expr, origin ? new Date(origin) : undefined).next(new Date(after)).toISOString();

describe('schedule expressions (EventBridge syntax, UTC)', () => {
  it('rate() fires every period counted from the origin', () => {
    expect(next('rate(5 minutes)', '2026-11-24T12:03:00Z', '2026-11-24T12:00:00Z')).toBe('2026-11-24T12:05:00.000Z');
    expect(next('rate(5 minutes)', '2026-11-24T12:05:00Z', '2026-11-24T12:00:00Z')).toBe('2026-11-24T12:10:00.000Z');
    expect(next('rate(1 day)', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z')).toBe('2026-11-25T12:00:00.000Z');
  });

  it('cron() finds the next matching minute', () => {
    expect(next('cron(5 0 * * ? *)', '2026-11-24T12:00:00Z')).toBe('2026-11-25T00:05:00.000Z');
    expect(next('cron(0/15 * * * ? *)', '2026-11-24T12:07:30Z')).toBe('2026-11-24T12:15:00.000Z');
    expect(next('cron(0 9 ? * MON-FRI *)', '2026-11-27T10:00:00Z')).toBe('2026-11-30T09:00:00.000Z'); // Fri -> Mon
    expect(next('cron(0 0 1 * ? *)', '2026-11-24T00:00:00Z')).toBe('2026-12-01T00:00:00.000Z');
    expect(next('cron(30 6 ? * 1 *)', '2026-11-24T00:00:00Z')).toBe('2026-11-29T06:30:00.000Z'); // 1 = Sunday
    expect(next('cron(0 12 29 FEB ? *)', '2026-11-24T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(next('cron(0 0 1 1 ? 2027,2030)', '2027-01-01T00:00:00Z')).toBe('2030-01-01T00:00:00.000Z');
  });

  it('refuses what EventBridge refuses, or what is not supported locally, with the reason', () => {
    expect(() => parseSchedule('rate(1 minutes)')).toThrow(/use "minute" for 1/);
    expect(() => parseSchedule('rate(2 hour)')).toThrow(/use "hours" for 2/);
    expect(() => parseSchedule('cron(0 12 * * *)')).toThrow(/6 fields/);
    expect(() => parseSchedule('cron(0 12 * * * *)')).toThrow(/exactly one of day-of-month and day-of-week/);
    expect(() => parseSchedule('cron(0 12 L * ? *)')).toThrow(/L, W and # are not supported/);
    expect(() => parseSchedule('cron(0 25 * * ? *)')).toThrow(/hours: "25" is not in 0-23/);
    expect(() => parseSchedule('at(2026-01-01T00:00:00)')).toThrow(ScheduleExpressionError);
  });
});

describe('local scheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('runs each SCHEDULES job at its times and skips a run while the previous one is going', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T12:00:30Z') });
    const runs: string[] = [];
    let release!: () => void;
    const logger = recordingLogger();
    const scheduler = startLocalScheduler({
      rows: [
        { name: 'quick', module: 'budgets', schedule: 'cron(* * * * ? *)' },
        { name: 'slow', module: 'expenses', schedule: 'rate(1 minute)' },
        { name: 'missing', module: 'users', schedule: 'rate(1 hour)' },
      ],
      jobs: [
        { name: 'quick', schedule: 'cron(* * * * ? *)', run: async (t) => void runs.push(`quick ${t.toISOString()}`) },
        {
          name: 'slow',
          schedule: 'rate(1 minute)',
          run: (t) => {
            runs.push(`slow ${t.toISOString()}`);
            return new Promise<void>((r) => (release = r));
          },
        },
      ],
      logger,
    });
    expect(scheduler.nextRuns()).toEqual({ quick: '2026-11-24T12:01:00.000Z', slow: '2026-11-24T12:01:30.000Z' });
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(runs).toEqual([
      'quick 2026-11-24T12:01:00.000Z',
      'slow 2026-11-24T12:01:30.000Z',
      'quick 2026-11-24T12:02:00.000Z',
    ]);
    expect(logger.entries.some((e) => e.message === 'scheduled run skipped: the previous run is still going')).toBe(true);
    release();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.filter((r) => r.startsWith('slow'))).toEqual(['slow 2026-11-24T12:01:30.000Z', 'slow 2026-11-24T12:03:30.000Z']);
    expect(logger.entries.some((e) => e.level === 'error' && e.attributes.job === 'missing')).toBe(true);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toHaveLength(5);
  });
});
