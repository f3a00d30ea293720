import type { InstallmentFigures, ScheduledOccurrence, ScheduledSpending } from '@budgeting/budgets';
import type { RecurringExpense } from '../model';
import { installmentPlan, paymentNumberOf } from './installments';
import { occurrence, occurrencesBetween, type OccurrenceWindow } from './recurrence';

/** The most occurrences one forecast lists (its `upcoming`); the sums count every one. */
export const MAX_UPCOMING = 100;

/**
 * The forecast's tally of a budget's recurring definitions over one date range, fed a page of
 * definitions at a time: the occurrences not recorded yet (from each definition's
 * nextOccurrenceOn, which the job moves past every date it records) that fall in the range.
 * Sums are arithmetic (count x amount, each part of a split definition in its own category, in BigInt so they stay exact past 2^53 until the caller
 * checks them); each definition adds at most `limit` dates to the list, and fewer once the list
 * is full (only dates before its last one can still get in), so the work per definition is
 * bounded whatever the schedule or the range.
 */
export class ScheduledTally {
  private total = 0n;
  private uncategorized = 0n;
  private readonly byCategory = new Map<string, bigint>();
  private occurrences = 0;
  private upcoming: ScheduledOccurrence[] = [];

  constructor(
    private readonly from: string,
    private readonly to: string,
    private readonly limit: number,
  ) {
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_UPCOMING) {
      throw new RangeError(`ScheduledTally: upcoming limit must be an integer 0..${MAX_UPCOMING}, got ${limit}`);
    }
  }

  add(definition: RecurringExpense): void {
    const window = pendingWindow(definition, this.from, this.to);
    if (window.count === 0) return;
    const count = BigInt(window.count);
    this.total += count * BigInt(definition.amount);
    // Each part in its own category, as the job will record them (a split definition's parts
    // add up to its amount, so the figures still add up to the total); else the whole amount.
    for (const part of definition.splits ?? [definition]) {
      const sum = count * BigInt(part.amount);
      if (part.categoryId === null) this.uncategorized += sum;
      else this.byCategory.set(part.categoryId, (this.byCategory.get(part.categoryId) ?? 0n) + sum);
    }
    this.occurrences += window.count;

    // An installment plan's place of each date ("payment 2 of 4"): the plan once per definition.
    const plan = installmentPlan(definition);
    const listed: ScheduledOccurrence[] = [];
    for (let i = 0; i < Math.min(window.count, this.limit); i++) {
      const index = window.first + i;
      const occurredOn = occurrence(definition.schedule, index)!;
      const installment: InstallmentFigures =
        plan.count === null || plan.paymentsLeft === null ? NOT_A_PLAN : { count: plan.count, paymentsLeft: plan.paymentsLeft, paymentNumber: paymentNumberOf(index) };
      const item = occurrenceOf(definition, occurredOn, installment);
      if (this.upcoming.length >= this.limit && !before(item, this.upcoming[this.upcoming.length - 1]!)) break;
      listed.push(item);
    }
    if (listed.length > 0) this.upcoming = [...this.upcoming, ...listed].sort(compare).slice(0, this.limit);
  }

  result(): ScheduledSpending {
    return {
      total: Number(this.total),
      byCategory: Object.fromEntries([...this.byCategory].map(([id, sum]) => [id, Number(sum)])),
      uncategorized: Number(this.uncategorized),
      upcoming: this.upcoming,
      upcomingTruncated: this.occurrences > this.upcoming.length,
      occurrences: this.occurrences,
    };
  }
}

/**
 * A definition's occurrences still to record in [from, to]: from its nextOccurrenceOn (past
 * every date recorded or skipped) within its schedule's end; none when paused or ended. What
 * the forecast, the calendar feed, the upcoming bills and the yearly costs all count.
 */
export function pendingWindow(definition: RecurringExpense, from: string, to: string): OccurrenceWindow {
  const next = definition.nextOccurrenceOn;
  if (next === null || definition.paused) return { first: 0, count: 0 };
  return occurrencesBetween(definition.schedule, next > from ? next : from, to);
}

const NOT_A_PLAN: InstallmentFigures = { count: null, paymentsLeft: null, paymentNumber: null };

function occurrenceOf(d: RecurringExpense, occurredOn: string, installment: InstallmentFigures): ScheduledOccurrence {
  return {
    recurringExpenseId: d.id,
    occurredOn,
    amount: d.amount,
    categoryId: d.categoryId,
    ...(d.splits ? { splits: d.splits } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    ...(d.merchant !== undefined ? { merchant: d.merchant } : {}),
    ...(d.tags?.length ? { tags: d.tags } : {}),
    ...(d.foreign ? { foreign: d.foreign } : {}),
    ...(d.sharedWith ? { sharedWith: d.sharedWith } : {}),
    ...(d.sharedAmounts ? { sharedAmounts: d.sharedAmounts } : {}),
    ...installment,
  };
}

/** Date order, then the definition's id (a ULID: creation order), so the list is stable. */
function compare(a: ScheduledOccurrence, b: ScheduledOccurrence): number {
  if (a.occurredOn !== b.occurredOn) return a.occurredOn < b.occurredOn ? -1 : 1;
  return a.recurringExpenseId < b.recurringExpenseId ? -1 : a.recurringExpenseId > b.recurringExpenseId ? 1 : 0;
}

const before = (a: ScheduledOccurrence, b: ScheduledOccurrence) => compare(a, b) < 0;
