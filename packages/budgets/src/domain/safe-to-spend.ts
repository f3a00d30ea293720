import type { InstallmentFigures, ScheduledPart, ScheduledSpending } from '../contract';
import { listedAsRecorded } from './forecast-math';
import type { BudgetSummary } from './summary-math';

/**
 * "Safe to spend" (packages/budgets/docs/summary-and-forecast.md; Copilot's, PocketGuard's "In My Pocket"): what a period's summary leaves,
 * less the bills still to come in it, and that spread over the days left. Pure integer
 * arithmetic on the summary's own figures (`remaining`, `available`: rollover included, never
 * recomputed here) and on what the expenses module says is still to record (ForecastSpendingPort:
 * the occurrences of active recurring expenses in the period not recorded yet). All
 * amounts are integer minor units.
 */

/** How many upcoming bills the answer lists; `count` and `total` are over all of them. */
export const BILLS_LISTED = 50;

/** One bill still to come: an occurrence of a recurring expense not recorded yet. */
export interface UpcomingBill extends InstallmentFigures {
  recurringExpenseId: string;
  description?: string;
  merchant?: string;
  /** null: uncategorized (also a category the budget no longer has), and always null for a split bill. */
  categoryId: string | null;
  /** A split bill's parts, each counting against its own category. */
  splits?: ScheduledPart[];
  dueOn: string;
  amount: number;
}

export interface SafeToSpendCategory {
  categoryId: string;
  name: string;
  /** The summary line's: its limit, or with category rollover limit + carriedOver. */
  available: number;
  spent: number;
  remaining: number;
  /** The bills (and split bills' parts) of this category still to come. */
  upcomingBills: number;
  safeToSpend: number;
  perDay: number;
}

export interface SafeToSpend {
  periodStart: string;
  periodEnd: string;
  date: string;
  available: number;
  spent: number;
  remaining: number;
  upcomingBills: { total: number; count: number; items: UpcomingBill[] };
  /** remaining - upcomingBills.total: negative when the bills already take more than is left. */
  safeToSpend: number;
  daysLeft: number;
  perDay: number;
  categories: SafeToSpendCategory[];
}

/**
 * floor(safeToSpend / daysLeft) when both are positive, else 0: spending it every day left never
 * passes safeToSpend. BigInt, so no float rounds a large amount.
 */
export function perDayOf(safeToSpend: number, daysLeft: number): number {
  if (daysLeft <= 0 || safeToSpend <= 0) return 0;
  return Number(BigInt(safeToSpend) / BigInt(daysLeft));
}

/** a - b through BigInt, so a difference past 2^53 comes out unsafe (and is caught by isExact) rather than rounded to a safe-looking number. */
const minus = (a: number, b: number) => Number(BigInt(a) - BigInt(b));

/**
 * Safe to spend on `date` in `summary`'s period. `bills` are the period's occurrences not
 * recorded yet, before `date` too (nothing for a period that has ended), `daysLeft` the pace's
 * (pace-math.ts paceDays: `date` itself counted, 0 once the period has ended). A category with
 * a limit counts its own bills (a split bill's parts in theirs); bills without a category, or in
 * a category without a limit or no longer in the budget, count only against the budget.
 */
export function safeToSpendOf(summary: BudgetSummary, bills: ScheduledSpending, date: string, daysLeft: number): SafeToSpend {
  const known = new Set(summary.categories.map((c) => c.categoryId));
  const safeToSpend = minus(summary.remaining, bills.total);
  return {
    periodStart: summary.periodStart,
    periodEnd: summary.periodEnd,
    date,
    available: summary.available,
    spent: summary.spent,
    remaining: summary.remaining,
    upcomingBills: {
      total: bills.total,
      count: bills.occurrences,
      items: bills.upcoming.slice(0, BILLS_LISTED).map((o) => {
        const { recurringExpenseId, description, merchant, categoryId, splits, occurredOn, amount, count, paymentsLeft, paymentNumber } = listedAsRecorded(o, known);
        return {
          recurringExpenseId,
          ...(description !== undefined ? { description } : {}),
          ...(merchant !== undefined ? { merchant } : {}),
          categoryId,
          ...(splits ? { splits } : {}),
          dueOn: occurredOn,
          amount,
          count,
          paymentsLeft,
          paymentNumber,
        };
      }),
    },
    safeToSpend,
    daysLeft,
    perDay: perDayOf(safeToSpend, daysLeft),
    categories: summary.categories
      .filter((c) => c.limit !== null)
      .map((c): SafeToSpendCategory => {
        const upcoming = bills.byCategory[c.categoryId] ?? 0;
        const remaining = c.remaining!;
        const safe = minus(remaining, upcoming);
        return { categoryId: c.categoryId, name: c.name, available: c.available ?? c.limit!, spent: c.spent, remaining, upcomingBills: upcoming, safeToSpend: safe, perDay: perDayOf(safe, daysLeft) };
      }),
  };
}

/** Whether every amount is an exact JSON number (|n| <= 2^53 - 1): the bills' sum or a difference can pass it. */
export function safeToSpendIsExact(s: SafeToSpend): boolean {
  const amounts = [s.upcomingBills.total, s.safeToSpend, ...s.categories.flatMap((c) => [c.upcomingBills, c.safeToSpend])];
  return amounts.every((n) => Number.isSafeInteger(n));
}
