import { addDays, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { MERCHANT_WINDOW_DAYS, MERCHANT_WINDOW_MAX_EXPENSES, suggestMerchants, type MerchantSuggestion } from '../domain/merchant-suggestions';
import { suggestTags, type TagSuggestion } from '../domain/tag-suggestions';
import { windowSummary, type MerchantWindow, type WindowOptions, type WindowRead, type WindowSummary } from '../repository/merchant-window';
import { authorize } from './access';

export interface MerchantsServiceDeps {
  window: MerchantWindow;
  budgets: BudgetsFacade;
  clock: Clock;
}

export interface MerchantSuggestions {
  items: MerchantSuggestion[];
  window: WindowSummary;
}

export interface TagSuggestions {
  items: TagSuggestion[];
  window: WindowSummary;
}

/**
 * GET /v1/budgets/{budgetId}/merchants: any member's payee autocomplete, computed on read
 * from the budget's newest expenses (the window: at most `maxExpenses` of those dated in the
 * last `days` days, today in the budget's time zone included, later dates too). Cost per
 * call: the access BatchGetItem, then the window's Queries, at most `maxExpenses` + 1 items
 * read, whatever `q` and `limit` (they filter and cut the grouped result, not the read).
 */
export class MerchantsService {
  private readonly maxExpenses: number;
  private readonly days: number;

  constructor(
    private readonly deps: MerchantsServiceDeps,
    options: WindowOptions = {},
  ) {
    this.maxExpenses = options.maxExpenses ?? MERCHANT_WINDOW_MAX_EXPENSES;
    this.days = options.days ?? MERCHANT_WINDOW_DAYS;
  }

  async suggest(budgetId: string, userId: string, query: { q?: string; limit: number }): Promise<MerchantSuggestions> {
    const { access, uses, window } = await this.readWindow(budgetId, userId, (from) => this.deps.window.read(budgetId, from, this.maxExpenses));
    // Only the budget's current categories are suggested: a removed one would be refused by
    // the create the suggestion pre-fills.
    const categories = new Set(access.categories.map((c) => c.id));
    return { items: suggestMerchants(uses, { q: query.q, limit: query.limit, isCategory: (id) => categories.has(id) }), window };
  }

  /**
   * GET /v1/budgets/{budgetId}/tags: any member's tag autocomplete (and the tag manager's
   * list), from the same window as the merchants (only tags and dates projected), at the same
   * cost: the access BatchGetItem, then at most `maxExpenses` + 1 items read.
   */
  async suggestTags(budgetId: string, userId: string, query: { q?: string; limit: number }): Promise<TagSuggestions> {
    const { uses, window } = await this.readWindow(budgetId, userId, (from) => this.deps.window.readTags(budgetId, from, this.maxExpenses));
    return { items: suggestTags(uses, query), window };
  }

  /** The access check (any member), then the window from its first day (today in the budget's time zone, `days` back), and what it counted. */
  private async readWindow<Use extends { occurredOn: string }>(budgetId: string, userId: string, read: (from: string) => Promise<WindowRead<Use>>) {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const firstDay = addDays(todayIn(access.timezone, this.deps.clock.now()), -(this.days - 1));
    const window = await read(firstDay);
    return { access, uses: window.uses, window: windowSummary(firstDay, window) };
  }
}
