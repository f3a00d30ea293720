import { MAX_AMOUNT_MINOR } from '@budgeting/platform';
import type { Category } from '../model';
import { canonicalTarget } from './categories';
import { styleOf } from './category-style';

/**
 * Quick budget (YNAB's "Quick Budget"): a suggested limit per category, pure integer math (no
 * floats, BigInt where sums could pass 2^53). Nothing is read here: the spending per period and
 * the targets' figures come from the summaries (SummaryService.ofPeriods), so the
 * figures are the summary's by construction. All amounts are integer minor units.
 *
 * - `average-spent`: ceil(total spent over the periods / the number of periods), in integers;
 * - `last-period-spent`: what the last (most recent) of those periods spent;
 * - `target`: for a category with a dated savings target (a rollover category), the limit per
 *   period that reaches it from the period the suggestions are for (category-target.ts
 *   `limitReaching`: its `neededPerPeriod` while not funded and not past its date; a funded one
 *   keeps the pace that still reaches it, a passed one the limit that covers its shortfall now);
 *   every other category is `unchanged` (keeps its limit), an undated target's too (no pace).
 *
 * A hidden category (`hidden: true`, hidden in the app) gets no suggestion whatever the basis: it
 * is `unchanged` (keeps its limit, or none) and its line says `hidden: true`. Someone who hid a
 * category does not want a limit proposed for it; its line and its patch entry stay, so the
 * patch is still the whole list (PATCH removes categories left out).
 *
 * The amount is then rounded UP to a multiple of `roundTo`, never below 0 (refunds can make a
 * category's spending negative; a limit is 0 or more) and never above the largest multiple of
 * `roundTo` that a limit may be (MAX_AMOUNT_MINOR, what PATCH accepts), so the patch is always
 * accepted.
 *
 * The patch (the body of PATCH /v1/budgets/{budgetId}) carries the budget's whole category list,
 * each entry exactly as PATCH takes it (`id`, `name`, `limit`, `group`, `rollover`, `target`,
 * `note`, `hidden`, `emoji`, `color`; never the server's `rolloverSince`), only the limit replaced: a suggestion of 0 for a
 * category without a limit keeps it without one (a category without a limit that spent nothing
 * needs none); any other suggestion is its limit, 0 included (PATCH accepts 0, and a rollover
 * category, which always has a limit, keeps one, so its rollover and target stay valid).
 */
export const SUGGESTION_BASES = ['average-spent', 'last-period-spent', 'target'] as const;
export type SuggestionBasis = (typeof SUGGESTION_BASES)[number];

/** What the suggestions need of one category, besides the category itself. */
export interface CategoryHistory {
  /** Its spending in each listed period, oldest first (at least one period). */
  spent: number[];
  /** The limit that reaches its target from the period the suggestions are for (only with a dated target: category-target.ts limitReaching). */
  targetLimit?: bigint;
}

export interface CategorySuggestion {
  categoryId: string;
  name: string;
  groupName?: string;
  /** Only on a hidden category's line: it gets no suggestion (`unchanged`). */
  hidden?: true;
  /** The category's emoji and color, only those set (category-style.ts styleOf). */
  emoji?: string;
  color?: string;
  /** The current limit, null when none. */
  limit: number | null;
  suggested: number;
  /** suggested - (limit ?? 0). */
  change: number;
  /** True when the basis does not apply to it (the target basis, a category without a target) or it is hidden: it keeps its limit. */
  unchanged: boolean;
  spent: number[];
}

/** A category as PATCH /v1/budgets/{budgetId} takes it (CategoryChange), keys in its order. */
export interface PatchCategory {
  id: string;
  name: string;
  limit?: number;
  group?: string;
  rollover?: true;
  target?: { amount: number; by?: string };
  note?: string;
  hidden?: true;
  emoji?: string;
  color?: string;
}

export interface LimitSuggestions {
  categories: CategorySuggestion[];
  totals: { limit: number; suggested: number };
  patch: { categories: PatchCategory[] };
}

/** ceil(x / d) for d > 0, x of any sign. */
export function ceilDiv(x: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError(`ceilDiv: divisor ${d}`);
  const q = x / d; // truncates toward zero
  return q * d < x ? q + 1n : q;
}

/** The mean spent per period, rounded up: ceil(total / count), exact whatever the total. */
export function ceilMean(spent: readonly number[]): bigint {
  if (spent.length === 0) throw new RangeError('ceilMean: no periods');
  return ceilDiv(
    spent.reduce((sum, s) => sum + BigInt(s), 0n),
    BigInt(spent.length),
  );
}

/**
 * `amount` rounded UP to a multiple of `step` (an integer >= 1), clamped to 0..the largest
 * multiple of `step` not above MAX_AMOUNT_MINOR (the largest limit PATCH accepts).
 */
export function roundUpTo(amount: bigint, step: number): number {
  if (!Number.isSafeInteger(step) || step < 1) throw new RangeError(`roundUpTo: step ${step}`);
  const s = BigInt(step);
  const cap = (BigInt(MAX_AMOUNT_MINOR) / s) * s;
  if (amount <= 0n) return 0;
  const rounded = ceilDiv(amount, s) * s;
  return Number(rounded > cap ? cap : rounded);
}

/** The amount a basis asks for a category before rounding, or null when the basis does not apply to it (or it is hidden). */
export function rawSuggestion(basis: SuggestionBasis, category: Pick<Category, 'target' | 'hidden'>, history: CategoryHistory): bigint | null {
  if (category.hidden) return null;
  switch (basis) {
    case 'average-spent':
      return ceilMean(history.spent);
    case 'last-period-spent': {
      const last = history.spent.at(-1);
      if (last === undefined) throw new RangeError('rawSuggestion: no periods');
      return BigInt(last);
    }
    case 'target':
      return category.target !== undefined && history.targetLimit !== undefined ? history.targetLimit : null;
  }
}

/** The PATCH entry of a category with `limit` (null: none) and everything else it carries unchanged. */
export function patchEntry(category: Category, limit: number | null): PatchCategory {
  return {
    id: category.id,
    name: category.name,
    ...(limit === null ? {} : { limit }),
    ...(category.group === undefined ? {} : { group: category.group }),
    ...(category.rollover ? { rollover: true as const } : {}),
    ...(category.target === undefined ? {} : { target: canonicalTarget(category.target) }),
    ...(category.note === undefined ? {} : { note: category.note }),
    ...(category.hidden ? { hidden: true as const } : {}),
    ...styleOf(category),
  };
}

/**
 * The suggestions for the budget's categories (in its order), `histories` in the same order.
 * `roundTo` (1..) is the multiple every suggestion is rounded up to.
 */
export function limitSuggestions(categories: readonly Category[], histories: readonly CategoryHistory[], basis: SuggestionBasis, roundTo: number): LimitSuggestions {
  if (histories.length !== categories.length) throw new RangeError(`limitSuggestions: ${histories.length} histories for ${categories.length} categories`);
  const lines: CategorySuggestion[] = [];
  const patch: PatchCategory[] = [];
  categories.forEach((category, i) => {
    const history = histories[i]!;
    const limit = category.limit ?? null;
    const raw = rawSuggestion(basis, category, history);
    const unchanged = raw === null;
    const suggested = raw === null ? (limit ?? 0) : roundUpTo(raw, roundTo);
    lines.push({
      categoryId: category.id,
      name: category.name,
      ...(category.group === undefined ? {} : { groupName: category.group }),
      ...(category.hidden ? { hidden: true as const } : {}),
      ...styleOf(category),
      limit,
      suggested,
      change: suggested - (limit ?? 0),
      unchanged,
      spent: [...history.spent],
    });
    // A category without a limit whose suggestion is 0 keeps none; otherwise the suggestion is its limit.
    patch.push(patchEntry(category, unchanged || (limit === null && suggested === 0) ? limit : suggested));
  });
  // At most 50 categories of at most 10^12 each: far below 2^53, plain sums are exact.
  return {
    categories: lines,
    totals: {
      limit: lines.reduce((sum, l) => sum + (l.limit ?? 0), 0),
      suggested: lines.reduce((sum, l) => sum + l.suggested, 0),
    },
    patch: { categories: patch },
  };
}
