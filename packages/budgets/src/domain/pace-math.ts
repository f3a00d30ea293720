import { dayNumber } from '@budgeting/platform';
import type { Period } from './periods';
import type { BudgetSummary, CategorySummary } from './summary-math';

/**
 * The pace of a period (GET .../summary's `pace`, the home overview's too): how spending stands
 * against time, as YNAB, Copilot and Monarch show it on their home screens. Pure integer
 * arithmetic on the summary's own figures (no reads, no time zones: the caller turns "now" into
 * the budget's local date, as it already does for the period), so the summary's cold path pays
 * a few BigInt operations and nothing else. All amounts are integer minor units.
 */
export type PaceStatus = 'under' | 'on-track' | 'over';

export interface Pace {
  daysInPeriod: number;
  /** Days from the period's first to the pace day, both included. */
  daysElapsed: number;
  /** Days from the pace day to the period's last, both included (0 once the period has ended). */
  daysLeft: number;
  /** floor(max(0, available) x daysElapsed / daysInPeriod). */
  expectedSpent: number;
  status: PaceStatus;
  /** floor(max(0, remaining) / daysLeft); 0 when no day is left. */
  dailyAllowance: number;
}

/** The days of a pace, apart from the money: the same for the budget and each of its categories. */
export interface PaceDays {
  daysInPeriod: number;
  daysElapsed: number;
  daysLeft: number;
}

/** "on-track" while spent is within this percent of `available` from expectedSpent. */
export const ON_TRACK_TOLERANCE_PERCENT = 5;

/**
 * The days of the period's pace on `day` (a date of the period), given `today` in the budget's
 * time zone. A period that ended before today is judged as a whole: every day elapsed, none
 * left. Otherwise (the current period, or a future one) the pace day is `day` itself, counted
 * both as elapsed and as left (so daysElapsed + daysLeft = daysInPeriod + 1): the money of
 * that day is still to be spent, and it has also begun. Day numbers, not instants, so a DST
 * change (a 23- or 25-hour day) is one day like any other.
 */
export function paceDays(period: Period, day: string, today: string): PaceDays {
  const first = dayNumber(period.start);
  const last = dayNumber(period.end);
  const daysInPeriod = last - first + 1;
  if (period.end < today) return { daysInPeriod, daysElapsed: daysInPeriod, daysLeft: 0 };
  const d = dayNumber(day);
  return { daysInPeriod, daysElapsed: d - first + 1, daysLeft: last - d + 1 };
}

/**
 * The pace of `spent` against `available` (the summary's figure, rollover included: a negative
 * one after overspent periods counts as 0 to spend) over `days`.
 *
 * - expectedSpent: the share of available the elapsed days stand for, rounded DOWN.
 * - status: "over" when spent > available, whatever the day; otherwise spent is compared with
 *   the EXACT expected amount (available x daysElapsed / daysInPeriod, not the rounded
 *   expectedSpent): within ON_TRACK_TOLERANCE_PERCENT % of available either way is
 *   "on-track", below that "under", above it "over".
 * - dailyAllowance: max(0, available - spent) / daysLeft rounded DOWN, so spending it every
 *   remaining day never passes available; 0 when no day is left.
 *
 * Products in BigInt: amounts reach 2^53 - 1 and are multiplied by up to 366 (and by 100).
 * Every output is at most max(0, available), or (dailyAllowance, when refunds make spent
 * negative) max(0, available - spent), which the summary keeps exact: an exact JSON number.
 */
export function paceOf(days: PaceDays, available: number, spent: number): Pace {
  const { daysInPeriod, daysElapsed, daysLeft } = days;
  const a = available > 0 ? BigInt(available) : 0n;
  const s = BigInt(spent);
  const d = BigInt(daysInPeriod);
  const e = BigInt(daysElapsed);
  // The summary's remaining, available - spent: not max(0, available) - spent, which a refund
  // (negative spending) would lift above 0 while an overspent available leaves nothing to spend.
  const remaining = BigInt(available) - s;
  return {
    daysInPeriod,
    daysElapsed,
    daysLeft,
    expectedSpent: Number((a * e) / d),
    status: paceStatus(days, available, spent),
    dailyAllowance: daysLeft > 0 && remaining > 0n ? Number(remaining / BigInt(daysLeft)) : 0,
  };
}

/**
 * The pace status of `spent` against `available` on these days (paceOf's `status`; also what a
 * pace alert requires, domain/pace-alerts.ts, so the alert and the summary never disagree).
 * Exact comparison, scaled by daysInPeriod x 100 so no division rounds: spent is within
 * T % of a (= max(0, available)) from a x e / d exactly when
 * |spent x d - a x e| x 100 <= T x a x d.
 */
export function paceStatus(days: Pick<PaceDays, 'daysInPeriod' | 'daysElapsed'>, available: number, spent: number): PaceStatus {
  const a = available > 0 ? BigInt(available) : 0n;
  const s = BigInt(spent);
  const d = BigInt(days.daysInPeriod);
  const e = BigInt(days.daysElapsed);
  if (s > BigInt(available)) return 'over';
  const ahead = (s * d - a * e) * 100n;
  const tolerance = BigInt(ON_TRACK_TOLERANCE_PERCENT) * a * d;
  if (ahead > tolerance) return 'over';
  if (-ahead > tolerance) return 'under';
  return 'on-track';
}

/** The summary GET .../summary answers: the period's figures with their pace (the budget's, and each limited category's). */
export interface PacedSummary extends Omit<BudgetSummary, 'categories'> {
  pace: Pace;
  categories: (CategorySummary & { pace: Pace | null })[];
}

/**
 * The summary with its pace: the budget's against `available` (rollover included), each
 * category's against its own limit (category limits do not roll over); null for a category
 * without a limit, which has no pace to keep.
 */
export function withPace(summary: BudgetSummary, days: PaceDays): PacedSummary {
  return {
    ...summary,
    pace: paceOf(days, summary.available, summary.spent),
    // A rollover category is paced against its `available` (limit + carried), as the budget is against its own.
    categories: summary.categories.map((c) => ({ ...c, pace: c.limit === null ? null : paceOf(days, c.available ?? c.limit, c.spent) })),
  };
}
