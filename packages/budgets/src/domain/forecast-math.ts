import type { ScheduledOccurrence, ScheduledSpending } from '../contract';
import type { BudgetSummary } from './summary-math';

/**
 * The arithmetic of a period forecast, pure: a period's summary (its spending so far, what is
 * available) plus what the budget's recurring expenses will still record in it. All amounts
 * are integer minor units.
 */
export interface CategoryForecast {
  categoryId: string;
  name: string;
  limit: number | null;
  spent: number;
  scheduled: number;
  projectedSpent: number;
  /** limit - projectedSpent; null without a category limit. */
  projectedRemaining: number | null;
}

export interface BudgetForecast {
  periodStart: string;
  periodEnd: string;
  limit: number;
  available: number;
  spent: number;
  scheduled: number;
  projectedSpent: number;
  projectedRemaining: number;
  categories: CategoryForecast[];
  uncategorized: { spent: number; scheduled: number; projectedSpent: number };
  upcoming: ScheduledOccurrence[];
  upcomingTruncated: boolean;
}

/** Nothing left to record (a period that has ended). */
export const NOTHING_SCHEDULED: ScheduledSpending = { total: 0, byCategory: {}, uncategorized: 0, upcoming: [], upcomingTruncated: false };

/** a + b and a - b through BigInt, so a sum past 2^53 comes out unsafe (and is caught) rather than silently rounded to a safe-looking number. */
const plus = (a: number, b: number) => Number(BigInt(a) + BigInt(b));
const minus = (a: number, b: number) => Number(BigInt(a) - BigInt(b));

/**
 * The forecast of `summary`'s period. Scheduled spending in a category the budget no longer
 * has counts as uncategorized, and its occurrences are listed uncategorized: the recurring job
 * records them so (as the summary counts spending in a removed category).
 */
export function forecastOf(summary: BudgetSummary, scheduled: ScheduledSpending): BudgetForecast {
  const known = new Set(summary.categories.map((c) => c.categoryId));
  const orphaned = Object.entries(scheduled.byCategory)
    .filter(([id]) => !known.has(id))
    .reduce((sum, [, amount]) => plus(sum, amount), 0);
  const categories = summary.categories.map((c): CategoryForecast => {
    const planned = scheduled.byCategory[c.categoryId] ?? 0;
    const projectedSpent = plus(c.spent, planned);
    return {
      categoryId: c.categoryId,
      name: c.name,
      limit: c.limit,
      spent: c.spent,
      scheduled: planned,
      projectedSpent,
      projectedRemaining: c.limit === null ? null : minus(c.limit, projectedSpent),
    };
  });
  const uncategorizedScheduled = plus(scheduled.uncategorized, orphaned);
  const projectedSpent = plus(summary.spent, scheduled.total);
  return {
    periodStart: summary.periodStart,
    periodEnd: summary.periodEnd,
    limit: summary.limit,
    available: summary.available,
    spent: summary.spent,
    scheduled: scheduled.total,
    projectedSpent,
    projectedRemaining: minus(summary.available, projectedSpent),
    categories,
    uncategorized: {
      spent: summary.uncategorizedSpent,
      scheduled: uncategorizedScheduled,
      projectedSpent: plus(summary.uncategorizedSpent, uncategorizedScheduled),
    },
    upcoming: scheduled.upcoming.map((o) => (o.categoryId === null || known.has(o.categoryId) ? o : { ...o, categoryId: null })),
    upcomingTruncated: scheduled.upcomingTruncated,
  };
}

/** Whether every amount of the forecast is an exact JSON number (|n| <= 2^53 - 1). */
export function forecastIsExact(f: BudgetForecast): boolean {
  const amounts = [
    f.limit,
    f.available,
    f.spent,
    f.scheduled,
    f.projectedSpent,
    f.projectedRemaining,
    ...Object.values(f.uncategorized),
    ...f.categories.flatMap((c) => [c.spent, c.scheduled, c.projectedSpent, c.projectedRemaining ?? 0]),
  ];
  return amounts.every((n) => Number.isSafeInteger(n));
}
