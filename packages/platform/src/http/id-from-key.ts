import { createHash } from 'node:crypto';
import { decodeTime, encodeTime } from 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_KEY = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const UUID_V7_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * How far a key's own time may lie from the server's and still name the resource. Back: the
 * record's 24 h plus an hour of client clock skew, so every retry the record answers names
 * the same id. Ahead: an hour of skew. A key outside (a phone whose clock is off by days)
 * names no resource; its route keeps its record under keyHolderId (below).
 */
const KEY_TIME_BACK_MS = 25 * 60 * 60 * 1000;
const KEY_TIME_AHEAD_MS = 60 * 60 * 1000;

/**
 * The id a resource created under an Idempotency-Key takes, when the key says when it was
 * made: a ULID or a UUIDv7 (both carry their creation time in milliseconds; the mobile app
 * sends ULIDs). The id is a ULID whose time is the key's, so ids stay sortable by creation
 * time as the API promises, and whose 80 random bits are the SHA-256 of the keyed request's
 * record id (KeyedRequest.id: caller, method, path and key). Every retry of the request names
 * the same resource, so the resource's own create condition (`attribute_not_exists(pk)`) is
 * the key's uniqueness condition and no separate record item is needed.
 *
 * `undefined` for any other key (a UUIDv4, free text) or a key time too far from `now`: the
 * route then keeps the key's record in an item of its own (one more item in the write).
 */
export function idFromKey(key: string, recordId: string, now: Date): string | undefined {
  const time = keyTime(key);
  if (time === undefined || time < now.getTime() - KEY_TIME_BACK_MS || time > now.getTime() + KEY_TIME_AHEAD_MS) return undefined;
  return encodeTime(time, 10) + randomPartOf(recordId);
}

/**
 * The id a ULID or UUIDv7 key names, wherever its time lies: idFromKey's id without its window
 * (`undefined` for a key that names no time). The window moves with the server's clock, so one
 * key may be outside it on its first request and inside on a retry minutes later (a phone whose
 * clock is an hour fast), or the other way round within its 24 h (made well before its first
 * request): a route keeps the key's record where this id points either way (the expenses
 * module: on the expense there, or on a tombstone there when the expense took a fresh id), so
 * every retry finds it whichever side of the window it falls on.
 */
export function keyHolderId(key: string, recordId: string): string | undefined {
  const time = keyTime(key);
  return time === undefined ? undefined : encodeTime(time, 10) + randomPartOf(recordId);
}

/** The creation time (epoch ms) a ULID or UUIDv7 key carries. */
function keyTime(key: string): number | undefined {
  if (ULID_KEY.test(key)) return decodeTime(key.toUpperCase());
  if (UUID_V7_KEY.test(key)) return parseInt(key.slice(0, 8) + key.slice(9, 13), 16);
  return undefined;
}

/** 16 Crockford base32 characters (80 bits) from the SHA-256 of `recordId`. */
function randomPartOf(recordId: string): string {
  const digest = createHash('sha256').update(recordId).digest();
  let bits = 0n;
  for (let i = 0; i < 10; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  let part = '';
  for (let i = 0; i < 16; i++) {
    part = CROCKFORD[Number(bits & 31n)]! + part;
    bits >>= 5n;
  }
  return part;
}
