import type { StoredResponse } from './idempotency-key';

/**
 * An Idempotency-Key's record kept as ONE attribute of the item the keyed request created (see
 * IdempotentWrite.recordOnItem), instead of an item of its own: the request's fingerprint, when
 * the key expires (epoch seconds) and the answer to replay. The owning module stores it, keeps
 * it through updates while it lives and never shows it (API, events, exports, sync).
 */
export interface KeyRecordOnItem {
  fingerprint: string;
  expiresAt: number;
  response: StoredResponse;
}

/** `value` (an item's record attribute, as stored) as a record, or undefined when it is none. */
export function asKeyRecordOnItem(value: unknown): KeyRecordOnItem | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Partial<KeyRecordOnItem>;
  const response = r.response as Partial<StoredResponse> | undefined;
  const valid =
    typeof r.fingerprint === 'string' &&
    typeof r.expiresAt === 'number' &&
    typeof response?.status === 'number' &&
    typeof response.body === 'string' &&
    typeof response.headers === 'object';
  return valid ? (value as KeyRecordOnItem) : undefined;
}

/**
 * Does the record still hold its key at `now` (epoch seconds)? The same rule as the separate
 * record's condition (`expiresAt < :now` frees the key): after that, the key is a new request's.
 */
export const keyRecordLive = (record: KeyRecordOnItem, now: number): boolean => record.expiresAt >= now;
