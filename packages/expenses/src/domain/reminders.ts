import { startOfDayIn } from '@budgeting/platform';

/**
 * When a recurring expense's reminder ("due tomorrow") is due: once its next occurrence's day
 * begins within the next 24 hours in the budget's time zone. The due index keys a definition
 * by exactly that instant (the start of nextOccurrenceOn's day there, repository/keys.ts), so
 * the reminder job reads the index between the tick and the tick + 24 hours, the same index
 * the recording job reads up to the tick: a definition is reminded in the hour its
 * occurrence's day comes within a day, and recorded once that day has begun.
 *
 * Calendar dates, no times: a 23- or 25-hour day (daylight saving) shifts the reminder by that
 * hour, never to another day.
 */
export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/** The instants a tick at `now` reminds of: due after `now` (not yet due) and at most a day later. */
export function reminderWindow(now: Date): { after: Date; until: Date } {
  return { after: now, until: new Date(now.getTime() + REMINDER_LEAD_MS) };
}

/**
 * Is the occurrence on `date` (a calendar date) "due soon" at `now` in `timezone`: does its day
 * begin after `now` and no more than 24 hours later? An occurrence whose day has begun is due
 * (the recording job's), not due soon.
 */
export function isDueSoon(date: string, timezone: string, now: Date): boolean {
  const begins = startOfDayIn(date, timezone).getTime();
  const { after, until } = reminderWindow(now);
  return begins > after.getTime() && begins <= until.getTime();
}
