/**
 * The schedule math of recurring expenses, on calendar dates ("YYYY-MM-DD", no time zone:
 * the budget's time zone only decides which date is "today", see dates.ts todayIn).
 *
 * The n-th occurrence (n = 0, 1, ...) is computed from `startsOn` directly, never from the
 * previous occurrence, so a schedule cannot drift:
 * - daily:   startsOn + n * interval days
 * - weekly:  startsOn + n * interval * 7 days
 * - monthly: the month n * interval months after startsOn's, on startsOn's day of the month,
 *            or that month's last day when it is shorter (31st -> Feb 28/29, Apr 30, and back
 *            to the 31st in May)
 * - yearly:  the year n * interval years after startsOn's, same month and day; Feb 29 falls on
 *            Feb 28 in common years
 * `endsOn` (inclusive) ends the schedule; so does the last date the API accepts (MAX_DATE).
 */
import { MAX_DATE, addDays, dateOfDayNumber, dayNumber, daysInMonth } from '@budgeting/platform';

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface Schedule {
  frequency: Frequency;
  /** Every `interval` days/weeks/months/years; 1 or more. */
  interval: number;
  startsOn: string;
  /** Inclusive; none means "until deleted". */
  endsOn?: string;
  /**
   * An installment plan's number of occurrences from startsOn; when set, endsOn is the date of
   * the count-th one (derived at write time, installments.ts), so the math here ignores it.
   */
  count?: number;
}

function parts(date: string): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number];
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The n-th occurrence (n >= 0), or null when it would fall after MAX_DATE. */
export function occurrence(schedule: Schedule, n: number): string | null {
  const [y, m, d] = parts(schedule.startsOn);
  let date: string;
  switch (schedule.frequency) {
    case 'daily':
    case 'weekly': {
      const step = schedule.interval * (schedule.frequency === 'weekly' ? 7 : 1);
      const day = dayNumber(schedule.startsOn) + n * step;
      if (day > dayNumber(MAX_DATE)) return null;
      date = dateOfDayNumber(day);
      break;
    }
    case 'monthly': {
      const index = y * 12 + (m - 1) + n * schedule.interval;
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      if (year > 9998) return null;
      date = format(year, month, Math.min(d, daysInMonth(year, month)));
      break;
    }
    case 'yearly': {
      const year = y + n * schedule.interval;
      if (year > 9998) return null;
      date = format(year, m, Math.min(d, daysInMonth(year, m)));
      break;
    }
  }
  return date > MAX_DATE ? null : date;
}

/**
 * The first occurrence on or after `date` (and never before startsOn), or null when the
 * schedule has ended by then (past endsOn, or past MAX_DATE).
 */
export function firstOnOrAfter(schedule: Schedule, date: string): string | null {
  const from = date > schedule.startsOn ? date : schedule.startsOn;
  let n = estimate(schedule, from);
  let candidate = occurrence(schedule, n);
  // The estimate never overshoots and is at most a step short (month ends clamp the day).
  while (candidate !== null && candidate < from) candidate = occurrence(schedule, ++n);
  if (candidate === null) return null;
  if (schedule.endsOn !== undefined && candidate > schedule.endsOn) return null;
  return candidate;
}

/** The occurrence after `date` (an occurrence just recorded), or null when the schedule ends. */
export function nextAfter(schedule: Schedule, date: string): string | null {
  if (date >= MAX_DATE) return null;
  return firstOnOrAfter(schedule, addDays(date, 1));
}

/** The occurrences of a schedule in a date range: the index n of the first, and how many. */
export interface OccurrenceWindow {
  /** n of the first occurrence in the range (meaningless when count is 0). */
  first: number;
  count: number;
}

const NONE: OccurrenceWindow = { first: 0, count: 0 };

/**
 * The occurrences in [from, to] (inclusive; startsOn, endsOn and MAX_DATE honoured), found
 * arithmetically: a constant number of occurrence() calls whatever the range's length, so a
 * daily schedule in a yearly period (365 occurrences) costs what a monthly one does. The
 * n-th occurrence grows strictly with n for every frequency (each step moves to a later day,
 * month or year), so the occurrences in a range are the indices first..first+count-1.
 */
export function occurrencesBetween(schedule: Schedule, from: string, to: string): OccurrenceWindow {
  const lo = from > schedule.startsOn ? from : schedule.startsOn;
  let hi = to < MAX_DATE ? to : MAX_DATE;
  if (schedule.endsOn !== undefined && schedule.endsOn < hi) hi = schedule.endsOn;
  if (lo > hi) return NONE;
  const after = (n: number, date: string) => {
    const d = occurrence(schedule, n);
    return d === null || d > date;
  };
  // First: count up from the estimate (never past the first on or after lo, at most a step short).
  let first = estimate(schedule, lo);
  for (let d = occurrence(schedule, first); d !== null && d < lo; d = occurrence(schedule, first)) first++;
  if (after(first, hi)) return NONE;
  // Last: the estimate for hi is at most one step past it (a month's day after hi's); then make
  // sure the next one is past hi. startsOn <= hi, so n = 0 is never past it.
  let last = estimate(schedule, hi);
  while (last > 0 && after(last, hi)) last--;
  while (!after(last + 1, hi)) last++;
  return { first, count: last - first + 1 };
}

/** The dates of a window's first `limit` occurrences, in order. */
export function windowDates(schedule: Schedule, window: OccurrenceWindow, limit: number): string[] {
  const dates: string[] = [];
  for (let i = 0; i < Math.min(window.count, limit); i++) dates.push(occurrence(schedule, window.first + i)!);
  return dates;
}

/** An n whose occurrence is on or before `from` (>= startsOn), so that counting up from it finds the first one on or after. */
function estimate(schedule: Schedule, from: string): number {
  const [sy, sm] = parts(schedule.startsOn);
  const [fy, fm] = parts(from);
  switch (schedule.frequency) {
    case 'daily':
    case 'weekly': {
      const step = schedule.interval * (schedule.frequency === 'weekly' ? 7 : 1);
      return Math.floor((dayNumber(from) - dayNumber(schedule.startsOn)) / step);
    }
    case 'monthly':
      return Math.floor((fy * 12 + fm - (sy * 12 + sm)) / schedule.interval);
    case 'yearly':
      return Math.floor((fy - sy) / schedule.interval);
  }
}
