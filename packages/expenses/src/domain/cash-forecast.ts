import { addDays, dayNumber } from '@budgeting/platform';
import type { RecurringExpense, RecurringIncome } from '../model';
import { occurrencesBetween, windowDates, type OccurrenceWindow } from './recurrence';
import { pendingWindow } from './scheduled';

/**
 * The cash flow forecast (packages/expenses/docs/income.md "Cash flow forecast"): the recurring income and the
 * recurring expenses still to record through `to`, day by day, with a running net. Pure: the
 * service reads the definitions, this lays out their occurrences and adds them up.
 *
 * The occurrences are those the two upcoming routes list, found by the same functions: a bill's
 * through `pendingWindow` (the upcoming bills', the period forecast's and the calendar feed's:
 * paused and ended ones none; skipped dates and installment plans' ends respected), here from
 * its `nextOccurrenceOn`; an income's from its `nextOccurrenceOn` through `to` as
 * `RecurringIncomeService.upcoming` computes it (both use `incomeWindow`). A paycheck or a bill
 * due before `from` (today) that the hourly job has not recorded yet is listed on `from`, with
 * `overdue: true` and its date as `dueOn`: a forecast never lists a day before it starts, and the
 * money is still to come or to leave (the income upcoming marks the same paychecks `overdue`, on
 * their dates; the bills upcoming starts today; safe to spend and the period forecast count such
 * a bill too). Counting the overdue paychecks but not the overdue bills read the running net
 * higher than it will be. The integration test compares the forecast with both routes' answers.
 */
export const FORECAST_DEFAULT_DAYS = 30;
export const FORECAST_MAX_DAYS = 90;
/**
 * The most occurrences one answer lays out (a 422 naming `query.to` past it). A household's 20
 * bills and 3 paychecks over 90 days are about 70; five daily bills about 450. The bound keeps
 * the answer under ~1.6 MB with the longest merchant and description (Lambda answers at most
 * 6 MB) and the memory bounded: the dates are counted arithmetically before any is listed.
 */
export const MAX_FORECAST_OCCURRENCES = 2_000;
/** pendingWindow's `from` that sorts before every date: the window starts at the bill's nextOccurrenceOn, overdue dates included. */
const OVERDUE_TOO = '';

export interface ForecastIncome {
  recurringIncomeId: string;
  amount: number;
  source?: string;
  description?: string;
  /** Due before `from` and not recorded yet: listed on `from`, its scheduled date `dueOn`. */
  overdue?: true;
  dueOn?: string;
}

export interface ForecastBill {
  recurringExpenseId: string;
  amount: number;
  merchant?: string;
  description?: string;
  /** Due before `from` and not recorded yet: listed on `from`, its scheduled date `dueOn`. */
  overdue?: true;
  dueOn?: string;
}

export interface ForecastDay {
  date: string;
  income: ForecastIncome[];
  bills: ForecastBill[];
  /** Only with an estimate (`?spending=estimate`): the estimate's `perDay`. */
  estimatedSpending?: number;
  net: number;
  runningNet: number;
}

export interface CashForecast {
  days: ForecastDay[];
  totals: { income: number; bills: number; estimatedSpending?: number; net: number };
  lowestRunningNet: { date: string; amount: number };
}

/** More occurrences than MAX_FORECAST_OCCURRENCES fall in the range. */
export class ForecastTooManyError extends Error {
  constructor(readonly occurrences: number) {
    super(`${occurrences} occurrences in the forecast's range, more than ${MAX_FORECAST_OCCURRENCES}`);
  }
}

/** A figure of the answer would pass 2^53 - 1 minor units (it could not be given exactly in JSON). */
export class ForecastTooLargeError extends Error {
  constructor() {
    super('A figure of the forecast passes 2^53 - 1 minor units');
  }
}

/** An income definition's occurrences still to record through `to`: RecurringIncomeService.upcoming's window and the forecast's. */
export function incomeWindow(d: RecurringIncome, to: string): OccurrenceWindow {
  if (d.nextOccurrenceOn === null || d.nextOccurrenceOn > to) return { first: 0, count: 0 };
  return occurrencesBetween(d.schedule, d.nextOccurrenceOn, to);
}

/**
 * The forecast from `from` (today in the budget's time zone) through `to`: only the days that
 * have an occurrence, oldest first, each day's income and bills by definition id (the upcoming
 * routes' order); `net` the day's income minus its bills, `runningNet` `start` plus every day's
 * net up to it. `lowestRunningNet` the lowest point, the start (at `from`) included, the
 * earliest of equal ones. Sums in BigInt; any figure past 2^53 - 1 throws ForecastTooLargeError.
 */
export function cashForecast(input: {
  from: string;
  to: string;
  start: number;
  income: readonly RecurringIncome[];
  bills: readonly RecurringExpense[];
  /** The everyday spending estimate's perDay (everydaySpendingEstimate): then every day of the range has an entry that spends it. */
  perDay?: number;
}): CashForecast {
  const { from, to, start, perDay } = input;
  const incomeWindows = input.income.map((d) => [d, incomeWindow(d, to)] as const).filter(([, w]) => w.count > 0);
  // From each bill's nextOccurrenceOn, as an income's: one due before `from` not recorded yet
  // still leaves (safe to spend and the period forecast count it too), listed on `from` below.
  const billWindows = input.bills.map((d) => [d, pendingWindow(d, OVERDUE_TOO, to)] as const).filter(([, w]) => w.count > 0);
  const occurrences = [...incomeWindows, ...billWindows].reduce((n, [, w]) => n + w.count, 0);
  if (occurrences > MAX_FORECAST_OCCURRENCES) throw new ForecastTooManyError(occurrences);

  const byDate = new Map<string, { income: ForecastIncome[]; bills: ForecastBill[] }>();
  const dayOf = (date: string) => {
    let day = byDate.get(date);
    if (!day) byDate.set(date, (day = { income: [], bills: [] }));
    return day;
  };
  for (const [d, window] of incomeWindows) {
    const item: ForecastIncome = { recurringIncomeId: d.id, amount: d.amount, ...optional('source', d.source), ...optional('description', d.description) };
    for (const date of windowDates(d.schedule, window, window.count)) {
      if (date < from) dayOf(from).income.push({ ...item, overdue: true, dueOn: date });
      else dayOf(date).income.push(item);
    }
  }
  for (const [d, window] of billWindows) {
    const item: ForecastBill = { recurringExpenseId: d.id, amount: d.amount, ...optional('merchant', d.merchant), ...optional('description', d.description) };
    for (const date of windowDates(d.schedule, window, window.count)) {
      if (date < from) dayOf(from).bills.push({ ...item, overdue: true, dueOn: date });
      else dayOf(date).bills.push(item);
    }
  }

  // With an estimate every day spends it, so every day of the range is listed (at most 90).
  if (perDay !== undefined) for (let date = from; date <= to; date = addDays(date, 1)) dayOf(date);
  const spent = BigInt(perDay ?? 0);
  let running = BigInt(start);
  let totalIncome = 0n;
  let totalBills = 0n;
  let totalEstimated = 0n;
  let lowest = { date: from, amount: running };
  const days: ForecastDay[] = [];
  for (const date of [...byDate.keys()].sort()) {
    const { income, bills } = byDate.get(date)!;
    // Overdue ones first, oldest first (the income upcoming's order: date, then id).
    income.sort((a, b) => compareIds(a.dueOn ?? date, b.dueOn ?? date) || compareIds(a.recurringIncomeId, b.recurringIncomeId));
    bills.sort((a, b) => compareIds(a.dueOn ?? date, b.dueOn ?? date) || compareIds(a.recurringExpenseId, b.recurringExpenseId));
    const dayIncome = sum(income);
    const dayBills = sum(bills);
    totalIncome += dayIncome;
    totalBills += dayBills;
    totalEstimated += spent;
    const net = dayIncome - dayBills - spent;
    running += net;
    if (running < lowest.amount) lowest = { date, amount: running };
    days.push({ date, income, bills, ...(perDay === undefined ? {} : { estimatedSpending: perDay }), net: exact(net), runningNet: exact(running) });
  }
  return {
    days,
    totals:
      perDay === undefined
        ? { income: exact(totalIncome), bills: exact(totalBills), net: exact(totalIncome - totalBills) }
        : { income: exact(totalIncome), bills: exact(totalBills), estimatedSpending: exact(totalEstimated), net: exact(totalIncome - totalBills - totalEstimated) },
    lowestRunningNet: { date: lowest.date, amount: exact(lowest.amount) },
  };
}

/** How far back the everyday spending estimate looks (days before today), and the least history it takes. */
export const ESTIMATE_WINDOW_DAYS = 90;
export const ESTIMATE_MIN_DAYS = 14;

export interface SpendingEstimate {
  /** floor(everydaySpending / basedOnDays): what each forecast day spends. */
  perDay: number;
  basedOnDays: number;
  from: string;
  to: string;
  /** The day totals of [from, to] (refunds lower them) minus `recurringBills`, never below 0. */
  everydaySpending: number;
  /** The recurring expenses' scheduled occurrences in [from, to] at their current amounts (an approximation). */
  recurringBills: number;
}

export type EstimateOutcome = { estimate: SpendingEstimate } | { estimate: null; reason: 'too-little-history' };

/**
 * The everyday spending estimate (packages/expenses/docs/income.md "Cash flow forecast", Everyday spending): the budget's
 * spending over the ESTIMATE_WINDOW_DAYS days before `today` (through yesterday), less what the
 * recurring expenses recorded in them, per day. A budget created within the window counts from
 * its first day with spending (an older one the whole window, quiet days included); fewer than
 * ESTIMATE_MIN_DAYS days: no estimate (a week of history would make one grocery run a trend).
 *
 * The bills are not read: each definition's occurrences in the window come from its schedule
 * (occurrencesBetween, the forecast's own code), from the day it was created (its `createdOn`,
 * else `dayOf` its createdAt: a schedule starting before it recorded nothing then) up to the day before its
 * nextOccurrenceOn (the ones from there are not recorded yet), less its known skipped dates and
 * paused days (a pause with no interval kept: none from its last write's day), at its current amount. An approximation: an amount changed within the window, a
 * schedule changed, or a bill recorded on another day than scheduled reads slightly off.
 */
export function everydaySpendingEstimate(input: {
  today: string;
  budgetCreatedOn: string;
  spendingPerDay: ReadonlyMap<string, bigint>;
  definitions: readonly RecurringExpense[];
  dayOf: (timestamp: string) => string;
}): EstimateOutcome {
  const to = addDays(input.today, -1);
  const windowFrom = addDays(input.today, -ESTIMATE_WINDOW_DAYS);
  let from = windowFrom;
  if (input.budgetCreatedOn > windowFrom) {
    const first = [...input.spendingPerDay.keys()].filter((d) => d >= windowFrom && d <= to).sort()[0];
    if (first === undefined) return { estimate: null, reason: 'too-little-history' };
    from = first;
  }
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < ESTIMATE_MIN_DAYS) return { estimate: null, reason: 'too-little-history' };

  let spending = 0n;
  for (const [date, net] of input.spendingPerDay) if (date >= from && date <= to) spending += net;
  let bills = 0n;
  for (const d of input.definitions) bills += BigInt(d.amount) * BigInt(recordedOccurrences(d, from, to, d.createdOn ?? input.dayOf(d.createdAt), input.dayOf(d.updatedAt)));
  const everyday = spending > bills ? spending - bills : 0n;
  return {
    estimate: { perDay: exact(everyday / BigInt(days)), basedOnDays: days, from, to, everydaySpending: exact(everyday), recurringBills: exact(bills) },
  };
}

/** How many of a definition's scheduled dates in [from, to] it has recorded, as its schedule and history tell. */
function recordedOccurrences(d: RecurringExpense, from: string, to: string, createdOn: string, updatedOn: string): number {
  const lo = createdOn > from ? createdOn : from;
  const next = d.nextOccurrenceOn;
  let hi = next !== null && addDays(next, -1) < to ? addDays(next, -1) : to;
  const skipped = d.skippedDates ?? [];
  const pauses = d.pauses ?? [];
  // Paused with no open interval kept (paused before the pause history was kept: packages/expenses/docs/recurring.md "Pause,
  // resume, skip"): a pause is a write, so it has recorded nothing since its last write's day at
  // the latest (that day itself left out, as an interval's `from`).
  if (d.paused && !pauses.some((p) => p.to === null) && addDays(updatedOn, -1) < hi) hi = addDays(updatedOn, -1);
  if (lo > hi) return 0;
  const window = occurrencesBetween(d.schedule, lo, hi);
  if (window.count === 0 || (skipped.length === 0 && pauses.length === 0)) return window.count;
  // At most one a day over the window (a daily schedule): bounded by ESTIMATE_WINDOW_DAYS.
  return windowDates(d.schedule, window, window.count).filter((date) => !skipped.includes(date) && !pauses.some((p) => date >= p.from && (p.to === null || date < p.to))).length;
}

const sum = (items: readonly { amount: number }[]) => items.reduce((s, i) => s + BigInt(i.amount), 0n);

const LIMIT = BigInt(Number.MAX_SAFE_INTEGER);

function exact(value: bigint): number {
  if (value > LIMIT || value < -LIMIT) throw new ForecastTooLargeError();
  return Number(value);
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
