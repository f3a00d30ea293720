import { describe, expect, it } from 'vitest';
import { dateInTimeZone, localDateVia, timeInTimeZone, utcOffsetMinutesIn } from './timezones';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** What Intl.DateTimeFormat says (the authority the zone rules come from), for comparison. */
function intlDate(instant: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

describe('dateInTimeZone', () => {
  it('gives the local calendar date on both sides of Greenwich and of a daylight-saving change', () => {
    expect(dateInTimeZone(new Date('2026-11-30T23:30:00Z'), 'Europe/Berlin')).toBe('2026-12-01');
    expect(dateInTimeZone(new Date('2026-12-01T07:59:59Z'), 'America/Los_Angeles')).toBe('2026-11-30');
    expect(dateInTimeZone(new Date('2026-12-01T08:00:00Z'), 'America/Los_Angeles')).toBe('2026-12-01');
    expect(dateInTimeZone(new Date('2026-09-30T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-10-01'); // an alias, UTC+05:30
    expect(dateInTimeZone(new Date('2026-09-30T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-10-01'); // UTC+14
    // Santiago: 2026-09-06 begins at 01:00 (UTC-3); one second before, it is still the 5th (UTC-4).
    expect(dateInTimeZone(new Date('2026-09-06T03:59:59Z'), 'America/Santiago')).toBe('2026-09-05');
    expect(dateInTimeZone(new Date('2026-09-06T04:00:00Z'), 'America/Santiago')).toBe('2026-09-06');
    expect(dateInTimeZone(new Date('1900-01-01T12:00:00Z'), 'Asia/Tokyo')).toBe('1900-01-01');
    expect(dateInTimeZone(new Date('9998-12-31T12:00:00Z'), 'Pacific/Auckland')).toBe('9999-01-01');
  });

  // dateInTimeZone reads a process's first few hundred dates through TZ (localDateVia), then
  // through formatters: the TZ reading itself is checked here for every zone.
  it('reads through TZ what Intl.DateTimeFormat says, for every listed zone at instants from 1900 to 9998', () => {
    const zones = [...Intl.supportedValuesOf('timeZone'), 'US/Eastern', 'Europe/Kyiv'];
    // Deterministic spread (no Math.random): every zone meets a different set of instants.
    const from = Date.parse('1900-01-02T00:00:00Z');
    const span = Date.parse('9998-12-30T00:00:00Z') - from;
    const recent = Date.parse('2000-01-01T00:00:00Z');
    let disagreements = 0;
    zones.forEach((zone, z) => {
      for (let i = 0; i < 24; i++) {
        const fraction = ((z * 24 + i) * 0.6180339887) % 1;
        const at = i % 2 === 0 ? from + fraction * span : recent + fraction * 60 * 365 * 86_400_000;
        const instant = new Date(Math.floor(at / 1000) * 1000);
        if (localDateVia(zone, instant) !== intlDate(instant, zone)) disagreements++;
      }
    });
    expect(disagreements).toBe(0);
  });

  // Intl takes an alias in any letter case, and an alias is stored as the client sent it; TZ
  // does not ("us/eastern" there is silently UTC), so a lower-case alias must not be read through it.
  it('gives the zone\'s own date for an alias sent in another letter case, not UTC\'s', () => {
    expect(dateInTimeZone(new Date('2026-09-30T18:30:00Z'), 'asia/kolkata')).toBe('2026-10-01'); // UTC+05:30
    expect(dateInTimeZone(new Date('2026-11-30T12:00:00Z'), 'etc/gmt-14')).toBe('2026-12-01'); // UTC+14
    expect(dateInTimeZone(new Date('2026-12-01T03:00:00Z'), 'us/eastern')).toBe('2026-11-30'); // UTC-5
  });

  it('answers the same through TZ and, after its first few hundred answers, through formatters', () => {
    const instants = Array.from({ length: 1_200 }, (_, i) => new Date(Date.parse('2026-03-29T00:30:00Z') + i * 1_800_000));
    const answers = instants.map((at) => dateInTimeZone(at, 'Europe/London'));
    expect(answers).toEqual(instants.map((at) => intlDate(at, 'Europe/London')));
  });

  it('leaves the process time zone as it found it, set or not', () => {
    const before = process.env.TZ;
    try {
      delete process.env.TZ;
      dateInTimeZone(new Date(), 'Asia/Tokyo');
      expect('TZ' in process.env).toBe(false);
      process.env.TZ = 'America/New_York';
      dateInTimeZone(new Date(), 'Asia/Tokyo');
      expect(process.env.TZ).toBe('America/New_York');
      expect(new Date(0).getHours()).toBe(19); // local time is New York's again
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('refuses a zone the runtime does not know instead of reading it as UTC', () => {
    expect(() => dateInTimeZone(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => dateInTimeZone(new Date(), '+05:00')).toThrow(RangeError);
  });
});

describe('timeInTimeZone', () => {
  it('gives the 24-hour wall-clock time in the zone, daylight saving included', () => {
    expect(timeInTimeZone(new Date('2026-12-02T23:40:00Z'), 'UTC')).toBe('23:40');
    expect(timeInTimeZone(new Date('2026-12-02T23:40:00Z'), 'Europe/Berlin')).toBe('00:40');
    expect(timeInTimeZone(new Date('2026-07-02T23:40:00Z'), 'Europe/Berlin')).toBe('01:40');
    expect(timeInTimeZone(new Date('2026-12-03T04:05:00Z'), 'America/New_York')).toBe('23:05');
    expect(timeInTimeZone(new Date('2026-12-03T00:00:00Z'), 'Asia/Kolkata')).toBe('05:30');
  });

  it('throws on an unknown zone', () => {
    expect(() => timeInTimeZone(new Date(0), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('leaves dateInTimeZone as it was (one formatter serves both)', () => {
    expect(dateInTimeZone(new Date('2026-12-02T23:40:00Z'), 'Europe/Berlin')).toBe('2026-12-03');
  });
});

describe('utcOffsetMinutesIn', () => {
  it("is the zone's offset at the instant, in minutes, daylight saving and odd offsets included", () => {
    expect(utcOffsetMinutesIn(new Date('2027-03-28T00:59:59Z'), 'Europe/Berlin')).toBe(60);
    expect(utcOffsetMinutesIn(new Date('2027-03-28T01:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(utcOffsetMinutesIn(new Date('2027-01-15T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(utcOffsetMinutesIn(new Date('2027-01-15T12:00:30Z'), 'Asia/Kathmandu')).toBe(345);
    expect(utcOffsetMinutesIn(new Date('2027-01-15T12:00:00Z'), 'Pacific/Kiritimati')).toBe(840);
    expect(utcOffsetMinutesIn(new Date('2027-01-15T12:00:00Z'), 'UTC')).toBe(0);
    expect(() => utcOffsetMinutesIn(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});
