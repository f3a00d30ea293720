import type { CategorizationRule } from '../model';
import { mergedTags } from './categorization';

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
 * - `renameTo` sets the merchant when it is not exactly that text already.
 * - Otherwise the expense is already as the rule makes it: `unchanged`, nothing to write.
 */
export type RuleEffect = { kind: 'change'; patch: RulePatch } | { kind: 'unchanged' } | { kind: 'skipped' };

/** The fields a rule changes, each only when it changes (a PATCH body). */
export interface RulePatch {
  categoryId?: string;
  merchant?: string;
  tags?: string[];
}

/** What ruleEffect reads of an expense (an expense itself, or a rule walk's row). */
export interface RuleTarget {
  categoryId: string | null;
  split: boolean;
  merchant?: string;
  tags?: readonly string[];
}

export function ruleEffect(rule: Pick<CategorizationRule, 'categoryId' | 'renameTo' | 'tags'>, expense: RuleTarget): RuleEffect {
  if (rule.categoryId !== undefined && expense.split) return { kind: 'skipped' };
  const patch: RulePatch = {};
  if (rule.categoryId !== undefined) {
    if (expense.categoryId !== rule.categoryId) patch.categoryId = rule.categoryId;
    const had = expense.tags ?? [];
    const tags = mergedTags([...had], rule.tags);
    // The expense's own come first and stay as they are: a longer list is one with the rule's added.
    if (tags && tags.length > had.length) patch.tags = tags;
  }
  if (rule.renameTo !== undefined && expense.merchant !== rule.renameTo) patch.merchant = rule.renameTo;
  return Object.keys(patch).length === 0 ? { kind: 'unchanged' } : { kind: 'change', patch };
}
