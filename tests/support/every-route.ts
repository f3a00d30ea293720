import type { App } from '../../packages/app/src/http/create-app';
import { addExpense, createBudget, type Actor } from './actors';
import { call } from './http';

/** The served OpenAPI document's paths, with operations typed as far as a test reads them. */
export interface OpenApiPaths<Operation> {
  paths: Record<string, Record<string, Operation>>;
}

/**
 * For tests that walk every documented route: a budget of `actor` with one expense, the
 * served OpenAPI document, and `fill(template)`, the path with real ids for the budget, the
 * expense and the user (`unknownId` for reports and recurring expenses, 'x' for anything else).
 */
export async function everyRoute<Operation = unknown>(app: App, actor: Actor, unknownId: string) {
  const budget = await createBudget(app, actor, { name: 'Home', limit: 10_000 });
  const expense = await addExpense(app, actor, budget.id, { amount: 500, occurredOn: '2026-11-20' });
  const ids: Record<string, string> = { budgetId: budget.id, expenseId: expense.id, userId: actor.id, reportId: unknownId, recurringId: unknownId };
  const openapi = (await call(app, 'GET', '/v1/openapi.json')).json as OpenApiPaths<Operation>;
  const fill = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? 'x');
  return { ids, openapi, fill };
}
