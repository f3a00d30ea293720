import { searchKey } from '@budgeting/platform';
import { rankSuggestions } from './merchant-suggestions';

/**
 * Tag autocomplete and the tag manager's list (GET /v1/budgets/{budgetId}/tags): the tags of
 * a budget's recent expenses, most used first. Computed on read from the merchant
 * suggestions' window (the newest MERCHANT_WINDOW_MAX_EXPENSES expenses of the last
 * MERCHANT_WINDOW_DAYS days; service/merchants.service.ts), never stored: the write path is
 * unchanged.
 */

/** What the window reads of one expense (the Query's projection). */
export interface TagUse {
  tags?: string[];
  occurredOn: string;
}

export interface TagSuggestion {
  /** The spelling of its most recent use. */
  tag: string;
  /** Expenses carrying this tag in the window. */
  count: number;
  lastUsedOn: string;
}

/**
 * Groups the expenses' tags by `searchKey` (case, accents, ß/ss ignored: the key the list's
 * `?tag=` filter compares, domain/tags.ts hasTag, so a suggestion's count is what that filter
 * finds in the window). An expense counts once per tag. `uses` newest first, as the date index
 * returns them: the most recent use (the latest `occurredOn`; on equal dates the first met)
 * gives the spelling.
 */
export function groupTags(uses: readonly TagUse[]): TagSuggestion[] {
  const groups = new Map<string, TagSuggestion>();
  for (const use of uses) {
    const seen = new Set<string>();
    for (const tag of use.tags ?? []) {
      const key = searchKey(tag);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const group = groups.get(key);
      if (!group) groups.set(key, { tag, count: 1, lastUsedOn: use.occurredOn });
      else {
        group.count += 1;
        if (use.occurredOn > group.lastUsedOn) Object.assign(group, { tag, lastUsedOn: use.occurredOn });
      }
    }
  }
  return [...groups.values()];
}

/**
 * The suggestions for a request: grouped (groupTags), ranked as the merchant suggestions
 * (rankSuggestions): `q` matches the start of the tag or of one of its words, ignoring case
 * and accents ("2026" finds "vacation-2026", "vaca" finds it too); most used first, then
 * most recently used; the first `limit`.
 */
export function suggestTags(uses: readonly TagUse[], request: { q?: string; limit: number }): TagSuggestion[] {
  return rankSuggestions(groupTags(uses), (s) => s.tag, request);
}
