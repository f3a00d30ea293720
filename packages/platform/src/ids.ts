import { createHash, randomFillSync } from 'node:crypto';
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

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * An id for a copy of `sourceId` made in `scope` (e.g. a rule copied into another budget): a
 * ULID with the source's time part (so copies sort as their sources do) and 80 bits of
 * SHA-256(scope, sourceId) as its random part. The same copy asked twice (a retried request)
 * gets the same id, so its conditional create finds what the first attempt wrote; two copies
 * into different scopes never share an id, so clients may key by id alone.
 */
export function derivedId(scope: string, sourceId: string): string {
  const digest = createHash('sha256').update(scope).update('\0').update(sourceId).digest();
  let random = '';
  // 16 characters of 5 bits each, from the digest's first 80 bits.
  let bits = 0;
  let value = 0;
  for (let i = 0; random.length < 16; i++) {
    value = (value << 8) | digest[i]!;
    bits += 8;
    while (bits >= 5 && random.length < 16) {
      bits -= 5;
      random += CROCKFORD[(value >> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return sourceId.slice(0, 10) + random;
}
