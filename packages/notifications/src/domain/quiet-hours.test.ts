import { describe, expect, it } from 'vitest';
import { inQuietHours, quietSpanAt } from './quiet-hours';

const at = (iso: string) => new Date(iso);

describe('inQuietHours', () => {
  const night = { from: '22:00', to: '07:00' };

  it('holds across midnight: from inclusive, to exclusive', () => {
    expect(inQuietHours(night, at('2026-12-02T21:59:59Z'), 'UTC')).toBe(false);
    expect(inQuietHours(night, at('2026-12-02T22:00:00Z'), 'UTC')).toBe(true);
    expect(inQuietHours(night, at('2026-12-02T23:59:00Z'), 'UTC')).toBe(true);
    expect(inQuietHours(night, at('2026-12-03T00:00:00Z'), 'UTC')).toBe(true);
    expect(inQuietHours(night, at('2026-12-03T06:59:59Z'), 'UTC')).toBe(true);
    expect(inQuietHours(night, at('2026-12-03T07:00:00Z'), 'UTC')).toBe(false);
    expect(inQuietHours(night, at('2026-12-03T12:00:00Z'), 'UTC')).toBe(false);
  });

  it('holds within a window on one day', () => {
    const lunch = { from: '12:30', to: '13:15' };
    expect(inQuietHours(lunch, at('2026-12-02T12:29:00Z'), 'UTC')).toBe(false);
    expect(inQuietHours(lunch, at('2026-12-02T12:30:00Z'), 'UTC')).toBe(true);
    expect(inQuietHours(lunch, at('2026-12-02T13:14:59Z'), 'UTC')).toBe(true);
    expect(inQuietHours(lunch, at('2026-12-02T13:15:00Z'), 'UTC')).toBe(false);
    expect(inQuietHours(lunch, at('2026-12-02T23:40:00Z'), 'UTC')).toBe(false);
  });

  it('reads the wall clock of the user zone', () => {
    // 21:30 UTC is 22:30 in Berlin (CET, UTC+1) and 16:30 in New York (EST, UTC-5).
    expect(inQuietHours(night, at('2026-12-02T21:30:00Z'), 'Europe/Berlin')).toBe(true);
    expect(inQuietHours(night, at('2026-12-02T21:30:00Z'), 'America/New_York')).toBe(false);
    // 03:30 UTC is 22:30 the day before in New York.
    expect(inQuietHours(night, at('2026-12-03T03:30:00Z'), 'America/New_York')).toBe(true);
  });

  it('follows daylight saving in America/New_York (spring forward on 2026-03-08)', () => {
    // 11:30 UTC: 06:30 EST (UTC-5) the day before, 07:30 EDT (UTC-4) on the day.
    expect(inQuietHours(night, at('2026-03-07T11:30:00Z'), 'America/New_York')).toBe(true);
    expect(inQuietHours(night, at('2026-03-08T11:30:00Z'), 'America/New_York')).toBe(false);
    // 10:59 UTC on the day is 06:59 EDT: still quiet; 11:00 UTC is 07:00 EDT: over.
    expect(inQuietHours(night, at('2026-03-08T10:59:00Z'), 'America/New_York')).toBe(true);
    expect(inQuietHours(night, at('2026-03-08T11:00:00Z'), 'America/New_York')).toBe(false);
  });

  it('follows daylight saving in Europe/Berlin (02:00-03:00 never occurs on 2026-03-29, occurs twice on 2026-10-25)', () => {
    const twoToThree = { from: '02:00', to: '03:00' };
    // Spring: 00:59 UTC is 01:59 CET, 01:00 UTC already 03:00 CEST.
    expect(inQuietHours(twoToThree, at('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toBe(false);
    expect(inQuietHours(twoToThree, at('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(false);
    // Autumn: 00:30 UTC is 02:30 CEST, 01:30 UTC is 02:30 CET again, 02:00 UTC is 03:00 CET.
    expect(inQuietHours(twoToThree, at('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe(true);
    expect(inQuietHours(twoToThree, at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe(true);
    expect(inQuietHours(twoToThree, at('2026-10-25T02:00:00Z'), 'Europe/Berlin')).toBe(false);
  });

  it('reads an unknown time zone as UTC', () => {
    // 21:30 UTC is outside 22:00-07:00 in UTC (though 22:30 in Berlin), 22:30 UTC inside.
    expect(inQuietHours(night, at('2026-12-02T21:30:00Z'), 'Mars/Olympus_Mons')).toBe(false);
    expect(inQuietHours(night, at('2026-12-02T22:30:00Z'), 'Mars/Olympus_Mons')).toBe(true);
    expect(inQuietHours(night, at('2026-12-02T22:30:00Z'), 'not a zone')).toBe(true);
  });

  it('is never quiet without a window, or with an empty one', () => {
    expect(inQuietHours(null, at('2026-12-02T23:00:00Z'), 'UTC')).toBe(false);
    expect(inQuietHours(undefined, at('2026-12-02T23:00:00Z'), 'UTC')).toBe(false);
    expect(inQuietHours({ from: '23:00', to: '23:00' }, at('2026-12-02T23:00:00Z'), 'UTC')).toBe(false);
  });
});

describe('quietSpanAt', () => {
  const night = { from: '22:00', to: '07:00' };
  const span = (window: { from: string; to: string }, iso: string, zone: string) => {
    const s = quietSpanAt(window, at(iso), zone);
    return s && { start: s.start.toISOString(), end: s.end.toISOString() };
  };

  it('is null outside the window (to is exclusive)', () => {
    expect(span(night, '2026-12-02T21:59:59Z', 'UTC')).toBeNull();
    expect(span(night, '2026-12-03T07:00:00Z', 'UTC')).toBeNull();
  });

  it('gives the occurrence across midnight, the same from either side of it', () => {
    const occurrence = { start: '2026-12-02T22:00:00.000Z', end: '2026-12-03T07:00:00.000Z' };
    expect(span(night, '2026-12-02T22:00:00Z', 'UTC')).toEqual(occurrence);
    expect(span(night, '2026-12-02T23:30:10Z', 'UTC')).toEqual(occurrence);
    expect(span(night, '2026-12-03T06:59:59Z', 'UTC')).toEqual(occurrence);
  });

  it('gives a window within one day', () => {
    expect(span({ from: '12:30', to: '13:15' }, '2026-12-02T12:40:00Z', 'UTC')).toEqual({ start: '2026-12-02T12:30:00.000Z', end: '2026-12-02T13:15:00.000Z' });
  });

  it('reads the wall clock of the user zone', () => {
    // 22:30 EST on 2026-11-24 is 03:30 UTC on the 25th; 22:00 EST is 03:00 UTC, 07:00 EST 12:00 UTC.
    expect(span(night, '2026-11-25T03:30:00Z', 'America/New_York')).toEqual({ start: '2026-11-25T03:00:00.000Z', end: '2026-11-25T12:00:00.000Z' });
    // 23:30 in Berlin (CET, UTC+1): 22:00 CET is 21:00 UTC, 07:00 CET 06:00 UTC.
    expect(span(night, '2026-11-24T22:30:00Z', 'Europe/Berlin')).toEqual({ start: '2026-11-24T21:00:00.000Z', end: '2026-11-25T06:00:00.000Z' });
  });

  it('lasts 10 hours on the night Berlin goes back (2026-10-25, 03:00 CEST -> 02:00 CET)', () => {
    // 22:00 CEST (UTC+2) on the 24th is 20:00 UTC; 07:00 CET (UTC+1) on the 25th is 06:00 UTC.
    const occurrence = { start: '2026-10-24T20:00:00.000Z', end: '2026-10-25T06:00:00.000Z' };
    expect(span(night, '2026-10-24T21:30:00Z', 'Europe/Berlin')).toEqual(occurrence);
    // 01:30 UTC is 02:30 CET, the second time 02:30 occurs that night: the same occurrence.
    expect(span(night, '2026-10-25T01:30:00Z', 'Europe/Berlin')).toEqual(occurrence);
  });

  it('lasts 8 hours on the night Berlin goes forward (2026-03-29, 02:00 CET -> 03:00 CEST)', () => {
    // 22:00 CET (UTC+1) on the 28th is 21:00 UTC; 07:00 CEST (UTC+2) on the 29th is 05:00 UTC.
    expect(span(night, '2026-03-28T23:00:00Z', 'Europe/Berlin')).toEqual({ start: '2026-03-28T21:00:00.000Z', end: '2026-03-29T05:00:00.000Z' });
  });

  it('ends when the clock jumps past an end that does not occur (01:00-02:30 on 2026-03-29 in Berlin)', () => {
    // 00:30 UTC is 01:30 CET; at 01:00 UTC the clock goes from 02:00 CET to 03:00 CEST: quiet hours over.
    expect(span({ from: '01:00', to: '02:30' }, '2026-03-29T00:30:00Z', 'Europe/Berlin')).toEqual({ start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T01:00:00.000Z' });
  });

  it('reads an unknown zone as UTC', () => {
    expect(span(night, '2026-12-02T22:30:00Z', 'Mars/Olympus_Mons')).toEqual({ start: '2026-12-02T22:00:00.000Z', end: '2026-12-03T07:00:00.000Z' });
  });
});

describe('quietSpanAt around clock changes inside the window', () => {
  const span = (window: { from: string; to: string }, iso: string, zone: string) => {
    const s = quietSpanAt(window, at(iso), zone);
    return s && { start: s.start.toISOString(), end: s.end.toISOString() };
  };

  it('ends where the quiet hours do, and starts again, when the clock goes back past their end (22:00-01:30 on 2026-11-01 in New York)', () => {
    // 02:00 EDT (06:00 UTC) becomes 01:00 EST: 01:30 EDT (05:30 UTC) ends the quiet hours, which
    // hold again from 01:00 EST (06:00 UTC) to 01:30 EST (06:30 UTC): two occurrences, 30 minutes
    // apart, whose summaries each sum up their own (the pushes between them were sent).
    const window = { from: '22:00', to: '01:30' };
    const first = { start: '2026-11-01T02:00:00.000Z', end: '2026-11-01T05:30:00.000Z' };
    expect(span(window, '2026-11-01T03:00:00Z', 'America/New_York')).toEqual(first); // 23:00 EDT
    expect(span(window, '2026-11-01T05:29:00Z', 'America/New_York')).toEqual(first); // 01:29 EDT
    expect(span(window, '2026-11-01T05:45:00Z', 'America/New_York')).toBeNull(); // 01:45 EDT: pushed
    const second = { start: '2026-11-01T06:00:00.000Z', end: '2026-11-01T06:30:00.000Z' };
    expect(span(window, '2026-11-01T06:10:00Z', 'America/New_York')).toEqual(second); // 01:10 EST
  });

  it('ends where the quiet hours do when the clock goes back into them past midnight (23:30-00:30 on 2026-04-05 in Santiago)', () => {
    // 00:00 -03 (03:00 UTC) becomes 23:00 -04: quiet from 23:30 -03 (02:30 UTC) to 00:00 -03, not
    // from 23:00 to 23:29 -04 (03:00-03:29 UTC), quiet again from 23:30 -04 (03:30 UTC) to 00:30 -04 (04:30 UTC).
    const window = { from: '23:30', to: '00:30' };
    expect(span(window, '2026-04-05T02:45:00Z', 'America/Santiago')).toEqual({ start: '2026-04-05T02:30:00.000Z', end: '2026-04-05T03:00:00.000Z' });
    expect(span(window, '2026-04-05T03:10:00Z', 'America/Santiago')).toBeNull();
    expect(span(window, '2026-04-05T04:00:00Z', 'America/Santiago')).toEqual({ start: '2026-04-05T03:30:00.000Z', end: '2026-04-05T04:30:00.000Z' });
  });

  it('keeps to its own day when a window of almost a day spans the night the clocks go forward (one hour outside it)', () => {
    // New York, 00:30-23:30: on 2026-03-08 (02:00 EST -> 03:00 EDT) from 00:30 EST (05:30 UTC) to
    // 23:30 EDT (03:30 UTC on the 9th). An hour's guess from the wall clock lands on 00:30 EDT on
    // the 9th (04:30 UTC), quiet again but the NEXT occurrence, after an hour that is not quiet.
    const almostADay = { from: '00:30', to: '23:30' };
    const occurrence = { start: '2026-03-08T05:30:00.000Z', end: '2026-03-09T03:30:00.000Z' };
    expect(inQuietHours(almostADay, at('2026-03-09T03:45:00Z'), 'America/New_York')).toBe(false);
    expect(span(almostADay, '2026-03-08T05:56:00Z', 'America/New_York')).toEqual(occurrence);
    expect(span(almostADay, '2026-03-08T07:10:00Z', 'America/New_York')).toEqual(occurrence);
    // London, 20:00-19:00 over 2026-03-29 (01:00 GMT -> 02:00 BST): from 20:00 GMT on the 28th to 19:00 BST (18:00 UTC) on the 29th.
    const london = { start: '2026-03-28T20:00:00.000Z', end: '2026-03-29T18:00:00.000Z' };
    expect(span({ from: '20:00', to: '19:00' }, '2026-03-29T16:53:00Z', 'Europe/London')).toEqual(london);
    expect(span({ from: '20:00', to: '19:00' }, '2026-03-28T20:10:00Z', 'Europe/London')).toEqual(london);
  });
});
