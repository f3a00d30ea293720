import { addDays, exactSum } from '@budgeting/platform';
import type { BudgetPeriod } from '../contract';
import { periodContaining, type Period } from './periods';
import type { CategoryGroup } from './groups-math';
import { categoryFigures, type BudgetSummary, type CategorySummary, type GroupSummary } from './summary-math';
import { styleOf } from './category-style';

/**
 * The arithmetic of spending trends (GET /v1/budgets/{budgetId}/trends), kept pure: which
 * periods a trend lists, and the totals and averages over them of the figures the summary
 * computed for each (never recomputed here). All amounts are integer minor units.
 */

/** One period as the summary gives it, less what a trend does not show (thresholds, category `remaining`). */
export type TrendPeriod = Omit<BudgetSummary, 'thresholdsCrossed' | 'categories' | 'groups'> & {
  categories: Omit<CategorySummary, 'remaining'>[];
  groups: Omit<GroupSummary, 'remaining'>[];
};

/** A sum over the listed periods and its average per period. */
export interface RangeFigure {
  total: number;
  average: number;
}

export interface BudgetTrends {
  period: BudgetPeriod;
  /** First day of the first period listed, last day of the last one. */
  from: string;
  to: string;
  /** Spending of every listed period (the summary's `spent`), summed, and averaged per period. */
  total: number;
  average: number;
  /** Oldest first, the period containing the asked date last. */
  periods: TrendPeriod[];
  /**
   * The budget's current categories, in its order. `limit`: the range's, each period's own limit
   * summed (a period with a per-period limit, packages/budgets/docs/periods-and-limits.md "Move money", counts that one); null without a limit.
   */
  categories: ({ categoryId: string; name: string; limit: number | null; group: string | null; hidden?: true; emoji?: string; color?: string } & RangeFigure)[];
  /** The categories' groups (as each period lists them), each one's `spent` summed and averaged, `limit` each period's summed. */
  groups: (CategoryGroup & { limit: number | null } & RangeFigure)[];
  /** The summaries' `uncategorizedSpent` (categories removed from the budget included). */
  uncategorized: RangeFigure;
}

/**
 * The `count` periods of this kind that end with the one containing `date`, oldest first:
 * each one is the period containing the day before the next one's start.
 */
export function periodsEndingWith(kind: BudgetPeriod, date: string, count: number): Period[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`periodsEndingWith: bad count ${count}`);
  const periods = [periodContaining(kind, date)];
  while (periods.length < count) periods.unshift(periodContaining(kind, addDays(periods[0]!.start, -1)));
  return periods;
}

/**
 * `total / count` rounded to an integer, a half away from zero (2.5 -> 3, -2.5 -> -3): the rule
 * people expect from a calculator, symmetric for refunds. Exact in BigInt whatever the total.
 */
export function averageOf(total: number, count: number): number {
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(count) || count < 1) throw new RangeError(`averageOf(${total}, ${count})`);
  // Never -0 (BigInt has none): a small negative total averages to 0 (JSON would hide -0, a strict caller not).
  return Number(dividedRounded(BigInt(total), BigInt(count)));
}

/** `n / d` (d > 0) rounded to an integer, a half away from zero, exactly (averageOf's rule, for any BigInt). */
export function dividedRounded(n: bigint, d: bigint): bigint {
  if (d < 1n) throw new RangeError(`dividedRounded: bad divisor ${d}`);
  const magnitude = n < 0n ? -n : n;
  const rounded = (2n * magnitude + d) / (2n * d);
  return n < 0n ? -rounded : rounded;
}


/**
 * A range line's limit: the periods' limits summed (BigInt; undefined when past 2^53 - 1), null
 * when no period has one (a line without a limit has none in any period: one budget read).
 */
export function rangeLimit(limits: readonly (number | null)[]): number | null | undefined {
  const set = limits.filter((l): l is number => l !== null);
  if (set.length === 0) return null;
  const total = exactSum(set);
  return total === null ? undefined : total;
}

function rangeFigure(amounts: number[]): RangeFigure | null {
  const total = exactSum(amounts);
  return total === null ? null : { total, average: averageOf(total, amounts.length) };
}

/**
 * The trend of the summaries of consecutive periods (oldest first, at least one, all of the
 * same budget read once, so their category lists match), or null when a total over them would
 * pass 2^53 - 1 minor units.
 */
export function trendsOf(kind: BudgetPeriod, summaries: BudgetSummary[]): BudgetTrends | null {
  if (summaries.length === 0) throw new RangeError('trendsOf: no periods');
  const spent = rangeFigure(summaries.map((s) => s.spent));
  const uncategorized = rangeFigure(summaries.map((s) => s.uncategorizedSpent));
  // A range line's limit is the range's: each period's own limit summed (each summary's line is
  // of budgetInPeriod, so a period with a per-period limit, packages/budgets/docs/periods-and-limits.md "Move money", counts its
  // override).
  // Every period lists the same categories and groups (one budget read), matched by position.
  const categories = summaries[0]!.categories.map((c, i) => {
    const figure = rangeFigure(summaries.map((s) => s.categories[i]!.spent));
    const limit = rangeLimit(summaries.map((s) => s.categories[i]!.limit));
    return figure && limit !== undefined
      ? { categoryId: c.categoryId, name: c.name, limit, group: c.group, ...(c.hidden ? { hidden: true as const } : {}), ...styleOf(c), ...figure }
      : null;
  });
  const groups = summaries[0]!.groups.map((g, i) => {
    const figure = rangeFigure(summaries.map((s) => s.groups[i]!.spent));
    const limit = rangeLimit(summaries.map((s) => s.groups[i]!.limit));
    return figure && limit !== undefined ? { name: g.name, categoryIds: [...g.categoryIds], limit, ...figure } : null;
  });
  if (!spent || !uncategorized || categories.some((c) => c === null) || groups.some((g) => g === null)) return null;
  return {
    period: kind,
    from: summaries[0]!.periodStart,
    to: summaries.at(-1)!.periodEnd,
    total: spent.total,
    average: spent.average,
    periods: summaries.map(trendPeriod),
    categories: categories as NonNullable<(typeof categories)[number]>[],
    groups: groups as NonNullable<(typeof groups)[number]>[],
    uncategorized,
  };
}

function trendPeriod(s: BudgetSummary): TrendPeriod {
  return {
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    limit: s.limit,
    carriedOver: s.carriedOver,
    available: s.available,
    spent: s.spent,
    remaining: s.remaining,
    // The summary's line less `remaining` (categoryFigures): with category rollover its carriedOver
    // and available, with a target its figures (absent for other categories).
    categories: s.categories.map(categoryFigures),
    // A group with a rollover member carries its summed carriedOver and available, as the summary's.
    groups: s.groups.map(({ name, categoryIds, limit, carriedOver, available, spent }) => ({
      name,
      categoryIds: [...categoryIds],
      limit,
      ...(available === undefined ? {} : { carriedOver: carriedOver!, available }),
      spent,
    })),
    uncategorizedSpent: s.uncategorizedSpent,
  };
}
