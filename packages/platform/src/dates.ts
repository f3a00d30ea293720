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
