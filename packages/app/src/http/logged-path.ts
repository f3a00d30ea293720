/**
 * What the access line keeps of a request's path. A calendar feed's URL is its credential
 * (`/v1/calendar/<budgetId>.<userId>.<feedId>.<secret>.ics`: calendar apps send no
 * Authorization, packages/expenses/docs/recurring.md "Calendar feed"), so the line keeps the ids, to trace a feed,
 * and never the secret, whatever the request's method or answer. Every other path as it is.
 *
 * Wherever `/calendar/` stands in the path, in any letter case: a feed's URL under another
 * prefix (`//v1/calendar/...`, `/v1/v1/calendar/...` from a client joining a base URL and the
 * feed's, `/V1/calendar/...`) matches no route but carries the same secret, and until
 * 2026-12-07 its 404's line kept the whole path. No route of the API has `/calendar/` elsewhere.
 */
const CALENDAR = '/calendar/';
const REDACTED = '<redacted>';

export function loggedPath(path: string): string {
  const at = path.toLowerCase().indexOf(CALENDAR);
  if (at === -1) return path;
  const head = path.slice(0, at + CALENDAR.length);
  const parts = path.slice(head.length).split('.');
  // <budgetId>.<userId>.<feedId>.<secret>.ics: the three ids are kept; anything else is dropped whole.
  const ids = parts.length === 5 && !parts.slice(0, 3).some((p) => p.includes('/')) ? parts.slice(0, 3) : [];
  return `${head}${[...ids, REDACTED].join('.')}`;
}
