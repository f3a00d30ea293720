import type { Context } from 'hono';
import { problems } from './problem';

/**
 * Optimistic concurrency over HTTP. Budgets and expenses carry an integer `version`; responses
 * send it as a strong ETag ("<version>"), and PATCH/DELETE may send it back in If-Match. The
 * repository then makes its write conditional on that version; a mismatch is a 412.
 */
export const etagFor = (version: number): string => `"${version}"`;

export function setEtag(c: Context, version: number): void {
  c.header('ETag', etagFor(version));
}

/**
 * The version an If-Match header demands, `undefined` when there is no header or it is `*`
 * (any current version). A malformed header is a 400 naming it.
 */
export function expectedVersion(c: Context): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match) {
    throw problems.validation([{ path: 'header.If-Match', message: 'Must be an ETag such as "3" (from a previous response)' }]);
  }
  return Number(match[1]);
}
