/**
 * The status of each of a recurring expense's schedule dates in a budget period (Firefly III's
 * "paid / not paid this period"; packages/expenses/docs/recurring.md "Bill status"). Pure: the service reads the
 * definitions, the bill's payments (gsi4) and the occurrence markers, this file decides.
 *
 * The dates are the schedule's own (recurrence.ts occurrencesBetween, the forecast's enumeration),
 * from the later of the period's start and the day the definition was created (no back-fill: a
 * date before it was never going to be recorded), through the period's end and `endsOn`.
 *
 * What the definition keeps decides the rest. The job and record-next move `nextOccurrenceOn`
 * past every date they record, match or skip; a pause sets it to null; the definition keeps its
 * pause intervals and skipped dates (pause-history.ts). So a date is
 * - `paid` / `matched`: settled (a payment of the bill dated that day, or its occurrence marker);
 * - not yet passed (on or after `nextOccurrenceOn` of a definition that is not paused):
 *   `due` from today on, `overdue` before today (the job has not reached it, or failed);
 * - passed and not settled: `paused` in a pause interval, `skipped` when a skipped date, else
 *   `missed` (the job passed it without recording: the creator lost access, or a changed
 *   schedule's date before the change); before the history (`historySince`), the old rule:
 *   `skipped` on or before `skippedThrough`, else `paused` (pause-history.ts passedStatus).
 */
import { dayNumber } from '@budgeting/platform';
import type { RecurringExpense } from '../model';
import { todayIn } from './dates';
import { installmentPlan, paymentNumberOf } from './installments';
import { passedStatus } from './pause-history';
import { occurrencesBetween, windowDates } from './recurrence';

export const BILL_STATUSES = ['paid', 'matched', 'skipped', 'paused', 'missed', 'due', 'overdue'] as const;
export type BillStatus = (typeof BILL_STATUSES)[number];

/** The most dates one answer lists (all definitions together): bounds the marker reads. */
export const MAX_STATUS_DATES = 1000;
/** The most definitions one answer lists: each with a passed date costs one Query of its payments. */
export const MAX_STATUS_DEFINITIONS = 100;

/** A schedule date of a definition in the period: its index from `startsOn` (an installment's number). */
export interface PeriodDate {
  occurredOn: string;
  index: number;
}

/** How a passed date was settled: the expense recorded for it (its amount when known), or the imported one it was matched with. */
export interface Settlement {
  expenseId: string;
  matched: boolean;
  /** The amount recorded; null when the expense is gone (deleted since). Unused when matched. */
  amount: number | null;
}

export interface DateStatus {
  occurredOn: string;
  status: BillStatus;
  expenseId?: string;
  /** paid: the amount recorded (null: deleted since); due/overdue: the amount expected. */
  amount?: number | null;
  paymentNumber: number | null;
}

/** The definition's schedule dates in [from, to], not before `createdOn`. */
export function periodDates(definition: Pick<RecurringExpense, 'schedule'>, from: string, to: string, createdOn: string): PeriodDate[] {
  const window = occurrencesBetween(definition.schedule, from > createdOn ? from : createdOn, to);
  return windowDates(definition.schedule, window, window.count).map((occurredOn, i) => ({ occurredOn, index: window.first + i }));
}

/** Whether the schedule has moved past `date` (recorded, matched, skipped, or while paused/ended): only such a date can be settled. */
export function passed(definition: Pick<RecurringExpense, 'paused' | 'nextOccurrenceOn'>, date: string): boolean {
  return definition.paused || definition.nextOccurrenceOn === null || date < definition.nextOccurrenceOn;
}

/** A definition (a recurring expense or income) with its schedule dates in a period. */
export interface Listed<D> {
  definition: D;
  dates: PeriodDate[];
}

/**
 * The definitions with a date in [from, to] (each from the day it was created in the budget's
 * zone then: its `createdOn`, else createdAt's date in the zone now), oldest first (ids are ULIDs), until either cap (MAX_STATUS_DEFINITIONS,
 * MAX_STATUS_DATES): the rest are left out (`truncated`). Shared by the bill and paycheck status.
 */
export function listInPeriod<D extends Pick<RecurringExpense, 'schedule' | 'createdAt' | 'createdOn'>>(definitions: readonly D[], from: string, to: string, timezone: string): { listed: Listed<D>[]; truncated: boolean } {
  const listed: Listed<D>[] = [];
  let dateCount = 0;
  for (const definition of definitions) {
    const dates = periodDates(definition, from, to, definition.createdOn ?? todayIn(timezone, new Date(definition.createdAt)));
    if (dates.length === 0) continue;
    if (listed.length === MAX_STATUS_DEFINITIONS || dateCount + dates.length > MAX_STATUS_DATES) return { listed, truncated: true };
    listed.push({ definition, dates });
    dateCount += dates.length;
  }
  return { listed, truncated: false };
}

export function dateStatus(definition: RecurringExpense, date: PeriodDate, today: string, settlement: Settlement | undefined): DateStatus {
  const plan = installmentPlan(definition);
  const base = { occurredOn: date.occurredOn, paymentNumber: plan.count === null ? null : paymentNumberOf(date.index) };
  if (settlement?.matched) return { ...base, status: 'matched', expenseId: settlement.expenseId };
  if (settlement) return { ...base, status: 'paid', expenseId: settlement.expenseId, amount: settlement.amount };
  if (!passed(definition, date.occurredOn)) return { ...base, status: date.occurredOn >= today ? 'due' : 'overdue', amount: definition.amount };
  return { ...base, status: passedStatus(definition, date.occurredOn) };
}

export interface StatusTotals {
  /** The sum of the amounts recorded (paid dates). */
  paid: number;
  /** The sum of the amounts expected on due and overdue dates. */
  due: number;
  counts: Record<BillStatus, number>;
}

export function statusTotals(dates: readonly DateStatus[]): StatusTotals {
  const counts = Object.fromEntries(BILL_STATUSES.map((s) => [s, 0])) as Record<BillStatus, number>;
  let paid = 0;
  let due = 0;
  for (const d of dates) {
    counts[d.status]++;
    if (d.status === 'paid') paid += d.amount ?? 0;
    if (d.status === 'due' || d.status === 'overdue') due += d.amount ?? 0;
  }
  return { paid, due, counts };
}

/**
 * Payments of the bill in the period that no date claimed (dated another day than their
 * occurrence, by record-next's `occurredOn` or a member's edit) whose occurrence marker could not
 * say which date they settled (expired after 100 days, or written before the link existed): each
 * is given to the nearest date still open (fewest days away, then the earlier), one payment a
 * date. Only passed dates are open, and a passed date with no marker and no payment was recorded,
 * skipped, paused or missed: a leftover payment of the bill is the best evidence it was recorded.
 */
export function pairLeftovers<P extends { occurredOn: string }>(open: readonly string[], leftovers: readonly P[]): Map<string, P> {
  const pairs: { date: string; payment: P; distance: number }[] = [];
  for (const date of open) for (const payment of leftovers) pairs.push({ date, payment, distance: Math.abs(dayNumber(date) - dayNumber(payment.occurredOn)) });
  pairs.sort((a, b) => a.distance - b.distance || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const paired = new Map<string, P>();
  const used = new Set<P>();
  for (const { date, payment } of pairs) {
    if (paired.has(date) || used.has(payment)) continue;
    paired.set(date, payment);
    used.add(payment);
  }
  return paired;
}
