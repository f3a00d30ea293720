import { describe, expect, it } from 'vitest';
import { jitteredWaitMs, waitBefore, waitCeilingMs, type JitterPolicy } from './backoff';

const doubling: JitterPolicy = { baseMs: 10, capMs: 250, growth: 'doubling' };
const linear: JitterPolicy = { baseMs: 5, capMs: 50, growth: 'linear' };
const justUnderOne = () => 1 - Number.EPSILON;

describe('a full-jitter wait before a retry', () => {
  it('has a ceiling that starts at baseMs and doubles (or grows by baseMs) per attempt up to capMs', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => waitCeilingMs(attempt, doubling))).toEqual([10, 20, 40, 80, 160, 250, 250]);
    expect([1, 2, 9, 10, 11, 60].map((attempt) => waitCeilingMs(attempt, linear))).toEqual([5, 10, 45, 50, 50, 50]);
  });

  it('is 0 when random gives 0 and just under the ceiling when it gives just under 1', () => {
    for (const attempt of [1, 3, 6, 40]) {
      expect(jitteredWaitMs(attempt, doubling, () => 0)).toBe(0);
      const top = jitteredWaitMs(attempt, doubling, justUnderOne);
      expect(top).toBeLessThan(waitCeilingMs(attempt, doubling));
      expect(top).toBeCloseTo(waitCeilingMs(attempt, doubling), 9);
    }
    expect(jitteredWaitMs(3, doubling, () => 0.5)).toBe(20);
  });

  it('stays under the cap at attempts whose uncapped ceiling overflows to Infinity', () => {
    for (const attempt of [50, 1_100, 10_000]) {
      expect(waitCeilingMs(attempt, doubling)).toBe(250);
      expect(jitteredWaitMs(attempt, doubling, justUnderOne)).toBeLessThan(250);
    }
    expect(waitCeilingMs(1_000_000, linear)).toBe(50);
  });

  it('grows without a cap when capMs is Infinity (the caller bounds the attempts)', () => {
    const uncapped: JitterPolicy = { baseMs: 50, capMs: Number.POSITIVE_INFINITY, growth: 'doubling' };
    expect([1, 2, 7].map((attempt) => waitCeilingMs(attempt, uncapped))).toEqual([50, 100, 3_200]);
  });

  it('waitBefore sleeps the drawn wait', async () => {
    await expect(waitBefore(1, doubling, () => 0)).resolves.toBeUndefined();
  });
});
