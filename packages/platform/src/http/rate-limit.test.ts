import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock';
import { RateLimiter, rateLimitHeaders, type RateLimitPolicy, type WindowCounter } from './rate-limit';

/** The shared counters in memory (DynamoDB's ADD: one total per user and window), recording every write. */
function memoryCounter() {
  const totals = new Map<string, number>();
  const writes: { userId: string; windowStart: number; count: number; expiresAt: number }[] = [];
  let failing = false;
  const counter: WindowCounter = {
    async add(userId, windowStart, count, expiresAt) {
      writes.push({ userId, windowStart, count, expiresAt });
      if (failing) throw new Error('ProvisionedThroughputExceededException');
      const key = `${userId}@${windowStart}`;
      const total = (totals.get(key) ?? 0) + count;
      totals.set(key, total);
      return total;
    },
  };
  return {
    counter,
    writes,
    totals,
    fail: (on: boolean) => {
      failing = on;
    },
  };
}

// 12:00:10 UTC: 50 seconds before the 60-second window ends.
const START = '2026-11-24T12:00:10Z';

function setUp(policy: Partial<RateLimitPolicy> = {}, shared = memoryCounter()) {
  const clock = fixedClock(START);
  const errors: unknown[] = [];
  const limiter = new RateLimiter({ limit: 5, windowSeconds: 60, ...policy }, shared.counter, clock, (err) => errors.push(err));
  return { limiter, clock, shared, errors };
}

async function admitMany(limiter: RateLimiter, userId: string, n: number) {
  const verdicts = [];
  for (let i = 0; i < n; i++) verdicts.push(await limiter.admit(userId));
  return verdicts;
}

describe('RateLimiter: the window', () => {
  it('admits up to the limit, counting down what remains, and refuses the next with Retry-After = seconds to the window end', async () => {
    const { limiter } = setUp();
    const verdicts = await admitMany(limiter, 'u1', 6);
    expect(verdicts.slice(0, 5)).toEqual([4, 3, 2, 1, 0].map((remaining) => ({ admitted: true, remaining, resetSeconds: 50 })));
    expect(verdicts[5]).toEqual({ admitted: false, retryAfterSeconds: 50 });
  });

  it('rounds Retry-After up to whole seconds, never below 1', async () => {
    const { limiter, clock } = setUp();
    clock.set('2026-11-24T12:00:59.500Z');
    await admitMany(limiter, 'u1', 5);
    expect(await limiter.admit('u1')).toEqual({ admitted: false, retryAfterSeconds: 1 });
  });

  it('admits again in the next window', async () => {
    const { limiter, clock } = setUp();
    await admitMany(limiter, 'u1', 6);
    clock.set('2026-11-24T12:01:00Z');
    expect(await limiter.admit('u1')).toEqual({ admitted: true, remaining: 4, resetSeconds: 60 });
  });

  it('counts each user on their own', async () => {
    const { limiter } = setUp();
    await admitMany(limiter, 'u1', 6);
    expect(await limiter.admit('u2')).toMatchObject({ admitted: true, remaining: 4 });
    expect(await limiter.admit('u1')).toMatchObject({ admitted: false });
  });

});

describe('RateLimiter: sharing the count', () => {
  it('writes the shared counter once every flushEvery requests, not per request, with the window end as TTL', async () => {
    const { limiter, shared } = setUp({ limit: 1200 });
    expect(limiter.flushEvery).toBe(60);
    await admitMany(limiter, 'u1', 59);
    expect(shared.writes).toEqual([]);
    await limiter.admit('u1');
    const windowStart = Date.parse('2026-11-24T12:00:00Z') / 1000;
    expect(shared.writes).toEqual([{ userId: 'u1', windowStart, count: 60, expiresAt: windowStart + 60 }]);
    await admitMany(limiter, 'u1', 120);
    expect(shared.writes.map((w) => w.count)).toEqual([60, 60, 60]);
  });

  it('a user far below the limit costs no write however slowly they go; near the limit the count is shared once a second', async () => {
    const { limiter, shared, clock } = setUp({ limit: 100 }); // flushEvery 5, near the limit from 50
    for (let i = 0; i < 4; i++) {
      await limiter.admit('u1');
      clock.advance(2_000);
    }
    expect(shared.writes).toEqual([]);
    // Another container brought the shared count near the limit: this one learns it at its next flush...
    await limiter.admit('u1'); // 5th local request: flush of 5
    expect(shared.writes.map((w) => w.count)).toEqual([5]);
    shared.totals.set('u1@' + Date.parse('2026-11-24T12:00:00Z') / 1000, 60);
    await admitMany(limiter, 'u1', 5); // the next flush of 5 answers 65: near the limit
    expect(shared.writes.map((w) => w.count)).toEqual([5, 5]);
    // ...and from then on shares even a single request once it is a second old.
    await limiter.admit('u1');
    expect(shared.writes).toHaveLength(2);
    clock.advance(1_000);
    await limiter.admit('u1');
    expect(shared.writes.map((w) => w.count)).toEqual([5, 5, 2]);
  });

  it('refuses on the count other containers added (two containers on one counter)', async () => {
    const shared = memoryCounter();
    const a = setUp({ limit: 10, flushEvery: 2 }, shared);
    const b = setUp({ limit: 10, flushEvery: 2 }, shared);
    await admitMany(a.limiter, 'u1', 8);
    const inB = await admitMany(b.limiter, 'u1', 4);
    expect(inB.map((v) => v.admitted)).toEqual([true, true, false, false]);
    // a has not flushed since it saw 8: it admits one more (the overshoot bound: flushEvery per
    // container), and its next flush learns the shared 13.
    expect(await a.limiter.admit('u1')).toMatchObject({ admitted: true, remaining: 1 });
    expect(await a.limiter.admit('u1')).toMatchObject({ admitted: false });
    expect(shared.totals.get(`u1@${Date.parse('2026-11-24T12:00:00Z') / 1000}`)).toBe(13);
  });

  it('refuses an over-limit user without any further counter write until the window ends', async () => {
    const { limiter, shared, clock } = setUp({ limit: 20, flushEvery: 5 });
    await admitMany(limiter, 'u1', 21);
    const writes = shared.writes.length;
    const refused = await admitMany(limiter, 'u1', 500);
    expect(refused.every((v) => !v.admitted)).toBe(true);
    expect(shared.writes.length).toBe(writes);
    clock.set('2026-11-24T12:01:00Z');
    expect(await limiter.admit('u1')).toMatchObject({ admitted: true });
  });

});

describe('RateLimiter: bounded, and failing open', () => {
  it('keeps at most maxUsers users, forgetting the least recently seen first', async () => {
    const { limiter, shared } = setUp({ limit: 5, flushEvery: 100, maxUsers: 100 });
    await admitMany(limiter, 'a', 4);
    await admitMany(limiter, 'b', 4);
    await limiter.admit('a'); // seen after b: b is now the oldest
    for (let i = 0; i < 98; i++) await limiter.admit(`u${i}`);
    expect(limiter.trackedUsers).toBe(100);
    await limiter.admit('u98'); // one too many: b goes
    expect(limiter.trackedUsers).toBe(100);
    expect(await limiter.admit('a')).toMatchObject({ admitted: false }); // kept its 5
    expect(await limiter.admit('b')).toMatchObject({ admitted: true, remaining: 4 }); // forgotten: counts from 1
    for (let i = 0; i < 10_000; i++) await limiter.admit(`flood${i}`);
    expect(limiter.trackedUsers).toBe(100);
    expect(shared.writes.map((w) => w.userId)).toEqual(['a']); // only a's refusal was shared
  });

  it('admits when the shared counter fails, reports it, and retries the counter only after a second', async () => {
    const { limiter, shared, errors, clock } = setUp({ limit: 1200, flushEvery: 2 });
    shared.fail(true);
    const verdicts = await admitMany(limiter, 'u1', 10);
    expect(verdicts.every((v) => v.admitted)).toBe(true);
    expect(shared.writes).toHaveLength(1); // the 2nd request tried; none again within the second
    expect(errors).toHaveLength(1);
    shared.fail(false);
    clock.advance(1_000);
    await limiter.admit('u1');
    expect(shared.writes.map((w) => w.count)).toEqual([2, 11]); // nothing counted was lost
  });

  it('still refuses what it counted itself while the counter fails', async () => {
    const { limiter, shared } = setUp({ limit: 5, flushEvery: 1 });
    shared.fail(true);
    const verdicts = await admitMany(limiter, 'u1', 6);
    expect(verdicts.map((v) => v.admitted)).toEqual([true, true, true, true, true, false]);
  });
});

describe('rateLimitHeaders', () => {
  it('says the policy and what is left of it (draft-ietf-httpapi-ratelimit-headers)', () => {
    const limiter = { limit: 1200, windowSeconds: 60 };
    expect(rateLimitHeaders(limiter, { admitted: true, remaining: 1187, resetSeconds: 42 })).toEqual({
      'RateLimit-Policy': '"user";q=1200;w=60',
      RateLimit: '"user";r=1187;t=42',
    });
    expect(rateLimitHeaders(limiter, { admitted: false, retryAfterSeconds: 7 })).toEqual({
      'RateLimit-Policy': '"user";q=1200;w=60',
      RateLimit: '"user";r=0;t=7',
    });
  });
});
