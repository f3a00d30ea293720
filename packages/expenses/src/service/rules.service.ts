import { newId, problems, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { inRuleOrder } from '../domain/categorization';
import { checkAgainstBudget, requireAChange } from '../domain/expense-rules';
import { patchTags, tagsField } from '../domain/tags';
import type { CategorizationRule } from '../model';
import { RuleChangedError, type RulesRepository } from '../repository/rules.repository';
import type { CreateRuleInput, ListRulesInput, UpdateRuleInput } from '../schemas/rules.schemas';
import { authorize } from './access';
import { optimistically } from './optimistic';

export interface RulesServiceDeps {
  repository: RulesRepository;
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
export class RulesService {
  constructor(private readonly deps: RulesServiceDeps) {}

  async create(budgetId: string, userId: string, input: CreateRuleInput, reservedId?: string): Promise<CategorizationRule> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'categories');
    if (input.categoryId !== undefined) checkAgainstBudget(access, { categoryId: input.categoryId });
    const timestamp = this.deps.clock.now().toISOString();
    const rule: CategorizationRule = {
      id: reservedId ?? newId(this.deps.clock.now().getTime()),
      budgetId,
      merchant: input.merchant.equals !== undefined ? { equals: input.merchant.equals } : { contains: input.merchant.contains! },
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
        ...(input.merchant ? { merchant: input.merchant.equals !== undefined ? { equals: input.merchant.equals } : { contains: input.merchant.contains! } } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        version: current.version + 1,
        updatedAt: this.deps.clock.now().toISOString(),
      };
      // null clears: the field is left out of the rule.
      if (input.categoryId === null) delete next.categoryId;
      else if (input.categoryId !== undefined) next.categoryId = input.categoryId;
      if (input.renameTo === null) delete next.renameTo;
      else if (input.renameTo !== undefined) next.renameTo = input.renameTo;
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
