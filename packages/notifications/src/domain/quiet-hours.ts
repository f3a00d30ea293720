import { isTimeZone, timeInTimeZone } from '@budgeting/platform';
import type { UserSummary } from '@budgeting/users';

/** A user's daily push pause (PATCH /v1/me notifications.quietHours): 24-hour HH:MM, from != to. */
export type QuietHours = NonNullable<UserSummary['notifications']['quietHours']>;

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
export function inQuietHours(window: QuietHours | null | undefined, at: Date, timeZone: string): boolean {
  if (!window || window.from === window.to) return false;
  const local = timeInTimeZone(at, isTimeZone(timeZone) ? timeZone : 'UTC');
  return window.from < window.to ? local >= window.from && local < window.to : local >= window.from || local < window.to;
}
