import { MIN_MONTH } from '@budgeting/platform';
import { addMonths } from './dates';

/**
 * Cash flow (packages/expenses/docs/income.md "Income and cash flow"): per calendar month the income recorded,
 * the spending the running totals hold (refunds lowering it), what is left (`net`) and the
 * share of income kept (`savingsRate`, basis points). Integer math only: sums are BigInt, the
 * rate is a BigInt division rounded half away from zero, so no float ever rounds a figure.
 */

/** The longest range of GET .../cash-flow, in months (a Query of 5 small items a month). */
export const CASH_FLOW_MAX_MONTHS = 24;
/** The range without `from`: this many months up to `to`. */
export const CASH_FLOW_DEFAULT_MONTHS = 6;

/** Basis points in a whole (10,000 bp = 100 %). */
const BASIS_POINTS = 10_000n;

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/**
 * net / income in basis points, rounded half away from zero (2.5 bp -> 3, -2.5 bp -> -3);
 * null when income is 0 (no rate of nothing). floor(|x| + 1/2) = floor((2|n| + d) / 2d) in
 * integers, the sign put back after.
 */
export function savingsRateBps(net: bigint, income: bigint): bigint | null {
  if (income === 0n) return null;
  const n = abs(net) * BASIS_POINTS;
  const d = abs(income);
  const q = (2n * n + d) / (2n * d);
  return (net < 0n) !== (income < 0n) ? -q : q;
}

/** Every month from `from` to `to` (YYYY-MM, inclusive), in order; empty when from is after to. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The months a request asks for, or the field and message of its 400. */
export function cashFlowRange(
  query: { from?: string | undefined; to?: string | undefined },
  currentMonth: string,
): { from: string; to: string } | { path: string; message: string } {
  return monthRange(query, currentMonth, CASH_FLOW_DEFAULT_MONTHS, CASH_FLOW_MAX_MONTHS);
}

/**
 * A range of months asked as `from`/`to` (YYYY-MM, both optional), or the field and message of its
 * 400: `to` defaults to the current month, `from` to `defaultMonths` months up to `to`; at most
 * `maxMonths` months, both ends included (the cash flow's and the monthly spending's rule). The
 * default `from` starts no earlier than MIN_MONTH: `to=1900-02` answered from 1899-09, months the
 * API refuses as input.
 */
export function monthRange(
  query: { from?: string | undefined; to?: string | undefined },
  currentMonth: string,
  defaultMonths: number,
  maxMonths: number,
): { from: string; to: string } | { path: string; message: string } {
  const to = query.to ?? currentMonth;
  const from = query.from ?? maxMonth(addMonths(to, -(defaultMonths - 1)), MIN_MONTH);
  // Only a `from` sent can be after `to` (the default from is before it).
  if (from > to) return { path: 'query.from', message: `Must not be after \`to\` (${to}${query.to === undefined ? ', the current month' : ''})` };
  // Counted, not listed: a range of 1900-01..9998-12 would build some 109,000 months first.
  if (monthCount(from, to) > maxMonths) {
    return { path: 'query.from', message: `At most ${maxMonths} months from \`from\` to \`to\` (inclusive)` };
  }
  return { from, to };
}

const maxMonth = (a: string, b: string) => (a > b ? a : b);

/** How many months `from`..`to` (YYYY-MM, both included) holds. */
const monthCount = (from: string, to: string) => Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - (Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7))) + 1;

/** One month's figures (or the total's), exact as BigInt. */
export interface CashFlowFigures {
  income: bigint;
  spent: bigint;
  net: bigint;
  savingsRate: bigint | null;
}

/** The figures of income and spending. */
export function figuresOf(income: bigint, spent: bigint): CashFlowFigures {
  const net = income - spent;
  return { income, spent, net, savingsRate: savingsRateBps(net, income) };
}

/** Whether every figure can be written as an exact JSON number (|n| <= 2^53 - 1). */
export function figuresAreExact(f: CashFlowFigures): boolean {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return [f.income, f.spent, f.net, f.savingsRate ?? 0n].every((n) => n <= max && n >= -max);
}

/** A month's income and spending as the totals Query sums them (TotalsRepository.cashFlowMonths). */
export interface MonthIncomeAndSpending {
  income: bigint;
  spent: bigint;
}

/** The cash flow of a month range: each month's figures in order, and the figures of the sums. */
export interface CashFlowOfRange {
  months: { month: string; figures: CashFlowFigures }[];
  total: CashFlowFigures;
}

/**
 * The cash flow of every month from `from` to `to` (YYYY-MM) from each month's income and
 * spending (a month absent from `byMonth` answers zeros), and `total`: the rate of the sums,
 * not a mean of the rates. THE one computation of GET .../cash-flow and of what the budgets
 * module shows of it (year in review, period report: CashFlowSpendingPort).
 */
export function cashFlowOf(byMonth: ReadonlyMap<string, MonthIncomeAndSpending>, from: string, to: string): CashFlowOfRange {
  let income = 0n;
  let spent = 0n;
  const months = monthsBetween(from, to).map((month) => {
    const m = byMonth.get(month) ?? { income: 0n, spent: 0n };
    income += m.income;
    spent += m.spent;
    return { month, figures: figuresOf(m.income, m.spent) };
  });
  return { months, total: figuresOf(income, spent) };
}

/** Whether every figure of a range, months and total, can be written as an exact JSON number. */
export const cashFlowIsExact = (flow: CashFlowOfRange): boolean => [flow.total, ...flow.months.map((m) => m.figures)].every(figuresAreExact);

/** The figures as the API writes them (JSON numbers): check cashFlowIsExact first. */
export interface ShownCashFlowFigures {
  income: number;
  spent: number;
  net: number;
  savingsRate: number | null;
}

export const shownFigures = (f: CashFlowFigures): ShownCashFlowFigures => ({
  income: Number(f.income),
  spent: Number(f.spent),
  net: Number(f.net),
  savingsRate: f.savingsRate === null ? null : Number(f.savingsRate),
});
