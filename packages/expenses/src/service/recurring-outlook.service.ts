import { addDays, dayNumber, problems, type Clock } from '@budgeting/platform';
import type { BudgetsFacade, ForecastSpendingPort, InstallmentFigures, ScheduledPart } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { findPriceChanges, type PriceChange } from '../domain/price-changes';
import { recurringCosts, type DefinitionCost } from '../domain/recurring-costs';
import { MAX_UPCOMING, ScheduledTally } from '../domain/scheduled';
import { SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import type { Expense } from '../model';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import { authorize } from './access';
import { tooManyInRange } from './spending-breakdown.service';
import type { UpcomingOccurrences } from './recurring-definition';

/** One occurrence still to record, as the upcoming bills list it; an installment plan's figures as the forecast's upcoming entries carry them (null without a count). */
export interface UpcomingBill extends InstallmentFigures {
  recurringExpenseId: string;
  occurredOn: string;
  amount: number;
  categoryId: string | null;
  merchant?: string;
  description?: string;
  splits?: ScheduledPart[];
  /** Days from today (0: today). */
  daysUntil: number;
}

export type UpcomingBills = UpcomingOccurrences<UpcomingBill>;

type CostItem = Omit<DefinitionCost, 'yearly' | 'monthly'> & { yearly: number; monthly: number };

export interface RecurringCostsView {
  from: string;
  to: string;
  currency: string;
  items: CostItem[];
  totals: { yearly: number; monthly: number };
}

export interface PriceChangesView {
  from: string;
  to: string;
  currency: string;
  items: PriceChange[];
}

/**
 * Two read-only views of a budget's recurring expenses, for any member (packages/expenses/docs/recurring.md,
 * "Upcoming bills and yearly costs"):
 * - upcoming: the occurrences still to record in the next `days` days, exactly the forecast's
 *   and the calendar feed's (ScheduledService.scheduledBetween: no schedule arithmetic here);
 *   the access BatchGetItem, then the forecast's Query of the definitions.
 * - costs: what each active definition records over the year ahead (domain/recurring-costs.ts);
 *   the access BatchGetItem, then ONE Query (a budget holds at most maxPerBudget definitions:
 *   one page, as the bill finder reads them).
 * - priceChanges: the definitions whose merchant is now paid at another amount
 *   (domain/price-changes.ts); the access BatchGetItem, then in parallel the costs' ONE Query of
 *   the definitions and the spending breakdown's read of the last `days` days (the date index
 *   walk, at most `maxExpenses` + 1 read, the same 422 past it).
 * A sum past 2^53 - 1 minor units cannot be given exactly in JSON: 422 (as the forecast refuses).
 */
export class RecurringOutlookService {
  constructor(
    private readonly deps: {
      budgets: BudgetsFacade;
      scheduled: ForecastSpendingPort;
      recurring: Pick<RecurringRepository, 'all'>;
      expenses: Pick<ExpenseQueries, 'rangeExpenses'>;
      clock: Clock;
    },
    /** Expenses the price changes examine at most (tests lower it; production passes nothing: SPENDING_MAX_EXPENSES, the breakdown's). */
    private readonly maxExpenses = SPENDING_MAX_EXPENSES,
  ) {}

  async upcoming(budgetId: string, userId: string, days: number): Promise<UpcomingBills> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const from = todayIn(access.timezone, this.deps.clock.now());
    const to = addDays(from, days - 1);
    // An archived budget's bills are not recorded (the job skips its due dates, as its calendar
    // feed shows none): nothing upcoming, no definition read.
    const scheduled = access.budget.archivedAt === undefined ? await this.deps.scheduled.scheduledBetween(budgetId, from, to, MAX_UPCOMING) : new ScheduledTally(from, to, MAX_UPCOMING).result();
    if (!Number.isSafeInteger(scheduled.total)) {
      throw problems.unprocessable(`The bills of the next ${days} days add up past 2^53 - 1 minor units: they cannot be given exactly; ask fewer days.`);
    }
    return {
      from,
      to,
      currency: access.currency,
      total: scheduled.total,
      count: scheduled.occurrences,
      truncated: scheduled.upcomingTruncated,
      items: scheduled.upcoming.map((o) => ({
        recurringExpenseId: o.recurringExpenseId,
        occurredOn: o.occurredOn,
        amount: o.amount,
        categoryId: o.categoryId,
        ...(o.merchant !== undefined ? { merchant: o.merchant } : {}),
        ...(o.description !== undefined ? { description: o.description } : {}),
        ...(o.splits ? { splits: o.splits } : {}),
        daysUntil: dayNumber(o.occurredOn) - dayNumber(from),
        count: o.count,
        paymentsLeft: o.paymentsLeft,
        paymentNumber: o.paymentNumber,
      })),
    };
  }

  async costs(budgetId: string, userId: string): Promise<RecurringCostsView> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const today = todayIn(access.timezone, this.deps.clock.now());
    // Every definition (at most maxPerBudget: one Query for a typical budget, one per 1 MB).
    const definitions = await this.deps.recurring.all(budgetId);
    const costs = recurringCosts(definitions, today);
    // Each item is at most 366 x the largest amount (safe); only the totals can pass 2^53 - 1.
    if (costs.totals.yearly > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw problems.unprocessable("The budget's recurring expenses add up past 2^53 - 1 minor units a year: the total cannot be given exactly.");
    }
    return {
      from: costs.from,
      to: costs.to,
      currency: access.currency,
      items: costs.items.map((item) => ({ ...item, yearly: Number(item.yearly), monthly: Number(item.monthly) })),
      totals: { yearly: Number(costs.totals.yearly), monthly: Number(costs.totals.monthly) },
    };
  }

  async priceChanges(budgetId: string, userId: string, days: number): Promise<PriceChangesView> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const to = todayIn(access.timezone, this.deps.clock.now());
    const from = addDays(to, 1 - days);
    const expenses: Expense[] = [];
    const [definitions, read] = await Promise.all([
      this.deps.recurring.all(budgetId),
      this.deps.expenses.rangeExpenses(budgetId, from, to, this.maxExpenses, (page) => expenses.push(...page)),
    ]);
    if (read.tooMany) throw tooManyInRange(this.maxExpenses, 'query.days');
    return { from, to, currency: access.currency, items: findPriceChanges(definitions, expenses, to) };
  }
}
