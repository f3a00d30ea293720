import type { ScheduledOccurrence, ScheduledSpending } from '../contract';
import { groupLimit, groupLines, remainingOf, sumOf, type CategoryGroup } from './groups-math';
import type { CategoryFigures } from '../model';
import { categoryFigures, groupCarriedOver, type BudgetSummary } from './summary-math';

/**
 * The arithmetic of a period forecast, pure: a period's summary (its spending so far, what is
 * available) plus what the budget's recurring expenses will still record in it. All amounts
 * are integer minor units.
 */
/** The summary's line of the category (carriedOver and available with category rollover), and what is still to come. */
export interface CategoryForecast extends CategoryFigures {
  scheduled: number;
  projectedSpent: number;
  /** limit - projectedSpent (with category rollover: available - projectedSpent); null without a category limit. */
  projectedRemaining: number | null;
}

/** A category group's forecast: its categories' lines summed (limit as the summary's group). */
export interface GroupForecast extends CategoryGroup {
  limit: number | null;
  /** Only when a member rolls over: its rollover members' carriedOver summed (the summary's group's). */
  carriedOver?: number;
  /** Only when a member rolls over: limit + carriedOver. */
  available?: number;
  spent: number;
  scheduled: number;
  projectedSpent: number;
  /** limit - projectedSpent (with a rollover member: available - projectedSpent); null without a limit. */
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
  groups: GroupForecast[];
  uncategorized: { spent: number; scheduled: number; projectedSpent: number };
  upcoming: ScheduledOccurrence[];
  upcomingTruncated: boolean;
}

/** Nothing left to record (a period that has ended). */
export const NOTHING_SCHEDULED: ScheduledSpending = { total: 0, byCategory: {}, uncategorized: 0, upcoming: [], upcomingTruncated: false, occurrences: 0 };

/** a + b and a - b through BigInt, so a sum past 2^53 comes out unsafe (and is caught) rather than silently rounded to a safe-looking number. */
const plus = (a: number, b: number) => Number(BigInt(a) + BigInt(b));
const minus = (a: number, b: number) => Number(BigInt(a) - BigInt(b));

/**
 * The forecast of `summary`'s period. Scheduled spending in a category the budget no longer
 * has counts as uncategorized, and its occurrences are listed uncategorized: the recurring job
 * records them so (as the summary counts spending in a removed category). A split
 * definition's parts arrive already credited to their own categories in `byCategory`
 * (the same rule then applies per part).
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
      ...categoryFigures(c),
      scheduled: planned,
      projectedSpent,
      projectedRemaining: c.limit === null ? null : minus(c.available ?? c.limit, projectedSpent),
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
    // The summary's groups (same members, same limit), their lines summed again with what is scheduled.
    groups: groupLines(summary.groups, categories, (members) => {
      const limit = groupLimit(members.map((c) => c.limit));
      const projectedSpent = sumOf(members.map((c) => c.projectedSpent));
      const carried = groupCarriedOver(members);
      const available = carried === undefined ? undefined : sumOf([limit!, carried]);
      return {
        limit,
        ...(available === undefined ? {} : { carriedOver: carried!, available }),
        spent: sumOf(members.map((c) => c.spent)),
        scheduled: sumOf(members.map((c) => c.scheduled)),
        projectedSpent,
        projectedRemaining: remainingOf(available ?? limit, projectedSpent),
      };
    }),
    uncategorized: {
      spent: summary.uncategorizedSpent,
      scheduled: uncategorizedScheduled,
      projectedSpent: plus(summary.uncategorizedSpent, uncategorizedScheduled),
    },
    upcoming: scheduled.upcoming.map((o) => listedAsRecorded(o, known)),
    upcomingTruncated: scheduled.upcomingTruncated,
  };
}

/**
 * An occurrence as the job will record it: a category the budget no longer has becomes null,
 * the occurrence's own or a split part's (that part alone; the others keep theirs). Also how
 * safe-to-spend lists its upcoming bills.
 */
export function listedAsRecorded(o: ScheduledOccurrence, known: ReadonlySet<string>): ScheduledOccurrence {
  const kept = (id: string | null) => (id === null || known.has(id) ? id : null);
  const orphanedPart = o.splits?.some((p) => kept(p.categoryId) !== p.categoryId) ?? false;
  if (kept(o.categoryId) === o.categoryId && !orphanedPart) return o;
  return {
    ...o,
    categoryId: kept(o.categoryId),
    ...(o.splits ? { splits: o.splits.map((p) => ({ ...p, categoryId: kept(p.categoryId) })) } : {}),
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
    ...f.categories.flatMap((c) => [c.carriedOver ?? 0, c.available ?? 0, c.spent, c.scheduled, c.projectedSpent, c.projectedRemaining ?? 0]),
    ...f.groups.flatMap((g) => [g.limit ?? 0, g.carriedOver ?? 0, g.available ?? 0, g.spent, g.scheduled, g.projectedSpent, g.projectedRemaining ?? 0]),
  ];
  return amounts.every((n) => Number.isSafeInteger(n));
}
