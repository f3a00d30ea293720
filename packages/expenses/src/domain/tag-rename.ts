import { searchKey } from '@budgeting/platform';
import { storedTags } from './tags';

/**
 * Renaming or removing a tag across a budget's expenses (POST /v1/budgets/{budgetId}/tags/rename,
 * as Monarch's and Actual's tag management): `from` tags, matched as the list's `tag` filter
 * matches them (searchKey: case and accents ignored), become `to`, or are removed when `to` is
 * null. Pure rules here; the job is the merchant rename's (service/rename-job.service.ts) with
 * the tag kind (service/tag-rename.service.ts).
 */

/** Tags one rename may take (`from`), as the merchant rename's names. */
export const TAG_RENAME_MAX_FROM = 20;

/**
 * The expense's tags after the rename, or undefined when it has nothing to change: no tag with
 * a `from` searchKey, other than one spelled exactly `to` (so a respelling, `from: ['cafe'],
 * to: 'Café'`, rewrites `cafe` and leaves `Café`). Each matching tag is replaced by `to` in its
 * place, or dropped when `to` is null; then the stored-tags rule applies (domain/tags.ts
 * storedTags: two tags with one searchKey are one, the first kept), so an expense that already
 * had `to` keeps one. The list never grows, so the 10-tag cap holds. `[]` when none is left.
 */
export function renamedTags(tags: readonly string[] | undefined, from: readonly string[], to: string | null): string[] | undefined {
  const keys = new Set(from.map(searchKey).filter((k) => k !== ''));
  const matches = (tag: string) => tag !== to && keys.has(searchKey(tag));
  if (!tags || !tags.some(matches)) return undefined;
  const next = tags.flatMap((tag) => (!matches(tag) ? [tag] : to === null ? [] : [to]));
  return storedTags(next) ?? [];
}
