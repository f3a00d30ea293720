import type { Clock } from '../clock';

/**
 * The per-caller API rate limit: `limit` authenticated requests per user per fixed window of
 * `windowSeconds` (aligned to the epoch, so every container agrees on the window without
 * asking anyone), counted across all containers without one DynamoDB write per request.
 *
 * How: each container (process) counts each user's requests locally and adds its unflushed
 * count to the user's shared window counter (one atomic UpdateItem ADD, WindowCounter) only
 * every `flushEvery` local requests, or, while the user is within reach of the limit (half of
 * it or more), when its last flush is a second old. The total the ADD returns becomes the
 * container's view of the global count. A request is refused when that view plus what the
 * container has not flushed yet exceeds the limit; both are counts of real requests, so a
 * refusal is never a mistake. Once a container knows a user is over, it refuses locally,
 * without any DynamoDB call, until the window ends: a flood costs no capacity.
 *
 * What it lets through: a container shares its count at the latest every `flushEvery`
 * requests, so the requests admitted in a window are at most `limit + C x flushEvery` for a
 * user served by C containers at once (a runaway loop is served by about as many containers
 * as it has requests in flight). A fixed window also admits up to `limit` on each side of a
 * window's edge. It is a guard against floods, not an exact quota.
 *
 * A counter that fails (DynamoDB unavailable or throttled) never fails the request: it is
 * admitted on what the container knows, the failure is reported to `onCounterError`, and
 * that user's counter is not tried again for a second.
 */
export interface RateLimitPolicy {
  /** Requests per user per window; 0 turns the limit off. */
  limit: number;
  windowSeconds: number;
  /** Local requests between two flushes of a user's count; default max(1, floor(limit / 20)). */
  flushEvery?: number;
  /** Users whose counts one container keeps; beyond it the least recently seen is dropped. Default 10,000. */
  maxUsers?: number;
}

/** The shared counters: adds `count` to the user's window and answers the window's new total. */
export interface WindowCounter {
  add(userId: string, windowStart: number, count: number, expiresAt: number): Promise<number>;
}

export type RateVerdict =
  | { admitted: true; remaining: number; resetSeconds: number }
  | { admitted: false; retryAfterSeconds: number };

/** One user's counts in one window, in this container. Replaced (never reset) when the window changes. */
interface UserWindow {
  /** Epoch seconds. */
  start: number;
  /** The shared counter's last answered total (it includes this container's flushed requests). */
  known: number;
  /** Counted here, not yet sent. */
  unflushed: number;
  /** Sent in the flush still in flight. */
  inflight: number;
  /** Milliseconds: when the last flush started (the window's first request until then). */
  lastFlushAt: number;
  /** Milliseconds: after a failed flush, none is tried before this. */
  retryAt: number;
  over: boolean;
}

/** A user's count is shared at least once a second when it reaches this share of the limit. */
const NEAR_LIMIT_SHARE = 0.5;
const STALE_AFTER_MS = 1_000;

export class RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly flushEvery: number;
  private readonly maxUsers: number;
  /** In Map order from least to most recently seen (an entry is moved to the end on use). */
  private readonly users = new Map<string, UserWindow>();

  constructor(
    policy: RateLimitPolicy,
    private readonly counter: WindowCounter,
    private readonly clock: Clock,
    private readonly onCounterError: (err: unknown, userId: string) => void,
  ) {
    this.limit = policy.limit;
    this.windowSeconds = policy.windowSeconds;
    this.flushEvery = policy.flushEvery ?? Math.max(1, Math.floor(policy.limit / 20));
    this.maxUsers = policy.maxUsers ?? 10_000;
  }

  /** Counts one request of `userId` and says whether it may run. */
  async admit(userId: string): Promise<RateVerdict> {
    const nowMs = this.clock.now().getTime();
    const entry = this.entryOf(userId, nowMs);
    const end = entry.start + this.windowSeconds;
    if (entry.over) return { admitted: false, retryAfterSeconds: secondsUntil(end, nowMs) };
    entry.unflushed += 1;
    if (this.flushDue(entry, nowMs)) await this.flush(userId, entry, nowMs);
    const used = entry.known + entry.inflight + entry.unflushed;
    if (used > this.limit) {
      entry.over = true;
      return { admitted: false, retryAfterSeconds: secondsUntil(end, nowMs) };
    }
    return { admitted: true, remaining: this.limit - used, resetSeconds: secondsUntil(end, nowMs) };
  }

  /** Users this container keeps counts of (bounded by maxUsers). */
  get trackedUsers(): number {
    return this.users.size;
  }

  private entryOf(userId: string, nowMs: number): UserWindow {
    const start = Math.floor(nowMs / 1000 / this.windowSeconds) * this.windowSeconds;
    let entry = this.users.get(userId);
    if (entry) this.users.delete(userId);
    if (!entry || entry.start !== start) entry = { start, known: 0, unflushed: 0, inflight: 0, lastFlushAt: nowMs, retryAt: 0, over: false };
    this.users.set(userId, entry);
    if (this.users.size > this.maxUsers) this.users.delete(this.users.keys().next().value!);
    return entry;
  }

  /**
   * Every `flushEvery` requests; sooner (once a second) only for a user within reach of the
   * limit, so the many users far below it cost no write at all; and at once when this request
   * would go over, so the refusal is told to the other containers. One flush at a time per
   * user, and none for a second after a failure.
   */
  private flushDue(entry: UserWindow, nowMs: number): boolean {
    if (entry.inflight > 0 || nowMs < entry.retryAt) return false;
    const used = entry.known + entry.unflushed;
    if (entry.unflushed >= this.flushEvery || used > this.limit) return true;
    return used >= this.limit * NEAR_LIMIT_SHARE && nowMs - entry.lastFlushAt >= STALE_AFTER_MS;
  }

  private async flush(userId: string, entry: UserWindow, nowMs: number): Promise<void> {
    const count = entry.unflushed;
    entry.unflushed = 0;
    entry.inflight = count;
    entry.lastFlushAt = nowMs;
    try {
      const total = await this.counter.add(userId, entry.start, count, entry.start + this.windowSeconds);
      entry.known = Math.max(entry.known, total);
    } catch (err) {
      entry.unflushed += count;
      entry.retryAt = nowMs + STALE_AFTER_MS;
      this.onCounterError(err, userId);
    } finally {
      entry.inflight = 0;
    }
  }
}

/** Whole seconds from `nowMs` to `endSeconds`, at least 1 (a Retry-After of 0 invites a retry storm). */
function secondsUntil(endSeconds: number, nowMs: number): number {
  return Math.max(1, Math.ceil(endSeconds - nowMs / 1000));
}

/** The draft-ietf-httpapi-ratelimit-headers fields of an answer: the policy, and what is left of it. */
export function rateLimitHeaders(limiter: Pick<RateLimiter, 'limit' | 'windowSeconds'>, verdict: RateVerdict): Record<string, string> {
  const remaining = verdict.admitted ? verdict.remaining : 0;
  const reset = verdict.admitted ? verdict.resetSeconds : verdict.retryAfterSeconds;
  return {
    'RateLimit-Policy': `"user";q=${limiter.limit};w=${limiter.windowSeconds}`,
    RateLimit: `"user";r=${remaining};t=${reset}`,
  };
}
