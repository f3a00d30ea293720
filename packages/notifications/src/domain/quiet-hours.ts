import { isTimeZone, timeInTimeZone } from '@budgeting/platform';
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
 * every minute from `start` to `end` is quiet, the minute before `start` and `end` itself are
 * not. On a night the clocks go back, 22:00-07:00 lasts 10 hours in UTC, on one they go forward 8;
 * a window whose end falls in the hour that does not occur ends when the clock jumps past it;
 * an hour that occurs twice inside it is one occurrence, not two. But a window that ENDS inside
 * the repeated hour (22:00-01:30 on a night New York goes back at 02:00) ends at its first 01:30
 * and holds again from the second 01:00: two occurrences, the pushes between them sent, each
 * with its own summary (until feat/hunt-notify the second reached back over the gap to 22:00, so
 * its summary told the first one's notifications again, and the pushes sent between them).
 *
 * Precision: the minute (wall clocks change at whole UTC minutes in every zone in use). How: the
 * wall clock runs on, minute for minute, between two changes of the zone's UTC offset, so from a
 * quiet minute the edge is where the wall clock reaches `to` (or, backwards, the minute before
 * `from`) unless the offset changes on the way; then the edge is at that change if the clock
 * jumps out of the window there, else the search goes on from it. A change is found by bisection
 * over minutes (a dozen zone lookups, not one per minute).
 */
export function quietSpanAt(window: Window | null | undefined, at: Date, timeZone: string): QuietSpan | null {
  if (!window || !inQuietHours(window, at, timeZone)) return null;
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const quiet = (ms: number) => inQuietHours(window, new Date(ms), zone);
  const wall = (ms: number) => minutesOf(timeInTimeZone(new Date(ms), zone));
  // The zone's UTC offset at a minute, as minutes modulo a day (only compared for equality).
  const offset = (ms: number) => mod(wall(ms) - Math.floor(ms / MINUTE), DAY_MINUTES);
  const minute = Math.floor(at.getTime() / MINUTE) * MINUTE;
  // End: the first minute that is not quiet.
  let end = minute;
  for (let hops = 0; hops < 4; hops++) {
    const probe = end + (mod(minutesOf(window.to) - wall(end), DAY_MINUTES) || DAY_MINUTES) * MINUTE;
    const from = offset(end);
    // No change of offset on the way: the wall clock reaches `to` at the probe.
    if (offset(probe) === from) return { start: startOf(), end: new Date(probe) };
    // The first minute of the new offset: quiet until then; out of the window there, the end.
    end = edge(end, probe, (ms) => offset(ms) !== from);
    if (!quiet(end)) break;
  }
  return { start: startOf(), end: new Date(end) };

  /** The first quiet minute of the occurrence, searched backwards from `minute` alike. */
  function startOf(): Date {
    let first = minute;
    for (let hops = 0; hops < 4; hops++) {
      const probe = first - (mod(wall(first) - minutesOf(window!.from), DAY_MINUTES) + 1) * MINUTE;
      const to = offset(first);
      // No change on the way: the probe is the minute before `from` on the wall clock.
      if (offset(probe) === to) return new Date(probe + MINUTE);
      // The first minute of the offset `first` has: quiet from there; the minute before it out of the window, the start.
      first = edge(probe, first, (ms) => offset(ms) === to);
      if (!quiet(first - MINUTE)) break;
      first -= MINUTE;
    }
    return new Date(first);
  }
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
