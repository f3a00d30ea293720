import { etagFor, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Expense } from '../model';
import { KEY_ALREADY_USED, type ExpensesService } from '../service/expenses.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import type { expenseRoutes } from './expenses.routes';

/**
 * Handlers: take the validated input, call the service, shape the HTTP response. The list, get,
 * update and delete handlers are the ones every budget resource shares (budget-resource.ts);
 * the create is this resource's own: the Idempotency-Key answer is stored in the expense's own
 * transaction.
 */
export function expensesHandlers(service: ExpensesService) {
  const createExpense: RouteHandler<typeof expenseRoutes.create, AppEnv> = async (c) => {
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

  const shared: BudgetResourceHandlers<typeof expenseRoutes> = budgetResourceHandlers('expenseId', service, present);
  return { create: createExpense, ...shared };
}

/** The API shape: exactly the Expense schema's fields (no keys or bookkeeping). */
export function present(e: Expense) {
  return pickFields(e, PUBLIC_FIELDS);
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'categoryId', 'occurredOn', 'description', 'merchant', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
