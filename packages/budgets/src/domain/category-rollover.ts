import type { Budget } from '../model';
import { firstPeriodOf, periodContaining, periodsBetween, type Period } from './periods';
import { limitsSum } from './period-limits';

/**
 * Category rollover, pure: which categories carry into a period, and from when. A category
 * with a limit and `rollover` carries, into each period, `limit - spent` of every earlier
 * period from the one containing its `rolloverSince`, each period's limit being the one it
 * had IN that period (its per-period override, packages/budgets/docs/periods-and-limits.md "Move money", domain/period-limits.ts, else its
 * limit then: its limit history, domain/limit-history.ts, else its current one), so an overspent period carries a
 * negative amount. Never from before the budget's first period: after a
 * change of period kind, `rolloverSince` (a period start of the kind it was turned on in) is
 * read as the period of the current kind containing it, which may begin before the budget was
 * created (a weekly budget created on a Wednesday whose monthly `rolloverSince` is the 1st):
 * carrying then starts, as the budget's own rollover does, with the budget's first period.
 */
export interface CategoryCarry {
  categoryId: string;
  /** The category's limit (current, its base), carried per earlier period without an override. */
  limit: number;
  /** The first day of the first period that carries (a period start of the budget's kind). */
  from: string;
  /** How many whole periods from `from` to the period's start (at least 1). */
  previousPeriods: number;
  /**
   * The category's limits of those periods summed (period-limits.ts `limitsSum`): `limit` x the
   * periods without an override + the overrides in range. BigInt: exact however many periods.
   */
  limits: bigint;
}

/**
 * The categories that carry something into `period` (those whose carrying starts before it),
 * in the budget's category order. A rollover category not listed (its first period, or a
 * period before it) carries 0.
 */
export function categoryCarries(budget: Pick<Budget, 'period' | 'timezone' | 'createdAt' | 'createdOn' | 'categories' | 'periodLimits' | 'limitHistory'>, period: Period): CategoryCarry[] {
  const carries: CategoryCarry[] = [];
  let first: string | undefined;
  for (const c of budget.categories) {
    if (!c.rollover || c.limit === undefined || c.rolloverSince === undefined) continue;
    first ??= firstPeriodOf(budget).start;
    const since = periodContaining(budget.period, c.rolloverSince).start;
    const from = since > first ? since : first;
    if (from >= period.start) continue;
    const previousPeriods = periodsBetween(budget.period, from, period.start);
    carries.push({ categoryId: c.id, limit: c.limit, from, previousPeriods, limits: limitsSum(budget.periodLimits, c.id, c.limit, from, period.start, previousPeriods, budget) });
  }
  return carries;
}

/** Whether a category rolls over (its summary lines carry `carriedOver` and `available`). */
export function rollsOver(c: { rollover?: true; limit?: number }): boolean {
  return c.rollover === true && c.limit !== undefined;
}
