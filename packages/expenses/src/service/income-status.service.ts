import type { BudgetsFacade } from '@budgeting/budgets';
import { addDays, type Clock } from '@budgeting/platform';
import { listInPeriod, pairLeftovers, passed } from '../domain/bill-status';
import { lastDayOfMonth, todayIn } from '../domain/dates';
import { nextAfter, occurrence, occurrencesBetween } from '../domain/recurrence';
import { incomeDateStatus, incomeStatusTotals, type IncomeDateStatus, type IncomeStatusTotals, type ReceivedEntry } from '../domain/income-status';
import type { RecurringIncome } from '../model';
import type { IncomeRepository } from '../repository/income.repository';
import type { RecurringIncomeRepository } from '../repository/recurring-income.repository';
import { authorize } from './access';

/** Most entries one definition's Query reads: a month holds at most 31 dates of one definition (record-next may add one dated another day). */
export const ENTRIES_PER_MONTH_LIMIT = 100;

export interface IncomeStatusItem {
  recurringIncomeId: string;
  source?: string;
  description?: string;
  amount: number;
  paused: boolean;
  dates: IncomeDateStatus[];
}

export interface IncomeStatusView {
  month: string;
  from: string;
  to: string;
  today: string;
  currency: string;
  truncated: boolean;
  totals: IncomeStatusTotals;
  items: IncomeStatusItem[];
}

/**
 * The status of every recurring income's dates in a month (packages/expenses/docs/income.md "Paycheck status";
 * the rules in domain/income-status.ts). Reads, all bounded: the access BatchGetItem; ONE Query
 * of the budget's definitions (at most maxPerBudget, one page); per listed definition with a
 * date the schedule has passed, ONE Query of its entries' partition (gsi4) over the month, in
 * parallel (at most MAX_STATUS_DEFINITIONS), as the bill status.
 */
export class IncomeStatusService {
  constructor(
    private readonly deps: {
      budgets: BudgetsFacade;
      recurring: Pick<RecurringIncomeRepository, 'page' | 'maxPerBudget'>;
      income: Pick<IncomeRepository, 'page'>;
      clock: Clock;
    },
  ) {}

  async status(budgetId: string, userId: string, month: string | undefined): Promise<IncomeStatusView> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const today = todayIn(access.timezone, this.deps.clock.now());
    const wanted = month ?? today.slice(0, 7);
    const from = `${wanted}-01`;
    const to = lastDayOfMonth(wanted);
    const { items: definitions } = await this.deps.recurring.page(budgetId, this.deps.recurring.maxPerBudget);
    const { listed, truncated } = listInPeriod(definitions, from, to, access.timezone);
    const items = await Promise.all(
      listed.map(async ({ definition, dates }) => {
        const received = await this.received(budgetId, definition, dates.filter((d) => passed(definition, d.occurredOn)).map((d) => d.occurredOn), from, to);
        return itemOf(definition, dates.map((d) => incomeDateStatus(definition, d, today, received.get(d.occurredOn))));
      }),
    );
    return { month: wanted, from, to, today, currency: access.currency, truncated, totals: incomeStatusTotals(items), items };
  }

  /** Which passed date each entry of the definition in the month settled: its own day first, then the nearest still open. */
  private async received(budgetId: string, definition: RecurringIncome, dates: string[], from: string, to: string): Promise<Map<string, ReceivedEntry>> {
    const settled = new Map<string, ReceivedEntry>();
    if (dates.length === 0) return settled;
    // Also read the days between the schedule's last date before the month and the month: record-next
    // may have dated the first date's entry there (early); that last date competes for them (one recorded late).
    const { first } = occurrencesBetween(definition.schedule, from, to);
    const before = first > 0 ? occurrence(definition.schedule, first - 1) : null;
    const readFrom = before !== null && addDays(before, 1) < from ? addDays(before, 1) : from;
    const { items } = await this.deps.income.page(budgetId, { from: readFrom, to, recurringIncomeId: definition.id }, ENTRIES_PER_MONTH_LIMIT);
    // Oldest id first, so of two entries dated one day the same one is always shown.
    const entries = items.map((i) => ({ incomeId: i.id, amount: i.amount, occurredOn: i.receivedOn })).sort((a, b) => (a.incomeId < b.incomeId ? -1 : 1));
    const wanted = new Set(dates);
    const leftovers: ReceivedEntry[] = [];
    for (const e of entries) {
      if (wanted.has(e.occurredOn) && !settled.has(e.occurredOn)) settled.set(e.occurredOn, e);
      else leftovers.push(e);
    }
    const open = dates.filter((d) => !settled.has(d));
    // The schedule's first date after the month, when already recorded: record-next may have dated
    // its entry in this month (a paycheck that came early), and that entry settles no date here.
    const after = nextAfter(definition.schedule, to);
    const beyond = after !== null && definition.nextOccurrenceOn !== null && after < definition.nextOccurrenceOn ? [after] : [];
    const earlier = before !== null && readFrom < from ? [before] : [];
    for (const [date, e] of pairLeftovers([...earlier, ...open, ...beyond], leftovers)) if (date !== after && date !== before) settled.set(date, e);
    return settled;
  }
}

function itemOf(d: RecurringIncome, dates: IncomeDateStatus[]): IncomeStatusItem {
  return {
    recurringIncomeId: d.id,
    ...(d.source !== undefined ? { source: d.source } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    amount: d.amount,
    paused: d.paused,
    dates,
  };
}
