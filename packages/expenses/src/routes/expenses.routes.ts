import { bearerSecurity, problemResponses, requireAuth, type PlatformDeps } from '@budgeting/platform';
import { createRoute, z } from '@hono/zod-openapi';
import {
  BudgetParams,
  CreateExpenseBody,
  ExpenseListSchema,
  ExpenseParams,
  ExpenseSchema,
  IdempotencyHeaders,
  IfMatchHeaders,
  ListExpensesQuery,
  UpdateExpenseBody,
} from '../schemas';

/**
 * The expense routes: paths, validation and OpenAPI in one place. Built per system because
 * the auth and idempotency middlewares come from the platform's dependencies.
 */
const TAG = 'Expenses';
const COLLECTION = '/v1/budgets/{budgetId}/expenses';
const ITEM = '/v1/budgets/{budgetId}/expenses/{expenseId}';

const etagHeader = {
  ETag: { description: 'The expense version, for If-Match.', schema: { type: 'string' as const, example: '"1"' } },
};
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

export function expenseRoutes(deps: PlatformDeps) {
  const auth = requireAuth(deps.tokens);

  const createExpense = createRoute({
    method: 'post',
    path: COLLECTION,
    tags: [TAG],
    summary: 'Record an expense',
    description:
      'Owners and editors. `amount` is in minor units of the budget currency; `categoryId` must be one of the budget\'s categories. Send an `Idempotency-Key` so a retry never records it twice.',
    security: bearerSecurity,
    // The key's record commits in the expense's own transaction (see ExpensesService.create).
    middleware: [auth, deps.idempotentWrite] as const,
    request: {
      params: BudgetParams,
      headers: IdempotencyHeaders,
      body: { required: true, content: json(CreateExpenseBody) },
    },
    responses: {
      201: {
        description: 'Recorded (or replayed, with `Idempotent-Replayed: true`)',
        headers: {
          ...etagHeader,
          Location: { description: 'URL of the new expense.', schema: { type: 'string' } },
        },
        content: json(ExpenseSchema),
      },
      ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
    },
  });

  const listExpenses = createRoute({
    method: 'get',
    path: COLLECTION,
    tags: [TAG],
    summary: 'List expenses, newest first',
    description:
      'Newest `occurredOn` first (same day: newest first), optionally within `from`..`to` (inclusive) and one category. `nextCursor` only works with the same budget and filters.',
    security: bearerSecurity,
    middleware: [auth] as const,
    request: { params: BudgetParams, query: ListExpensesQuery },
    responses: {
      200: { description: 'One page of expenses', content: json(ExpenseListSchema) },
      ...problemResponses(400, 401, 404, 503),
    },
  });

  const getExpense = createRoute({
    method: 'get',
    path: ITEM,
    tags: [TAG],
    summary: 'Get an expense',
    security: bearerSecurity,
    middleware: [auth] as const,
    request: { params: ExpenseParams },
    responses: {
      200: { description: 'The expense', headers: etagHeader, content: json(ExpenseSchema) },
      ...problemResponses(400, 401, 404, 503),
    },
  });

  const updateExpense = createRoute({
    method: 'patch',
    path: ITEM,
    tags: [TAG],
    summary: 'Change an expense',
    description:
      'Owners and editors. Send only the fields to change (`null` clears categoryId, description, merchant). With `If-Match`, the change applies only to that version (412 otherwise).',
    security: bearerSecurity,
    middleware: [auth] as const,
    request: {
      params: ExpenseParams,
      headers: IfMatchHeaders,
      body: { required: true, content: json(UpdateExpenseBody) },
    },
    responses: {
      200: { description: 'The changed expense', headers: etagHeader, content: json(ExpenseSchema) },
      ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503),
    },
  });

  const deleteExpense = createRoute({
    method: 'delete',
    path: ITEM,
    tags: [TAG],
    summary: 'Delete an expense',
    description: 'Owners and editors. With `If-Match`, deletes only that version (412 otherwise).',
    security: bearerSecurity,
    middleware: [auth] as const,
    request: { params: ExpenseParams, headers: IfMatchHeaders },
    responses: {
      204: { description: 'Deleted' },
      ...problemResponses(400, 401, 403, 404, 409, 412, 503),
    },
  });

  return { createExpense, listExpenses, getExpense, updateExpense, deleteExpense };
}
