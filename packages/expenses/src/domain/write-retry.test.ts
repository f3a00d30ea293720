import { describe, expect, it } from 'vitest';
import { isRetryableWriteStatus } from './write-retry';

describe('isRetryableWriteStatus', () => {
  it('retries what depends on other writers or the service: 409, 412, 429, 5xx', () => {
    for (const status of [409, 412, 429, 500, 502, 503, 504]) expect(isRetryableWriteStatus(status), String(status)).toBe(true);
  });

  it('passes over what the expense itself causes: 400, 403, 404, 413, 422', () => {
    for (const status of [400, 403, 404, 413, 422]) expect(isRetryableWriteStatus(status), String(status)).toBe(false);
  });
});
