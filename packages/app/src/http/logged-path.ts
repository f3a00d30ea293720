/**
 * What the access line keeps of a request's path. A calendar feed's URL is its credential
 * (`/v1/calendar/<budgetId>.<userId>.<feedId>.<secret>.ics`: calendar apps send no
 * Authorization, packages/expenses/docs/recurring.md "Calendar feed"), so the line keeps the ids, to trace a feed,
 * and never the secret, whatever the request's method or answer. Every other path as it is.
 */
const CALENDAR = '/v1/calendar/';
const REDACTED = '<redacted>';

export function loggedPath(path: string): string {
  if (!path.startsWith(CALENDAR)) return path;
  const parts = path.slice(CALENDAR.length).split('.');
  // <budgetId>.<userId>.<feedId>.<secret>.ics: the three ids are kept; anything else is dropped whole.
  const ids = parts.length === 5 && !parts.slice(0, 3).some((p) => p.includes('/')) ? parts.slice(0, 3) : [];
  return `${CALENDAR}${[...ids, REDACTED].join('.')}`;
}
