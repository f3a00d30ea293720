import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { Logger } from '@budgeting/platform';
// The narrow entry: the stream relay publishes through this file, and a stream batch loads no HTTP stack.
import { jitteredWaitMs, sleep as sleepMs } from '@budgeting/platform/backoff';

/**
 * PutEvents with EventBridge's limits and failure modes handled:
 * - a request carries at most 10 entries and at most 256 KB of entries, sized the way AWS
 *   sizes them (see entrySize);
 * - a 200 response can still reject some entries (FailedEntryCount, Entries[i].ErrorCode):
 *   only those are sent again, never the accepted ones;
 * - a whole call can fail (throttled, 5xx, network): it is retried when that is transient;
 * - retries wait with exponential backoff and full jitter, within a bounded budget, and
 *   what is still failing is returned so the caller can have it redelivered.
 */
export const MAX_ENTRIES_PER_REQUEST = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Whatever performs one PutEvents call: the EventBridge client in AWS, the in-process bus locally. */
export type PutEventsSender = (
  entries: PutEventsRequestEntry[],
) => Promise<{ FailedEntryCount?: number; Entries?: PutEventsResultEntry[] }>;

export interface RetryPolicy {
  /** Attempts in total (the first call included). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 3000 };

/**
 * "Calculating PutEvents event entry size" (EventBridge user guide): Time counts 14 bytes
 * when present; Source, DetailType, Detail and each Resources entry count their UTF-8 bytes.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  size += utf8Bytes(entry.Source ?? '') + utf8Bytes(entry.DetailType ?? '');
  if (entry.Detail) size += utf8Bytes(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

/**
 * Splits items, in order, into requests of at most 10 entries and 256 KB. Every item must
 * fit on its own (the caller filters out larger ones first).
 */
export function chunkEntries<T>(items: T[], sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (size > MAX_REQUEST_BYTES) throw new RangeError(`entry of ${size} bytes exceeds ${MAX_REQUEST_BYTES}`);
    if (current.length === MAX_ENTRIES_PER_REQUEST || bytes + size > MAX_REQUEST_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface EntryFailure {
  /** Index in the entries passed to putEventsWithRetry. */
  index: number;
  errorCode: string;
  errorMessage?: string;
}

/** Throttling and server-side trouble: the same call may well succeed a moment later. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'InternalException',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

export function isRetryableCallError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return status === undefined && NETWORK_CODES.has(e.code ?? e.name ?? '');
}

/** The wait after failed attempt `attempt` (1-based): full jitter under baseDelayMs doubling, at most maxDelayMs. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return jitteredWaitMs(attempt, { baseMs: policy.baseDelayMs, capMs: policy.maxDelayMs, growth: 'doubling' }, policy.random);
}

/**
 * Sends one request's worth of entries (<= 10, <= 256 KB), retrying only what failed.
 * Resolves with the entries that could not be published within the retry budget.
 */
export async function putEventsWithRetry(
  send: PutEventsSender,
  entries: PutEventsRequestEntry[],
  policy: RetryPolicy = DEFAULT_RETRY,
  logger?: Logger,
): Promise<EntryFailure[]> {
  const sleep = policy.sleep ?? sleepMs;
  let pending = entries.map((entry, index) => ({ entry, index }));
  let failures: EntryFailure[] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    failures = [];
    let retryable = true;
    try {
      const out = await send(pending.map((p) => p.entry));
      const results = out.Entries ?? [];
      pending.forEach((p, i) => {
        const result = results[i];
        // A missing result entry is not proof of success: treat it as failed.
        if (!result || result.ErrorCode || !result.EventId) {
          failures.push({
            index: p.index,
            errorCode: result?.ErrorCode ?? 'MissingResultEntry',
            errorMessage: result?.ErrorMessage,
          });
        }
      });
    } catch (err) {
      retryable = isRetryableCallError(err);
      const e = err as Error;
      failures = pending.map((p) => ({ index: p.index, errorCode: e.name ?? 'Error', errorMessage: e.message }));
    }
    if (failures.length === 0) return [];
    if (!retryable || attempt >= policy.maxAttempts) break;
    const failedIndexes = new Set(failures.map((f) => f.index));
    pending = pending.filter((p) => failedIndexes.has(p.index));
    const delay = backoffDelay(attempt, policy);
    logger?.warn('PutEvents: retrying failed entries', {
      attempt,
      failed: failures.length,
      codes: [...new Set(failures.map((f) => f.errorCode))],
      delayMs: Math.round(delay),
    });
    await sleep(delay);
  }
  return failures;
}
