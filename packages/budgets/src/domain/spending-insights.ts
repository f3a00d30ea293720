import { addDays, dayNumber } from '@budgeting/platform';
import { UNCATEGORIZED_KEY, type BudgetPeriod, type DateRange, type SpendingTotals } from '../contract';
import type { Budget, Category } from '../model';
import { styleOf } from './category-style';
import type { Period } from './periods';
import { uncategorizedOf } from './summary-math';
import { dividedRounded, periodsEndingWith } from './trends-math';

/**
 * Unusual spending (GET .../spending-insights), as Copilot's and Monarch's "you have spent 45%
 * more on Dining than usual by this point": what was spent in the first k days of the period
 * containing a date, against the average of what the periods before it spent in THEIR first k
 * days. Pure: the service reads the running totals of these ranges once and hands them here.
 * All money in BigInt or safe integers, never floats (but the percentage shown).
 */

/** `above` from this percent of the usual amount, `below` up to that one (and a difference of at least the floor). */
export const ABOVE_PERCENT = 125n;
export const BELOW_PERCENT = 75n;

export type InsightStatus = 'above' | 'usual' | 'below';

/** What a line of the insights compares, and how it stands. */
export interface InsightFigures {
  spentSoFar: number;
  usualSoFar: number;
  /** spentSoFar - usualSoFar. */
  difference: number;
  /** difference / |usualSoFar| in percent, one decimal (half away from zero); null when usualSoFar is 0. */
  changePercent: number | null;
  status: InsightStatus;
}

/** A line of the insights: `Id` null for the whole budget, else a category's id or UNCATEGORIZED_KEY (the summary's uncategorized line). */
export interface InsightLine<Id extends string | null = string> extends InsightFigures {
  categoryId: Id;
  name: string;
  hidden?: true;
  /** The category's emoji and color, only those set (category-style.ts styleOf). */
  emoji?: string;
  color?: string;
}

/** The ranges to read: days 1..dayOfPeriod of the period containing the date and of each previous one. */
export interface InsightRanges {
  period: Period;
  /** Days from the period's first day through the date, both included. */
  dayOfPeriod: number;
  current: DateRange;
  /** Oldest first; only periods from the budget's first one on (a younger budget has fewer). */
  previous: DateRange[];
}

export interface SpendingInsights {
  periodStart: string;
  periodEnd: string;
  date: string;
  dayOfPeriod: number;
  /** How many previous periods were averaged. */
  periods: number;
  total: InsightLine<null>;
  /** Sorted by difference, largest first (ties keep the budget's order, uncategorized last). */
  categories: InsightLine[];
}

/**
 * The ranges compared on `date`: the `periods` periods before the one containing it (those that
 * start before `firstStart`, the budget's first period, left out), each cut to its first
 * dayOfPeriod days: a shorter period (February against a 31st) counts whole.
 */
export function insightRanges(kind: BudgetPeriod, date: string, periods: number, firstStart: string): InsightRanges {
  const listed = periodsEndingWith(kind, date, periods + 1);
  const period = listed.at(-1)!;
  const dayOfPeriod = dayNumber(date) - dayNumber(period.start) + 1;
  const firstDays = (p: Period): DateRange => {
    const last = addDays(p.start, dayOfPeriod - 1);
    return { from: p.start, to: last < p.end ? last : p.end };
  };
  const previous = listed.slice(0, -1).filter((p) => p.start >= firstStart).map(firstDays);
  return { period, dayOfPeriod, current: firstDays(period), previous };
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * One line's comparison, or null when a figure of it (what was spent, a previous period's
 * spending, the usual amount or the difference) passes 2^53 - 1: it could not be given exactly.
 * The spending comes summed over the running totals' shards, which each stay within 2^53 - 1
 * but together can pass it, already rounded then (2^53 + 1 reads 2^53). usualSoFar: the exact sum of `previous` divided by their count, rounded a half away
 * from zero (trends' averages' rule); 0 without any, and the line is then `usual`. `above` when
 * spent >= 125% of usual and the difference is at least `minDifference`; `below` when spent <=
 * 75% of usual and usual - spent is at least `minDifference`. A line without difference is
 * `usual` whatever the floor (a floor of 0 would otherwise make 0 against 0 both).
 */
export function insightFigures(spentSoFar: number, previous: readonly number[], minDifference: number): InsightFigures | null {
  if (![spentSoFar, ...previous].every(Number.isSafeInteger)) return null;
  const spent = BigInt(spentSoFar);
  const usual = previous.length === 0 ? 0n : dividedRounded(previous.reduce((sum, p) => sum + BigInt(p), 0n), BigInt(previous.length));
  const difference = spent - usual;
  // usual is a mean of safe integers, so safe itself; the difference of two of them may not be.
  if (difference > MAX || difference < -MAX) return null;
  const floor = BigInt(minDifference);
  const status: InsightStatus =
    previous.length > 0 && difference > 0n && difference >= floor && spent * 100n >= usual * ABOVE_PERCENT
      ? 'above'
      : previous.length > 0 && difference < 0n && -difference >= floor && spent * 100n <= usual * BELOW_PERCENT
        ? 'below'
        : 'usual';
  // Tenths of a percent, rounded as the averages; over |usual| so that more spending is positive even against net refunds.
  const tenths = usual === 0n ? null : dividedRounded(difference * 1000n, usual < 0n ? -usual : usual);
  return { spentSoFar, usualSoFar: Number(usual), difference: Number(difference), changePercent: tenths === null ? null : Number(tenths) / 10, status };
}

/**
 * The insights of one read: `current` the totals of ranges.current, `previous` those of
 * ranges.previous (same order). Lines: the whole budget, each current category (hidden ones
 * flagged, emoji and color carried, as in the summary), and the summary's uncategorized line (removed categories in it)
 * when it has spending in any of the ranges. Null when a line could not be given exactly.
 */
export function spendingInsights(
  budget: Pick<Budget, 'categories'>,
  ranges: InsightRanges,
  date: string,
  totals: { current: SpendingTotals; previous: readonly SpendingTotals[] },
  minDifference: number,
): SpendingInsights | null {
  const { current, previous } = totals;
  type Look = Pick<Category, 'hidden' | 'emoji' | 'color'>;
  const line = <Id extends string | null>(categoryId: Id, name: string, of: (t: SpendingTotals) => number, look: Look = {}): InsightLine<Id> | null => {
    const figures = insightFigures(of(current), previous.map(of), minDifference);
    return figures && { categoryId, name, ...(look.hidden ? { hidden: true as const } : {}), ...styleOf(look), ...figures };
  };
  const lines = budget.categories.map((c) => line(c.id, c.name, (t) => t.byCategory[c.id] ?? 0, c));
  const uncategorized = (t: SpendingTotals) => uncategorizedOf(budget, t);
  if ([current, ...previous].some((t) => uncategorized(t) !== 0)) lines.push(line(UNCATEGORIZED_KEY, 'Uncategorized', uncategorized));
  const total = line(null, 'Total', (t) => t.total);
  if (!total || lines.some((l) => l === null)) return null;
  const categories = (lines as InsightLine[]).sort((a, b) => b.difference - a.difference);
  return {
    periodStart: ranges.period.start,
    periodEnd: ranges.period.end,
    date,
    dayOfPeriod: ranges.dayOfPeriod,
    periods: ranges.previous.length,
    total,
    categories,
  };
}
