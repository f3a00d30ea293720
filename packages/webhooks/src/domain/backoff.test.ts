import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, givenUp, retryDelayMs } from './backoff';

describe('retry backoff', () => {
  it('doubles from the base delay and stops growing at the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, DEFAULT_RETRY))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, DEFAULT_RETRY)).toBe(2 * 60 * 60 * 1000);
  });

  it('gives up 24 h after the first attempt, not before', () => {
    const first = new Date('2026-11-24T12:00:00Z');
    expect(givenUp(first, new Date('2026-11-25T11:59:59Z'), DEFAULT_RETRY)).toBe(false);
    expect(givenUp(first, new Date('2026-11-25T12:00:00Z'), DEFAULT_RETRY)).toBe(true);
  });

  it('retries for the whole day: the attempts before giving up are 20, not 3 and not 1000', () => {
    let elapsed = 0;
    let attempts = 1;
    // `elapsed` is when attempt `attempts` starts; one starting before the 24 h end fails and schedules the next,
    // which is made and then given up (delivery.service.ts checks givenUp after an attempt).
    while (elapsed < DEFAULT_RETRY.giveUpAfterMs) elapsed += retryDelayMs(attempts++, DEFAULT_RETRY);
    // The README's figures (packages/webhooks/README.md, backoff.ts): 20 attempts, the last 24 h 7 min 30 s after the first.
    expect(attempts).toBe(20);
    expect(elapsed).toBe((24 * 3600 + 7 * 60 + 30) * 1000);
  });
});
