import { dateInTimeZone, dayNumber, isTimeZone, timeInTimeZone } from '@budgeting/platform';
import type { UserSummary } from '@budgeting/users';

/** A user's daily push pause (PATCH /v1/me notifications.quietHours): 24-hour HH:MM, from != to. */
export type QuietHours = NonNullable<UserSummary['notifications']['quietHours']>;
/** The window itself (its summary switch apart). */
type Window = Pick<QuietHours, 'from' | 'to'>;

/**
 * Whether `at` falls in the quiet hours on the wall clock of `timeZone` (the user's profile
 * zone): from inclusive, to exclusive, and a window whose `to` is not after its `from` crosses
 * midnight (22:00-07:00 is 22:00 to 23:59 and 00:00 to 06:59). Local time comes from the
 * platform's timeInTimeZone (Intl, the zone's own daylight-saving rules): on a day the clocks
 * change, the window follows the wall clock, so it lasts an hour more or less in UTC.
 *
 * A zone the runtime does not know (a profile stored before validation, or a zone a newer tz
 * database dropped) is read as UTC, as the expenses' `today` does (domain/dates.ts). No window
 * (null), or a degenerate one (from == to, refused by PATCH /v1/me), is never quiet.
 */
export function inQuietHours(window: Window | null | undefined, at: Date, timeZone: string): boolean {
  if (!window || window.from === window.to) return false;
  const local = timeInTimeZone(at, isTimeZone(timeZone) ? timeZone : 'UTC');
  return window.from < window.to ? local >= window.from && local < window.to : local >= window.from || local < window.to;
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const mod = (n: number, m: number): number => ((n % m) + m) % m;

/** One occurrence of the quiet hours, as instants: `start` its first quiet minute, `end` its first minute after. */
export interface QuietSpan {
  start: Date;
  end: Date;
}

/**
 * The occurrence of the quiet hours that `at` falls in (null when it is not quiet): what a
 * summary push is scheduled for (it goes at `end`, and covers what was held from `start`).
 * By the same wall clock as inQuietHours, whose answer it is made of, so the two never disagree:
 * on a night the clocks go back, 22:00-07:00 lasts 10 hours in UTC, on one they go forward 8; a
 * window whose end falls in the hour that does not occur ends when the clock jumps past it;
 * an hour that occurs twice inside it is one occurrence, not two.
 *
 * Precision: the minute (wall clocks change at whole UTC minutes in every zone in use). How: a
 * guess of how far the edge is on the wall clock, then a bisection over minutes between the
 * last quiet instant and the first that is not (a dozen zone lookups, not one per minute).
 */
export function quietSpanAt(window: Window | null | undefined, at: Date, timeZone: string): QuietSpan | null {
  if (!window || !inQuietHours(window, at, timeZone)) return null;
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const quiet = (ms: number) => inQuietHours(window, new Date(ms), zone);
  const wall = (ms: number) => minutesOf(timeInTimeZone(new Date(ms), zone));
  // The wall clock as a count of minutes (its date too), so how far it moved between two instants is known without a wrap.
  const wallCount = (ms: number) => dayNumber(dateInTimeZone(new Date(ms), zone)) * DAY_MINUTES + wall(ms);
  const minute = Math.floor(at.getTime() / MINUTE) * MINUTE;
  // End: the wall clock reads `to` after `ahead` minutes unless the clocks change on the way.
  // Still quiet there: either they went back (the wall has not reached `to`: look again from
  // there), or they went forward and the wall passed `to` and the hours after it into the
  // window's next occurrence (a window of almost a day): it ended where the wall reached `to`.
  let end = minute;
  for (let hops = 0; hops < 4 && quiet(end); hops++) {
    const ahead = mod(minutesOf(window.to) - wall(end), DAY_MINUTES) || DAY_MINUTES;
    const probe = end + ahead * MINUTE;
    const from = end;
    const reached = (ms: number) => wallCount(ms) - wallCount(from) >= ahead;
    if (!quiet(probe)) end = edge(end, probe, (ms) => !quiet(ms));
    else if (wallCount(probe) - wallCount(from) > ahead) end = edge(from, probe, reached);
    else end = probe;
  }
  // Start: the minute before `from` on the wall clock, likewise (the wall passed back over it
  // into the previous occurrence when the clocks went forward on the way).
  let before = minute;
  for (let hops = 0; hops < 4 && quiet(before); hops++) {
    const back = mod(wall(before) - minutesOf(window.from), DAY_MINUTES) + 1;
    const probe = before - back * MINUTE;
    const from = before;
    const notYetBack = (ms: number) => wallCount(from) - wallCount(ms) < back;
    if (!quiet(probe)) before = edge(probe, before, quiet) - MINUTE;
    else if (wallCount(from) - wallCount(probe) > back) before = edge(probe, from, notYetBack) - MINUTE;
    else before = probe;
  }
  return { start: new Date(before + MINUTE), end: new Date(end) };
}

/**
 * Between minute `lo` (where `past` is false) and minute `hi` (where it is true), the first
 * minute where it is true: a bisection.
 */
function edge(lo: number, hi: number, past: (ms: number) => boolean): number {
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (past(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
