import { createEvent, newId, problems, type Clock, type CursorCodec } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { expenseDeleted, expenseUpdated } from '../events';
import type { Expense } from '../model';
import { ExpenseChangedError, type ExpensesRepository } from '../repository/expenses.repository';
import type { CreateExpenseInput, ListExpensesInput, UpdateExpenseInput } from '../schemas/expenses.schemas';
import { authorize } from './access';
import { checkAgainstBudget } from '../domain/expense-rules';
import { optimistically } from './optimistic';
import { facts, fieldChanges, recordedEvent } from './expense-facts';

export interface ExpensesServiceDeps {
  repository: ExpensesRepository;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

export class ExpensesService {
  constructor(private readonly deps: ExpensesServiceDeps) {}

  /**
   * `reservedId`: the id an Idempotency-Key reserved for this creation. When a first attempt
   * committed and then died before answering, the retry finds that expense and returns it
   * instead of recording the spending twice.
   */
  async create(budgetId: string, userId: string, input: CreateExpenseInput, reservedId?: string): Promise<Expense> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    checkAgainstBudget(access, input);
    const now = this.deps.clock.now();
    const timestamp = now.toISOString();
    const expense: Expense = {
      id: reservedId ?? newId(now.getTime()),
      budgetId,
      amount: input.amount,
      categoryId: input.categoryId ?? null,
      occurredOn: input.occurredOn ?? todayIn(access.timezone, now),
      ...optionalText(input),
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const outcome = await this.deps.repository.create(expense, recordedEvent(expense, this.deps.clock));
    if (outcome === 'created') return expense;
    // Deleted between our authorization and our write: as if it had been gone already.
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    const existing = await this.deps.repository.get(budgetId, expense.id);
    if (!existing || existing.createdBy !== userId) {
      throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
    }
    return existing;
  }

  async get(budgetId: string, userId: string, expenseId: string): Promise<Expense> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.mustGet(budgetId, expenseId);
  }

  async list(budgetId: string, userId: string, query: ListExpensesInput) {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw problems.validation([{ path: 'query.from', message: 'Must be on or before `to`' }]);
    }
    if (query.categoryId !== undefined) checkAgainstBudget(access, { categoryId: query.categoryId }, 'query.categoryId');
    // The cursor is only valid for this budget and these filters (not the page size).
    const binding = JSON.stringify(['expenses', budgetId, query.from ?? null, query.to ?? null, query.categoryId ?? null]);
    const startKey = this.deps.cursors.decode(query.cursor, binding);
    const page = await this.deps.repository.page({
      budgetId,
      from: query.from,
      to: query.to,
      categoryId: query.categoryId,
      limit: query.limit,
      startKey,
    });
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.lastKey, binding) };
  }

  async update(
    budgetId: string,
    userId: string,
    expenseId: string,
    input: UpdateExpenseInput,
    ifMatch: ReadonlySet<number> | undefined,
  ): Promise<Expense> {
    if (Object.keys(input).length === 0) {
      throw problems.validation([{ path: 'body', message: 'Send at least one field to change' }]);
    }
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    checkAgainstBudget(access, input);
    return this.optimistically(budgetId, expenseId, ifMatch, async (current) => {
      const next = applyPatch(current, input, this.deps.clock.now().toISOString());
      const event = createEvent(
        expenseUpdated,
        {
          ...facts(next),
          updatedBy: userId,
          version: next.version,
          previous: { amount: current.amount, categoryId: current.categoryId, occurredOn: current.occurredOn },
          changes: fieldChanges(current, next),
        },
        this.deps.clock,
      );
      await this.deps.repository.replace(current, next, { contract: expenseUpdated, event });
      return next;
    });
  }

  async remove(budgetId: string, userId: string, expenseId: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.optimistically(budgetId, expenseId, ifMatch, async (current) => {
      const event = createEvent(expenseDeleted, { ...facts(current), deletedBy: userId }, this.deps.clock);
      await this.deps.repository.remove(current, { contract: expenseDeleted, event });
    });
  }

  private optimistically<T>(
    budgetId: string,
    expenseId: string,
    ifMatch: ReadonlySet<number> | undefined,
    write: (current: Expense) => Promise<T>,
  ): Promise<T> {
    return optimistically({
      read: () => this.mustGet(budgetId, expenseId),
      ifMatch,
      write,
      lostRace: (err) => err instanceof ExpenseChangedError,
      busyDetail: 'The expense is being changed by others right now; retry.',
    });
  }

  private async mustGet(budgetId: string, expenseId: string): Promise<Expense> {
    const expense = await this.deps.repository.get(budgetId, expenseId);
    if (!expense) throw problems.notFound('Expense not found.');
    return expense;
  }
}

function applyPatch(current: Expense, input: UpdateExpenseInput, now: string): Expense {
  const next: Expense = {
    ...current,
    amount: input.amount ?? current.amount,
    categoryId: input.categoryId === undefined ? current.categoryId : input.categoryId,
    occurredOn: input.occurredOn ?? current.occurredOn,
    version: current.version + 1,
    updatedAt: now,
  };
  for (const field of ['description', 'merchant'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null || value === '') delete next[field];
    else next[field] = value;
  }
  return next;
}

/** description and merchant as stored: absent when empty (after trimming). */
export function optionalText(input: { description?: string; merchant?: string }) {
  return {
    ...(input.description ? { description: input.description } : {}),
    ...(input.merchant ? { merchant: input.merchant } : {}),
  };
}
