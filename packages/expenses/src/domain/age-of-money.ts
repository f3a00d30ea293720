/**
 * Age of Money (packages/expenses/docs/income.md "Age of Money"): how many days, on average, pass between a
 * dollar coming in and going out, first in first out. Pure: the service reads the window's
 * income per day (the entries) and spending per day (the running totals' day figures) and this
 * computes, in BigInt minor units and whole days (no float anywhere).
 *
 * The FIFO: cumulative income I(t) (income received on days <= t) and cumulative spending S(d)
 * (each day's net spending added, refunds lowering it, never below 0: a refund larger than
 * everything spent since the window's start puts back money the window never saw leave). The
 * dollars spent on day d are the units (S(d-1), S(d)] when S(d) > S(d-1); unit k was received on
 * the first day t with I(t) >= k, and is d - t days old. A day's units past I(d) (spending
 * outran the income recorded up to that day) have no receipt: the day's age is unknown.
 *
 * The window (bounded reads whatever the budget's age): the 24 calendar months up to the date.
 * Money received before it and unspent at its start is not read, and would be spent first: so
 * the window's first 12 months are a lead-in, in which spending the window's income up to that
 * day does not cover is taken as paid with that older money (it takes no unit of the queue, so
 * a salary paid on the 28th does not leave the first month's spending unfunded forever); from
 * the 13th month on, the months answered, spending past the income is "not enough income". For a
 * point whose last 10 spending days lie after the lead-in, and no spending up to the lead-in's end
 * past the income of its day, the ages are exact when the budget's whole history lies in the
 * window, or the money left fell to zero at some point of the lead-in; otherwise older money
 * still held is left out, which makes the age shown younger than the true one, never older.
 * Outside those conditions it can be older (packages/expenses/docs/income.md "Age of Money", age-of-money.property.test.ts).
 *
 * The age at a date: the dollar-weighted mean age of the units spent on the last
 * SPENDING_DAYS days with net spending (S rose) on or before it, rounded half up to whole days
 * (YNAB averages its last 10 outflows; our unit is a day's spending). Null when there is no
 * such day, or when one of them has units without a receipt ("not enough income recorded").
 */
import { addDays, dayNumber } from '@budgeting/platform';
import { addMonths, firstDayOfMonth, lastDayOfMonth, monthOf } from './dates';

/** Months read back from the date's month, that one included: the FIFO starts at the first one's first day. */
export const AGE_OF_MONEY_WINDOW_MONTHS = 24;
/** Spending days averaged for one age (YNAB: its last 10 outflows). */
export const AGE_OF_MONEY_SPENDING_DAYS = 10;
/** Months of history answered (the date's month and those before it): each has 12 months or more of FIFO behind it. */
export const AGE_OF_MONEY_HISTORY_MONTHS = 12;

export type AgeOfMoneyReason = 'not-enough-income' | 'no-spending';

/** A day that spent money: `spent` units (> 0) and their summed age in unit-days, null when some had no receipt. */
export interface SpendingDayAge {
  date: string;
  spent: bigint;
  ageSum: bigint | null;
}

export interface AgeAt {
  days: number | null;
  reason: AgeOfMoneyReason | null;
  spendingDays: number;
  from: string | null;
  to: string | null;
}

/** The window of `date`: from the first day of the month AGE_OF_MONEY_WINDOW_MONTHS - 1 before its own. */
export function ageOfMoneyWindow(date: string): { from: string; to: string } {
  return { from: firstDayOfMonth(addMonths(monthOf(date), -(AGE_OF_MONEY_WINDOW_MONTHS - 1))), to: date };
}

/** The dates the history is measured at: each month's last day, `date` itself for its own month; oldest first. */
export function historyPoints(date: string): { month: string; asOf: string }[] {
  const last = monthOf(date);
  return Array.from({ length: AGE_OF_MONEY_HISTORY_MONTHS }, (_, i) => {
    const month = addMonths(last, i - (AGE_OF_MONEY_HISTORY_MONTHS - 1));
    return { month, asOf: month === last ? date : lastDayOfMonth(month) };
  });
}

/**
 * Each spending day's units and their age, oldest first. `income` and `spending`: per-day sums
 * (any order; days outside the window already left out by the caller). Income days are
 * segments (cum[j-1], cum[j]] of the cumulative income; a day's units are matched to the
 * segments they overlap, found by binary search (S can step back after a refund).
 */
export function spendingDayAges(income: ReadonlyMap<string, bigint>, spending: ReadonlyMap<string, bigint>, leadInEnd = ''): SpendingDayAge[] {
  const incomeDays = [...income].filter(([, amount]) => amount > 0n).sort(([a], [b]) => (a < b ? -1 : 1));
  const cumulative: bigint[] = [];
  let sum = 0n;
  for (const [, amount] of incomeDays) cumulative.push((sum += amount));
  const ages: SpendingDayAge[] = [];
  let spent = 0n;
  let received = 0;
  for (const [date, net] of [...spending].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = spent;
    spent = spent + net > 0n ? spent + net : 0n;
    if (date < leadInEnd) {
      // The lead-in: what the window's income up to this day does not cover was paid with older
      // money (received before the window, never read), so it takes no unit of the queue.
      while (received < incomeDays.length && incomeDays[received]![0] <= date) received++;
      const available = received === 0 ? 0n : cumulative[received - 1]!;
      if (spent > available) spent = available > before ? available : before;
    }
    if (spent <= before) continue;
    ages.push({ date, spent: spent - before, ageSum: ageSumOf(incomeDays, cumulative, date, before, spent) });
  }
  return ages;
}

/** The summed age of units (lo, hi] spent on `date`; null when a unit has no receipt on or before `date`. */
function ageSumOf(incomeDays: [string, bigint][], cumulative: bigint[], date: string, lo: bigint, hi: bigint): bigint | null {
  // First segment ending above lo: the one holding unit lo + 1.
  let left = 0;
  let right = cumulative.length;
  while (left < right) {
    const mid = (left + right) >> 1;
    if (cumulative[mid]! > lo) right = mid;
    else left = mid + 1;
  }
  const spentOn = dayNumber(date);
  let ageSum = 0n;
  let covered = lo;
  for (let j = left; j < cumulative.length && covered < hi; j++) {
    const [receivedOn] = incomeDays[j]!;
    if (receivedOn > date) return null;
    const end = cumulative[j]! < hi ? cumulative[j]! : hi;
    ageSum += (end - covered) * BigInt(spentOn - dayNumber(receivedOn));
    covered = end;
  }
  return covered < hi ? null : ageSum;
}

/** The age on `asOf`: the last AGE_OF_MONEY_SPENDING_DAYS spending days on or before it (`ages` oldest first). */
export function ageAt(ages: readonly SpendingDayAge[], asOf: string): AgeAt {
  let end = ages.length;
  while (end > 0 && ages[end - 1]!.date > asOf) end--;
  const basis = ages.slice(Math.max(0, end - AGE_OF_MONEY_SPENDING_DAYS), end);
  const shown = { spendingDays: basis.length, from: basis[0]?.date ?? null, to: basis.at(-1)?.date ?? null };
  if (basis.length === 0) return { days: null, reason: 'no-spending', ...shown };
  let spent = 0n;
  let ageSum = 0n;
  for (const day of basis) {
    if (day.ageSum === null) return { days: null, reason: 'not-enough-income', ...shown };
    spent += day.spent;
    ageSum += day.ageSum;
  }
  // Half up (ages are never negative): floor((2 sum + spent) / (2 spent)).
  return { days: Number((2n * ageSum + spent) / (2n * spent)), reason: null, ...shown };
}

/** The answer of GET .../age-of-money (minus nothing: the service returns it as is). */
export interface AgeOfMoneyReport {
  date: string;
  days: number | null;
  reason: AgeOfMoneyReason | null;
  basedOn: { spendingDays: number; from: string | null; to: string | null };
  window: { from: string; to: string; leadInTo: string };
  /** Each month's age and, when null, why (`reason`, as the answer's own). */
  history: { month: string; asOf: string; days: number | null; reason: AgeOfMoneyReason | null }[];
}

/**
 * The age on `date` and at each history point, from the window's income and spending per day.
 * `windowFrom`: where the FIFO starts (the window's first day, later when the income entries'
 * bound cut it: spending before it is left out with the income). `leadIn` false: the budget's
 * whole history lies in the window (no month item before it, and the entries not cut), so there
 * is no older money to stand in for: the strict rule from the window's first day, the lead-in
 * empty (`leadInTo` the day before `from`), and every point exact (the property tests).
 */
export function ageOfMoneyReport(date: string, windowFrom: string, income: ReadonlyMap<string, bigint>, spending: ReadonlyMap<string, bigint>, leadIn = true): AgeOfMoneyReport {
  const inWindow = new Map([...spending].filter(([day]) => day >= windowFrom && day <= date));
  const points = historyPoints(date);
  const leadInEnd = leadIn ? firstDayOfMonth(points[0]!.month) : windowFrom;
  const ages = spendingDayAges(income, inWindow, leadInEnd);
  const now = ageAt(ages, date);
  return {
    date,
    days: now.days,
    reason: now.reason,
    basedOn: { spendingDays: now.spendingDays, from: now.from, to: now.to },
    window: { from: windowFrom, to: date, leadInTo: addDays(leadInEnd, -1) },
    history: points.map(({ month, asOf }) => {
      const at = ageAt(ages, asOf);
      return { month, asOf, days: at.days, reason: at.reason };
    }),
  };
}
