import { ProblemError, addDays, newId, problems, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { inRuleOrder, ruleMatches } from '../domain/categorization';
import { todayIn } from '../domain/dates';
import { SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { checkAgainstBudget, requireAChange } from '../domain/expense-rules';
import { patchTags, tagsField } from '../domain/tags';
import type { AmountRange, CategorizationRule, MerchantMatch } from '../model';
import { RuleChangedError, type RulesRepository } from '../repository/rules.repository';
import {
  PREVIEW_DEFAULT_DAYS,
  PREVIEW_MAX_MATCHES,
  type CreateRuleInput,
  type ListRulesInput,
  type PreviewRuleInput,
  type UpdateRuleInput,
} from '../schemas/rules.schemas';
import { authorize } from './access';
import { optimistically } from './optimistic';

export interface RulesServiceDeps {
  repository: RulesRepository;
  /** The preview's read of a range's expenses (the spending breakdown's bounded walk). */
  expenses: Pick<ExpensesRepository, 'ruleCandidates'>;
  budgets: BudgetsFacade;
  clock: Clock;
}

/**
 * CRUD of a budget's categorization rules (domain/categorization.ts), which may also rename
 * the merchant of new expenses (`renameTo`). Managed by whoever may
 * edit the budget's categories (the owner: access.ts 'categories'); listed and read by any
 * member. A rule's category must be one of the budget's when it is set (a 400 naming
 * `categoryId`, as an expense write's); one removed later stays on the rule, which is then
 * passed over when expenses are recorded. No events: rules are settings, like recurring
 * definitions, whose changes publish none either.
 */
/** A preview's answer (RulePreviewSchema). */
export interface RulePreview {
  from: string;
  to: string;
  matches: { id: string; occurredOn: string; merchant: string; amount: number; categoryId: string | null }[];
  more: boolean;
}

export class RulesService {
  private readonly previewMaxExpenses: number;

  constructor(
    private readonly deps: RulesServiceDeps,
    /** Expenses a preview examines at most (tests lower it; production passes nothing: SPENDING_MAX_EXPENSES). */
    previewMaxExpenses?: number,
  ) {
    this.previewMaxExpenses = previewMaxExpenses ?? SPENDING_MAX_EXPENSES;
  }

  /**
   * POST .../rules/preview (Firefly III's "test rule"): which expenses of the range (default the
   * last 30 days, today in the budget's time zone included) the rule's conditions match, newest
   * first, at most PREVIEW_MAX_MATCHES and `more`. Whoever may create the rule (the owner), with
   * the create's checks (its category one of the budget's). Writes nothing. Reads the access
   * BatchGetItem, then the range through the date index, as the spending breakdown: at most
   * `previewMaxExpenses` + 1 expenses, a range holding more is a 422 naming `from`. Every
   * expense of the range with a merchant is tested, whatever its category (a rule applies to
   * new expenses only; the preview shows what its conditions catch).
   */
  async preview(budgetId: string, userId: string, input: PreviewRuleInput): Promise<RulePreview> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories');
    if (input.rule.categoryId !== undefined) checkAgainstBudget(access, { categoryId: input.rule.categoryId }, 'rule.categoryId');
    const today = todayIn(access.timezone, this.deps.clock.now());
    const from = input.from ?? addDays(today, -(PREVIEW_DEFAULT_DAYS - 1));
    const to = input.to ?? today;
    const conditions = { merchant: merchantOf(input.rule.merchant), ...conditionsOf(input.rule) };
    const matches: RulePreview['matches'] = [];
    let more = false;
    const read = await this.deps.expenses.ruleCandidates(budgetId, from, to, this.previewMaxExpenses, (rows) => {
      for (const row of rows) {
        if (row.merchant === undefined || !ruleMatches(conditions, { merchant: row.merchant, amount: row.amount, description: row.description })) continue;
        if (matches.length === PREVIEW_MAX_MATCHES) {
          more = true;
          continue;
        }
        matches.push({ id: row.id, occurredOn: row.occurredOn, merchant: row.merchant, amount: row.amount, categoryId: row.categoryId });
      }
    });
    if (read.tooMany) {
      const message = `More than ${this.previewMaxExpenses.toLocaleString('en-US')} expenses fall in this range; ask for a shorter one`;
      throw new ProblemError(422, 'unprocessable', 'Unprocessable request', 'Too many expenses in the range for one preview; narrow the range.', {
        errors: [{ path: 'from', message }],
      });
    }
    return { from, to, matches, more };
  }

  async create(budgetId: string, userId: string, input: CreateRuleInput, reservedId?: string): Promise<CategorizationRule> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories');
    if (input.categoryId !== undefined) checkAgainstBudget(access, { categoryId: input.categoryId });
    const timestamp = this.deps.clock.now().toISOString();
    const rule: CategorizationRule = {
      id: reservedId ?? newId(this.deps.clock.now().getTime()),
      budgetId,
      merchant: merchantOf(input.merchant),
      ...conditionsOf(input),
      ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
      ...(input.renameTo !== undefined ? { renameTo: input.renameTo } : {}),
      ...tagsField(input.tags),
      position: input.position ?? 0,
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const outcome = await this.deps.repository.create(rule);
    if (outcome === 'created') return rule;
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    if (outcome === 'full') {
      throw problems.conflict(`A budget can have at most ${this.deps.repository.maxPerBudget} categorization rules; delete one first.`);
    }
    const existing = await this.deps.repository.get(budgetId, rule.id);
    if (!existing || existing.createdBy !== userId) {
      throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
    }
    return existing;
  }

  async get(budgetId: string, userId: string, id: string): Promise<CategorizationRule> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.mustGet(budgetId, id);
  }

  /** Every rule, in the order they are tried (one page: the cap bounds them). */
  async list(budgetId: string, userId: string, _query: ListRulesInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return { items: inRuleOrder(await this.deps.repository.all(budgetId)), nextCursor: null };
  }

  async update(budgetId: string, userId: string, id: string, input: UpdateRuleInput, ifMatch: ReadonlySet<number> | undefined): Promise<CategorizationRule> {
    requireAChange(input);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories');
    if (input.categoryId !== undefined && input.categoryId !== null) checkAgainstBudget(access, { categoryId: input.categoryId });
    return this.optimistically(budgetId, id, ifMatch, async (current) => {
      const next: CategorizationRule = {
        ...current,
        ...(input.merchant ? { merchant: merchantOf(input.merchant) } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        version: current.version + 1,
        updatedAt: this.deps.clock.now().toISOString(),
      };
      // null clears: the field is left out of the rule.
      if (input.categoryId === null) delete next.categoryId;
      else if (input.categoryId !== undefined) next.categoryId = input.categoryId;
      if (input.renameTo === null) delete next.renameTo;
      else if (input.renameTo !== undefined) next.renameTo = input.renameTo;
      if (input.amount === null) delete next.amount;
      else if (input.amount !== undefined) next.amount = amountOf(input.amount);
      if (input.description === null) delete next.description;
      else if (input.description !== undefined) next.description = { contains: input.description.contains };
      if (next.categoryId === undefined && next.renameTo === undefined) {
        throw problems.validation([{ path: 'categoryId', message: 'A rule needs a categoryId, a renameTo, or both' }], 'The change would leave the rule with neither a category nor a rename.');
      }
      patchTags(next, input.tags);
      await this.deps.repository.replace(current, next);
      return next;
    });
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'categories');
    await this.optimistically(budgetId, id, ifMatch, (current) => this.deps.repository.remove(current));
  }

  /** As for expenses (see optimistic.ts): a lost race is re-read; If-Match is checked on every read. */
  private optimistically<T>(budgetId: string, id: string, ifMatch: ReadonlySet<number> | undefined, write: (current: CategorizationRule) => Promise<T>): Promise<T> {
    return optimistically({
      read: () => this.mustGet(budgetId, id),
      ifMatch,
      write,
      lostRace: (err) => err instanceof RuleChangedError,
      busyDetail: 'The rule is being changed by others right now; retry.',
    });
  }

  private async mustGet(budgetId: string, id: string): Promise<CategorizationRule> {
    const found = await this.deps.repository.get(budgetId, id);
    if (!found) throw problems.notFound('Rule not found.');
    return found;
  }
}

function merchantOf(m: { equals?: string; contains?: string }): MerchantMatch {
  return m.equals !== undefined ? { equals: m.equals } : { contains: m.contains! };
}

/** Only the bounds sent (an absent bound is no bound). */
function amountOf(a: { min?: number; max?: number }): AmountRange {
  return { ...(a.min !== undefined ? { min: a.min } : {}), ...(a.max !== undefined ? { max: a.max } : {}) };
}

/** A create's (or a preview's) optional conditions, as stored: absent when not sent. */
export function conditionsOf(input: { amount?: { min?: number; max?: number }; description?: { contains: string } }): Pick<CategorizationRule, 'amount' | 'description'> {
  return {
    ...(input.amount !== undefined ? { amount: amountOf(input.amount) } : {}),
    ...(input.description !== undefined ? { description: { contains: input.description.contains } } : {}),
  };
}
