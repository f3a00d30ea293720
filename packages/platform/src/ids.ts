import { createHash, randomFillSync } from 'node:crypto';
import { decodeTime, encodeTime, monotonicFactory } from 'ulid';

/**
 * IDs are ULIDs: opaque, URL-safe and sortable by creation time. The monotonic factory keeps
 * IDs made within the same millisecond in order, so "newest first" lists stay stable.
 */
const random = pooledRandom();
let nextUlid = monotonicFactory(random);
let lastNow = -Infinity;

export function newId(now: number = Date.now()): string {
  // ulid's factory, given a time before its last, keeps its last time: an id "from the future"
  // whose idTime is not `now` (a watcher pin then lived too long, a firstIdAt range missed it).
  // Clocks go back: the fixed clocks of test files sharing this module in one process, a stepped
  // system clock. An id tells its own time, so a time gone back starts a fresh factory.
  if (now < lastNow) nextUlid = monotonicFactory(random);
  lastNow = now;
  return nextUlid(now);
}

/**
 * ulid's own generator, fed from a pool: ulid's default asks WebCrypto for ONE byte per
 * character (16 calls per id, each a native round trip); this draws the same bytes, from the
 * same CSPRNG, 512 at a time, and maps them exactly as ulid does (byte / 256).
 */
function pooledRandom(): () => number {
  const pool = new Uint8Array(512);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

/** When `id` was made (newId's `now`, ms), or undefined when it is no ULID. */
export function idTime(id: string): number | undefined {
  try {
    return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? decodeTime(id) : undefined;
  } catch {
    return undefined; // a time past ulid's largest
  }
}

/**
 * The lowest id newId can make at `ms` (its time part, then zeros): a bound of a sort-key range
 * of ids made in a span of time (from firstIdAt(start) to firstIdAt(end): those made in
 * [start, end)).
 */
export function firstIdAt(ms: number): string {
  return encodeTime(ms, 10) + '0'.repeat(16);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * An id for a copy of `sourceId` made in `scope` (e.g. a rule copied into another budget), a
 * ULID: the source's time part (10 characters), then 6 characters (30 bits) of
 * SHA-256(scope), then the source's last 10 characters. The same copy asked twice (a retried
 * request) gets the same id, so its conditional create finds what the first attempt wrote;
 * copies into different scopes get different ids, so clients may key by id alone. Copies sort
 * as their sources: ids made in one millisecond by the monotonic factory differ only in their
 * tail, which is kept, and within one scope the middle is the same for all.
 */
export function derivedId(scope: string, sourceId: string): string {
  const digest = createHash('sha256').update(scope).digest();
  // 30 bits: the digest's first four bytes, most significant first, 5 bits a character.
  const bits = digest.readUInt32BE(0) >>> 2;
  let middle = '';
  for (let shift = 25; shift >= 0; shift -= 5) middle += CROCKFORD[(bits >>> shift) & 31];
  return sourceId.slice(0, 10) + middle + sourceId.slice(16);
}
