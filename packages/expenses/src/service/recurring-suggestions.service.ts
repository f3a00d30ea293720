import { addDays, searchKey, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { BILL_WINDOW_DAYS, BILL_WINDOW_MAX_EXPENSES, findBills, type BillSuggestion } from '../domain/bill-detection';
import { todayIn } from '../domain/dates';
import { notEnded } from '../domain/price-changes';
import { windowSummary, type MerchantWindow, type WindowOptions, type WindowSummary } from '../repository/merchant-window';
import type { RecurringRepository } from '../repository/recurring.repository';
import { authorize } from './access';

export interface RecurringSuggestionsServiceDeps {
  window: MerchantWindow;
  recurring: RecurringRepository;
  budgets: BudgetsFacade;
  clock: Clock;
}

export interface RecurringSuggestions {
  items: BillSuggestion[];
  window: WindowSummary;
}

/**
 * GET /v1/budgets/{budgetId}/recurring-expenses/suggestions: any member's bill finder
 * (domain/bill-detection.ts), computed on read from the budget's newest expenses through the
 * merchant suggestions' own window read (at most `maxExpenses` of those dated in the last
 * `days` days, today in the budget's time zone included, later dates too). Cost per call:
 * the access BatchGetItem, then in parallel the window's Queries (at most `maxExpenses` + 1
 * items read) and ONE Query of the budget's recurring expenses (capped per budget: one page),
 * to leave out the merchants they cover.
 */
export class RecurringSuggestionsService {
  private readonly maxExpenses: number;
  private readonly days: number;

  constructor(
    private readonly deps: RecurringSuggestionsServiceDeps,
    options: WindowOptions = {},
  ) {
    this.maxExpenses = options.maxExpenses ?? BILL_WINDOW_MAX_EXPENSES;
    this.days = options.days ?? BILL_WINDOW_DAYS;
  }

  async suggest(budgetId: string, userId: string): Promise<RecurringSuggestions> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const today = todayIn(access.timezone, this.deps.clock.now());
    const firstDay = addDays(today, -(this.days - 1));
    const [read, definitions] = await Promise.all([
      this.deps.window.read(budgetId, firstDay, this.maxExpenses),
      // Every definition (at most maxPerBudget: one Query for a typical budget, one per 1 MB).
      this.deps.recurring.all(budgetId),
    ]);
    // A definition that may still record covers its merchant: a paused one too (it is meant to
    // resume), an ended one not (the bill may have come back), also one paused after its end
    // (`endsOn` before today: a resume finds no date; the price changes' notEnded, one rule).
    const covered = new Set(definitions.filter((d) => notEnded(d, today)).flatMap((d) => (d.merchant === undefined ? [] : [searchKey(d.merchant)])));
    // Only the budget's current categories are suggested: a removed one would be refused by
    // the POST the suggestion feeds.
    const categories = new Set(access.categories.map((c) => c.id));
    return {
      items: findBills(read.uses, {
        today,
        currency: access.currency,
        isCategory: (id) => categories.has(id),
        isCovered: (key) => covered.has(key),
      }),
      window: windowSummary(firstDay, read),
    };
  }
}
