import { searchKey } from '@budgeting/platform';
import type { CategorizationRule, MerchantMatch } from '../model';
import { TAGS_MAX, storedTags } from './tags';

/**
 * Categorization rules (as Actual's and Firefly III's rules): a budget's owner says "an expense
 * at a merchant like this goes to that category (with these tags)", and new expenses recorded
 * without a category take it. Pure logic; the service reads the rules (one Query) and the
 * budget's categories.
 *
 * - A rule applies only to a NEW expense whose body has no `categoryId` field and no `splits`
 *   (an explicit `categoryId: null` means "uncategorized" and stays so), and that has a
 *   merchant: POST /expenses, offline push creates, and CSV rows with an empty category.
 *   Never to a PATCH, to expenses recorded before, or to recurring occurrences (a definition
 *   holds its own category).
 * - `merchant.equals` matches the whole merchant, `merchant.contains` text found anywhere in
 *   it, both compared by searchKey (case, accents and spacing ignored: "CAFÉ" is "cafe").
 * - Order: ascending `position` (default 0), then creation (ids are ULIDs, and sort so). The
 *   first rule that matches AND whose category the budget still has wins; a rule naming a
 *   category removed since is passed over (the next rule may match; none: uncategorized).
 * - Tags: the request's first, then the rule's, deduplicated as any tags are (first spelling
 *   wins), at most TAGS_MAX (the rule's beyond that are dropped).
 */

/** The most rules one budget holds (409 past it): every create without a category reads them all in one Query page. */
export const MAX_RULES_PER_BUDGET = 100;
/** `position` bounds: rules run from the lowest; 0 is the default, so negatives run before rules created without one. */
export const POSITION_MIN = -10_000;
export const POSITION_MAX = 10_000;

/** Whether a create's body asks a rule for its category: no `categoryId` field, no `splits`, a merchant. */
export function wantsRule(input: { categoryId?: string | null; splits?: unknown; merchant?: string }): boolean {
  return !('categoryId' in input) && input.splits === undefined && !!input.merchant && searchKey(input.merchant) !== '';
}

/** The rules in the order they are tried: by position, then by id (creation order). */
export function inRuleOrder<R extends Pick<CategorizationRule, 'id' | 'position'>>(rules: readonly R[]): R[] {
  return [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Does `merchant` match the rule's pattern (both folded by searchKey)? */
export function merchantMatches(pattern: MerchantMatch, merchant: string): boolean {
  const key = searchKey(merchant);
  if ('equals' in pattern) return key === searchKey(pattern.equals);
  const part = searchKey(pattern.contains);
  return part !== '' && key.includes(part);
}

/**
 * The first rule (in rule order) matching `merchant` whose category `isCategory` accepts (the
 * budget's categories, when known; a transaction's check otherwise), or undefined.
 */
export function firstMatchingRule<R extends Pick<CategorizationRule, 'id' | 'position' | 'merchant' | 'categoryId'>>(
  rules: readonly R[],
  merchant: string,
  isCategory: (categoryId: string) => boolean,
): R | undefined {
  return inRuleOrder(rules).find((r) => isCategory(r.categoryId) && merchantMatches(r.merchant, merchant));
}

/** The request's tags followed by the rule's, deduplicated, at most TAGS_MAX; undefined when none. */
export function mergedTags(request: readonly string[] | undefined, rule: readonly string[] | undefined): string[] | undefined {
  return storedTags([...(request ?? []), ...(rule ?? [])])?.slice(0, TAGS_MAX);
}

/**
 * What a create records once `rule` (if any) has filled it in: its category and the merged
 * tags, and `ruleId` (for the event's `categorizedBy`). Without a rule, the input as sent.
 */
export function categorizedBy<I extends { categoryId?: string | null; tags?: string[] }>(
  input: I,
  rule: Pick<CategorizationRule, 'id' | 'categoryId' | 'tags'> | undefined,
): { input: I; ruleId?: string } {
  if (!rule) return { input };
  const tags = mergedTags(input.tags, rule.tags);
  return { input: { ...input, categoryId: rule.categoryId, ...(tags ? { tags } : {}) }, ruleId: rule.id };
}
