import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { etagFor } from './etag';
import type { LeaseCompletion } from './idempotency';
import type { StoredResponse } from './idempotency-key';
import { problems } from './problem';

/**
 * A keyed write's lease completion (LeaseCompletion, idempotency.ts) for what a service writes:
 * `item(value)` is the Update completing the Idempotency-Key's record with the route's answer for
 * `value`, an item of the write's own transaction, so the answer is the key's as soon as the
 * write exists: a retry after a crash between the commit and the answer replays it, whatever
 * happened to the resource since. `committed()` once that transaction committed.
 */
export interface KeyCompletion<T> {
  item(value: T): ReturnType<LeaseCompletion['item']>;
  committed(): void;
}

/**
 * The keyed request's completion answering `answer(value)`, or undefined without an
 * Idempotency-Key (or on a route without the lease middleware). `answer` must be exactly what the
 * handler then answers (status, body, ETag, Location): it is what a retry replays.
 */
export function keyCompletion<T>(c: Context<AppEnv>, answer: (value: T) => StoredResponse): KeyCompletion<T> | undefined {
  const key = c.get('idempotentCompletion');
  return key && { item: (value) => key.item(answer(value)), committed: () => key.committed() };
}

/**
 * A JSON answer as `c.json` gives it, with the ETag of `version` (none for `undefined`: a
 * resource without versions, an expense comment; `etagVariant` as setEtag's) and a Location for a create.
 */
export function jsonAnswer(status: number, body: unknown, version: number | undefined, location?: string, etagVariant?: string): StoredResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...(version !== undefined ? { etag: etagFor(version, etagVariant) } : {}), ...(location !== undefined ? { location } : {}) },
    body: JSON.stringify(body),
  };
}

/** The completion's condition failed: the key's lease is no longer this attempt's (taken over by its retry after it ran out); nothing was written. */
export const keyInUse = () => problems.conflict('This Idempotency-Key is in use by another attempt of this request; retry.');
