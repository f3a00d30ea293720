/**
 * Calendar dates as the API speaks them: "YYYY-MM-DD" strings, compared as strings (the
 * format sorts chronologically), with no time zone attached. Only "today" needs a zone.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date (2026-02-29 is not one; 2028-02-29 is). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

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
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
