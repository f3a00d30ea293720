import { addDays, dateInTimeZone, dateOfDayNumber, dayNumber } from '@budgeting/platform';
import type { BudgetPeriod } from '../contract';

/**
 * Pure calendar math for budget periods, on plain dates (YYYY-MM-DD) - no clocks, no time
 * zones (but firstPeriodOf, which turns the creation instant into a local date): the caller
 * first turns "now" into a date in the budget's time zone, so a period is always a run of
 * whole local days.
 *
 * - weekly: ISO weeks, Monday to Sunday (a week may straddle two years);
 * - monthly: the calendar month;
 * - yearly: the calendar year.
 */
export interface Period {
  /** First day, inclusive. */
  start: string;
  /** Last day, inclusive. */
  end: string;
}

// Dates reach this file only within the platform's MIN_DATE..MAX_DATE (see its dates.ts), so
// every period computed here, and the one before it, has a 4-digit year.

export function periodContaining(period: BudgetPeriod, date: string): Period {
  const day = dayNumber(date);
  const [year, month] = date.split('-') as [string, string];
  switch (period) {
    case 'weekly': {
      // 1970-01-01 was a Thursday: shift so Monday = 0.
      const weekday = (((day + 3) % 7) + 7) % 7;
      return { start: dateOfDayNumber(day - weekday), end: dateOfDayNumber(day - weekday + 6) };
    }
    case 'monthly': {
      const start = `${year}-${month}-01`;
      const next = Number(month) === 12 ? `${pad4(Number(year) + 1)}-01-01` : `${year}-${pad2(Number(month) + 1)}-01`;
      return { start, end: addDays(next, -1) };
    }
    case 'yearly':
      return { start: `${year}-01-01`, end: `${year}-12-31` };
  }
}

/** The creation facts firstPeriodOf needs (Budget's). */
export interface BudgetCreation {
  period: BudgetPeriod;
  timezone: string;
  createdAt: string;
  createdOn?: string;
}

/**
 * The local date the budget was created on: in the time zone it had then (`createdOn`, kept
 * once the time zone changed), else createdAt's date in its time zone (never changed).
 */
export function creationDateOf(budget: Omit<BudgetCreation, 'period'>): string {
  return budget.createdOn ?? dateInTimeZone(new Date(budget.createdAt), budget.timezone);
}

/**
 * The period in which the budget was created (in its time zone then): where rollover and
 * reports start. A time zone changed since does not move it (a budget created at 00:30 UTC on
 * 1 October in Berlin did not exist in New York's September).
 */
export function firstPeriodOf(budget: BudgetCreation): Period {
  return periodContaining(budget.period, creationDateOf(budget));
}

/**
 * How many whole periods lie between two period starts (`from` <= `to`, both the first day
 * of a period of this kind): 0 when they are the same period.
 */
export function periodsBetween(period: BudgetPeriod, from: string, to: string): number {
  switch (period) {
    case 'weekly':
      return Math.round((dayNumber(to) - dayNumber(from)) / 7);
    case 'monthly': {
      const [fy, fm] = from.split('-').map(Number) as [number, number];
      const [ty, tm] = to.split('-').map(Number) as [number, number];
      return (ty - fy) * 12 + (tm - fm);
    }
    case 'yearly':
      return Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');
