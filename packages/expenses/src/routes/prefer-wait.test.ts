import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportRecord } from '../repository/import-jobs.repository';
import { preferredWaitSeconds, waitForJob, waitMs } from './prefer-wait';

const state = (status: ImportRecord['status']) => ({ status }) as ImportRecord;

describe('Prefer: wait', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('reads the wait preference among others, capped at 25 s', () => {
    expect(preferredWaitSeconds('respond-async, wait=7')).toBe(7);
    expect(preferredWaitSeconds('wait=600')).toBe(25);
    expect(preferredWaitSeconds('return=minimal')).toBeUndefined();
  });

  it('answers the finished import as soon as a read sees it', async () => {
    let reads = 0;
    const read = async () => state(++reads < 4 ? 'running' : 'succeeded');
    const done = waitForJob(read, 25_000);
    await vi.runAllTimersAsync();
    expect((await done)?.status).toBe('succeeded');
    expect(reads).toBe(4);
    // 100 + 200 + 400 ms of pauses before the fourth read.
    expect(Date.now()).toBe(700);
  });

  it('backs off, so a wait that runs out reads the record a few dozen times, not every 100 ms', async () => {
    let reads = 0;
    const read = async () => (reads++, state('running'));
    const done = waitForJob(read, 25_000);
    await vi.runAllTimersAsync();
    expect((await done)?.status).toBe('running');
    expect(Date.now()).toBe(25_000);
    // 1 + 4 reads while the pause doubles from 100 ms to 800 ms, then one a second.
    expect(reads).toBeLessThanOrEqual(30);
    expect(reads).toBeGreaterThanOrEqual(25);
  });

  it("ends a wait 27 s after API Gateway received the request, whatever was asked: the time before the wait counts against its 29 s", () => {
    const received = 1_000_000;
    // Just received: the N seconds asked for.
    expect(waitMs(25, received, received)).toBe(25_000);
    // 20 s spent before the wait (a cold start, a large file stored and queued): 7 s of them are left.
    expect(waitMs(25, received, received + 20_000)).toBe(7_000);
    expect(waitMs(5, received, received + 20_000)).toBe(5_000);
    // Past them: no wait at all (one read), never a negative one.
    expect(waitMs(25, received, received + 28_000)).toBe(0);
    // No time of arrival known (a handler called outside the app): the N seconds.
    expect(waitMs(10, undefined, received)).toBe(10_000);
  });
});
