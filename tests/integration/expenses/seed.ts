import type { Expense } from '@budgeting/expenses';
import { ExpensesRepository } from '../../../packages/expenses/src/repository/expenses.repository';
import { ExpenseQueries } from '../../../packages/expenses/src/repository/expense-queries.repository';
import { RulesRepository } from '../../../packages/expenses/src/repository/rules.repository';
import { TotalsRepository } from '../../../packages/expenses/src/repository/totals.repository';
import type { CreateExpenseInput } from '../../../packages/expenses/src/schemas/expenses.schemas';
import { ExpensesService } from '../../../packages/expenses/src/service/expenses.service';
import { expect } from 'vitest';
import { partition } from '../jobs/seed';
import type { Budget, Harness, User } from './harness';

/**
 * Records many expenses quickly: the same service call (authorization by the real budgets
 * facade, the same transaction with running totals and outbox) that POST /expenses makes,
 * minus HTTP, in parallel batches: a transaction per expense (about 13 ms each on DynamoDB
 * Local). For many expenses with splits or tags, which a CSV file cannot carry; plain ones
 * are faster through importExpenses.
 */
export async function seedExpenses(h: Pick<Harness, 't'>, budget: Budget, who: User, bodies: CreateExpenseInput[], concurrency = 25) {
  const deps = h.t.system.deps;
  const store = deps.storeFor('expenses');
  const repository = new ExpensesRepository(store, new TotalsRepository(store));
  const service = new ExpensesService({
    repository,
    queries: new ExpenseQueries(store, repository.changes),
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

/** What importExpenses can record: the CSV import's columns. */
export interface ImportedBody {
  amount: number;
  occurredOn: string;
  categoryId: string | null;
  description?: string;
  merchant?: string;
}

/**
 * Records many expenses in ONE request: a CSV import (POST .../expenses/import) as `who`,
 * which the test system works inline (no job queue), so the items are the app's own (the
 * expenses, their running totals and change entries, about 32 to a transaction: several
 * times faster than a transaction per expense). For tests that need thousands of expenses
 * of plain fields and are not about the create path. Rows of equal values in one file are
 * all recorded (a row's fingerprint counts its occurrence in the file).
 */
export async function importExpenses(h: Harness, budget: Budget, who: User, bodies: ImportedBody[]): Promise<void> {
  const names = new Map(budget.categories.map((c) => [c.id, c.name]));
  const cell = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const lines = bodies.map((b) =>
    [b.occurredOn, money(b.amount), b.categoryId === null ? '' : names.get(b.categoryId)!, b.description ?? '', b.merchant ?? ''].map(cell).join(','),
  );
  const res = await h.call('POST', `/v1/budgets/${budget.id}/expenses/import`, {
    token: who.token,
    rawBody: `date,amount,category,description,merchant\n${lines.join('\n')}\n`,
    headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.json).toMatchObject({ status: 'succeeded', imported: bodies.length, duplicates: 0, errorCount: 0 });
}

/** Every stored expense of a budget, read from its partition of the table (not through the list under test). */
export async function storedExpenses(h: Harness, budget: Budget): Promise<Expense[]> {
  return (await partition(h.t, `expenses#budget#${budget.id}`)).filter((i) => i.kind === 'expense') as Expense[];
}

/** YYYY-MM-DD `n` days after `date`. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
