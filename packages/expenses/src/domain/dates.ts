/**
 * Month arithmetic on calendar dates ("YYYY-MM-DD", see the platform's dates.ts). Only
 * "today" needs a time zone.
 */
import { dateInTimeZone, daysInMonth, isTimeZone } from '@budgeting/platform';

/** "2026-11" for "2026-11-24". */
export const monthOf = (date: string): string => date.slice(0, 7);

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(daysInMonth(year, m)).padStart(2, '0')}`;
}

/** The month after "YYYY-MM" (or `delta` months away). */
export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Today's date in an IANA time zone; UTC when the zone is unknown to this runtime. */
export function todayIn(timeZone: string, now: Date): string {
  return isTimeZone(timeZone) ? dateInTimeZone(now, timeZone) : now.toISOString().slice(0, 10);
}
