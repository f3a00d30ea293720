import type { CategorizationRule } from '../model';
import { mergedTags } from './categorization';
import { splitByRule } from './rule-split';

/**
 * Applying a saved rule to expenses recorded before it (POST .../rules/{ruleId}/apply, Firefly
 * III's "apply rule", Actual's "apply to all"): what the rule would change on ONE expense its
 * conditions match (the caller tested them: ruleMatches). Pure; the service writes the patch
 * through the PATCH's own write.
 *
 * - A rule with a `categoryId` files the expense under it when its category differs, and adds
 *   its `tags` after the expense's own, as a create does (mergedTags: deduplicated, at most 10
 *   in all, the rule's beyond that dropped).
 * - A split expense is SKIPPED by a rule with a `categoryId` (its parts have their own
 *   categories, a rule sets one; as the bulk edit's recategorize refuses one): nothing of that
 *   rule is applied to it, not its rename nor its tags either. A rename-only rule renames it.
 * - A rule with a `split` (domain/rule-split.ts) makes a plain expense (of any category, or none)
 *   a split expense of the parts its amount gives (splitByRule; when only one part is left, it
 *   is filed under that category, unchanged when it already is), adding its tags the same way.
 *   A split expense whose parts are exactly those (the same categories and amounts in the same
 *   order, no part description: as this rule, or an earlier apply of it, split it) is already
 *   filed as the rule files it, as a plain expense already in a category rule's category: only
 *   its tags and rename may still apply, else `unchanged`. Any other split expense is skipped,
 *   as by a rule with a `categoryId`.
 * - `renameTo` sets the merchant when it is not exactly that text already.
 * - Otherwise the expense is already as the rule makes it: `unchanged`, nothing to write.
 */
export type RuleEffect = { kind: 'change'; patch: RulePatch } | { kind: 'unchanged' } | { kind: 'skipped' };

/** The fields a rule changes, each only when it changes (a PATCH body). */
export interface RulePatch {
  categoryId?: string;
  /** A split rule's parts (minor units, adding up to the expense's amount). */
  splits?: { categoryId: string; amount: number }[];
  merchant?: string;
  tags?: string[];
}

/** What ruleEffect reads of an expense (an expense itself, or a rule walk's row). */
export interface RuleTarget {
  /** What a split rule divides (minor units). */
  amount: number;
  categoryId: string | null;
  split: boolean;
  /** A split expense's parts, when known: needed to tell one a split rule would leave as it is. */
  splits?: readonly { categoryId: string | null; amount: number; description?: string }[];
  merchant?: string;
  tags?: readonly string[];
}

export function ruleEffect(rule: Pick<CategorizationRule, 'categoryId' | 'split' | 'renameTo' | 'tags'>, expense: RuleTarget): RuleEffect {
  const files = rule.categoryId !== undefined || rule.split !== undefined;
  const filed = rule.split !== undefined ? splitByRule(expense.amount, rule.split) : rule.categoryId !== undefined ? { categoryId: rule.categoryId } : undefined;
  const splitAsFiled = filed !== undefined && 'splits' in filed && expense.split && sameParts(expense.splits, filed.splits);
  if (files && expense.split && !splitAsFiled) return { kind: 'skipped' };
  const patch: RulePatch = {};
  if (filed) {
    if (splitAsFiled) {
      // Already split exactly so: nothing to file, its tags and rename as for a plain expense.
    } else if ('splits' in filed) patch.splits = filed.splits;
    else if (expense.categoryId !== filed.categoryId) patch.categoryId = filed.categoryId;
    const had = expense.tags ?? [];
    const tags = mergedTags([...had], rule.tags);
    // The expense's own come first and stay as they are: a longer list is one with the rule's added.
    if (tags && tags.length > had.length) patch.tags = tags;
  }
  if (rule.renameTo !== undefined && expense.merchant !== rule.renameTo) patch.merchant = rule.renameTo;
  return Object.keys(patch).length === 0 ? { kind: 'unchanged' } : { kind: 'change', patch };
}

/** Whether an expense's parts are exactly a split rule's (in order; a part description is something the rule would drop). */
function sameParts(parts: RuleTarget['splits'], filed: readonly { categoryId: string; amount: number }[]): boolean {
  return (
    parts !== undefined &&
    parts.length === filed.length &&
    parts.every((p, i) => p.categoryId === filed[i]!.categoryId && p.amount === filed[i]!.amount && p.description === undefined)
  );
}
