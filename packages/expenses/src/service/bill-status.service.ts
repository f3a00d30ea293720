import { periodContaining, type BudgetsFacade, type ScheduledPart } from '@budgeting/budgets';
import type { Clock } from '@budgeting/platform';
import { dateStatus, listInPeriod, pairLeftovers, passed, statusTotals, type DateStatus, type Listed as BillListed, type Settlement, type StatusTotals } from '../domain/bill-status';
import { occurrenceKey } from '../domain/bill-matching';
import { todayIn } from '../domain/dates';
import { installmentPlan } from '../domain/installments';
import type { RecurringExpense } from '../model';
import type { BillPayment, BillStatusRepository } from '../repository/bill-status.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import { authorize } from './access';

export interface BillStatusItem {
  recurringExpenseId: string;
  merchant?: string;
  description?: string;
  amount: number;
  categoryId: string | null;
  splits?: ScheduledPart[];
  paused: boolean;
  count: number | null;
  paymentsLeft: number | null;
  dates: DateStatus[];
}

export interface BillStatusView {
  from: string;
  to: string;
  today: string;
  currency: string;
  truncated: boolean;
  totals: StatusTotals;
  items: BillStatusItem[];
}

type Listed = BillListed<RecurringExpense>;

/**
 * The status of every bill's dates in a budget period (packages/expenses/docs/recurring.md "Bill status"; the rules
 * in domain/bill-status.ts). Reads, all bounded:
 * 1. the access BatchGetItem;
 * 2. the budget's definitions (RecurringRepository.all: ONE Query for a typical budget, one per 1 MB);
 * 3. per listed definition with a date the schedule has passed (recorded, matched, skipped or
 *    while paused; a date still ahead of `nextOccurrenceOn` needs no read), ONE Query of its
 *    payments' partition (gsi4) over the period, in parallel: at most MAX_STATUS_DEFINITIONS;
 * 4. only for passed dates no payment is dated on (matched, skipped, paused, missed, a payment recorded
 *    before the index or dated another day by record-next): their occurrence and bill match
 *    markers, one BatchGetItem per 50 dates (at most MAX_STATUS_DATES dates are listed); then,
 *    only when such a marker names a payment dated on another date of the bill (moved there),
 *    that date's markers too (it is open again: settlements);
 * 5. only for an expense a marker names that step 3 did not read: one BatchGetItem of them,
 *    for the amount recorded.
 * A payment of the bill in the period that neither its date nor a marker claimed (dated another
 * day, its marker expired) settles the nearest passed date still open (domain pairLeftovers).
 */
export class BillStatusService {
  constructor(
    private readonly deps: {
      budgets: BudgetsFacade;
      recurring: Pick<RecurringRepository, 'all'>;
      reads: Pick<BillStatusRepository, 'payments' | 'marks'>;
      expenses: Pick<ExpenseQueries, 'getMany'>;
      clock: Clock;
    },
  ) {}

  async status(budgetId: string, userId: string, date: string | undefined): Promise<BillStatusView> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const now = this.deps.clock.now();
    const today = todayIn(access.timezone, now);
    const period = periodContaining(access.period, date ?? today);
    const definitions = await this.deps.recurring.all(budgetId);
    const { listed, truncated } = listInPeriod(definitions, period.start, period.end, access.timezone);
    const settled = await this.settlements(budgetId, listed, period.start, period.end, now);
    const items = listed.map(({ definition, dates }) => itemOf(definition, dates.map((d) => dateStatus(definition, d, today, settled.get(occurrenceKey({ recurringExpenseId: definition.id, occurredOn: d.occurredOn }))))));
    return { from: period.start, to: period.end, today, currency: access.currency, truncated, totals: statusTotals(items.flatMap((i) => i.dates)), items };
  }

  /** How each passed date was settled, keyed `<recurringId>#<date>` (steps 3-5 above). */
  private async settlements(budgetId: string, listed: Listed[], from: string, to: string, now: Date): Promise<Map<string, Settlement>> {
    const settled = new Map<string, Settlement>();
    const amounts = new Map<string, number>();
    const withPassed = listed
      .map(({ definition, dates }) => ({ definition, dates: dates.filter((d) => passed(definition, d.occurredOn)).map((d) => d.occurredOn) }))
      .filter((l) => l.dates.length > 0);
    const paymentsOf = new Map<string, BillPayment[]>();
    /** The date each payment settled by its day (step 3), by expense id. */
    const byDay = new Map<string, { key: string; occurrence: { recurringExpenseId: string; occurredOn: string } }>();
    await Promise.all(
      withPassed.map(async ({ definition, dates }) => {
        // Oldest id first, so of two payments dated one day the same one is always shown.
        const payments = (await this.deps.reads.payments(budgetId, definition.id, from, to)).sort((a, b) => (a.expenseId < b.expenseId ? -1 : 1));
        paymentsOf.set(definition.id, payments);
        const wanted = new Set(dates);
        for (const p of payments) {
          amounts.set(p.expenseId, p.amount);
          const key = occurrenceKey({ recurringExpenseId: definition.id, occurredOn: p.occurredOn });
          if (wanted.has(p.occurredOn) && !settled.has(key)) {
            settled.set(key, { expenseId: p.expenseId, matched: false, amount: p.amount });
            byDay.set(p.expenseId, { key, occurrence: { recurringExpenseId: definition.id, occurredOn: p.occurredOn } });
          }
        }
      }),
    );
    let open = withPassed.flatMap(({ definition, dates }) =>
      dates.map((occurredOn) => ({ recurringExpenseId: definition.id, occurredOn })).filter((o) => !settled.has(occurrenceKey(o))),
    );
    // Each round reads the markers of dates not read yet; a date reopened below (its by-day
    // payment is another date's by its marker) is read in the next round: its own marker (the
    // expense the job recorded for it, moved out of the period say) settles it. Each by-day date
    // reopens at most once, so the rounds end; a second one only when a marker moved a payment.
    while (open.length > 0) {
      const marks = await this.deps.reads.marks(budgetId, open, now);
      const unread = [...new Set([...marks.values()].filter((m) => !m.matched && !amounts.has(m.expenseId)).map((m) => m.expenseId))];
      const found = unread.length > 0 ? await this.deps.expenses.getMany(budgetId, unread) : new Map<string, { amount: number }>();
      const reopened: { recurringExpenseId: string; occurredOn: string }[] = [];
      for (const [key, mark] of marks) {
        const amount = mark.matched ? null : (amounts.get(mark.expenseId) ?? found.get(mark.expenseId)?.amount ?? null);
        settled.set(key, { ...mark, amount });
        // A payment moved onto another date of the bill settled that date by its day, but its
        // marker says it paid this one: the marker wins, and that date is open again (its own
        // marker, read next round, or a payment of its own, recorded early say, settles it below;
        // else it reads skipped, paused, missed).
        const claimedByDay = mark.matched ? undefined : byDay.get(mark.expenseId);
        if (claimedByDay !== undefined && claimedByDay.key !== key && settled.get(claimedByDay.key)?.expenseId === mark.expenseId) {
          settled.delete(claimedByDay.key);
          byDay.delete(mark.expenseId);
          reopened.push(claimedByDay.occurrence);
        }
      }
      open = reopened;
    }
    // Payments no date or marker claimed go to the nearest date still open (domain pairLeftovers).
    const claimed = new Set([...settled.values()].map((x) => x.expenseId));
    for (const { definition, dates } of withPassed) {
      const leftovers = (paymentsOf.get(definition.id) ?? []).filter((p) => !claimed.has(p.expenseId));
      if (leftovers.length === 0) continue;
      const still = dates.filter((occurredOn) => !settled.has(occurrenceKey({ recurringExpenseId: definition.id, occurredOn })));
      for (const [occurredOn, p] of pairLeftovers(still, leftovers)) {
        settled.set(occurrenceKey({ recurringExpenseId: definition.id, occurredOn }), { expenseId: p.expenseId, matched: false, amount: p.amount });
      }
    }
    return settled;
  }
}

function itemOf(d: RecurringExpense, dates: DateStatus[]): BillStatusItem {
  const plan = installmentPlan(d);
  return {
    recurringExpenseId: d.id,
    ...(d.merchant !== undefined ? { merchant: d.merchant } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    amount: d.amount,
    categoryId: d.categoryId,
    ...(d.splits ? { splits: d.splits } : {}),
    paused: d.paused,
    count: plan.count,
    paymentsLeft: plan.paymentsLeft,
    dates,
  };
}
