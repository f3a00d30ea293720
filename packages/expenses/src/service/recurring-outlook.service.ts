import { addDays, dayNumber, problems, type Clock } from '@budgeting/platform';
import type { BudgetsFacade, ForecastSpendingPort, ScheduledPart } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { recurringCosts, type DefinitionCost } from '../domain/recurring-costs';
import { MAX_UPCOMING } from '../domain/scheduled';
import type { RecurringRepository } from '../repository/recurring.repository';
import { authorize } from './access';

/** One occurrence still to record, as the upcoming bills list it. */
export interface UpcomingBill {
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

export interface UpcomingBills {
  from: string;
  to: string;
  currency: string;
  total: number;
  count: number;
  truncated: boolean;
  items: UpcomingBill[];
}

type CostItem = Omit<DefinitionCost, 'yearly' | 'monthly'> & { yearly: number; monthly: number };

export interface RecurringCostsView {
  from: string;
  to: string;
  currency: string;
  items: CostItem[];
  totals: { yearly: number; monthly: number };
}

/**
 * Two read-only views of a budget's recurring expenses, for any member (expenses README,
 * "Upcoming bills and yearly costs"):
 * - upcoming: the occurrences still to record in the next `days` days, exactly the forecast's
 *   and the calendar feed's (ScheduledService.scheduledBetween: no schedule arithmetic here);
 *   the access BatchGetItem, then the forecast's Query of the definitions.
 * - costs: what each active definition records over the year ahead (domain/recurring-costs.ts);
 *   the access BatchGetItem, then ONE Query (a budget holds at most maxPerBudget definitions:
 *   one page, as the bill finder reads them).
 * A sum past 2^53 - 1 minor units cannot be given exactly in JSON: 422 (as the forecast refuses).
 */
export class RecurringOutlookService {
  constructor(
    private readonly deps: {
      budgets: BudgetsFacade;
      scheduled: ForecastSpendingPort;
      recurring: Pick<RecurringRepository, 'page' | 'maxPerBudget'>;
      clock: Clock;
    },
  ) {}

  async upcoming(budgetId: string, userId: string, days: number): Promise<UpcomingBills> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const from = todayIn(access.timezone, this.deps.clock.now());
    const to = addDays(from, days - 1);
    const scheduled = await this.deps.scheduled.scheduledBetween(budgetId, from, to, MAX_UPCOMING);
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
      })),
    };
  }

  async costs(budgetId: string, userId: string): Promise<RecurringCostsView> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const today = todayIn(access.timezone, this.deps.clock.now());
    // Every definition in one page: a budget holds at most maxPerBudget of them.
    const { items: definitions } = await this.deps.recurring.page(budgetId, this.deps.recurring.maxPerBudget);
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
}
