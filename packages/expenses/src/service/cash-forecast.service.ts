import { addDays, problems, ProblemError, type Clock, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import {
  cashForecast,
  ESTIMATE_WINDOW_DAYS,
  everydaySpendingEstimate,
  FORECAST_DEFAULT_DAYS,
  FORECAST_MAX_DAYS,
  ForecastTooLargeError,
  ForecastTooManyError,
  MAX_FORECAST_OCCURRENCES,
  type CashForecast,
  type SpendingEstimate,
} from '../domain/cash-forecast';
import { todayIn } from '../domain/dates';
import type { RecurringExpense } from '../model';
import type { RecurringIncomeRepository } from '../repository/recurring-income.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import type { TotalsRepository } from '../repository/totals.repository';
import type { CashForecastInput } from '../schemas/cash-forecast.schemas';
import { authorize } from './access';

export interface CashForecastView extends CashForecast {
  currency: string;
  from: string;
  to: string;
  startingBalance: number;
  /** Only with `?spending=estimate`: the everyday spending estimate, null (with `estimateReason`) when the history is too short. */
  estimate?: SpendingEstimate | null;
  estimateReason?: 'too-little-history';
}

/**
 * "Will we have money left before payday?" (packages/expenses/docs/income.md "Cash flow forecast"): the
 * recurring income and bills still to record through `to`, day by day (domain/cash-forecast.ts).
 * Reads: the access BatchGetItem, then in parallel (one round trip) the two definition reads
 * the upcoming routes make: the bills' Query of the definitions due by `to`
 * (RecurringRepository.pendingPage, as ScheduledService.scheduledBetween pages it) and ONE Query
 * of the recurring income (at most maxPerBudget: one page, as its upcoming reads them).
 * With `?spending=estimate` (packages/expenses/docs/income.md "Everyday spending"): ONE Query more in the same round trip, the
 * running totals' month items of the 90 days before today (TotalsRepository.spendingPerDay, as
 * Age of Money reads them), and the bills' Query without its filter (every definition: an ended,
 * paused or later-due one recorded bills in the window too; the filter saved no read units).
 */
export class CashForecastService {
  constructor(
    private readonly deps: {
      budgets: BudgetsFacade;
      recurring: Pick<RecurringRepository, 'pendingPage' | 'page' | 'maxPerBudget'>;
      recurringIncome: Pick<RecurringIncomeRepository, 'page' | 'maxPerBudget'>;
      totals: Pick<TotalsRepository, 'spendingPerDay'>;
      clock: Clock;
    },
  ) {}

  async forecast(budgetId: string, userId: string, query: CashForecastInput): Promise<CashForecastView> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const from = todayIn(access.timezone, this.deps.clock.now());
    const last = addDays(from, FORECAST_MAX_DAYS - 1);
    const to = query.to ?? addDays(from, FORECAST_DEFAULT_DAYS - 1);
    if (to < from || to > last) throw problems.validation([{ path: 'query.to', message: `Must be from ${from} (today in the budget's time zone) to ${last}` }]);
    const start = query.startingBalance ?? 0;
    const estimating = query.spending === 'estimate';
    // An archived budget has nothing still to record: the recurring jobs skip its due dates
    // (packages/expenses/docs/income.md "An archived budget"), as its calendar feed shows no bill.
    // No definition is read; the everyday spending estimate, from the history, still is.
    const archived = access.budget.archivedAt !== undefined;
    const [bills, { items: income }, spending] = await Promise.all([
      estimating ? this.everyBill(budgetId) : archived ? [] : this.pendingBills(budgetId, to),
      archived ? { items: [] } : this.deps.recurringIncome.page(budgetId, this.deps.recurringIncome.maxPerBudget),
      estimating ? this.deps.totals.spendingPerDay(budgetId, addDays(from, -ESTIMATE_WINDOW_DAYS), addDays(from, -1)) : undefined,
    ]);
    try {
      const view = { currency: access.currency, from, to, startingBalance: start };
      // The estimate's bills are those the definitions recorded in its window; none is still to come when archived.
      const coming = archived ? [] : bills;
      if (!spending) return { ...view, ...cashForecast({ from, to, start, income, bills: coming }) };
      const outcome = everydaySpendingEstimate({
        today: from,
        budgetCreatedOn: todayIn(access.timezone, new Date(access.budget.createdAt)),
        spendingPerDay: spending,
        definitions: bills,
        dayOf: (timestamp) => todayIn(access.timezone, new Date(timestamp)),
      });
      if (outcome.estimate === null) return { ...view, ...cashForecast({ from, to, start, income, bills: coming }), estimate: null, estimateReason: outcome.reason };
      return { ...view, ...cashForecast({ from, to, start, income, bills: coming, perDay: outcome.estimate.perDay }), estimate: outcome.estimate };
    } catch (err) {
      if (err instanceof ForecastTooManyError) {
        throw new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Too many recurring occurrences in the range for one answer; ask a nearer `to`.', {
          errors: [{ path: 'query.to', message: `${err.occurrences} occurrences fall through ${to}, more than ${MAX_FORECAST_OCCURRENCES}; ask a nearer date` }],
        });
      }
      if (err instanceof ForecastTooLargeError) {
        throw problems.unprocessable('A figure of the forecast adds up past 2^53 - 1 minor units: it cannot be given exactly; ask a nearer `to` or a smaller `startingBalance`.');
      }
      throw err;
    }
  }

  /** Every recurring expense of the budget, page by page: the same Query as pendingBills without its filter (the same read units). */
  private async everyBill(budgetId: string): Promise<RecurringExpense[]> {
    const definitions: RecurringExpense[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.recurring.page(budgetId, this.deps.recurring.maxPerBudget, startKey);
      definitions.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return definitions;
  }

  /** Every recurring expense with a next occurrence by `to`, page by page: the read scheduledBetween makes for the upcoming bills. */
  private async pendingBills(budgetId: string, to: string): Promise<RecurringExpense[]> {
    const definitions: RecurringExpense[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.recurring.pendingPage(budgetId, to, startKey);
      definitions.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return definitions;
  }
}
