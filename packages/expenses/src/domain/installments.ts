/**
 * Installment plans ("4 payments of 25.00", a 12-month phone plan): a schedule with a `count`,
 * Firefly III's nr_of_repetitions and RFC 5545's COUNT. The plan is stored as the `endsOn` of
 * its count-th occurrence, derived here once at write time by the schedule's own math
 * (recurrence.ts, so month ends and Feb 29 follow the same rules), so every reader that
 * honours `endsOn` (the job, forecast, upcoming, costs, reminders, calendar feed, record-next)
 * stops after the last payment with no change of its own.
 */
import type { RecurringExpense } from '../model';
import { occurrence, occurrencesBetween, type Schedule } from './recurrence';

export const MAX_COUNT = 1000;

/** The date of the count-th occurrence (count >= 1), or null when it falls after MAX_DATE. */
export function countedEndsOn(schedule: Omit<Schedule, 'endsOn' | 'count'>, count: number): string | null {
  return occurrence({ frequency: schedule.frequency, interval: schedule.interval, startsOn: schedule.startsOn }, count - 1);
}

/**
 * A counted definition's payments still to record: its occurrences from nextOccurrenceOn through
 * endsOn (a skipped date was one of the plan's dates, so it is not made up for); 0 once ended;
 * null while paused (a resume restarts from the day it is made, and the dates that fall while
 * paused are not recorded, so what is left depends on when). undefined when not counted.
 */
export function paymentsLeft(definition: RecurringExpense): number | null | undefined {
  const { schedule } = definition;
  if (schedule.count === undefined || schedule.endsOn === undefined) return undefined;
  if (definition.paused) return null;
  const next = definition.nextOccurrenceOn;
  if (next === null) return 0;
  return occurrencesBetween(schedule, next, schedule.endsOn).count;
}

/** The plan as the upcoming bills and the yearly costs show it: `count` and `paymentsLeft`, both null without a count. */
export interface InstallmentPlan {
  count: number | null;
  paymentsLeft: number | null;
}

export function installmentPlan(definition: RecurringExpense): InstallmentPlan {
  const count = definition.schedule.count;
  const left = paymentsLeft(definition);
  return count === undefined || left === undefined ? { count: null, paymentsLeft: null } : { count, paymentsLeft: left };
}

/**
 * Which payment of its plan the occurrence `index` (0-based from `startsOn`, recurrence.ts
 * occurrence) is: index + 1, since a counted plan's dates are exactly its first `count`
 * occurrences (its endsOn is the count-th one, derived again whenever startsOn changes).
 */
export const paymentNumberOf = (index: number): number => index + 1;
