/**
 * Calendar dates as the API speaks them: "YYYY-MM-DD" strings with no time zone, compared as
 * strings (the format sorts chronologically). Every module accepts the same range, so a date
 * one module stores is always one the others can compute with.
 */

/**
 * The dates the API accepts. Why bounded: every period containing one of them (and the
 * period before it, for rollover) must still be a 4-digit-year date, or the modules that
 * compute periods from an expense (the budget summary, threshold checks on expense events)
 * would meet a date they cannot represent, and an event would fail on every delivery.
 */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '9998-12-31';
/** The months of those dates (YYYY-MM): a month the API takes is one whose every day it takes. */
export const MIN_MONTH = MIN_DATE.slice(0, 7);
export const MAX_MONTH = MAX_DATE.slice(0, 7);

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

/** True for a real calendar date in YYYY-MM-DD form (2028-02-29 is one; 2026-02-29 is not). */
export function isCalendarDate(text: string): boolean {
  const m = SHAPE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const MONTH_SHAPE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** True for a calendar month in YYYY-MM form (months 01..12; the range is the caller's). */
export function isCalendarMonth(text: string): boolean {
  return MONTH_SHAPE.test(text);
}

const DAY_MS = 86_400_000;

/**
 * Days since 1970-01-01 (negative before) of a calendar date. Throws RangeError on text that
 * is not one. setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 19xx.
 */
export function dayNumber(date: string): number {
  const m = SHAPE.exec(date);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (!m || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: ${date}`);
  }
  return Math.round(d.getTime() / DAY_MS);
}

/** The calendar date `days` days after 1970-01-01 (the inverse of dayNumber). */
export function dateOfDayNumber(days: number): string {
  const d = new Date(days * DAY_MS);
  return calendarDateOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** "YYYY-MM-DD" of a year, a month (1-12) and a day. */
export function calendarDateOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `days` days after `date` (before, for a negative number). */
export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/**
 * The calendar date in the time zone furthest ahead (UTC+14) at `time`: no place's "today"
 * is later, so a job that reads due work up to this date covers every time zone.
 */
export function latestDateOnEarth(time: Date): string {
  return new Date(time.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}
