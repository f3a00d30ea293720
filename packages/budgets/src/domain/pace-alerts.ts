import { paceStatus, type PaceDays } from './pace-math';
import type { BudgetSummary } from './summary-math';

/**
 * "On pace to overspend" (docs/alerts.md "Pace alerts"), as Copilot and Monarch warn before a limit is
 * hit: "at this pace 620.00 of 500.00 by 30 Nov". Pure integer arithmetic on the summary's own
 * figures, so the alert and GET .../summary's pace agree by construction: a line is the budget
 * against its `available` and each category with a limit against its `available` (rollover) or
 * limit, exactly as their pace is.
 *
 * projected = spent x daysInPeriod / daysElapsed, the spending of the period if the days left go
 * as the days elapsed. A line is projected over when ALL hold:
 * - its pace status, as the summary shows it (pace-math.ts paceStatus), is `over`: spent is
 *   ahead of the even pace (available x daysElapsed / daysInPeriod) by more than the pace's
 *   ON_TRACK_TOLERANCE_PERCENT (5 %) of the limit. So projected > limit x (1 + 5 % x
 *   daysInPeriod / daysElapsed): on a quarter of the period past 120 % of the limit; late in
 *   the period only spending past the limit itself would be `over` (day 29 of 30), and there the
 *   rule below leaves it to the 100 % threshold. A line just past an even pace reads `on-track`
 *   and does not alert: the summary and the alert agree (a projection of exactly the limit is
 *   no alert either);
 * - spent < its limit: once it is reached, the 100% threshold alert (budget.threshold_crossed)
 *   says so, and "you will overspend" after the fact would be noise;
 * - at least a quarter of the period elapsed (PACE_ALERT_MIN_ELAPSED_FRACTION:
 *   daysElapsed x 4 >= daysInPeriod): before that, a projection multiplies a few days by 4 or
 *   more and one ordinary purchase swings it past the limit;
 * - spent >= PACE_ALERT_MIN_SPENT_PERCENT % of its limit: one big purchase early in the period
 *   (day 8 of 30) is a purchase, not a pace; with at least a tenth spent the days elapsed say
 *   something about the rest. While a quarter must elapse, projected <= 4 x spent, so an alert
 *   already needs spent > 25% of the limit and this floor never decides; it is kept so that a
 *   shorter wait (a smaller PACE_ALERT_MIN_ELAPSED_FRACTION) cannot bring that noise back.
 */

/** 1 / this of the period must have elapsed (daysElapsed x 4 >= daysInPeriod): a quarter. */
export const PACE_ALERT_MIN_ELAPSED_FRACTION = 4;
/** spent x 100 >= limit x this. */
export const PACE_ALERT_MIN_SPENT_PERCENT = 10;

export interface PaceLine {
  /** null: the budget's total. */
  categoryId: string | null;
  /** What the projection is compared with: the line's `available` with rollover, else its limit. */
  limit: number;
  spent: number;
}

export interface OverspendProjection extends PaceLine {
  /** ceil(spent x daysInPeriod / daysElapsed): so always > limit when projected over. */
  projected: number;
}

/** Whether the days allow any pace alert: a quarter of the period elapsed. */
export function paceAlertsDue(days: Pick<PaceDays, 'daysInPeriod' | 'daysElapsed'>): boolean {
  return days.daysElapsed >= 1 && days.daysElapsed * PACE_ALERT_MIN_ELAPSED_FRACTION >= days.daysInPeriod;
}

/** The line's projection when it is projected over (rules above), else null. BigInt products: amounts reach 2^53 - 1. */
export function projectedOver(days: Pick<PaceDays, 'daysInPeriod' | 'daysElapsed'>, line: PaceLine): OverspendProjection | null {
  if (!paceAlertsDue(days) || line.limit <= 0 || line.spent <= 0) return null;
  const s = BigInt(line.spent);
  const l = BigInt(line.limit);
  const d = BigInt(days.daysInPeriod);
  const e = BigInt(days.daysElapsed);
  if (s >= l) return null;
  if (s * 100n < l * BigInt(PACE_ALERT_MIN_SPENT_PERCENT)) return null;
  // Its pace as the summary shows it must be `over` (implies s x d > l x e: projected > limit).
  if (paceStatus(days, line.limit, line.spent) !== 'over') return null;
  const projected = (s * d + e - 1n) / e;
  // At most 4 x limit (a quarter elapsed); past 2^53 - 1 it could not be said exactly in JSON.
  if (projected > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return { ...line, projected: Number(projected) };
}

/** Every line of the summary projected over on these days: the budget first, then its categories in the summary's order. */
export function overspendProjections(summary: Pick<BudgetSummary, 'available' | 'spent' | 'categories'>, days: Pick<PaceDays, 'daysInPeriod' | 'daysElapsed'>): OverspendProjection[] {
  const lines: PaceLine[] = [{ categoryId: null, limit: summary.available, spent: summary.spent }];
  for (const c of summary.categories) {
    if (c.limit !== null) lines.push({ categoryId: c.categoryId, limit: c.available ?? c.limit, spent: c.spent });
  }
  return lines.flatMap((line) => projectedOver(days, line) ?? []);
}
