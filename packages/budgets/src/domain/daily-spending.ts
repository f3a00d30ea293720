import { addDays } from '@budgeting/platform';
import type { DaySpending } from '../contract';

/**
 * Spending day by day (GET .../daily-spending): the line charts of "this month against last
 * month" that Copilot and Monarch draw, from the day figures the running totals already hold.
 * Pure: the service reads one Query of the totals and hands its days here.
 */

/** One day of a period: what was spent on it, and since the period's first day. */
export interface SpendingDay {
  date: string;
  spent: number;
  cumulative: number;
}

/**
 * Every day of [from, to] in date order, each with its spending (0 for a day without any:
 * `spending` lists only days with some) and the running sum from `from`. Empty when `from` is
 * after `to`. Days of `spending` outside the range are ignored.
 */
export function dayByDay(spending: readonly DaySpending[], from: string, to: string): SpendingDay[] {
  const byDate = new Map(spending.map((d) => [d.date, d.total]));
  const days: SpendingDay[] = [];
  let cumulative = 0;
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const spent = byDate.get(date) ?? 0;
    cumulative += spent;
    days.push({ date, spent, cumulative });
  }
  return days;
}

/**
 * Whether every day's spending and running sum is exact (a safe integer): past 2^53 - 1 minor
 * units it could not be given exactly. A day's spending is summed over the totals' shards, each
 * within 2^53 - 1 but not together (already rounded past it), and refunds earlier in the range
 * can keep every running sum safe after such a day (-(2^53 - 3), then 2^53 + 1 read as 2^53: the
 * sum reads 3, not 4), so the days are checked too.
 */
export const daysAreExact = (days: readonly SpendingDay[]): boolean => days.every((d) => Number.isSafeInteger(d.spent) && Number.isSafeInteger(d.cumulative));
