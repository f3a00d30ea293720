import { describe, expect, it } from 'vitest';
import { isDueSoon, reminderWindow } from './reminders';

// Expectations computed by hand from the zones' offsets, never from the code under test:
// a date D is "due soon" from (start of D in the zone) - 15 h, i.e. 09:00 local the day before,
// until (excluded) the start of D.
// Pacific/Auckland is UTC+13 in summer (NZDT, from the last Sunday of September until the first
// Sunday of April), UTC+12 otherwise (NZST);
// America/Los_Angeles is UTC-8 in winter (PST), UTC-7 from the second Sunday of March until the
// first Sunday of November (PDT); Asia/Kolkata is UTC+5:30 all year.
const at = (iso: string) => new Date(iso);

describe('the due-soon window of a recurring expense reminder', () => {
  it('is the 15 hours after the tick, the tick itself excluded', () => {
    // 2 December 10:00 + 15 h = 3 December 01:00.
    expect(reminderWindow(at('2026-12-02T10:00:00Z'))).toEqual({ after: at('2026-12-02T10:00:00Z'), until: at('2026-12-03T01:00:00Z') });
  });

  it('UTC: tomorrow is due soon from 09:00 today on, until it begins', () => {
    // 3 December begins at 2026-12-03T00:00Z; 00:00 - 15 h = 2 December 09:00.
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-02T09:00:00Z'))).toBe(true); // begins in exactly 15 h
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-02T08:59:59Z'))).toBe(false); // 15 h + 1 s
    // Midnight the day before (where a 24-hour lead reminded, waking people): not yet.
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-02T00:00:00Z'))).toBe(false); // begins in 24 h
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-02T12:00:00Z'))).toBe(true); // noon: begins in 12 h
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-02T23:59:59Z'))).toBe(true);
    expect(isDueSoon('2026-12-03', 'UTC', at('2026-12-03T00:00:00Z'))).toBe(false); // its day has begun: due, not due soon
    expect(isDueSoon('2026-12-04', 'UTC', at('2026-12-02T12:00:00Z'))).toBe(false); // the day after tomorrow: begins in 36 h
  });

  it('Pacific/Auckland (UTC+13): 3 December begins at 2 December 11:00 UTC, due soon from 1 December 20:00 UTC (2 December 09:00 there)', () => {
    // 2026-12-02T11:00Z - 15 h = 2026-12-01T20:00Z; + 13 h = 2 December 09:00 NZDT.
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-01T20:00:00Z'))).toBe(true);
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-01T19:59:59Z'))).toBe(false);
    // 2026-12-01T11:00Z is 2 December 00:00 in Auckland: midnight the day before, not yet.
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-01T11:00:00Z'))).toBe(false);
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-02T10:59:59Z'))).toBe(true);
    // At 12:00 UTC on 2 December it is already 3 December (01:00) in Auckland: due, not due soon...
    expect(isDueSoon('2026-12-03', 'Pacific/Auckland', at('2026-12-02T12:00:00Z'))).toBe(false);
    // ...and 4 December (beginning at 2026-12-03T11:00Z, 23 h later) is not due soon yet;
    expect(isDueSoon('2026-12-04', 'Pacific/Auckland', at('2026-12-02T12:00:00Z'))).toBe(false);
    // it is from 2026-12-03T11:00Z - 15 h = 2026-12-02T20:00Z (3 December 09:00 there), though the UTC date is the 2nd.
    expect(isDueSoon('2026-12-04', 'Pacific/Auckland', at('2026-12-02T20:00:00Z'))).toBe(true);
    expect(isDueSoon('2026-12-04', 'Pacific/Auckland', at('2026-12-02T19:00:00Z'))).toBe(false);
  });

  it('America/Los_Angeles (UTC-8): 3 December begins at 3 December 08:00 UTC, due soon from 2 December 17:00 UTC (09:00 there)', () => {
    // 2026-12-03T08:00Z - 15 h = 2026-12-02T17:00Z; - 8 h = 2 December 09:00 PST.
    expect(isDueSoon('2026-12-03', 'America/Los_Angeles', at('2026-12-02T17:00:00Z'))).toBe(true);
    expect(isDueSoon('2026-12-03', 'America/Los_Angeles', at('2026-12-02T16:59:59Z'))).toBe(false);
    // 2026-12-02T08:00Z is 2 December 00:00 in Los Angeles: midnight the day before, not yet.
    expect(isDueSoon('2026-12-03', 'America/Los_Angeles', at('2026-12-02T08:00:00Z'))).toBe(false);
    // 3 December 02:00 UTC is still 2 December (18:00) in Los Angeles: the 3rd begins in 6 hours...
    expect(isDueSoon('2026-12-03', 'America/Los_Angeles', at('2026-12-03T02:00:00Z'))).toBe(true);
    // ...the 4th (2026-12-04T08:00Z) in 30.
    expect(isDueSoon('2026-12-04', 'America/Los_Angeles', at('2026-12-03T02:00:00Z'))).toBe(false);
  });

  it('Asia/Kolkata (UTC+5:30): the first hourly tick from 09:00 there, 09:30', () => {
    // 3 December begins at 2026-12-02T18:30Z; - 15 h = 2026-12-02T03:30Z (09:00 IST). Ticks are on the hour:
    expect(isDueSoon('2026-12-03', 'Asia/Kolkata', at('2026-12-02T03:00:00Z'))).toBe(false); // 08:30 IST: begins in 15.5 h
    expect(isDueSoon('2026-12-03', 'Asia/Kolkata', at('2026-12-02T04:00:00Z'))).toBe(true); // 09:30 IST: begins in 14.5 h
  });

  it('a daylight-saving change moves the UTC instant by the hour, never to another day: still 09:00 local the day before', () => {
    // Los Angeles springs forward on 14 March 2027 (02:00 PST -> 03:00 PDT): the 15th begins at
    // 00:00 PDT = 2027-03-15T07:00Z; - 15 h = 2027-03-14T16:00Z = 09:00 PDT on the 14th (an
    // hour earlier in UTC than 17:00Z, where a PST day would put it).
    expect(isDueSoon('2027-03-15', 'America/Los_Angeles', at('2027-03-14T16:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-03-15', 'America/Los_Angeles', at('2027-03-14T15:59:59Z'))).toBe(false);
    // ...and falls back on 7 November 2027 (02:00 PDT -> 01:00 PST): the 8th begins at 00:00 PST
    // = 2027-11-08T08:00Z; - 15 h = 2027-11-07T17:00Z = 09:00 PST on the 7th (16:00Z on a PDT day).
    expect(isDueSoon('2027-11-08', 'America/Los_Angeles', at('2027-11-07T17:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-11-08', 'America/Los_Angeles', at('2027-11-07T16:59:59Z'))).toBe(false);
    // Auckland falls back on 4 April 2027 (03:00 NZDT -> 02:00 NZST): the 4th begins at 00:00
    // NZDT = 2027-04-03T11:00Z, - 15 h = 2027-04-02T20:00Z (3 April 09:00 NZDT); the 5th at
    // 00:00 NZST = 2027-04-04T12:00Z, - 15 h = 2027-04-03T21:00Z (4 April 09:00 NZST).
    expect(isDueSoon('2027-04-04', 'Pacific/Auckland', at('2027-04-02T20:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-04-04', 'Pacific/Auckland', at('2027-04-02T19:59:59Z'))).toBe(false);
    expect(isDueSoon('2027-04-05', 'Pacific/Auckland', at('2027-04-03T21:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-04-05', 'Pacific/Auckland', at('2027-04-03T20:59:59Z'))).toBe(false);
    // ...and springs forward on 26 September 2027 (02:00 NZST -> 03:00 NZDT): the 27th begins at
    // 00:00 NZDT = 2027-09-26T11:00Z; - 15 h = 2027-09-25T20:00Z = 26 September 09:00 NZDT
    // (21:00Z on an NZST day).
    expect(isDueSoon('2027-09-27', 'Pacific/Auckland', at('2027-09-25T20:00:00Z'))).toBe(true);
    expect(isDueSoon('2027-09-27', 'Pacific/Auckland', at('2027-09-25T19:59:59Z'))).toBe(false);
  });
});
