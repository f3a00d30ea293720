import { addDays, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { RULE_WINDOW_DAYS, RULE_WINDOW_MAX_EXPENSES, suggestRules, type RuleSuggestion } from '../domain/rule-suggestions';
import { windowSummary, type MerchantWindow, type WindowOptions, type WindowSummary } from '../repository/merchant-window';
import type { RulesRepository } from '../repository/rules.repository';
import { authorize } from './access';

export interface RuleSuggestionsServiceDeps {
  window: MerchantWindow;
  rules: Pick<RulesRepository, 'all'>;
  budgets: BudgetsFacade;
  clock: Clock;
}

export interface RuleSuggestions {
  items: RuleSuggestion[];
  window: WindowSummary;
}

/**
 * GET /v1/budgets/{budgetId}/rules/suggestions: any member's rule suggestions
 * (domain/rule-suggestions.ts), computed on read from the budget's newest expenses through the
 * merchant suggestions' own window read (at most `maxExpenses` of those dated in the last
 * `days` days, today in the budget's time zone included, later dates too). Cost per call: the
 * access BatchGetItem (which brings the budget's categories), then in parallel the window's
 * Queries (at most `maxExpenses` + 1 items read) and ONE Query of the budget's rules (capped
 * per budget: one page), whatever `limit` (it cuts the result, not the read). Nothing written.
 */
export class RuleSuggestionsService {
  private readonly maxExpenses: number;
  private readonly days: number;

  constructor(
    private readonly deps: RuleSuggestionsServiceDeps,
    options: WindowOptions = {},
  ) {
    this.maxExpenses = options.maxExpenses ?? RULE_WINDOW_MAX_EXPENSES;
    this.days = options.days ?? RULE_WINDOW_DAYS;
  }

  async suggest(budgetId: string, userId: string, query: { limit: number }): Promise<RuleSuggestions> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const firstDay = addDays(todayIn(access.timezone, this.deps.clock.now()), -(this.days - 1));
    const [read, rules] = await Promise.all([this.deps.window.read(budgetId, firstDay, this.maxExpenses), this.deps.rules.all(budgetId)]);
    // The budget's current categories: a removed one would be refused by the POST the suggestion feeds.
    const categories = new Set(access.categories.map((c) => c.id));
    return {
      items: suggestRules(read.uses, { rules, isCategory: (id) => categories.has(id), limit: query.limit }),
      window: windowSummary(firstDay, read),
    };
  }
}
