/**
 * The randomized wait before trying again something that lost a race or was throttled:
 * "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"), a wait drawn
 * uniformly from [0, ceiling), the ceiling growing with the attempt up to a cap. Losers of one
 * round drawn apart this way meet again less often than with a fixed or only-growing wait,
 * and the cap keeps the longest wait known. Each caller keeps its own numbers, and says why,
 * next to its loop.
 *
 * Hand-written rather than a library: `exponential-backoff` (3.1.3) rounds its jitter to whole
 * ms, draws from Math.random only and hides its delay behind a loop runner of its own;
 * `p-retry` (9) jitters by a factor in [1, 2), not full jitter; neither grows linearly. The
 * callers keep their own loops (they retry on different errors and give up differently) and
 * need only the wait.
 */
export interface JitterPolicy {
  /** The ceiling of the first wait (attempt 1). */
  baseMs: number;
  /** No ceiling is higher. Number.POSITIVE_INFINITY when the caller's attempt limit bounds it. */
  capMs: number;
  /** The ceiling of attempt n: baseMs * 2^(n - 1) ('doubling') or baseMs * n ('linear'). */
  growth: 'doubling' | 'linear';
}

/** The ceiling of the wait after failed attempt number `attempt` (1-based). */
export function waitCeilingMs(attempt: number, policy: JitterPolicy): number {
  const grown = policy.growth === 'doubling' ? policy.baseMs * 2 ** (attempt - 1) : policy.baseMs * attempt;
  // Math.min also holds the cap where 2^(attempt - 1) overflows to Infinity.
  return Math.min(policy.capMs, grown);
}

/** A wait in [0, ceiling) after failed attempt `attempt`; `random` in [0, 1), injectable for tests. */
export function jitteredWaitMs(attempt: number, policy: JitterPolicy, random: () => number = Math.random): number {
  return random() * waitCeilingMs(attempt, policy);
}

export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sleeps a full-jitter wait after failed attempt `attempt`, before the next one. */
export function waitBefore(attempt: number, policy: JitterPolicy, random: () => number = Math.random): Promise<void> {
  return sleep(jitteredWaitMs(attempt, policy, random));
}
