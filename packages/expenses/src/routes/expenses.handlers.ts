import { etagFor, expectedVersion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Expense } from '../model';
import { KEY_ALREADY_USED, type ExpensesService } from '../service/expenses.service';
import type * as routes from './expenses.routes';

/** Handlers: take the validated input, call the service, shape the HTTP response. */
// The list, get, update and delete handlers take the same steps as recurring.handlers.ts
// (the two resources keep one contract, budget-resource.ts), but each is typed by its
// own route constant (its id parameter, its body): a shared generic would need every route's
// type as a parameter to save a few lines a handler. The create differs (the answer is
// stored in the expense's own transaction).
export function expensesHandlers(service: ExpensesService) {
  const createExpense: RouteHandler<typeof routes.createExpense, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const location = (e: Expense) => `/v1/budgets/${encodeURIComponent(budgetId)}/expenses/${e.id}`;
    // With an Idempotency-Key, the answer is stored in the expense's own transaction.
    const key = c.get('idempotentWrite');
    const record =
      key &&
      ((e: Expense) =>
        key.record({
          status: 201,
          headers: { 'content-type': 'application/json', etag: etagFor(e.version), location: location(e) },
          body: JSON.stringify(present(e)),
        }));
    const expense = await service.create(budgetId, c.get('userId'), c.req.valid('json'), record);
    // The stored answer of this very route (201, an ExpenseSchema body), as the first attempt gave it.
    if (expense === KEY_ALREADY_USED) return (await key!.replay()) as never;
    setEtag(c, expense.version);
    c.header('Location', location(expense));
    return c.json(present(expense), 201);
  };

  const listExpenses: RouteHandler<typeof routes.listExpenses, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const page = await service.list(budgetId, c.get('userId'), c.req.valid('query'));
    return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
  };

  const getExpense: RouteHandler<typeof routes.getExpense, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    const expense = await service.get(budgetId, c.get('userId'), expenseId);
    setEtag(c, expense.version);
    return c.json(present(expense), 200);
  };

  const updateExpense: RouteHandler<typeof routes.updateExpense, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    const ifMatch = expectedVersion(c);
    const expense = await service.update(budgetId, c.get('userId'), expenseId, c.req.valid('json'), ifMatch);
    setEtag(c, expense.version);
    return c.json(present(expense), 200);
  };

  const deleteExpense: RouteHandler<typeof routes.deleteExpense, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    await service.remove(budgetId, c.get('userId'), expenseId, expectedVersion(c));
    return c.body(null, 204);
  };

  return { createExpense, listExpenses, getExpense, updateExpense, deleteExpense };
}

/** The API shape: exactly the Expense schema's fields (no keys or bookkeeping). */
export function present(e: Expense) {
  return pickFields(e, PUBLIC_FIELDS);
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'categoryId', 'occurredOn', 'description', 'merchant', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
