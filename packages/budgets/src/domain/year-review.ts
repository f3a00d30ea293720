import { addDays, exactSum } from '@budgeting/platform';
import { UNCATEGORIZED_KEY, type BudgetPeriod, type DateRange, type SpendingTotals } from '../contract';
import { periodContaining, type Period } from './periods';
import { dividedRounded } from './trends-math';

/**
 * The arithmetic of the year in review (GET /v1/budgets/{budgetId}/year-review), kept pure:
 * which days, months and periods make a year, and the figures built on what the summary and
 * the running totals give for them (never re-reading anything). Integer minor units; shares
 * and changes in basis points (1/100 of a percent), rounded a half away from zero in BigInt.
 */

/** The label of the uncategorized line among the top categories (the spending breakdown's by=category label). */
export const UNCATEGORIZED_NAME = 'Uncategorized';
/** How many categories and merchants the review lists. */
export const TOP = 5;

export interface MonthFigure {
  /** YYYY-MM. */
  month: string;
  spent: number;
  /** Monthly budgets only, from the budget's first period on: that month's (that period's) limit. */
  limit?: number;
  /** Monthly budgets only, once the month has ended: spent <= limit. */
  underLimit?: boolean;
}

export interface TopCategory {
  categoryId: string;
  name: string;
  spent: number;
  /** spent / the year's spent, in basis points; null when the year's spent is not above 0. */
  share: number | null;
}

/** The year's first and last day. */
export function yearRange(year: number): DateRange {
  return { from: `${pad4(year)}-01-01`, to: `${pad4(year)}-12-31` };
}

/** The year's twelve calendar months, January first. */
export function monthsOf(year: number): (DateRange & { month: string })[] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = `${pad4(year)}-${String(i + 1).padStart(2, '0')}`;
    const next = i === 11 ? `${pad4(year + 1)}-01-01` : `${pad4(year)}-${String(i + 2).padStart(2, '0')}-01`;
    return { month, from: `${month}-01`, to: addDays(next, -1) };
  });
}

/**
 * The budget periods that make up a year: monthly its twelve months, yearly the year itself,
 * weekly the ISO weeks of that ISO week-year (those whose Thursday falls in it: 52 or 53, the
 * first from the week holding 4 January, the last the week holding 28 December; so a week
 * belongs to exactly one year, as its week number says).
 */
export function periodsOfYear(kind: BudgetPeriod, year: number): Period[] {
  const { from, to } = yearRange(year);
  switch (kind) {
    case 'monthly':
      return monthsOf(year).map(({ from: start, to: end }) => ({ start, end }));
    case 'yearly':
      return [{ start: from, end: to }];
    case 'weekly': {
      const last = periodContaining('weekly', `${pad4(year)}-12-28`);
      const weeks: Period[] = [];
      for (let week = periodContaining('weekly', `${pad4(year)}-01-04`); week.start <= last.start; week = periodContaining('weekly', addDays(week.end, 1))) {
        weeks.push(week);
      }
      return weeks;
    }
  }
}

/**
 * What this year is compared with: the previous year's same days. A past year: the whole
 * previous year against the whole year. The current year: 1 January to `today` against the
 * previous year's 1 January to the same day (29 February: the 28th), so a December review
 * and a June one both compare like with like.
 */
export function comparisonRanges(year: number, today: string): { current: DateRange; previous: DateRange } {
  const whole = yearRange(year);
  const last = today < whole.to ? today : whole.to;
  const [, month, day] = last.split('-') as [string, string, string];
  const previousDay = month === '02' && day === '29' ? '28' : day;
  return { current: { from: whole.from, to: last }, previous: { from: `${pad4(year - 1)}-01-01`, to: `${pad4(year - 1)}-${month}-${previousDay}` } };
}

/**
 * What this year's income (and net) is compared with: the previous year's same WHOLE months
 * (YYYY-MM). Income is kept per calendar month, without day figures, so the spending's "same
 * days" cannot be had for it; the months that have ended are the nearest like with like. A past
 * year: January to December of both. The current year: January to the month before `today`'s
 * (a month under way holds part of its income, and the previous year's same month all of it),
 * null in January (no month has ended yet).
 */
export function comparedMonths(year: number, today: string): { current: { from: string; to: string }; previous: { from: string; to: string } } | null {
  const whole = yearRange(year);
  const lastMonth = today > whole.to ? 12 : Number(today.slice(5, 7)) - 1;
  if (lastMonth < 1) return null;
  const mm = String(lastMonth).padStart(2, '0');
  return { current: { from: `${pad4(year)}-01`, to: `${pad4(year)}-${mm}` }, previous: { from: `${pad4(year - 1)}-01`, to: `${pad4(year - 1)}-${mm}` } };
}

/**
 * `part / whole` in basis points (10,000 = 100 %), rounded a half away from zero, exactly (BigInt);
 * null when `whole` is 0 (no base to compare with). `whole` counts as a magnitude, so the
 * sign is the part's: from -100 (money back) to -50 is a change of +50 of 100, +5,000.
 */
export function basisPoints(part: number, whole: number): number | null {
  return basisPointsOf(BigInt(part), BigInt(whole));
}

/**
 * The change from `previous` to `current` in basis points of |previous|; null when previous is 0.
 * Subtracted in BigInt: two safe integers' difference can pass 2^53 (a year of net refunds against
 * one of income), and a double would round it before the basis points are taken.
 */
export function changeOf(current: number, previous: number): number | null {
  return basisPointsOf(BigInt(current) - BigInt(previous), BigInt(previous));
}

/** basisPoints in BigInt throughout; the result past 2^53 - 1 is not exact (the service's 422 checks it). */
function basisPointsOf(part: bigint, whole: bigint): number | null {
  if (whole === 0n) return null;
  return Number(dividedRounded(part * 10_000n, whole < 0n ? -whole : whole));
}

/**
 * The categories with the most spending in the year's totals, at most `TOP`, most first (ties
 * in the budget's order, the uncategorized line last). Each current category by its id and
 * current name; spending without a category, and in categories the budget no longer has, is
 * one line under UNCATEGORIZED_KEY (the summary's `uncategorizedSpent`). Split parts count in
 * their own categories (the totals hold them so). Lines at or below 0 are not listed. Null when
 * the uncategorized line would pass 2^53 - 1 (it could not be given exactly).
 */
export function topCategories(totals: SpendingTotals, categories: readonly { id: string; name: string }[], yearSpent: number): TopCategory[] | null {
  const known = new Set(categories.map((c) => c.id));
  const removed = Object.entries(totals.byCategory).filter(([id]) => !known.has(id)).map(([, spent]) => spent);
  const uncategorized = exactSum([totals.uncategorized, ...removed]);
  // Only past 2^53 - 1 minor units in a year: the service's 422.
  if (uncategorized === null) return null;
  const lines = [
    ...categories.map((c) => ({ categoryId: c.id, name: c.name, spent: totals.byCategory[c.id] ?? 0 })),
    { categoryId: UNCATEGORIZED_KEY, name: UNCATEGORIZED_NAME, spent: uncategorized },
  ];
  return lines
    .map((line, order) => ({ line, order }))
    .filter(({ line }) => line.spent > 0)
    .sort((a, b) => b.line.spent - a.line.spent || a.order - b.order)
    .slice(0, TOP)
    .map(({ line }) => ({ ...line, share: yearSpent > 0 ? basisPoints(line.spent, yearSpent) : null }));
}

/**
 * The month with the most spending (ties: the earlier), null when no month's is above 0; and
 * the quietest: the least spending among the months that have ENDED (before `today`) and do not
 * lie before the month the budget was created in (`firstMonth`, YYYY-MM), ties the earlier;
 * null when no month qualifies (a review in the budget's first month).
 */
export function biggestAndQuietest(
  months: readonly MonthFigure[],
  today: string,
  firstMonth: string,
): { biggestMonth: { month: string; spent: number } | null; quietestMonth: { month: string; spent: number } | null } {
  let biggest: MonthFigure | undefined;
  let quietest: MonthFigure | undefined;
  for (const m of months) {
    if (m.spent > 0 && (!biggest || m.spent > biggest.spent)) biggest = m;
    const ended = monthEnd(m.month) < today;
    if (ended && m.month >= firstMonth && (!quietest || m.spent < quietest.spent)) quietest = m;
  }
  const figure = (m: MonthFigure | undefined) => (m ? { month: m.month, spent: m.spent } : null);
  return { biggestMonth: figure(biggest), quietestMonth: figure(quietest) };
}

/**
 * How many of the year's budget periods stayed within their limit (spent <= the period's own
 * limit, as the summary gives it; rollover's carried amounts are not counted: each period is
 * judged on its own), `of` how many were judged: those that have ended (before `today`) and
 * begin on or after the budget's first period (`firstStart`: before it there was no budget).
 */
export function periodsWithinLimit(periods: readonly { periodStart: string; periodEnd: string; limit: number; spent: number }[], today: string, firstStart: string): { count: number; of: number } {
  const judged = periods.filter((p) => p.periodEnd < today && p.periodStart >= firstStart);
  return { count: judged.filter((p) => p.spent <= p.limit).length, of: judged.length };
}

/** The last day of a month (YYYY-MM). */
function monthEnd(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${pad4(year + 1)}-01-01` : `${pad4(year)}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

const pad4 = (n: number): string => String(n).padStart(4, '0');
