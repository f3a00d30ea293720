import { normalizeName, searchKey } from '@budgeting/platform';

/**
 * Tags: cross-cutting labels on an expense (`vacation-2026`, `reimbursable`) that its category
 * cannot express. The rules every write obeys (the schemas check the counts and lengths, each
 * bad tag a 400 naming `tags.<n>`, too many naming `tags`):
 *
 * - at most TAGS_MAX tags, each TAG_MAX characters at most after trimming, not empty, not
 *   only invisible characters;
 * - stored as sent, name-normalized (platform normalizeName: NFC, invisible characters
 *   dropped, whitespace trimmed and collapsed), in the order sent;
 * - two tags with the same searchKey (case- and accent-insensitive) are one tag: the first
 *   spelling sent is kept, the later ones dropped;
 * - none (`[]`, or a PATCH's `null`) is stored as no attribute at all, as the other optional
 *   fields are.
 *
 * Matching (the list's `tag` filter) compares searchKeys computed from the stored spelling,
 * so what is stored is the display spelling only: nothing else is written.
 */
export const TAGS_MAX = 10;
export const TAG_MAX = 32;

/** The tags as stored: normalized, deduplicated by searchKey (first spelling wins), order kept; undefined when none. */
export function storedTags(input: readonly string[] | null | undefined): string[] | undefined {
  if (!input) return undefined;
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of input) {
    const tag = normalizeName(raw);
    const key = searchKey(tag);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags.length === 0 ? undefined : tags;
}

/** `{ tags }` when there are some, `{}` otherwise: what a create stores. */
export function tagsField(input: readonly string[] | null | undefined): { tags?: string[] } {
  const tags = storedTags(input);
  return tags ? { tags } : {};
}

/**
 * A PATCH of tags, applied to `next` (a copy being built): not sent keeps them, `null` or `[]`
 * removes them, a list replaces them.
 */
export function patchTags(next: { tags?: string[] }, input: readonly string[] | null | undefined): void {
  if (input === undefined) return;
  const tags = storedTags(input);
  if (tags) next.tags = tags;
  else delete next.tags;
}

/** Does any of the stored tags have this searchKey? */
export function hasTag(tags: readonly string[] | undefined, key: string): boolean {
  return (tags ?? []).some((t) => searchKey(t) === key);
}
