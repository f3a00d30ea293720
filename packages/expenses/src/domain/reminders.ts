import { startOfDayIn } from '@budgeting/platform';

/**
 * When a recurring expense's reminder ("due tomorrow") is due: once its next occurrence's day
 * begins within the next 15 hours in the budget's time zone, i.e. from 09:00 local time the
 * day before (midnight - 15 h), at the hourly tick that reaches it (09:00 itself in a zone of
 * whole-hour offset, the ticks being on the hour; 09:30 in one of UTC+5:30).
 *
 * Why 15 hours: the reminder is a push, and a 24-hour lead sent it in the first hour of the day
 * before, around midnight local time: a push that wakes people. 09:00 is a waking hour; a
 * reminder the evening before would be too late for someone who pays on the due day's morning.
 *
 * The due index keys a definition by exactly that instant (the start of nextOccurrenceOn's
 * day there, repository/keys.ts), so the reminder job reads the index between the tick and the
 * tick + REMINDER_LEAD_MS, the same index the recording job reads up to the tick: a definition
 * is reminded in the hour its occurrence's day comes within the lead (or at the next tick, if
 * it comes within it later: created or resumed at noon for tomorrow), and recorded once that
 * day has begun. This constant is the only lead: the job's index read and the unit's re-check
 * (isDueSoon) both go through reminderWindow.
 *
 * Calendar dates, no times: a daylight-saving change (at night, before 09:00) makes the day
 * before 23 or 25 hours long but leaves the reminder at 09:00 local: its UTC instant moves by
 * that hour, never to another day.
 */
export const REMINDER_LEAD_MS = 15 * 60 * 60 * 1000;

/** The instants a tick at `now` reminds of: due after `now` (not yet due) and at most REMINDER_LEAD_MS later. */
export function reminderWindow(now: Date): { after: Date; until: Date } {
  return { after: now, until: new Date(now.getTime() + REMINDER_LEAD_MS) };
}

/**
 * Is the occurrence on `date` (a calendar date) "due soon" at `now` in `timezone`: does its day
 * begin after `now` and no more than REMINDER_LEAD_MS later? An occurrence whose day has begun
 * is due (the recording job's), not due soon.
 */
export function isDueSoon(date: string, timezone: string, now: Date): boolean {
  const begins = startOfDayIn(date, timezone).getTime();
  const { after, until } = reminderWindow(now);
  return begins > after.getTime() && begins <= until.getTime();
}

/**
 * Has the occurrence on `date` begun (its day started in `timezone`) by `now`: then it is due, and
 * a reminder that it is due tomorrow would be false. The reminder job asks it of the clock, as
 * well as isDueSoon of the unit's tick: a unit handed late (a queue backlog, a dead letter
 * replayed) was due soon as of its tick, not necessarily any more.
 */
export function hasBegun(date: string, timezone: string, now: Date): boolean {
  return startOfDayIn(date, timezone).getTime() <= now.getTime();
}
