import { bearerSecurity, etagHeader, jsonBody, jsonContent, problemResponses } from '@budgeting/platform';
import { createRoute } from '@hono/zod-openapi';
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
} from '../schemas/expenses.schemas';

/**
 * The expense routes: paths, validation and OpenAPI in one place (routes/index.ts attaches
 * authentication and Idempotency-Key).
 */
const TAG = 'Expenses';
const COLLECTION = '/v1/budgets/{budgetId}/expenses';
const ITEM = '/v1/budgets/{budgetId}/expenses/{expenseId}';

export const createExpense = createRoute({
  method: 'post',
  path: COLLECTION,
  tags: [TAG],
  summary: 'Record an expense',
  description:
    'Owners and editors. `amount` is in minor units of the budget currency; `categoryId` must be one of the budget\'s categories. Send an `Idempotency-Key` so a retry never records it twice.',
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    headers: IdempotencyHeaders,
    body: jsonBody(CreateExpenseBody),
  },
  responses: {
    201: {
      description: 'Recorded (or replayed, with `Idempotent-Replayed: true`)',
      headers: {
        ...etagHeader,
        Location: { description: 'URL of the new expense.', schema: { type: 'string' } },
      },
      content: jsonContent(ExpenseSchema),
    },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
  },
});

export const listExpenses = createRoute({
  method: 'get',
  path: COLLECTION,
  tags: [TAG],
  summary: 'List expenses, newest first',
  description:
    'Newest `occurredOn` first (same day: newest first), optionally within `from`..`to` (inclusive) and one category. `nextCursor` only works with the same budget and filters.',
  security: bearerSecurity,
  request: { params: BudgetParams, query: ListExpensesQuery },
  responses: {
    200: { description: 'One page of expenses', content: jsonContent(ExpenseListSchema) },
    ...problemResponses(400, 401, 404, 503),
  },
});

export const getExpense = createRoute({
  method: 'get',
  path: ITEM,
  tags: [TAG],
  summary: 'Get an expense',
  security: bearerSecurity,
  request: { params: ExpenseParams },
  responses: {
    200: { description: 'The expense', headers: etagHeader, content: jsonContent(ExpenseSchema) },
    ...problemResponses(400, 401, 404, 503),
  },
});

export const updateExpense = createRoute({
  method: 'patch',
  path: ITEM,
  tags: [TAG],
  summary: 'Change an expense',
  description:
    'Owners and editors. Send only the fields to change (`null` clears categoryId, description, merchant). With `If-Match`, the change applies only to that version (412 otherwise).',
  security: bearerSecurity,
  request: {
    params: ExpenseParams,
    headers: IfMatchHeaders,
    body: jsonBody(UpdateExpenseBody),
  },
  responses: {
    200: { description: 'The changed expense', headers: etagHeader, content: jsonContent(ExpenseSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503),
  },
});

export const deleteExpense = createRoute({
  method: 'delete',
  path: ITEM,
  tags: [TAG],
  summary: 'Delete an expense',
  description: 'Owners and editors. With `If-Match`, deletes only that version (412 otherwise).',
  security: bearerSecurity,
  request: { params: ExpenseParams, headers: IfMatchHeaders },
  responses: {
    204: { description: 'Deleted' },
    ...problemResponses(400, 401, 403, 404, 409, 412, 503),
  },
});

