import { searchKey } from '@budgeting/platform';
import type { CategorizationRule } from '../model';
import { appliedRules, firstMatchingRule } from './categorization';
import type { MerchantUse } from './merchant-suggestions';
import { isRefund } from './refunds';

/**
 * Rule suggestions (GET /v1/budgets/{budgetId}/rules/suggestions, as Actual's "create a rule
 * from this" and YNAB's remembered payee category): the merchants a budget's members file under
 * one category consistently that no categorization rule handles yet, each with a body the app
 * can POST as is to .../rules. Pure: computed on read from a bounded window of the budget's
 * newest expenses (service/rule-suggestions.service.ts, the merchant suggestions' own window
 * read), the rules and the budget's categories; nothing stored, so the write path is unchanged.
 */

/**
 * The newest expenses examined: at most this many (the window's hard bound on items read)...
 * The merchant suggestions' bound: a habit worth a rule shows among a budget's recent expenses,
 * and 1,000 items (about 0.25 MB projected) keep one answer to a handful of Query pages.
 */
export const RULE_WINDOW_MAX_EXPENSES = 1000;
/**
 * ...and only those dated within this many days up to today (today included), whichever is
 * fewer. Half a year: how the members file a merchant NOW (a category reorganized a year ago
 * should not outvote this season's choice), and still 6 expenses of a monthly merchant.
 */
export const RULE_WINDOW_DAYS = 180;
/** Fewer categorized expenses than this are no habit: two expenses filed alike happen by chance. */
export const RULE_MIN_EXPENSES = 3;
/**
 * The least share (percent) of a merchant's categorized expenses filed under its top category:
 * 4 of 5 qualify (one odd purchase there is allowed: a gift card at the grocer), 3 of 4 (75%)
 * do not, nor 2 of 3: a rule files EVERY new expense there, so most should already go there.
 */
export const RULE_MIN_SHARE_PERCENT = 80;

export interface RuleSuggestion {
  /** The merchant's most frequent spelling among its counted expenses (ties: the most recent). */
  merchant: string;
  /** The category it is filed under in at least RULE_MIN_SHARE_PERCENT percent of them (one of the budget's). */
  categoryId: string;
  /** Its counted expenses in the window: filed under one of the budget's categories, not split, not refunds. */
  expenses: number;
  /** The percent of those filed under `categoryId`, rounded down (RULE_MIN_SHARE_PERCENT..100). */
  share: number;
  /** The latest `occurredOn` among its counted expenses. */
  lastOn: string;
  /** A ready-to-POST body for POST /v1/budgets/{budgetId}/rules. */
  rule: { merchant: { equals: string }; categoryId: string };
}

/** What the suggestions read of a rule: what the create path tests and applies. */
export type SuggestionRule = Pick<CategorizationRule, 'id' | 'position' | 'merchant' | 'amount' | 'description' | 'categoryId' | 'split' | 'renameTo' | 'tags'>;

/** What a rule suggestion needs of the budget: its rules and which categories it still has, and how many to answer. */
export interface RuleSuggestionContext {
  rules: readonly SuggestionRule[];
  isCategory: (categoryId: string) => boolean;
  limit: number;
}

interface Group {
  key: string;
  expenses: number;
  lastOn: string;
  /** Expenses per category. */
  categories: Map<string, number>;
  /** Expenses per exact spelling, in the order first met (newest first): the tie-break. */
  spellings: Map<string, number>;
}

/**
 * The suggestions, most counted expenses first, then by merchant (its folded key), at most
 * `limit`. `uses` newest first, as the window returns them.
 *
 * - Merchants are grouped by `searchKey` (case, accents, spacing and ß/ss ignored), as the
 *   merchant suggestions and a rule's `equals` fold them: "Café Nero" and "CAFE NERO" are one.
 * - Counted: an expense with a merchant and a category. NOT counted:
 *   - an uncategorized one: no choice was made (it is what a rule would fill in);
 *   - a split expense (its categoryId is null in the window, as an uncategorized one's): its parts
 *     go to several categories, so it is no vote for one, and a rule's `categoryId` would not
 *     have filed it so anyway;
 *   - a refund: money back on an earlier purchase, filed where that purchase was, so counting it
 *     would count one choice twice (and a return is not how the merchant is usually filed);
 *   - one filed under a category the budget no longer has: that choice cannot be made again
 *     (POST .../rules refuses the category), and the expenses were usually moved since
 *     (category reassign); so every suggested category is one of the budget's.
 * - A merchant qualifies with at least RULE_MIN_EXPENSES counted expenses of which at least
 *   RULE_MIN_SHARE_PERCENT percent (integer arithmetic: top x 100 >= counted x 80) are filed
 *   under ONE category; more than half, so at most one category can qualify.
 * - A merchant the rules already handle is left out, as the create path decides it
 *   (categorization.ts appliedRules on a new expense with the suggestion's spelling and no
 *   amount or description): a rule whose conditions match it and that files it under a
 *   category the budget still has, or splits it among such categories (a rule naming a removed
 *   one is passed over there too), or a
 *   rename to another merchant (a rule on this spelling would never see a new expense: the
 *   renamed merchant is what categorization matches). A rule with an amount or description
 *   condition files only some expenses there, so it does not cover the merchant.
 */
export function suggestRules(uses: readonly MerchantUse[], context: RuleSuggestionContext): RuleSuggestion[] {
  const groups = new Map<string, Group>();
  for (const use of uses) {
    if (use.merchant === undefined || use.categoryId === null || isRefund(use) || !context.isCategory(use.categoryId)) continue;
    const key = searchKey(use.merchant);
    if (key === '') continue;
    let group = groups.get(key);
    if (!group) {
      group = { key, expenses: 0, lastOn: use.occurredOn, categories: new Map(), spellings: new Map() };
      groups.set(key, group);
    }
    group.expenses++;
    if (use.occurredOn > group.lastOn) group.lastOn = use.occurredOn;
    group.categories.set(use.categoryId, (group.categories.get(use.categoryId) ?? 0) + 1);
    group.spellings.set(use.merchant, (group.spellings.get(use.merchant) ?? 0) + 1);
  }
  const suggestions: (RuleSuggestion & { key: string })[] = [];
  for (const group of groups.values()) {
    const suggestion = suggestionOf(group, context);
    if (suggestion) suggestions.push(suggestion);
  }
  suggestions.sort((a, b) => b.expenses - a.expenses || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return suggestions.slice(0, context.limit).map(({ key: _key, ...suggestion }) => suggestion);
}

function suggestionOf(group: Group, { rules, isCategory }: RuleSuggestionContext): (RuleSuggestion & { key: string }) | undefined {
  if (group.expenses < RULE_MIN_EXPENSES) return undefined;
  const [categoryId, filed] = mostOf(group.categories);
  if (filed * 100 < group.expenses * RULE_MIN_SHARE_PERCENT) return undefined;
  const [merchant] = mostOf(group.spellings);
  if (coveredByRules(merchant, group.key, rules, isCategory)) return undefined;
  return {
    key: group.key,
    merchant,
    categoryId,
    expenses: group.expenses,
    share: Math.floor((filed * 100) / group.expenses),
    lastOn: group.lastOn,
    rule: { merchant: { equals: merchant }, categoryId },
  };
}

/**
 * Would the rules already categorize (or rename away) a new expense at `merchant`, as the create
 * path applies them? The rule the create path would take is asked for directly (firstMatchingRule
 * on the merchant as renamed): appliedRules' `categorizedBy` needs the create's amount to file a
 * split rule's parts, and this expense has none, so a split rule (which files EVERY new expense
 * at the merchant, whatever its amount) read as covering nothing, and its merchant was suggested
 * a rule that would never fire behind it.
 */
function coveredByRules(merchant: string, key: string, rules: readonly SuggestionRule[], isCategory: (categoryId: string) => boolean): boolean {
  const applied = appliedRules({ merchant }, rules, isCategory);
  if (applied.renamedBy !== undefined && searchKey(applied.input.merchant) !== key) return true;
  return firstMatchingRule(rules, applied.input.merchant, isCategory) !== undefined;
}

/** The entry with the highest count; on equal counts the first met (the map keeps insertion order: newest first). */
function mostOf(counts: ReadonlyMap<string, number>): [string, number] {
  let best: [string, number] = ['', 0];
  for (const [value, count] of counts) if (count > best[1]) best = [value, count];
  return best;
}
