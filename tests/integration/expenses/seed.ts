import type { Expense } from '@budgeting/expenses';
import { ExpensesRepository } from '../../../packages/expenses/src/repository/expenses.repository';
import { RulesRepository } from '../../../packages/expenses/src/repository/rules.repository';
import { TotalsRepository } from '../../../packages/expenses/src/repository/totals.repository';
import type { CreateExpenseInput } from '../../../packages/expenses/src/schemas/expenses.schemas';
import { ExpensesService } from '../../../packages/expenses/src/service/expenses.service';
import type { Budget, Harness, User } from './harness';

/**
 * Records many expenses quickly: the same service call (authorization by the real budgets
 * facade, the same transaction with running totals and outbox) that POST /expenses makes,
 * minus HTTP, in parallel batches. For tests that need thousands of expenses.
 */
export async function seedExpenses(h: Harness, budget: Budget, who: User, bodies: CreateExpenseInput[], concurrency = 25) {
  const deps = h.t.system.deps;
  const store = deps.storeFor('expenses');
  const service = new ExpensesService({
    repository: new ExpensesRepository(store, new TotalsRepository(store)),
    rules: new RulesRepository(store),
    budgets: h.t.system.facades.budgets,
    clock: deps.clock,
    cursors: deps.cursors,
  });
  const created: Expense[] = [];
  for (let i = 0; i < bodies.length; i += concurrency) {
    created.push(...(await Promise.all(bodies.slice(i, i + concurrency).map((b) => service.create(budget.id, who.id, b)))));
  }
  return created;
}

/** YYYY-MM-DD `n` days after `date`. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
