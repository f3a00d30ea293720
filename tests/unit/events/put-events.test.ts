import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  chunkEntries,
  isRetryableCallError,
  MAX_ENTRIES_PER_REQUEST,
  MAX_REQUEST_BYTES,
} from '../../../packages/app/src/events/put-events';

describe('chunkEntries', () => {
  it('keeps order, never exceeds 10 entries or 256 KB, and starts a new request only when needed', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const sizes = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
        random() < 0.3 ? Math.floor(random() * MAX_REQUEST_BYTES) + 1 : Math.floor(random() * 2000) + 1,
      );
      const chunks = chunkEntries(sizes.map((size, i) => ({ i, size })), (x) => x.size);
      expect(chunks.flat().map((x) => x.i)).toEqual(sizes.map((_, i) => i));
      chunks.forEach((chunk, c) => {
        const bytes = chunk.reduce((s, x) => s + x.size, 0);
        expect(chunk.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_REQUEST);
        expect(bytes).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
        const next = chunks[c + 1]?.[0];
        if (next) expect(chunk.length === MAX_ENTRIES_PER_REQUEST || bytes + next.size > MAX_REQUEST_BYTES).toBe(true);
      });
    }
  });

  it('refuses an entry that cannot fit any request', () => {
    expect(() => chunkEntries([MAX_REQUEST_BYTES + 1], (x) => x)).toThrow(RangeError);
  });
});

describe('retry classification and backoff', () => {
  it('retries throttling, 5xx and network failures, not client errors', () => {
    expect(isRetryableCallError({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })).toBe(true);
    expect(isRetryableCallError({ name: 'Whatever', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryableCallError({ name: 'Error', code: 'ECONNRESET' })).toBe(true);
    expect(isRetryableCallError({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(isRetryableCallError({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } })).toBe(false);
  });

  it('grows exponentially up to the cap, with full jitter below the ceiling', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, { ...policy, random: () => 0.25 })).toBe(100);
  });
});
