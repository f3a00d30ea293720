import { firstDayOfMonth, lastDayOfMonth, monthOf } from '../domain/dates';

/**
 * Which figures of the month items answer "spending from `from` to `to`" (inclusive). The
 * items of monthOf(from)..monthOf(to) are read in ONE Query (TOTALS_SHARDS items per month);
 * a month wholly inside the range counts with its month-level figures, a month cut by either
 * end of the range with its day figures of the days inside it.
 */
export type MonthPart = { whole: true } | { whole: false; fromDay: number; toDay: number };

export interface TotalsPlan {
  /** The months to read, YYYY-MM, inclusive. */
  months: { from: string; to: string };
  /** The part of a month (one of `months`) that lies in the range. */
  partOf(month: string): MonthPart;
}

/** Null for an empty range (from after to). */
export function planTotals(from: string, to: string): TotalsPlan | null {
  if (from > to) return null;
  return {
    months: { from: monthOf(from), to: monthOf(to) },
    partOf(month) {
      const first = firstDayOfMonth(month);
      const last = lastDayOfMonth(month);
      if (from <= first && last <= to) return { whole: true };
      return { whole: false, fromDay: from > first ? dayOf(from) : 1, toDay: to < last ? dayOf(to) : dayOf(last) };
    },
  };
}

const dayOf = (date: string): number => Number(date.slice(8, 10));
