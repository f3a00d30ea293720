import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { problems } from './problem';

/**
 * Optimistic concurrency over HTTP. Budgets and expenses carry an integer `version`; responses
 * send it as a strong ETag ("<version>"), and PATCH/DELETE may send it back in If-Match. The
 * repository then makes its write conditional on that version; a mismatch is a 412.
 */
export const etagFor = (version: number, variant?: string): string => `"${version}${variant === undefined ? '' : `-${variant}`}"`;

/**
 * `variant`: what else the answer depends on besides the item's version (lower-case letters and
 * digits), when the same version is answered differently: to different callers (a budget names
 * the caller's `role`, which the owner changes without a new budget version), or after a change
 * that is deliberately no new version (a recurring definition's next occurrence, moved by its
 * job): `"<version>-<variant>"`, so a conditional GET of one answer is never a 304 for another.
 * If-Match reads the version out of either spelling (expectedVersion).
 */
export function setEtag(c: Context, version: number, variant?: string): void {
  c.header('ETag', etagFor(version, variant));
}

/**
 * The answer of a GET of one versioned item (every route built by versionedItemRoutes), with
 * conditional GET (RFC 9110 section 13.1.2): its ETag always, and `304 Not Modified` without a
 * body when If-None-Match names the current version, else the item as JSON. The caller has
 * already read the item through its service, so the access check ran first (a stranger gets
 * that read's 404/403, never a 304) and the read costs what it always did: a 304 saves the
 * phone the body, not DynamoDB a read. One function for every such GET, so they cannot differ.
 */
export function versionedGetAnswer<T>(c: Context, version: number, body: T, variant?: string) {
  setEtag(c, version, variant);
  // A 304 carries the header fields a 200 would have (the ETag, set above), and no body.
  if (noneMatchFails(c.req.header('if-none-match'), etagFor(version, variant).slice(1, -1))) return c.body(null, 304);
  return c.json(body, 200);
}

/**
 * The answer of a GET whose representation has no version of its own (a composition of many
 * items: the home overview), with conditional GET as versionedGetAnswer: a WEAK ETag, the
 * digest of `content` (what the answer says; leave out what changes on every call, such as
 * when it was generated: hence weak, "semantically equivalent", RFC 9110 section 8.8.1), and
 * `304 Not Modified` without a body when If-None-Match names it. The reads were made either
 * way: a 304 saves the phone the body, not DynamoDB a read.
 */
export function digestGetAnswer<T>(c: Context, content: unknown, body: T) {
  const opaque = createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 27);
  c.header('ETag', `W/"${opaque}"`);
  if (noneMatchFails(c.req.header('if-none-match'), opaque)) return c.body(null, 304);
  return c.json(body, 200);
}

/**
 * Whether If-None-Match names the current version: `*` (the item exists, as it does here), or
 * a list holding its tag under the WEAK comparison (`W/"3"` matches `"3"`; the opaque parts
 * must be equal, so `"03"` does not). A header that is not `*` or a list of entity tags names
 * no version, so it gets the full 200: unlike a bad If-Match (a 400, as a write must not go
 * ahead on a condition nobody can read), a bad cache validator costs only the bytes it would
 * have saved.
 */
function noneMatchFails(header: string | undefined, version: number | string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const current = String(version);
  return (parseEntityTags(header) ?? []).some((tag) => tag.opaque === current);
}

/**
 * The versions an If-Match header accepts (RFC 9110 section 13.1.1), `undefined` when there is
 * no header or it is `*` (any current version; the resource must still exist, so a missing one
 * stays a 404 as without the header).
 *
 * If-Match uses the STRONG comparison: a weak tag (`W/"3"`) never matches, and neither does a
 * well-formed tag we never send (`"03"`, `"abc"`); they are left out, so a header made only of
 * such tags gives an empty set, i.e. a 412. A tag with a variant (`"3-viewer"`, setEtag) names its
 * version: the variant tells answers apart for caching, a write is conditioned on the version
 * alone (who may write is the route's check), but for a write about what the variant names (a
 * recurring definition's skip and record-next: its next occurrence, read with expectedTags). A list matches when any of its tags does. A header
 * that is not `*` or a list of entity tags (or lists none) is a 400 naming it.
 */
export function expectedVersion(c: Context): ReadonlySet<number> | undefined {
  const tags = expectedTags(c);
  return tags && new Set(tags.map((t) => t.version));
}

/**
 * The tags an If-Match header names that etagFor() could have made, each as its version and its
 * variant (absent for `"3"`), `undefined` when there is no header or it is `*`; the same parsing
 * and the same 400 as expectedVersion, which is these tags' versions. For a route whose write
 * is about what a variant says (a recurring definition's skip and record-next act on the next
 * occurrence its variant names: packages/expenses src/routes/next-occurrence-etag.ts).
 */
export function expectedTags(c: Context): { version: number; variant?: string }[] | undefined {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const tags = parseEntityTags(header);
  if (tags === undefined || tags.length === 0) {
    throw problems.validation([
      { path: 'header.If-Match', message: 'Must be "*" or a comma-separated list of ETags such as "3" (from a previous response)' },
    ]);
  }
  const named: { version: number; variant?: string }[] = [];
  for (const { weak, opaque } of tags) {
    // Strong comparison is octet by octet, so only the exact spelling etagFor() produces counts.
    const version = weak ? null : VERSION_TAG.exec(opaque);
    if (version) named.push({ version: Number(version[1]), ...(version[2] === undefined ? {} : { variant: version[2] }) });
  }
  return named;
}

/** What etagFor() puts between the quotes: a version without leading zeros, and its variant if any (lower-case letters and digits). */
const VERSION_TAG = /^(0|[1-9]\d{0,14})(?:-([a-z0-9]+))?$/;

/**
 * One element of the `#entity-tag` list: optional whitespace, an optional entity tag
 * (`[W/]"<etagc>*"`; etagc is any visible character but `"`, and obs-text), optional whitespace,
 * then a comma or the end. Tags may contain commas, so the list is scanned, not split; empty
 * elements are allowed, as RFC 9110 section 5.6.1.2 asks of recipients. The whitespace after a
 * tag is inside the tag's group: two optional runs of whitespace side by side let the engine
 * split a long run between them in every way before giving up, quadratic in a header a client
 * sends (16 KB of spaces took a quarter of a second). Exported for that check (if-match.test.ts).
 */
export const LIST_ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*)?(,|$)/y;

/** The entity tags of a list, `undefined` when it is not one. */
function parseEntityTags(header: string): { weak: boolean; opaque: string }[] | undefined {
  const tags: { weak: boolean; opaque: string }[] = [];
  LIST_ELEMENT.lastIndex = 0;
  for (;;) {
    const match = LIST_ELEMENT.exec(header);
    if (!match) return undefined;
    if (match[2] !== undefined) tags.push({ weak: match[1] !== undefined, opaque: match[2] });
    if (match[3] === '') return tags; // reached the end
  }
}
