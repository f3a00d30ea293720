import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after';

/** RFC 9110 10.2.3: Retry-After = HTTP-date / delay-seconds; HTTP-date (5.6.7) is IMF-fixdate, or the obsolete RFC 850 and asctime forms. */
const now = Date.parse('1994-11-06T08:49:00Z');

describe('Retry-After of a webhook endpoint', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs(' 5 ', now)).toBe(5_000);
  });

  it('reads the three HTTP-date forms, as the time left until then (none once past)', () => {
    expect(retryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(37_000);
    expect(retryAfterMs('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(37_000);
    expect(retryAfterMs('Sun Nov  6 08:49:37 1994', now)).toBe(37_000);
    expect(retryAfterMs('Sun, 06 Nov 1994 08:48:00 GMT', now)).toBe(0);
  });

  it('ignores what is none of them', () => {
    for (const value of [undefined, '', '-1', '1.5', '2 minutes', 'soon', '1e3', 'Sun, 06 Nov 1994 08:49:37 CET', 'Sun, 31 Feb 1994 08:49:37 GMT', '2026-12-07T23:00:00Z']) {
      expect(retryAfterMs(value, now), String(value)).toBeUndefined();
    }
  });
});
