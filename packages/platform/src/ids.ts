import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * IDs are ULIDs: opaque, URL-safe and sortable by creation time. The monotonic factory keeps
 * IDs made within the same millisecond in order, so "newest first" lists stay stable.
 */
const nextUlid = monotonicFactory(pooledRandom());

export function newId(now: number = Date.now()): string {
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
