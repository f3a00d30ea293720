import type { SpendingTotals } from '../contract';
import type { Budget, CategoryFigures } from '../model';
import { groupLimit, groupLines, groupsOf, remainingOf, sumOf, type CategoryGroup } from './groups-math';
import type { Period } from './periods';
import { rollsOver } from './category-rollover';
import { targetFigures } from './category-target';
import { styleOf } from './category-style';

/**
 * The arithmetic of a period summary, kept pure so it can be tested on its own. All amounts
 * are integer minor units.
 */
export interface ThresholdCrossed {
  scope: 'budget' | 'category';
  categoryId: string | null;
  threshold: number;
}

export interface CategorySummary extends CategoryFigures {
  /** limit - spent (with category rollover: available - spent); null without a limit. */
  remaining: number | null;
}

/** A category group's line: its categories' lines summed (domain/groups-math.ts). */
export interface GroupSummary extends CategoryGroup {
  /** Its categories' limits summed; null when none has one. */
  limit: number | null;
  /** Only when a member rolls over: its rollover members' carriedOver summed. */
  carriedOver?: number;
  /** Only when a member rolls over: limit + carriedOver. */
  available?: number;
  spent: number;
  /** limit - spent (with a rollover member: available - spent); null without a limit. */
  remaining: number | null;
}

export interface BudgetSummary {
  periodStart: string;
  periodEnd: string;
  limit: number;
  carriedOver: number;
  available: number;
  spent: number;
  remaining: number;
  categories: CategorySummary[];
  /** The categories' groups, in the order of each one's first category. */
  groups: GroupSummary[];
  uncategorizedSpent: number;
  thresholdsCrossed: ThresholdCrossed[];
}

/**
 * What earlier periods carry into this one: each previous period (from the one the budget
 * was created in) contributes `limit - spent`, so an overspent period carries a negative
 * amount, at one `limit` for every earlier period: what the budget carries when its limit never
 * changed (the summary sums each period's own limit from the limit history, limit-history.ts).
 */
export function carriedOver(previousPeriods: number, limit: number, spentBefore: number): number {
  return previousPeriods * limit - spentBefore;
}

/**
 * Whether every amount of the summary is an exact JSON number. Rollover multiplies the limit
 * by the number of periods since creation, so a date centuries away from a large budget's
 * creation gives amounts past 2^53 - 1 that a float cannot hold; computed in BigInt here so
 * the check itself is exact.
 */
export function summaryAmountsAreExact(previousPeriods: number, limit: number, spentBefore: number, spent: number): boolean {
  return carryAmountsAreExact(BigInt(previousPeriods) * BigInt(limit), limit, spentBefore, spent);
}

/**
 * A category's carry when its limits vary by period (packages/budgets/docs/periods-and-limits.md "Move money"): `limits` is the sum of
 * its limits over the earlier periods (period-limits.ts `limitsSum`), so what they carry is
 * `limits - spentBefore`. Exact only when carryAmountsAreExact says so.
 */
export function carriedOverOfLimits(limits: bigint, spentBefore: number): number {
  return Number(limits - BigInt(spentBefore));
}

/**
 * summaryAmountsAreExact for a carry of `limits` (summed) into a period whose limit is `limit`.
 * `spentBefore` is itself a sum over the totals' months and shards, each within 2^53 - 1 but not
 * together: past it the sum read is already rounded (2^53 + 1 reads 2^53), and a carry computed
 * from it can still lie within range while one minor unit off, so it must be a safe integer too.
 */
export function carryAmountsAreExact(limits: bigint, limit: number, spentBefore: number, spent: number): boolean {
  if (!Number.isSafeInteger(spentBefore)) return false;
  const carried = limits - BigInt(spentBefore);
  const available = BigInt(limit) + carried;
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return [carried, available, available - BigInt(spent)].every((n) => n <= max && n >= -max);
}

/**
 * Whether every amount of a summary is an exact JSON number (a safe integer). A period's spending
 * is summed over the running totals' shards, each kept within 2^53 - 1 by the writes but not
 * together: past it the sum is already rounded (2^53 + 1 reads 2^53), and `limit - spent` can
 * still look exact, so the carry check (carryAmountsAreExact) does not see it.
 */
export function summaryFiguresAreExact(s: BudgetSummary): boolean {
  const figures = [
    s.carriedOver,
    s.available,
    s.spent,
    s.remaining,
    s.uncategorizedSpent,
    ...s.categories.flatMap((c) => [c.spent, c.remaining, c.carriedOver, c.available]),
    ...s.groups.flatMap((g) => [g.limit, g.spent, g.remaining, g.carriedOver, g.available]),
  ];
  return figures.every((n) => n === null || n === undefined || Number.isSafeInteger(n));
}

/**
 * A threshold (a percent of `limit`) is crossed once spending reaches it. With a zero limit,
 * any spending at all crosses every threshold; no spending never crosses one. BigInt keeps
 * `spent * 100` exact however large the totals grow.
 */
export function isCrossed(spent: number, limit: number, threshold: number): boolean {
  return spent > 0 && BigInt(spent) * 100n >= BigInt(threshold) * BigInt(limit);
}

/**
 * The summary's `uncategorizedSpent` of some totals: spending without a category, and spending
 * in a category since removed from the budget (it counts as uncategorized). Summed in BigInt:
 * with refunds a running sum can pass 2^53 - 1 and come back (2^53 - 1 and 2 in removed
 * categories, -5 without one read 2^53 - 5 in doubles, looking exact, where 2^53 - 4 was
 * spent); past it the number is unsafe, which summaryFiguresAreExact refuses.
 */
export function uncategorizedOf(budget: Pick<Budget, 'categories'>, totals: SpendingTotals): number {
  const known = new Set(budget.categories.map((c) => c.id));
  const orphaned = Object.entries(totals.byCategory)
    .filter(([id]) => !known.has(id))
    .reduce((sum, [, amount]) => sum + BigInt(amount), 0n);
  return Number(BigInt(totals.uncategorized) + orphaned);
}

/**
 * `categoryCarried`: what each rollover category carries into the period (category id ->
 * amount; a rollover category not in it carries 0). Lines of categories without rollover are
 * exactly as before it existed (no `carriedOver`/`available` keys).
 */
export function summarize(budget: Budget, period: Period, totals: SpendingTotals, carried: number, categoryCarried: Record<string, number> = {}): BudgetSummary {

  const categories = budget.categories.map((c): CategorySummary => {
    const spent = totals.byCategory[c.id] ?? 0;
    if (rollsOver(c)) {
      const carriedOver = categoryCarried[c.id] ?? 0;
      const available = c.limit! + carriedOver;
      const remaining = available - spent;
      return {
        categoryId: c.id,
        name: c.name,
        limit: c.limit!,
        group: c.group ?? null,
        ...(c.hidden ? { hidden: true as const } : {}),
        ...styleOf(c),
        carriedOver,
        available,
        spent,
        remaining,
        // A target's figures come from this line alone (category-target.ts): no read of their own.
        ...(c.target ? { target: targetFigures(c.target, budget.period, period, c.limit!, remaining) } : {}),
      };
    }
    return {
      categoryId: c.id,
      name: c.name,
      limit: c.limit ?? null,
      group: c.group ?? null,
      ...(c.hidden ? { hidden: true as const } : {}),
      ...styleOf(c),
      spent,
      remaining: c.limit === undefined ? null : c.limit - spent,
    };
  });

  const thresholdsCrossed: ThresholdCrossed[] = [];
  for (const threshold of [...budget.alertThresholds].sort((a, b) => a - b)) {
    if (isCrossed(totals.total, budget.limit, threshold)) {
      thresholdsCrossed.push({ scope: 'budget', categoryId: null, threshold });
    }
    for (const c of categories) {
      if (c.limit !== null && isCrossed(c.spent, c.limit, threshold)) {
        thresholdsCrossed.push({ scope: 'category', categoryId: c.categoryId, threshold });
      }
    }
  }

  const available = budget.limit + carried;
  return {
    periodStart: period.start,
    periodEnd: period.end,
    limit: budget.limit,
    carriedOver: carried,
    available,
    spent: totals.total,
    remaining: available - totals.total,
    categories,
    groups: groupLines(groupsOf(budget.categories), categories, (members) => {
      const limit = groupLimit(members.map((c) => c.limit));
      const spent = sumOf(members.map((c) => c.spent));
      const carried = groupCarriedOver(members);
      if (carried === undefined) return { limit, spent, remaining: remainingOf(limit, spent) };
      // A rollover member has a limit, so the group has one; its remaining is of what is available.
      const available = sumOf([limit!, carried]);
      return { limit, carriedOver: carried, available, spent, remaining: remainingOf(available, spent) };
    }),
    uncategorizedSpent: uncategorizedOf(budget, totals),
    thresholdsCrossed,
  };
}

/**
 * A group's carriedOver: its rollover members' summed (a member without rollover carries
 * nothing), undefined when none of them rolls over (the group's line then has no
 * carriedOver/available, as a category's without rollover).
 */
export function groupCarriedOver(members: readonly { carriedOver?: number }[]): number | undefined {
  const carried = members.flatMap((c) => (c.carriedOver === undefined ? [] : [c.carriedOver]));
  return carried.length === 0 ? undefined : sumOf(carried);
}

/**
 * A category line's figures alone (CategoryFigures), keys in the order every representation
 * sends them: what the forecast and the report take of the summary's line. hidden only on a
 * hidden category's line, carriedOver and available only on a rollover category's line, target
 * only on one with a target.
 */
export function categoryFigures(c: CategoryFigures): CategoryFigures {
  return {
    categoryId: c.categoryId,
    name: c.name,
    limit: c.limit,
    group: c.group,
    ...(c.hidden ? { hidden: true as const } : {}),
    ...styleOf(c),
    ...(c.available === undefined ? {} : { carriedOver: c.carriedOver!, available: c.available }),
    spent: c.spent,
    ...(c.target === undefined ? {} : { target: { ...c.target } }),
  };
}
