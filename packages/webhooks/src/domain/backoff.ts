/**
 * When a failed delivery is tried again: exponential backoff from `baseDelayMs`, doubling per
 * attempt up to `maxDelayMs`, for `giveUpAfterMs` after the first attempt (then the delivery
 * fails for good and the endpoint is disabled). Production: 30 s, 1 min, 2 min ... capped at
 * 2 h, for 24 h (20 attempts, the last about 24 h 7 min after the first). Tests scale the delays down; the 24 h are measured with
 * the module's clock, so a test moves time instead of waiting.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 30_000, maxDelayMs: 2 * 60 * 60 * 1000, giveUpAfterMs: 24 * 60 * 60 * 1000 };

/** The wait after failed attempt number `attempt` (1-based). */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** Whether a delivery first tried at `firstAttemptAt` has run out of time at `now`. */
export function givenUp(firstAttemptAt: Date, now: Date, policy: RetryPolicy): boolean {
  return now.getTime() - firstAttemptAt.getTime() >= policy.giveUpAfterMs;
}
