import { describe, expect, it } from 'vitest';
import { isDueSoon, reminderWindow } from './reminders';

// Expectations computed by hand from the zones' offsets:
// Pacific/Auckland is UTC+13 in summer (NZDT, until the first Sunday of April), UTC+12 after;
// America/Los_Angeles is UTC-8 in winter (PST), UTC-7 from the second Sunday of March (PDT).
const at = (iso: string) => new Date(iso);

describe('the due-soon window of a recurring expense reminder', () => {
  it('is the 24 hours after the tick, the tick itself excluded', () => {
    expect(reminderWindow(at('2026-12-02T10:00:00Z'))).toEqual({ after: at('2026-12-02T10:00:00Z'), until: at('2026-12-03T10:00:00Z') });
  });

  it('UTC: tomorrow is due soon from midnight today on, until it begins', () => {
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-02T00:00:00Z'))).toBe(true); // begins in exactly 24 h
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-01T23:59:59Z'))).toBe(false); // 24 h + 1 s
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-02T23:59:59Z'))).toBe(true);
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-03T00:00:00Z'))).toBe(false); // its day has begun: due, not due soon
    expect(isDueSoon('2026-12-04', 'UTC', at('2026-12-02T12:00:00Z'))).toBe(false); // the day after tomorrow
  });

  it('Pacific/Auckland (UTC+13): 3 December begins at 2 December 11:00 UTC', () => {
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-01T11:00:00Z'))).toBe(true);
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-01T10:59:59Z'))).toBe(false);
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-02T10:59:59Z'))).toBe(true);
    // At 12:00 UTC on 2 December it is already 3 December in Auckland: due, not due soon...
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-02T12:00:00Z'))).toBe(false);
    // ...and 4 December is "tomorrow" there, though the UTC date is the 2nd.
    expect(isDueSoon('2026-12-04', 'Pacific/Auckland', at('2026-12-02T12:00:00Z'))).toBe(true);
  });

  it('America/Los_Angeles (UTC-8): 3 December begins at 3 December 08:00 UTC', () => {
    expect(isDueSoon('2026-12-03', 'America/Los_Angeles', at('2026-12-02T08:00:00Z'))).toBe(true);
    expect(isDueSoon('2026-12-03', 'America/Los_Angeles', at('2026-12-02T07:59:59Z'))).toBe(false);
    // 3 December 02:00 UTC is still 2 December in Los Angeles: the 3rd begins in 6 hours.
    expect(isDueSoon('2026-12-03', 'America/Los_Angeles', at('2026-12-03T02:00:00Z'))).toBe(true);
    expect(isDueSoon('2026-12-04', 'America/Los_Angeles', at('2026-12-03T02:00:00Z'))).toBe(false);
  });

  it('a daylight-saving change moves the instant by the hour, not the day', () => {
    // Los Angeles springs forward on 14 March 2027: the 15th begins at 07:00 UTC (PDT).
    expect(isDueSoon('2027-03-15', 'America/Los_Angeles', at('2027-03-14T07:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-03-15', 'America/Los_Angeles', at('2027-03-14T06:59:59Z'))).toBe(false);
    // Auckland falls back on 4 April 2027: the 4th begins at 3 April 11:00 UTC (NZDT), the 5th at 4 April 12:00 UTC (NZST).
    expect(isDueSoon('2027-04-05', 'Pacific/Auckland', at('2027-04-03T12:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-04-05', 'Pacific/Auckland', at('2027-04-03T11:59:59Z'))).toBe(false);
    expect(isDueSoon('2027-04-04', 'Pacific/Auckland', at('2027-04-02T11:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-04-04', 'Pacific/Auckland', at('2027-04-02T10:59:59Z'))).toBe(false);
  });
});
