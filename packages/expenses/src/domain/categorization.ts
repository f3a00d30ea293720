import { searchKey } from '@budgeting/platform';
import type { AmountRange, CategorizationRule, DescriptionMatch, MerchantMatch } from '../model';
import { splitByRule } from './rule-split';
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
 * - A rule may `split` instead (domain/rule-split.ts): the expense becomes a split expense, its
 *   amount divided by the rule's percents (every part's category the budget's, else passed over).
 * - Tags: the request's first, then the rule's, deduplicated as any tags are (first spelling
 *   wins), at most TAGS_MAX (the rule's beyond that are dropped).
 *
 * Payee renaming (YNAB's renaming rules, Actual's "rename payee"): a rule may carry `renameTo`
 * (a rule has a `categoryId`, a `renameTo`, or both). On a NEW expense with a merchant (the same
 * entry points), FIRST the rename: the first rule in rule order whose merchant condition
 * matches the merchant AS SENT and that has `renameTo` sets the merchant: on an imported row
 * whether or not it names a category, on a hand-entered create only when it asks for a
 * categorization (no category, no splits: docs/rules.md "Renaming"). THEN categorization
 * as above, matched against the RENAMED merchant, among the rules that have a `categoryId`
 * (a rule with both may do both, or only one: its condition is tested against the merchant
 * as sent for the rename, and as renamed for the category). A rename-only rule brings no
 * tags: a rule's tags come with its categorization only. One rename at most (no chains).
 *
 * More conditions (Actual's and Firefly III's rule conditions): a rule may also carry
 * `amount: {min?, max?}` (the expense's amount within the bounds, integer minor units, both
 * inclusive) and `description: {contains}` (text found in the expense's description, folded by
 * searchKey as the merchant is; an expense without a description never matches it). Every
 * condition a rule has must hold (AND), for the rename as for the categorization: the amount
 * and the description are the create's own (a rename changes only the merchant). A rule
 * without them matches exactly as before (ruleMatches is merchantMatches then).
 *
 * `merchant` stays REQUIRED on every rule, also with an amount or description condition. A
 * rule without one would have to apply to creates without a merchant, and those read no rules
 * today: a create without a merchant and without a category is ONE request (the transaction),
 * and every such create would pay a Query of the rules for the few budgets that have such a
 * rule (packages/expenses/docs/rules.md "Cap and cost"). So where rules apply stays as it was: new expenses with a
 * merchant (`contains` of a short text, e.g. one letter, reaches nearly any merchant).
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

/** What a rule's conditions are tested against: the merchant (as sent, or renamed), and the create's amount and description. */
export interface RuleSubject {
  merchant: string;
  amount?: number;
  description?: string | null;
}

/** Is `amount` within the range (both bounds inclusive; an absent bound is no bound)? No amount: no. */
export function amountMatches(range: AmountRange, amount: number | undefined): boolean {
  if (amount === undefined) return false;
  return (range.min === undefined || amount >= range.min) && (range.max === undefined || amount <= range.max);
}

/** Does `description` contain the rule's text (both folded by searchKey)? No description: no. */
export function descriptionMatches(pattern: DescriptionMatch, description: string | null | undefined): boolean {
  const part = searchKey(pattern.contains);
  return part !== '' && typeof description === 'string' && searchKey(description).includes(part);
}

type Conditions = Pick<CategorizationRule, 'merchant' | 'amount' | 'description'>;

/** Do ALL the rule's conditions hold for the subject (its merchant, and its amount and description when it has those)? */
export function ruleMatches(rule: Conditions, subject: RuleSubject | string): boolean {
  const s = typeof subject === 'string' ? { merchant: subject } : subject;
  return (
    merchantMatches(rule.merchant, s.merchant) &&
    (rule.amount === undefined || amountMatches(rule.amount, s.amount)) &&
    (rule.description === undefined || descriptionMatches(rule.description, s.description))
  );
}

/**
 * The first rule (in rule order) whose conditions all hold for `subject` (a merchant alone, or
 * with the create's amount and description) and that files expenses (a `categoryId`, or a
 * `split`) under categories `isCategory` accepts, every part's for a split (the budget's
 * categories, when known; a transaction's check otherwise), or undefined.
 */
export function firstMatchingRule<R extends Pick<CategorizationRule, 'id' | 'position' | 'merchant' | 'categoryId' | 'split'> & Partial<Conditions>>(
  rules: readonly R[],
  subject: RuleSubject | string,
  isCategory: (categoryId: string) => boolean,
): R | undefined {
  return inRuleOrder(rules).find((r) => filesUnder(r, isCategory) && ruleMatches(r, subject));
}

/** Whether a rule categorizes (one category, or a split) and every category it names is one `isCategory` accepts. */
export function filesUnder(rule: Pick<CategorizationRule, 'categoryId' | 'split'>, isCategory: (categoryId: string) => boolean): boolean {
  if (rule.split !== undefined) return rule.split.every((p) => isCategory(p.categoryId));
  return rule.categoryId !== undefined && isCategory(rule.categoryId);
}

/** The first rule (in rule order) with a `renameTo` whose conditions all hold for `subject`, or undefined. */
export function firstRenamingRule<R extends Pick<CategorizationRule, 'id' | 'position' | 'merchant' | 'renameTo'> & Partial<Conditions>>(
  rules: readonly R[],
  subject: RuleSubject | string,
): (R & { renameTo: string }) | undefined {
  const merchant = typeof subject === 'string' ? subject : subject.merchant;
  if (searchKey(merchant) === '') return undefined;
  return inRuleOrder(rules).find((r): r is R & { renameTo: string } => r.renameTo !== undefined && ruleMatches(r, subject));
}

/** Whether a create may be touched by a rule at all: it has a merchant (a rename), maybe no category (a categorization). */
export function mayApplyRules(input: { merchant?: string }): boolean {
  return !!input.merchant && searchKey(input.merchant) !== '';
}

type RuleFields = Pick<CategorizationRule, 'id' | 'position' | 'merchant' | 'categoryId' | 'split' | 'renameTo' | 'tags'> & Partial<Conditions>;

/**
 * Every rule's effect on a new expense, in order: the rename (first matching rule with a
 * `renameTo`), then the categorization on the renamed merchant (if the create asks for one:
 * wantsRule), each rule's amount and description conditions tested against the create's own. `renamedBy` / `categorizedBy`: the rules that did (for the event).
 */
export function appliedRules<
  I extends { merchant?: string; amount?: number; description?: string | null; categoryId?: string | null; splits?: unknown; tags?: string[] },
>(input: I, rules: readonly RuleFields[], isCategory: (categoryId: string) => boolean): { input: I; categorizedBy?: string; renamedBy?: string } {
  if (!mayApplyRules(input)) return { input };
  const rest = { amount: input.amount, description: input.description };
  const rename = firstRenamingRule(rules, { merchant: input.merchant!, ...rest });
  const renamed: I = rename ? { ...input, merchant: rename.renameTo } : input;
  const rule = wantsRule(renamed) ? firstMatchingRule(rules, { merchant: renamed.merchant!, ...rest }, isCategory) : undefined;
  const filled = categorizedBy(renamed, rule);
  return { input: filled.input, ...(filled.ruleId ? { categorizedBy: filled.ruleId } : {}), ...(rename ? { renamedBy: rename.id } : {}) };
}

/** The request's tags followed by the rule's, deduplicated, at most TAGS_MAX; undefined when none. */
export function mergedTags(request: readonly string[] | undefined, rule: readonly string[] | undefined): string[] | undefined {
  return storedTags([...(request ?? []), ...(rule ?? [])])?.slice(0, TAGS_MAX);
}

/**
 * What a create records once `rule` (if any) has filled it in: its category (or, for a split
 * rule, its parts: domain/rule-split.ts splitByRule, or one category when a single part is
 * left) and the merged tags, and `ruleId` (for the event's `categorizedBy`). Without a rule, the
 * input as sent. A split rule's parts are computed from the create's `amount` (a refund's too:
 * a refund may be split).
 */
export function categorizedBy<I extends { categoryId?: string | null; splits?: unknown; amount?: number; tags?: string[] }>(
  input: I,
  rule: Pick<CategorizationRule, 'id' | 'tags' | 'categoryId' | 'split'> | undefined,
): { input: I; ruleId?: string } {
  if (!rule) return { input };
  // A split needs the amount (every create and row has one); without it nothing is filed.
  const filed = rule.split !== undefined ? (input.amount !== undefined ? splitByRule(input.amount, rule.split) : undefined) : rule.categoryId !== undefined ? { categoryId: rule.categoryId } : undefined;
  if (!filed) return { input };
  const tags = mergedTags(input.tags, rule.tags);
  return { input: { ...input, ...filed, ...(tags ? { tags } : {}) }, ruleId: rule.id };
}
