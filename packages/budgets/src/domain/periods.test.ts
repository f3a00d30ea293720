import { describe, expect, it } from 'vitest';
import {
  creationDateOf,
  firstPeriodOf,
  periodContaining,
  periodsBetween,
} from './periods';
import { addDays, dateInTimeZone, isCalendarDate, isTimeZone } from '@budgeting/platform';

describe('calendar dates', () => {
  it('knows leap years', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true); // divisible by 400
    expect(isCalendarDate('1900-02-29')).toBe(false); // divisible by 100 only
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
  });
});

describe('periodContaining', () => {
  it('monthly: the calendar month, leap February included', () => {
    expect(periodContaining('monthly', '2024-02-10')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodContaining('monthly', '2023-02-28')).toEqual({ start: '2023-02-01', end: '2023-02-28' });
    expect(periodContaining('monthly', '2026-12-31')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
    expect(periodContaining('monthly', '2026-04-01')).toEqual({ start: '2026-04-01', end: '2026-04-30' });
  });

  it('yearly: the calendar year', () => {
    expect(periodContaining('yearly', '2024-07-04')).toEqual({ start: '2024-01-01', end: '2024-12-31' });
  });

  it('weekly: ISO weeks from Monday to Sunday', () => {
    // 2026-11-24 is a Tuesday.
    expect(periodContaining('weekly', '2026-11-24')).toEqual({ start: '2026-11-23', end: '2026-11-29' });
    expect(periodContaining('weekly', '2026-11-23')).toEqual({ start: '2026-11-23', end: '2026-11-29' }); // Monday
    expect(periodContaining('weekly', '2026-11-29')).toEqual({ start: '2026-11-23', end: '2026-11-29' }); // Sunday
  });

  it('weekly: a week that straddles two years', () => {
    // 2026-01-01 is a Thursday: its ISO week starts Monday 2025-12-29.
    expect(periodContaining('weekly', '2026-01-01')).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    expect(periodContaining('weekly', '2025-12-31')).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    // Dates before 1970 (negative day numbers) too: 1969-12-31 was a Wednesday.
    expect(periodContaining('weekly', '1969-12-31')).toEqual({ start: '1969-12-29', end: '1970-01-04' });
  });
});

describe('periodsBetween', () => {
  it('counts whole periods between two period starts', () => {
    expect(periodsBetween('monthly', '2026-01-01', '2026-01-01')).toBe(0);
    expect(periodsBetween('monthly', '2025-11-01', '2026-02-01')).toBe(3);
    expect(periodsBetween('weekly', '2025-12-29', '2026-01-12')).toBe(2);
    expect(periodsBetween('yearly', '2020-01-01', '2026-01-01')).toBe(6);
  });
});

describe('dates in a time zone', () => {
  it('gives the local calendar date around midnight', () => {
    const instant = new Date('2026-11-30T23:30:00Z');
    expect(dateInTimeZone(instant, 'UTC')).toBe('2026-11-30');
    expect(dateInTimeZone(instant, 'Europe/Paris')).toBe('2026-12-01'); // 00:30 the next day
    expect(dateInTimeZone(instant, 'America/Los_Angeles')).toBe('2026-11-30'); // 15:30
    expect(dateInTimeZone(new Date('2026-12-01T05:00:00Z'), 'America/New_York')).toBe('2026-12-01'); // 00:00
    expect(dateInTimeZone(new Date('2026-12-01T04:59:59Z'), 'America/New_York')).toBe('2026-11-30');
    // Kiribati is UTC+14: already the next year while London is still on Dec 31.
    expect(dateInTimeZone(new Date('2026-12-31T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2027-01-01');
  });

  it('accepts IANA names only', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('+02:00')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone('europe/paris')).toBe(true); // ICU is case-insensitive
  });
});

describe('firstPeriodOf', () => {
  // 00:30 UTC on 1 October 2026: 02:30 in Berlin, still 20:30 on 30 September in New York.
  const created = { period: 'monthly' as const, createdAt: '2026-10-01T00:30:00.000Z' };
  it("is the period of the creation instant's date in the budget's time zone", () => {
    expect(firstPeriodOf({ ...created, timezone: 'Europe/Berlin' })).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    expect(firstPeriodOf({ ...created, timezone: 'America/New_York' })).toEqual({ start: '2026-09-01', end: '2026-09-30' });
  });
  it('keeps the creation date of the time zone it had then (createdOn) once the time zone changed', () => {
    expect(firstPeriodOf({ ...created, timezone: 'America/New_York', createdOn: '2026-10-01' })).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    expect(creationDateOf({ createdAt: created.createdAt, timezone: 'America/New_York', createdOn: '2026-10-01' })).toBe('2026-10-01');
    expect(creationDateOf({ createdAt: created.createdAt, timezone: 'America/New_York' })).toBe('2026-09-30');
  });
});
