/**
 * What the access line keeps of a request's path. Two URLs are their own credential, sent with
 * no Authorization: a calendar feed's (`/v1/calendar/<budgetId>.<userId>.<feedId>.<secret>.ics`:
 * calendar apps poll it, packages/expenses/docs/recurring.md "Calendar feed") and a mail's
 * one-click unsubscribe (`/v1/unsubscribe/<userId>.<kind>.<mac>`: a mailbox provider POSTs it, a browser GETs its page,
 * packages/users/docs/profile-and-preferences.md). The line keeps their ids, to trace a request,
 * and never the secret or the MAC, whatever the request's method or answer (until 2026-12-07 an
 * unsubscribe's line kept its whole token: whoever read the logs could turn anyone's mails off).
 * Every other path as it is.
 *
 * Wherever `/calendar/` or `/unsubscribe/` stands in the path, in any letter case: a URL under
 * another prefix (`//v1/calendar/...`, `/v1/v1/calendar/...` from a client joining a base URL and
 * the feed's, `/V1/calendar/...`) matches no route but carries the same secret, and until
 * 2026-12-07 its 404's line kept the whole path. No route of the API has either segment elsewhere.
 */
const CREDENTIAL_PATHS = [
  // <budgetId>.<userId>.<feedId>.<secret>.ics: the three ids are kept.
  { segment: '/calendar/', parts: 5, kept: 3 },
  // <userId>.<kind>.<mac>: whose mail and which kind are kept.
  { segment: '/unsubscribe/', parts: 3, kept: 2 },
];
const REDACTED = '<redacted>';

export function loggedPath(path: string): string {
  const lower = path.toLowerCase();
  for (const { segment, parts: count, kept } of CREDENTIAL_PATHS) {
    const at = lower.indexOf(segment);
    if (at === -1) continue;
    const head = path.slice(0, at + segment.length);
    const parts = path.slice(head.length).split('.');
    // Anything else than the credential's own shape is dropped whole.
    const ids = parts.length === count && !parts.slice(0, kept).some((p) => p.includes('/')) ? parts.slice(0, kept) : [];
    return `${head}${[...ids, REDACTED].join('.')}`;
  }
  return path;
}
