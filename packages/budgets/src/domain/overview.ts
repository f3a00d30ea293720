import type { Pace, PacedSummary } from './pace-math';

/**
 * The home overview's headline figures of one budget (GET /v1/me/overview), read off the
 * period's summary (summary-math.ts): no totals are computed here, so the overview and
 * GET .../summary cannot disagree. Pure, unit-tested next to it.
 */
export interface BudgetHeadline {
  period: { start: string; end: string };
  limit: number;
  carriedOver: number;
  spent: number;
  remaining: number;
  /** spent as a whole percent of `limit`, rounded down (can pass 100); null with a zero limit. */
  percentUsed: number | null;
  /** The highest budget-wide alert threshold reached in the period (the summary's thresholdsCrossed); null when none. */
  alertLevel: number | null;
  /** Categories with a limit whose spending is over it (remaining below zero). */
  categoriesOver: number;
  /** Categories with a target (category-target.ts) whose status in the period is `behind`. */
  targetsBehind: number;
  /** The budget's pace on today (the summary's `pace`, pace-math.ts). */
  pace: Pace;
}

export function headlineOf(summary: PacedSummary): BudgetHeadline {
  const budgetLevels = summary.thresholdsCrossed.filter((t) => t.scope === 'budget').map((t) => t.threshold);
  return {
    period: { start: summary.periodStart, end: summary.periodEnd },
    limit: summary.limit,
    carriedOver: summary.carriedOver,
    spent: summary.spent,
    remaining: summary.remaining,
    percentUsed: percentUsed(summary.spent, summary.limit),
    alertLevel: budgetLevels.length > 0 ? Math.max(...budgetLevels) : null,
    categoriesOver: summary.categories.filter((c) => c.remaining !== null && c.remaining < 0).length,
    targetsBehind: summary.categories.filter((c) => c.target?.status === 'behind').length,
    pace: summary.pace,
  };
}

/**
 * floor(spent * 100 / limit), exact in BigInt however large the totals. Rounded down so it
 * agrees with the alert thresholds (summary-math isCrossed: an integer threshold T is reached
 * exactly when percentUsed >= T). Null with a zero limit, where any spending is "over" and no
 * percent means anything. Spending is negative when refunds outweigh it: rounded down too (-1.5%
 * is -2), where BigInt division alone would round toward zero.
 */
export function percentUsed(spent: number, limit: number): number | null {
  if (limit === 0) return null;
  const scaled = BigInt(spent) * 100n;
  const quotient = scaled / BigInt(limit);
  return Number(scaled % BigInt(limit) < 0n ? quotient - 1n : quotient);
}
