/**
 * The status of each of a recurring income's schedule dates in a month (Firefly III's "expected /
 * received this month"; packages/expenses/docs/income.md "Paycheck status"): the paychecks' counterpart of the
 * bill status, with its dates, `passed` rule, caps and leftover pairing (bill-status.ts) and the
 * same pause history (pause-history.ts passedStatus). Pure: the service reads the definitions
 * and each one's entries (gsi4), this file decides. A date is
 * - `received`: an entry the definition recorded dated that day (or, dated another day of the
 *   month or since the schedule's last date before it, paired with the nearest passed date still
 *   open, not one nearer a recorded date outside the month: bill-status.ts pairLeftovers);
 * - not yet passed: `due` from today on; before today (the job has not reached it) `missed`;
 * - passed and not received: `paused` / `skipped` / `missed` by the pause history.
 * Unlike a bill there is no occurrence marker to read: an entry deleted since reads `missed`.
 */
import type { RecurringIncome } from '../model';
import { passed, type PeriodDate } from './bill-status';
import { passedStatus } from './pause-history';

export const INCOME_STATUSES = ['received', 'skipped', 'paused', 'missed', 'due'] as const;
export type IncomeStatus = (typeof INCOME_STATUSES)[number];

/** An entry the definition recorded, as its gsi4 read gives it. */
export interface ReceivedEntry {
  incomeId: string;
  amount: number;
  occurredOn: string;
}

export interface IncomeDateStatus {
  occurredOn: string;
  status: IncomeStatus;
  /** received: the entry. */
  incomeId?: string;
  /** received: the amount received; due: the amount expected (the definition's). */
  amount?: number;
}

export function incomeDateStatus(definition: RecurringIncome, date: PeriodDate, today: string, entry: ReceivedEntry | undefined): IncomeDateStatus {
  const base = { occurredOn: date.occurredOn };
  if (entry) return { ...base, status: 'received', incomeId: entry.incomeId, amount: entry.amount };
  if (!passed(definition, date.occurredOn)) return date.occurredOn >= today ? { ...base, status: 'due', amount: definition.amount } : { ...base, status: 'missed' };
  return { ...base, status: passedStatus(definition, date.occurredOn) };
}

export interface IncomeStatusTotals {
  /** The definition's amount over every date neither skipped nor paused (received, missed, due). */
  expected: number;
  /** The amounts received. */
  received: number;
  /** The amounts expected on `due` dates. */
  stillExpected: number;
  counts: Record<IncomeStatus, number>;
}

export function incomeStatusTotals(items: readonly { amount: number; dates: readonly IncomeDateStatus[] }[]): IncomeStatusTotals {
  const counts = Object.fromEntries(INCOME_STATUSES.map((s) => [s, 0])) as Record<IncomeStatus, number>;
  let expected = 0;
  let received = 0;
  let stillExpected = 0;
  for (const item of items) {
    for (const d of item.dates) {
      counts[d.status]++;
      if (d.status !== 'skipped' && d.status !== 'paused') expected += item.amount;
      if (d.status === 'received') received += d.amount ?? 0;
      if (d.status === 'due') stillExpected += item.amount;
    }
  }
  return { expected, received, stillExpected, counts };
}
