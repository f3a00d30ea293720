import { addDays, dayNumber, daysInMonth, searchKey } from '@budgeting/platform';
import { groupMerchants, type MerchantUse } from './merchant-suggestions';
import { firstOnOrAfter, type Schedule } from './recurrence';
import { isRefund } from './refunds';

/**
 * Bill detection (GET /v1/budgets/{budgetId}/recurring-expenses/suggestions, as Actual's
 * "Find schedules" and YNAB's subscription detection): the merchants a budget pays on a
 * regular cadence, at a stable amount, still live, that no recurring expense covers yet, each
 * with a body the app can POST as is to set it up. Pure: computed on read from a bounded
 * window of the budget's newest expenses (service/recurring-suggestions.service.ts, the
 * merchant suggestions' own window read), nothing stored, so the write path is unchanged.
 */

/** The newest expenses examined: at most this many (the window's hard bound on items read)... */
export const BILL_WINDOW_MAX_EXPENSES = 2000;
/** ...and only those dated within this many days up to today (today included), whichever is fewer. */
export const BILL_WINDOW_DAYS = 400;
/** Fewer payments than this are not a pattern: two dates a month apart happen by chance. */
export const BILL_MIN_OCCURRENCES = 3;
/** Every amount of a bill is within this percentage of the group's median. */
export const BILL_AMOUNT_TOLERANCE_PERCENT = 10;
/** A bill whose last payment is more than this many cadences ago has stopped (a cancelled subscription). */
export const BILL_STALE_AFTER_CADENCES = 1.5;

/**
 * The cadences suggested, each in the recurring body's own terms (`schedule.frequency` and
 * `schedule.interval`), so a suggestion always posts. Tried in this order; their tolerances
 * do not overlap, so at most one fits a group. Left out on purpose:
 * - daily: a merchant visited every day (the coffee shop) is a habit, not a bill;
 * - yearly: three payments a year apart take more than two years, longer than the window
 *   (and two are too weak a pattern: the same shop twice, a year apart, by chance).
 */
export interface Cadence {
  frequency: 'weekly' | 'monthly';
  interval: number;
}

interface CadenceRule extends Cadence {
  /** The cadence's length in days, on average (the staleness bound). */
  days: number;
  /** Does the gap from `earlier` to `later` (consecutive payments) fit the cadence? */
  fits: (earlier: string, later: string) => boolean;
}

const CADENCES: readonly CadenceRule[] = [
  { frequency: 'weekly', interval: 1, days: 7, fits: daysApart(6, 8) },
  { frequency: 'weekly', interval: 2, days: 14, fits: daysApart(13, 15) },
  // Months vary (28..31 days) and bills are paid on a day of the month, not every 30 days:
  // 27..33 days apart, or the next month on the same day +-3 (Jan 31 -> Feb 28 too).
  { frequency: 'monthly', interval: 1, days: 30.44, fits: (a, b) => daysApart(27, 33)(a, b) || monthsApartSameDay(1)(a, b) },
  { frequency: 'monthly', interval: 3, days: 91.31, fits: (a, b) => daysApart(87, 95)(a, b) || monthsApartSameDay(3)(a, b) },
];

/** How far a day of the month may move between payments ("paid on the 1st, or a few days later"). */
const DAY_OF_MONTH_TOLERANCE = 3;

export interface BillSuggestion {
  /** The spelling of the latest payment. */
  merchant: string;
  /** The category most used with it in the window (one of the budget's), null when none. */
  categoryId: string | null;
  /** The latest payment's amount, minor units. */
  amount: number;
  currency: string;
  cadence: Cadence;
  /** Payments in the window. */
  occurrences: number;
  /** The latest payment's date. */
  lastOn: string;
  /** The first date after lastOn, and on or after today, the cadence falls on: what the recurring expense would record first. */
  nextExpectedOn: string;
  /** false: every payment had the same amount. */
  amountVaries: boolean;
  /** high: 4 or more payments of one amount; medium: the rest. */
  confidence: 'high' | 'medium';
  /** A ready-to-POST body for POST /v1/budgets/{budgetId}/recurring-expenses. */
  recurringExpense: {
    amount: number;
    categoryId: string | null;
    merchant: string;
    schedule: { frequency: Cadence['frequency']; interval: number; startsOn: string };
  };
}

export interface BillContext {
  /** Today in the budget's time zone. */
  today: string;
  /** The budget's currency: every expense is in it (the API refuses another). */
  currency: string;
  /** Is this one of the budget's categories? (a removed one would be refused by the POST the suggestion feeds) */
  isCategory: (categoryId: string) => boolean;
  /** Is a merchant with this searchKey covered by one of the budget's recurring expenses already? */
  isCovered: (merchantKey: string) => boolean;
}

/**
 * The bills in `uses` (any order): expenses grouped by the `searchKey` of their merchant (the
 * merchant suggestions' and `?merchant=`'s key; no merchant, no group), each group a bill when
 * - it has at least BILL_MIN_OCCURRENCES payments, and every gap between consecutive ones
 *   fits ONE cadence (two payments on one day fit none: that is shopping, not a bill);
 * - every amount is within BILL_AMOUNT_TOLERANCE_PERCENT of the group's median (the lower
 *   middle one for an even count); `amount` is the latest, `amountVaries` says whether any differs;
 * - its latest payment is at most BILL_STALE_AFTER_CADENCES cadences before today;
 * - no recurring expense covers its key (`isCovered`).
 * A split expense counts by its whole amount (the recurring expense suggested records the whole
 * bill) and casts no category vote (groupMerchants); the suggested body is never split.
 * Ordered by confidence (high first), then amount (largest first), then the merchant's key.
 */
export function findBills(uses: readonly MerchantUse[], context: BillContext): BillSuggestion[] {
  const groups = new Map<string, MerchantUse[]>();
  for (const use of uses) {
    // A refund is money back, not a bill paid (domain/refunds.ts): never part of a bill.
    if (use.merchant === undefined || isRefund(use)) continue;
    const key = searchKey(use.merchant);
    if (key === '') continue;
    const group = groups.get(key);
    if (group) group.push(use);
    else groups.set(key, [use]);
  }
  const found: { key: string; bill: BillSuggestion }[] = [];
  for (const [key, group] of groups) {
    if (context.isCovered(key)) continue;
    const bill = billOf(group, context);
    if (bill) found.push({ key, bill });
  }
  return found
    .sort((a, b) => rank(a.bill) - rank(b.bill) || b.bill.amount - a.bill.amount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ bill }) => bill);
}

const rank = (bill: BillSuggestion): number => (bill.confidence === 'high' ? 0 : 1);

/** One merchant's payments as a bill, or null when they are not one (see findBills). */
function billOf(group: MerchantUse[], context: BillContext): BillSuggestion | null {
  if (group.length < BILL_MIN_OCCURRENCES) return null;
  const dated = [...group].sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0));
  const cadence = CADENCES.find((c) => dated.every((use, i) => i === 0 || c.fits(dated[i - 1]!.occurredOn, use.occurredOn)));
  if (!cadence) return null;
  const latest = dated[dated.length - 1]!;
  if (dayNumber(context.today) - dayNumber(latest.occurredOn) > Math.floor(BILL_STALE_AFTER_CADENCES * cadence.days)) return null;
  if (!stable(dated.map((u) => u.amount))) return null;

  // A schedule anchored on the latest payment (or the one whose day it clamps: anchorOf): its next
  // date after the latest payment, not before today.
  const anchor = anchorOf(dated, cadence);
  const anchored: Schedule = { frequency: cadence.frequency, interval: cadence.interval, startsOn: anchor };
  const from = latest.occurredOn < context.today ? context.today : addDays(latest.occurredOn, 1);
  const nextExpectedOn = firstOnOrAfter(anchored, from);
  if (nextExpectedOn === null) return null; // past the last date the API accepts
  const { merchant, categoryId } = groupMerchants(group, context.isCategory)[0]!;
  const amountVaries = dated.some((u) => u.amount !== latest.amount);
  return {
    merchant,
    categoryId,
    amount: latest.amount,
    currency: context.currency,
    cadence: { frequency: cadence.frequency, interval: cadence.interval },
    occurrences: dated.length,
    lastOn: latest.occurredOn,
    nextExpectedOn,
    amountVaries,
    confidence: dated.length >= 4 && !amountVaries ? 'high' : 'medium',
    recurringExpense: {
      amount: latest.amount,
      categoryId,
      merchant,
      // startsOn anchors the schedule's day (a create never back-fills a past startsOn, and
      // its first occurrence is the first on or after today: nextExpectedOn). A payment dated
      // today or later would be recorded again from such an anchor: start after it instead.
      schedule: {
        frequency: cadence.frequency,
        interval: cadence.interval,
        startsOn: latest.occurredOn < context.today ? anchor : nextExpectedOn,
      },
    },
  };
}

/**
 * The date a bill's schedule is anchored on (its day of the month): the latest payment's, unless
 * that is the last day of a shorter month, where a later day clamps (the 31st falls on Feb 28,
 * Apr 30): then the most recent earlier payment on a later day of the month whose schedule falls
 * on the latest payment too (Jan 31 -> Feb 28), so a month-end bill is expected on Mar 31, not
 * Mar 28. That payment may itself be clamped (every three months on the 31st: Aug 31, Nov 30, Feb
 * 28): so, from it, the search goes on for an earlier payment on a later day still whose schedule
 * falls on it and on the latest payment (Aug 31), else the bill would be expected on May 30, and
 * the body's schedule would keep the 30th. A payment on a later day whose schedule misses the
 * anchor found (a bill that moved from the 31st to the 30th: Oct 31 gives Jan 31, not Jan 30) is
 * passed over. Weekly cadences have no day of the month: always the latest payment.
 */
function anchorOf(dated: readonly MerchantUse[], cadence: Cadence): string {
  const latest = dated[dated.length - 1]!.occurredOn;
  if (cadence.frequency !== 'monthly') return latest;
  const [y, m, d] = latest.split('-').map(Number) as [number, number, number];
  if (d !== daysInMonth(y, m)) return latest;
  const dayOf = (date: string) => Number(date.slice(8));
  const fallsOn = (startsOn: string, date: string) => firstOnOrAfter({ frequency: 'monthly', interval: cadence.interval, startsOn }, date) === date;
  let anchor = latest;
  for (let i = dated.length - 2; i >= 0; i--) {
    const earlier = dated[i]!.occurredOn;
    if (dayOf(earlier) <= dayOf(anchor)) continue;
    if (fallsOn(earlier, anchor) && fallsOn(earlier, latest)) anchor = earlier;
  }
  return anchor;
}

/** Every amount within the tolerance of the median (integers compared, no rounding). */
function stable(amounts: number[]): boolean {
  const sorted = [...amounts].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return sorted.every((a) => Math.abs(a - median) * 100 <= BILL_AMOUNT_TOLERANCE_PERCENT * median);
}

function daysApart(min: number, max: number) {
  return (earlier: string, later: string): boolean => {
    const gap = dayNumber(later) - dayNumber(earlier);
    return gap >= min && gap <= max;
  };
}

/** `later` is `months` calendar months after `earlier`, on its day of the month +-3 (clamped to the later month's length). */
function monthsApartSameDay(months: number) {
  return (earlier: string, later: string): boolean => {
    const [ey, em, ed] = earlier.split('-').map(Number) as [number, number, number];
    const [ly, lm, ld] = later.split('-').map(Number) as [number, number, number];
    if (ly * 12 + lm - (ey * 12 + em) !== months) return false;
    return Math.abs(ld - Math.min(ed, daysInMonth(ly, lm))) <= DAY_OF_MONTH_TOLERANCE;
  };
}
