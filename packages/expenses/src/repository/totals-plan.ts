import { addMonths, firstDayOfMonth, lastDayOfMonth, monthOf } from '../domain/dates';

/**
 * Which buckets answer "spending from `from` to `to`" (inclusive): whole months from the
 * month buckets, the partial months at either end from the day buckets. A range with no
 * whole month inside (at most ~2 months long) is one day-bucket range.
 *
 * So a summary costs at most three Query requests (months, head days, tail days), each
 * reading at most ~31 days or the range's months worth of small items (times the shard
 * count), however many expenses the budget holds.
 */
export interface TotalsPlan {
  months: { from: string; to: string } | null;
  days: { from: string; to: string }[];
}

export function planTotals(from: string, to: string): TotalsPlan {
  if (from > to) return { months: null, days: [] };
  const fromMonth = monthOf(from);
  const toMonth = monthOf(to);
  const firstFull = from === firstDayOfMonth(fromMonth) ? fromMonth : addMonths(fromMonth, 1);
  const lastFull = to === lastDayOfMonth(toMonth) ? toMonth : addMonths(toMonth, -1);
  if (firstFull > lastFull) return { months: null, days: [{ from, to }] };

  const days: TotalsPlan['days'] = [];
  if (firstFull !== fromMonth) days.push({ from, to: lastDayOfMonth(fromMonth) });
  if (lastFull !== toMonth) days.push({ from: firstDayOfMonth(toMonth), to });
  return { months: { from: firstFull, to: lastFull }, days };
}
