import { DeliveryInFlightError } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { CLAIM_PATIENCE_MS, deliverWithRetries } from '../../../packages/app/src/local/retrying-delivery';
import type { RetryPolicy } from '../../../packages/app/src/events/put-events';

/** The local stand-ins' retries (bus and work queue), on a recorded sleep instead of time. */
function policy(maxAttempts: number, delayMs: number) {
  const slept: number[] = [];
  const p: RetryPolicy = { maxAttempts, baseDelayMs: delayMs, maxDelayMs: delayMs, random: () => 1, sleep: async (ms) => void slept.push(ms) };
  return { p, slept };
}

const inFlight = () => new DeliveryInFlightError('another delivery holds its claim');

async function run(p: RetryPolicy, failures: (n: number) => Error | undefined) {
  const calls: { n: number; last: boolean }[] = [];
  let exhausted: { error: string; attempts: number } | undefined;
  await deliverWithRetries(
    async (n, last) => {
      calls.push({ n, last });
      const err = failures(n);
      if (err) throw err;
    },
    p,
    (err, attempts) => (exhausted = { error: err.message, attempts }),
  );
  return { calls, exhausted };
}

describe('local delivery retries', () => {
  it('retry a delivery that met another delivery\'s claim without spending its attempts', async () => {
    const { p } = policy(2, 100);
    // Six duplicates in a row while the first delivery runs its effect, then it is done.
    const { calls, exhausted } = await run(p, (n) => (n <= 6 ? inFlight() : undefined));
    expect(exhausted).toBeUndefined();
    expect(calls).toHaveLength(7);
    // None of them was the last attempt: a real failure then would still have one more.
    expect(calls.map((c) => c.last)).toEqual([false, false, false, false, false, false, false]);
  });

  it('still spend attempts on real failures, and dead-letter after the last', async () => {
    const { p } = policy(3, 100);
    const { calls, exhausted } = await run(p, (n) => (n === 1 ? inFlight() : new Error('table unavailable')));
    // One wait on a claim, then three real failures.
    expect(calls.map((c) => c.last)).toEqual([false, false, false, true]);
    expect(exhausted).toEqual({ error: 'table unavailable', attempts: 4 });
  });

  it('give up waiting on a claim that outlives its lease, then spend the attempts', async () => {
    const { p, slept } = policy(2, 5_000);
    const { calls, exhausted } = await run(p, () => inFlight());
    const waitedOnClaims = slept.slice(0, -1).reduce((a, b) => a + b, 0);
    // Twelve waits of 5 s make the 60 s lease; then two attempts that count, one wait between them.
    expect(CLAIM_PATIENCE_MS).toBe(60_000);
    expect(waitedOnClaims).toBe(60_000);
    expect(calls).toHaveLength(14);
    expect(exhausted).toEqual({ error: 'another delivery holds its claim', attempts: 14 });
  });
});
