import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The id a resource created under an Idempotency-Key takes: shaped like a ULID (26 Crockford
 * base32 characters, the first 0-7, i.e. 128 bits as a ULID has), all of it from the SHA-256
 * of the keyed request's record id (KeyedRequest.id: caller, method, path and key). Every retry
 * of the request names the same resource, so the resource's own create condition
 * (`attribute_not_exists(pk)`) is the key's uniqueness condition and no separate record is
 * needed. Unlike a ULID it says nothing of when it was made: such ids do not sort by creation.
 */
export function idFromKey(recordId: string): string {
  const digest = createHash('sha256').update(recordId).digest();
  let bits = 0n;
  for (let i = 0; i < 16; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  // 26 characters hold 130 bits: the first carries the top 3 of the 128, so it is 0-7.
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD[Number(bits & 31n)]! + id;
    bits >>= 5n;
  }
  return id;
}
