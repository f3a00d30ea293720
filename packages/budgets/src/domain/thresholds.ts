import type { SpendingTotals } from '../contract';
import type { Budget } from '../model';
import { isCrossed, type ThresholdCrossed } from './summary-math';

/**
 * Which alert thresholds a period's spending has reached, and how that meets the markers of
 * thresholds already announced. Pure, so the subscriber and the summary agree by
 * construction.
 *
 * A threshold is a percent of a limit: the budget's limit for the budget scope, a
 * category's own limit for that category (categories without a limit have no thresholds).
 */
export interface Crossing extends ThresholdCrossed {
  /** What was spent in the scope, and the limit the percent is of, when it was seen crossed. */
  spent: number;
  limit: number;
}

/**
 * Every (scope, threshold) the totals reach now, in the summary's order. A scope whose spending
 * is no safe integer (summed over the totals' shards, each within 2^53 - 1 but not together: the
 * sum is already rounded, and GET .../summary answers its 400) has no exact figure to announce:
 * it is left out, so its event is not refused by its schema (failing the whole delivery, the
 * exact lines' announcements with it, on every expense event of the period).
 */
export function crossingsNow(budget: Budget, totals: SpendingTotals): Crossing[] {
  const out: Crossing[] = [];
  for (const threshold of [...budget.alertThresholds].sort((a, b) => a - b)) {
    if (Number.isSafeInteger(totals.total) && isCrossed(totals.total, budget.limit, threshold)) {
      out.push({ scope: 'budget', categoryId: null, threshold, spent: totals.total, limit: budget.limit });
    }
    for (const c of budget.categories) {
      const spent = totals.byCategory[c.id] ?? 0;
      if (c.limit !== undefined && Number.isSafeInteger(spent) && isCrossed(spent, c.limit, threshold)) {
        out.push({ scope: 'category', categoryId: c.id, threshold, spent, limit: c.limit });
      }
    }
  }
  return out;
}

export const sameCrossing = (a: ThresholdCrossed, b: ThresholdCrossed): boolean =>
  a.scope === b.scope && a.categoryId === b.categoryId && a.threshold === b.threshold;

/**
 * The summary's `thresholdsCrossed`: what spending reaches now, plus every threshold already
 * announced for the period. A crossing is a fact of the period ("spending first crossed 80%"),
 * so it stays listed when spending later drops back below (an expense deleted, a limit
 * raised), just as its event is never taken back. Listing the live crossings too means the
 * summary does not wait for the event's delivery to show a threshold just reached.
 */
export function crossedInPeriod(live: ThresholdCrossed[], announced: ThresholdCrossed[]): ThresholdCrossed[] {
  const all = [...live];
  for (const m of announced) if (!all.some((c) => sameCrossing(c, m))) all.push(m);
  // Stable sort: within a threshold, the live ones keep the summary's order (budget first,
  // then the budget's categories), announced-only ones follow.
  return all
    .map((c) => ({ scope: c.scope, categoryId: c.categoryId, threshold: c.threshold }))
    .sort((a, b) => a.threshold - b.threshold);
}
