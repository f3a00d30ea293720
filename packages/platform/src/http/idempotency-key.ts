import type { Context } from 'hono';
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import { epochSeconds } from '../clock';
import type { ModuleStore } from '../dynamo/module-store';
import type { AppEnv } from './app-env';
import { decodeKeptBody, encodeKeptBody, KEPT_BODY_MAX_CHARS, type KeptEncoding } from './kept-answer';
import { problems } from './problem';

/**
 * What both Idempotency-Key middlewares (idempotency.ts: a lease around the handler;
 * idempotent-write.ts: the record inside the change's transaction) share: reading the key,
 * the record's id and the request's fingerprint, and answering from a stored record.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * KEY_PATTERN as the OpenAPI document states it on every `Idempotency-Key` parameter
 * (openapi-finish.ts), so a client generated from the document knows the key a 400 refuses.
 */
export const IDEMPOTENCY_KEY_SCHEMA = { minLength: 1, maxLength: 255, pattern: '^[!-~]+$' } as const;

/** The methods a key applies to: creating POSTs, and PATCHes and PUTs whose route takes a key. */
const KEYED_METHODS = new Set(['POST', 'PATCH', 'PUT']);

/**
 * The fingerprint with the request's If-Match folded in, whatever its method: a keyed POST that
 * honours one (move-money, a recurring expense's or income's skip and record-next) names a
 * change from the version it saw exactly as a PATCH does, so the same key with another
 * precondition is another request (a 422), not a replay of the first one's success (until
 * 2026-12-07 only a PATCH's or PUT's was). A request without the header keeps the fingerprint
 * it always had, so records written before are still met by their retries.
 */
function withPrecondition(fingerprint: string, c: Context<AppEnv>): string {
  const ifMatch = c.req.header('if-match');
  return ifMatch !== undefined ? sha256(`${fingerprint}\nif-match:${ifMatch.trim()}`) : fingerprint;
}

/**
 * The query string is part of "the same request" too: the CSV import reads its file by its
 * query (`?dryRun=true`, a bank file's column mapping and formats), so the same body sent with
 * another mapping is another request (a 422 for a used key), not a replay of the first. The
 * parameters are sorted by name (a client may build them in any order); a request without a
 * query keeps the fingerprint it always had, so records written before this are still met.
 */
function withQuery(fingerprint: string, c: Context<AppEnv>): string {
  // Most keyed requests (POST expense) have no query: no URL parse for them.
  const url = c.req.url;
  const start = url.indexOf('?');
  const search = new URLSearchParams(start < 0 ? '' : url.slice(start + 1).split('#')[0]);
  if (search.size === 0) return fingerprint;
  const pairs = [...search.entries()].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return sha256(`${fingerprint}\nquery:${JSON.stringify(pairs)}`);
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The answer's body, or its kept form: compressed when `encoding`, then sealed when `sealed` (kept-answer.ts, AnswerSealer). */
  body: string;
  sealed?: true;
  encoding?: KeptEncoding;
  /** The answer was too large to keep (kept-answer.ts): `body` is empty, a replay is a 409. */
  notKept?: true;
}

/**
 * Seals a route's stored answers at rest, for an answer that carries a secret the client sees
 * once (a signing secret): the record then never holds it in plain text, yet a retry with the
 * key still gets the same answer. `recordId` (the key's record id) must be bound to the seal as
 * additional authenticated data, so a sealed answer copied onto another record does not open.
 * The route brings its own (the module holds the key): see IdempotencyOptions.
 */
export interface AnswerSealer {
  seal(body: string, recordId: string): string;
  /** Throws when `sealed` was not sealed for `recordId` (or with this key). */
  open(sealed: string, recordId: string): string;
}

/**
 * The answer as the key's record `recordId` keeps it: its body compressed when large, then sealed
 * when the route has a sealer (a seal of the compressed text: ciphertext does not compress), or
 * only its status and `notKept` when even that is over KEPT_BODY_MAX_CHARS (kept-answer.ts).
 */
export function storedAnswer(response: StoredResponse, recordId: string, sealer: AnswerSealer | undefined): StoredResponse {
  const { body, encoding } = encodeKeptBody(response.body);
  const kept = sealer ? sealer.seal(body, recordId) : body;
  if (kept.length > KEPT_BODY_MAX_CHARS) return { status: response.status, headers: response.headers, body: '', notKept: true };
  return { ...response, body: kept, ...(encoding ? { encoding } : {}), ...(sealer ? { sealed: true as const } : {}) };
}

/** This request under its key: the record's id, the body's fingerprint and the time (epoch seconds). */
export interface KeyedRequest {
  /** The Idempotency-Key as the client sent it. */
  key: string;
  id: string;
  fingerprint: string;
  now: number;
}

/**
 * The keyed request of a POST, PATCH or PUT with an Idempotency-Key, `undefined` for any other
 * request; 400 for a malformed key. Its If-Match is part of "the same request": a retry that sends
 * another precondition is another request (a 422), not a replay of the first.
 */
export async function keyedRequest(c: Context<AppEnv>, store: ModuleStore, clock: Clock): Promise<KeyedRequest | undefined> {
  const key = c.req.header('idempotency-key');
  if (!KEYED_METHODS.has(c.req.method) || key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw problems.validation([
      { path: 'header.Idempotency-Key', message: 'Must be 1..255 visible ASCII characters (a ULID or UUIDv7 is ideal)' },
    ]);
  }
  // Scoped to the caller and the route, so two users (or two routes) can never collide.
  const scope = `${c.get('userId') ?? 'anonymous'}|${c.req.method}|${c.req.path}|${key}`;
  return {
    key,
    id: store.key('key', sha256(scope)),
    fingerprint: withQuery(withPrecondition(requestFingerprint(c.req.header('content-type'), await c.req.text()), c), c),
    now: epochSeconds(clock.now()),
  };
}

/**
 * The answer to a request whose key already has a record: the stored response marked
 * `Idempotent-Replayed: true`, or 409 (gone or still running) or 422 (another body).
 */
export function replayStored(
  existing: { pk?: string; fingerprint?: string; state?: string; response?: StoredResponse } | undefined,
  fingerprint: string,
  sealer?: AnswerSealer,
): Response {
  if (!existing) throw problems.conflict('A request with this Idempotency-Key just finished; retry it.');
  if (existing.fingerprint !== fingerprint) {
    throw problems.unprocessable('This Idempotency-Key was already used with a different request body.');
  }
  // A lease's record says `state`; one written with its change (idempotent-write.ts) is born
  // completed and says nothing (it always has its response; an older one says 'completed').
  if ((existing.state ?? 'completed') !== 'completed' || !existing.response) {
    throw problems.conflict('A request with this Idempotency-Key is still in progress; retry later.');
  }
  if (existing.response.notKept) throw problems.answerNotKept();
  const headers = new Headers(existing.response.headers);
  headers.set('Idempotent-Replayed', 'true');
  return new Response(replayedBody(existing.response, existing.pk, sealer), { status: existing.response.status, headers });
}

/**
 * The body to replay: a sealed one opened for the record it was read from (its own id, so a
 * sealed answer copied onto another record fails to open: a 500, never another key's answer).
 * A plain one is replayed as it is, also on a sealing route: a record written before the route
 * sealed its answers (it expires within IDEMPOTENCY_TTL_SECONDS).
 */
function replayedBody(response: StoredResponse, recordId: string | undefined, sealer: AnswerSealer | undefined): string {
  if (!response.sealed) return decodeKeptBody(response.body, response.encoding);
  if (!sealer || recordId === undefined) throw new Error('A sealed Idempotency-Key answer cannot be opened here: the route passes no sealer');
  return decodeKeptBody(sealer.open(response.body, recordId), response.encoding);
}

/**
 * What "the same request" means for a key. A retrying client may re-serialize its body, so the
 * fingerprint is over the media type without its parameters (`application/json; charset=utf-8`
 * is `application/json`) and, for a JSON body, the parsed value in canonical form: the handler
 * would see the same input either way. A body that is not JSON (by media type, or because it
 * does not parse) counts as its exact text.
 */
export function requestFingerprint(contentType: string | undefined, body: string): string {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const isJson = mediaType === 'application/json' || mediaType.endsWith('+json');
  const canonical = isJson ? canonicalJson(body) : undefined;
  return sha256(`${mediaType}\n${canonical ?? body}`);
}

/** Deeper than this, a body is fingerprinted raw rather than walked (no stack overflow on hostile nesting). */
const MAX_CANONICAL_DEPTH = 64;

/**
 * The JSON text with object keys sorted at every depth (arrays keep their order), or
 * `undefined` when the text is not JSON. Hand-written because no canonical-JSON library is a
 * dependency (fast-json-stable-stringify is only in node_modules through eslint); JSON.parse's
 * output has just six kinds of values, and a parse-then-stringify round trip already settles
 * whitespace, number spellings (`1.0`, `1e0`) and string escapes. Canonical text is JSON no
 * deeper than MAX_CANONICAL_DEPTH, so it never equals the raw text of a body fingerprinted raw.
 */
function canonicalJson(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const write = (v: unknown, depth: number): string | undefined => {
    if (depth > MAX_CANONICAL_DEPTH) return undefined;
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const parts: string[] = [];
    if (Array.isArray(v)) {
      for (const item of v) {
        const part = write(item, depth + 1);
        if (part === undefined) return undefined;
        parts.push(part);
      }
      return `[${parts.join(',')}]`;
    }
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) {
      const part = write(record[key], depth + 1);
      if (part === undefined) return undefined;
      parts.push(`${JSON.stringify(key)}:${part}`);
    }
    return `{${parts.join(',')}}`;
  };
  return write(value, 0);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
