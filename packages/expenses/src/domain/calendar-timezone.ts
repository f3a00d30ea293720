import { utcOffsetMinutesIn } from '@budgeting/platform';

/**
 * A budget's time zone as an iCalendar VTIMEZONE (RFC 5545 3.6.5), over the days a feed lists:
 * the offset in force when its first day begins (`firstDayStart`, that day's first instant
 * there) and each change of it until its last day ends, one observance each (DTSTART only, no
 * RRULE: the changes are read from the runtime's zone rules, Intl, as every date of the app is,
 * not written as rules of their own). The last observance stands after the span, where the feed
 * has nothing. Cost: about 15 offset reads and 20 more per change (under a millisecond).
 *
 * Why a feed carries it: RFC 5545's grammar wants at least one component in a calendar
 * (`component = 1*(...)`, 3.6), and a feed with no bill to list (an archived budget's, a budget
 * with none in the next 90 days) had none: a validating reader refuses such a document
 * (sabre/vobject: "An iCalendar object must have at least 1 component"). The zone is the one
 * component true of every feed that adds no event; the feed's all-day events name no TZID, so
 * no calendar reads their dates through it.
 *
 * Lines are short ASCII (an IANA name of at most ~40 characters, dates, offsets): no folding.
 */
export function timezoneComponent(timeZone: string, firstDayStart: Date, days: number): string[] {
  const start = firstDayStart.getTime();
  // A day more than the span: its last day ends within it whatever the day's length (23 to 25 hours).
  const end = start + (days + 1) * DAY;
  const offsetAt = (ms: number) => utcOffsetMinutesIn(new Date(ms), timeZone);
  // The standard offset: the smaller of January's and July's (daylight saving adds to it, in either hemisphere).
  const year = firstDayStart.getUTCFullYear();
  const standard = Math.min(offsetAt(Date.UTC(year, 0, 1)), offsetAt(Date.UTC(year, 6, 1)));

  const observances = [observance(start, offsetAt(start - SECOND), offsetAt(start), standard)];
  // A week at a time (no zone's offset changes twice within a week: a change stands for months,
  // the shortest, Morocco's Ramadan one, about a month), then to the second within the week that changed.
  let before = start;
  let offset = offsetAt(start);
  while (before < end) {
    const at = Math.min(before + WEEK, end);
    const now = offsetAt(at);
    if (now !== offset) {
      observances.push(observance(firstInstantWith(offsetAt, before, at), offset, now, standard));
      offset = now;
    }
    before = at;
  }
  return ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, ...observances.flat(), 'END:VTIMEZONE'];
}

const SECOND = 1_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** The first instant in (after, at] whose offset is `at`'s, to the second (offsets change on whole seconds). */
function firstInstantWith(offsetAt: (ms: number) => number, after: number, at: number): number {
  const target = offsetAt(at);
  let lo = after;
  let hi = at;
  while (hi - lo > SECOND) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND) * SECOND;
    if (offsetAt(mid) === target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * One observance from `onset`: DAYLIGHT when its offset is past the standard one, else STANDARD;
 * DTSTART the onset's wall-clock time in the offset before it (RFC 5545 3.6.5, as TZOFFSETFROM).
 */
function observance(onset: number, from: number, to: number, standard: number): string[] {
  const kind = to > standard ? 'DAYLIGHT' : 'STANDARD';
  const wall = new Date(onset + from * 60_000).toISOString();
  const dtstart = `${wall.slice(0, 4)}${wall.slice(5, 7)}${wall.slice(8, 10)}T${wall.slice(11, 13)}${wall.slice(14, 16)}${wall.slice(17, 19)}`;
  return [`BEGIN:${kind}`, `DTSTART:${dtstart}`, `TZOFFSETFROM:${utcOffset(from)}`, `TZOFFSETTO:${utcOffset(to)}`, `END:${kind}`];
}

/** An offset in minutes as RFC 5545's utc-offset: +0100, -0500, +0545. */
function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
