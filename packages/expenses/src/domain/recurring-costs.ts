import { addDays } from '@budgeting/platform';
import type { RecurringExpense } from '../model';
import { occurrence, type Frequency } from './recurrence';
import { pendingWindow } from './scheduled';
import { installmentPlan } from './installments';

/**
 * "Your subscriptions cost you X a year": what each active recurring expense will record over
 * the next 12 months, counted exactly (domain/scheduled.ts pendingWindow, the forecast's count:
 * from its next occurrence, so a skipped date is not counted, within its `endsOn`), never
 * estimated from its frequency. The count is arithmetic (recurrence.ts occurrencesBetween: a
 * constant number of steps whatever the schedule), so a daily definition's 365 occurrences cost
 * what a yearly one's does; sums are BigInt, exact until the caller checks them.
 */
export interface DefinitionCost {
  recurringExpenseId: string;
  merchant?: string;
  description?: string;
  categoryId: string | null;
  frequency: Frequency;
  interval: number;
  amount: number;
  /** Its occurrences in the year ahead. */
  occurrences: number;
  /** occurrences x amount. */
  yearly: bigint;
  /** yearly / 12, rounded half away from zero (monthlyOf). */
  monthly: bigint;
  /** An installment plan's payments (schedule.count); null without a count. */
  count: number | null;
  /** An installment plan's payments still to record (installments.ts paymentsLeft); null without a count. */
  paymentsLeft: number | null;
}

export interface RecurringCosts {
  from: string;
  to: string;
  items: DefinitionCost[];
  totals: { yearly: bigint; monthly: bigint };
}

/**
 * The year ahead of `today`: today through the day before the same date next year (the next
 * occurrence of a yearly schedule starting today, so from Feb 29 to Feb 27 of the next year,
 * Feb 28 being that year's "Feb 29" as in every yearly schedule).
 */
export function yearAhead(today: string): { from: string; to: string } {
  const sameDateNextYear = occurrence({ frequency: 'yearly', interval: 1, startsOn: today }, 1);
  // null only past MAX_DATE (year 9998): the schedules end there too.
  return { from: today, to: sameDateNextYear === null ? addDays(today, 364) : addDays(sameDateNextYear, -1) };
}

/**
 * A twelfth of a yearly amount in whole minor units: the integer quotient, plus one when the
 * remainder is at least half of 12 (half away from zero: 1,000 -> 83, 1,006 -> 84 (83.83),
 * 1,002 -> 84 (83.5), -1,002 -> -84). Integer arithmetic, never floats.
 */
export function monthlyOf(yearly: bigint): bigint {
  const sign = yearly < 0n ? -1n : 1n;
  const magnitude = yearly * sign;
  const quotient = magnitude / 12n;
  return sign * (2n * (magnitude % 12n) >= 12n ? quotient + 1n : quotient);
}

/** Whether a definition still runs on `today`: not paused, not ended (no next occurrence, or its `endsOn` before today). */
export function isActive(definition: RecurringExpense, today: string): boolean {
  if (definition.paused || definition.nextOccurrenceOn === null) return false;
  return definition.schedule.endsOn === undefined || definition.schedule.endsOn >= today;
}

/** The costs of a budget's active definitions over the year ahead of `today`: largest yearly first, then by id. */
export function recurringCosts(definitions: readonly RecurringExpense[], today: string): RecurringCosts {
  const { from, to } = yearAhead(today);
  const items = definitions.filter((d) => isActive(d, today)).map((d) => costOf(d, from, to));
  items.sort((a, b) => (a.yearly !== b.yearly ? (a.yearly > b.yearly ? -1 : 1) : a.recurringExpenseId < b.recurringExpenseId ? -1 : 1));
  const yearly = items.reduce((sum, item) => sum + item.yearly, 0n);
  return { from, to, items, totals: { yearly, monthly: monthlyOf(yearly) } };
}

function costOf(d: RecurringExpense, from: string, to: string): DefinitionCost {
  const { count } = pendingWindow(d, from, to);
  const yearly = BigInt(count) * BigInt(d.amount);
  return {
    recurringExpenseId: d.id,
    ...(d.merchant !== undefined ? { merchant: d.merchant } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    categoryId: d.categoryId,
    frequency: d.schedule.frequency,
    interval: d.schedule.interval,
    amount: d.amount,
    occurrences: count,
    yearly,
    monthly: monthlyOf(yearly),
    ...installmentPlan(d),
  };
}
