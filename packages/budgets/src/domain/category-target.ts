import type { BudgetPeriod } from '../contract';
import { periodContaining, periodsBetween, type Period } from './periods';

/**
 * Category targets (sinking funds, as YNAB's "needed for spending by date" target), pure: a
 * rollover category may carry `target: {amount, by}` ("Car insurance: 1,200.00 by 2027-06-30"),
 * saved for by its monthly (weekly, yearly) limit that rolls over. A summary line's figures
 * say where the saving stands in the line's period. No read of its own: everything comes from
 * the line (its `limit` and `remaining`) and the period. All amounts are integer minor units.
 *
 * The rules, for a line of the period P of a category with limit L whose `remaining` is R
 * (available - spent: what is set aside at the end of P if nothing more is spent in it, P's own
 * limit included):
 *
 * - `periodsLeft`: the budget periods from P through the one containing `by`, both included
 *   (1 when `by` falls in P); 0 once `by` is before P's start (the date has passed).
 * - `status`:
 *   - `funded` when R >= amount (whatever the date);
 *   - `on-track` when not funded, `by` not passed, and R + L x (periodsLeft - 1) >= amount:
 *     the limit of each LATER period up to `by`, carried as rollover carries it, reaches the
 *     amount if nothing more is spent;
 *   - `behind` otherwise (and always once `by` has passed without R reaching the amount).
 * - `neededPerPeriod`: 0 when funded. Otherwise, while `by` is not passed, the smallest whole
 *   amount N that each period from P through `by` (P included) would have to add so that the
 *   amount is reached: what was set aside before P's limit is R - L (carriedOver - spent), so N
 *   = ceil((amount - (R - L)) / periodsLeft). Hence `on-track` exactly when L >= N: N is "the
 *   limit per period that would reach it", as YNAB's "needed this month". (Setting the limit to N
 *   applies from the current period on: the limit history keeps what earlier periods had and
 *   carried, so N is the pace from here on.) Once `by` has passed:
 *   the shortfall, amount - R, needed at once.
 *
 * An undated target (`target: {amount}`, no `by`: a balance to reach and keep, with no date and
 * so no pace) keeps the same three statuses (clients switch on them):
 *
 * - `periodsLeft` and `neededPerPeriod`: null (there is no date to count periods to, so no
 *   amount per period is "needed");
 * - `status`: `funded` when R >= amount; `on-track` when not funded and L > 0 (each later period
 *   adds L, so the amount is reached if nothing more is spent: the dated rule with periodsLeft
 *   growing without end); `behind` when not funded and L = 0 (nothing moves it closer).
 *
 * A dated target's figures are exactly as before (the same keys, in the same order).
 */
export interface CategoryTarget {
  /** What to have set aside, minor units (> 0). */
  amount: number;
  /** The date it is needed by, YYYY-MM-DD; absent for an undated target ("have a balance of"). */
  by?: string;
}

export type TargetStatus = 'funded' | 'on-track' | 'behind';

/** A dated target's figures. */
export interface DatedTargetFigures {
  amount: number;
  by: string;
  periodsLeft: number;
  neededPerPeriod: number;
  status: TargetStatus;
}

/** An undated target's figures: no date, so no periods to count and no pace. */
export interface UndatedTargetFigures {
  amount: number;
  /** Never present: an undated target has no `by` (the key is absent, not null). */
  by?: undefined;
  periodsLeft: null;
  neededPerPeriod: null;
  status: TargetStatus;
}

export type TargetFigures = DatedTargetFigures | UndatedTargetFigures;

/**
 * The target's figures on the line of `period` (a period of kind `kind`) of a category with
 * `limit` whose line's remaining (available - spent) is `remaining`. Computed in BigInt: L x
 * (periodsLeft - 1) may pass 2^53 for a far date. `neededPerPeriod` can only pass 2^53 - 1 when
 * `remaining` is itself near -2^53 (callers check `isExact`).
 */
export function targetFigures(target: Required<CategoryTarget>, kind: BudgetPeriod, period: Period, limit: number, remaining: number): DatedTargetFigures;
export function targetFigures(target: CategoryTarget, kind: BudgetPeriod, period: Period, limit: number, remaining: number): TargetFigures;
export function targetFigures(target: CategoryTarget, kind: BudgetPeriod, period: Period, limit: number, remaining: number): TargetFigures {
  const { amount, by } = target;
  if (by === undefined) return undatedFigures(amount, limit, remaining);
  const periodsLeft = by < period.start ? 0 : periodsBetween(kind, period.start, periodContaining(kind, by).start) + 1;
  const r = BigInt(remaining);
  const a = BigInt(amount);
  if (r >= a) return { amount, by, periodsLeft, neededPerPeriod: 0, status: 'funded' };
  if (periodsLeft === 0) return { amount, by, periodsLeft, neededPerPeriod: Number(a - r), status: 'behind' };
  const l = BigInt(limit);
  const n = BigInt(periodsLeft);
  const needed = ceilDiv(a - (r - l), n);
  const status: TargetStatus = r + l * (n - 1n) >= a ? 'on-track' : 'behind';
  return { amount, by, periodsLeft, neededPerPeriod: Number(needed), status };
}

/** An undated target's figures (see the rules above): compared in BigInt like the dated ones. */
function undatedFigures(amount: number, limit: number, remaining: number): UndatedTargetFigures {
  const status: TargetStatus = BigInt(remaining) >= BigInt(amount) ? 'funded' : limit > 0 ? 'on-track' : 'behind';
  return { amount, periodsLeft: null, neededPerPeriod: null, status };
}

/**
 * The limit per period that reaches a dated target from the period of its line on, if nothing
 * more is spent (the quick budget's `target` basis, limit-suggestions.ts): with `setAside` what
 * the line had before this period's limit (remaining - limit = carriedOver - spent),
 * ceil((amount - setAside) / periodsLeft), this period alone once `by` has passed, and never
 * below 0. While the target is neither funded nor past its date this is `neededPerPeriod`. It
 * differs where `neededPerPeriod` is not a limit: a funded target's 0 (nothing more needed)
 * would take this period's limit out of what is set aside, which can leave it short (this keeps
 * the pace that still reaches it; 0 only when what was set aside before covers it), and a passed
 * date's shortfall is what is missing on top of this period's limit (this is the limit that
 * covers it). BigInt: exact whatever the line (the caller clamps it to a limit).
 */
export function limitReaching(target: DatedTargetFigures, limit: number, remaining: number): bigint {
  const missing = BigInt(target.amount) - (BigInt(remaining) - BigInt(limit));
  if (missing <= 0n) return 0n;
  return ceilDiv(missing, BigInt(Math.max(1, target.periodsLeft)));
}

/** Whether every figure is an exact JSON number (see targetFigures); an undated target's null figures are. */
export function isExact(figures: TargetFigures): boolean {
  return figures.neededPerPeriod === null || Number.isSafeInteger(figures.neededPerPeriod);
}

/** ceil(x / d) for d > 0, x of any sign. */
function ceilDiv(x: bigint, d: bigint): bigint {
  const q = x / d;
  return q * d < x ? q + 1n : q;
}
