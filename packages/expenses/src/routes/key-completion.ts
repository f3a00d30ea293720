import { etagFor, type AppEnv, type StoredResponse } from '@budgeting/platform';
import type { Context } from 'hono';
import type { KeyCompletion } from '../service/key-completion';

/**
 * The keyed request's lease completion (platform `idempotentCompletion`) answering `answer(value)`
 * for what its service writes, or undefined without an Idempotency-Key. `answer` must be exactly
 * what the handler then answers (status, body, ETag, Location): it is what a retry replays.
 */
export function keyCompletion<T>(c: Context<AppEnv>, answer: (value: T) => StoredResponse): KeyCompletion<T> | undefined {
  const key = c.get('idempotentCompletion');
  return key && { item: (value) => key.item(answer(value)), committed: () => key.committed() };
}

/** A JSON answer as `c.json` gives it, with the ETag of `version` (and a Location for a create). */
export function jsonAnswer(status: number, body: unknown, version: number, location?: string): StoredResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', etag: etagFor(version), ...(location !== undefined ? { location } : {}) },
    body: JSON.stringify(body),
  };
}
