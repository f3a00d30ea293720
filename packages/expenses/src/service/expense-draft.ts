import { loadOnce, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { CategorizationRule } from '../model';
import type { RulesRepository } from '../repository/rules.repository';
import type { CreateExpenseInput } from '../schemas/expenses.schemas';
import { appliedRules, wantsRule } from '../domain/categorization';
import { checkAgainstBudget } from '../domain/expense-rules';
import { todayIn } from '../domain/dates';
import { expenseOf, ruleIds, type NewExpense } from '../domain/new-expense';
import { authorize } from './access';
import { recordedEvent } from './expense-facts';

/** What a create's new expense is built with: the budget's access and rules, and the clock. */
export interface ExpenseDraftDeps {
  /** The budget's categorization rules, read by a create without a category (domain/categorization.ts). */
  rules: Pick<RulesRepository, 'all'>;
  budgets: BudgetsFacade;
  clock: Clock;
}

/**
 * The budget's categorization rules for a create that may take its category from them, read
 * at most once however often asked (the read-first path after a failed checked write reuses
 * them; an offline push shares one read among its creates).
 */
export type RuleSource = () => Promise<CategorizationRule[]>;

/**
 * The new expense of a create and its expense.recorded event, before the write
 * (ExpenseCreation, expense-create.ts, writes them): the read-first create's after an access
 * read, the checked create's with nothing read of the budget, and the rules either may apply.
 */
export class ExpenseDraft {
  constructor(private readonly deps: ExpenseDraftDeps) {}

  /**
   * A create's rules source, only when the create asks for a categorization (a merchant and no
   * `categoryId` field, no splits: wantsRule); the rules then also rename its merchant
   * (appliedRules). A create naming its category is not renamed: reading the rules for it would
   * add a Query to every such write (the one-request create, packages/expenses/docs/storage-and-totals.md "What one write costs"),
   * and a merchant typed by hand is the user's own spelling. Imports read the rules once per
   * file and rename every row (CsvImportService). `shared`: one read for a whole push.
   */
  rulesFor(budgetId: string, input: CreateExpenseInput, shared?: RuleSource): RuleSource | undefined {
    if (!wantsRule(input)) return undefined;
    return shared ?? loadOnce(() => this.deps.rules.all(budgetId));
  }

  /**
   * The read-first create: access (and the budget's categories and time zone) read, then the
   * expense built. Asking a rule, the rules are read alongside the access (two requests at
   * once) and a rule naming a category the budget no longer has is passed over.
   */
  async newExpense(budgetId: string, userId: string, input: CreateExpenseInput, id: string, rules?: RuleSource): Promise<NewExpense> {
    const [access, read] = await Promise.all([authorize(this.deps.budgets, budgetId, userId, 'write'), rules?.()]);
    checkAgainstBudget(access, input);
    const filled = read ? appliedRules(input, read, (categoryId) => access.categories.some((c) => c.id === categoryId)) : { input };
    const occurredOn = input.occurredOn ?? todayIn(access.timezone, this.deps.clock.now());
    return { expense: expenseOf(budgetId, userId, filled.input, occurredOn, id, this.deps.clock.now().toISOString()), ...ruleIds(filled) };
  }

  /**
   * The expense of a checked create (nothing read of the budget): the first matching rule's
   * category, if asked, which the write's budget check then verifies. `input`: what was
   * recorded (its category is what the check must find).
   */
  async checkedExpense(
    budgetId: string,
    userId: string,
    input: CreateExpenseInput,
    occurredOn: string,
    id: string,
    rules?: RuleSource,
  ): Promise<NewExpense & { input: CreateExpenseInput }> {
    const filled = rules ? appliedRules(input, await rules(), () => true) : { input };
    const expense = expenseOf(budgetId, userId, filled.input, occurredOn, id, this.deps.clock.now().toISOString());
    return { expense, input: filled.input, ...ruleIds(filled) };
  }

  /** The expense.recorded event of a new expense, naming the rules that renamed and categorized it. */
  recorded(made: NewExpense) {
    const origin = {
      ...(made.ruleId ? { categorizedBy: { ruleId: made.ruleId } } : {}),
      ...(made.renameRuleId ? { renamedBy: { ruleId: made.renameRuleId } } : {}),
    };
    return recordedEvent(made.expense, this.deps.clock, Object.keys(origin).length > 0 ? origin : undefined);
  }
}
