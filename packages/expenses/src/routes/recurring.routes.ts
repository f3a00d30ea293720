import { bearerSecurity, problemResponses, requireAuth, type PlatformDeps } from '@budgeting/platform';
import { createRoute, z } from '@hono/zod-openapi';
import {
  CreateRecurringExpenseBody,
  ListRecurringQuery,
  RecurringExpenseListSchema,
  RecurringExpenseSchema,
  RecurringParams,
  UpdateRecurringExpenseBody,
} from '../recurring.schemas';
import { BudgetParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas';

/** The recurring-expense routes: paths, validation and OpenAPI in one place. */
const TAG = 'Recurring expenses';
const COLLECTION = '/v1/budgets/{budgetId}/recurring-expenses';
const ITEM = '/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}';

const etagHeader = {
  ETag: { description: 'The recurring expense version, for If-Match.', schema: { type: 'string' as const, example: '"1"' } },
};
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

export function recurringRoutes(deps: PlatformDeps) {
  const auth = requireAuth(deps.tokens);

  const createRecurring = createRoute({
    method: 'post',
    path: COLLECTION,
    operationId: 'createRecurringExpense',
    tags: [TAG],
    summary: 'Set up a recurring expense',
    description:
      "Owners and editors. An expense of `amount` is recorded on every occurrence of `schedule` (by a scheduled job, in the budget's time zone, each occurrence exactly once), created by the caller. The first is the first occurrence on or after today: a `startsOn` in the past anchors the schedule but is not back-filled. Send an `Idempotency-Key` so a retry never sets it up twice.",
    security: bearerSecurity,
    middleware: [auth, deps.idempotent] as const,
    request: {
      params: BudgetParams,
      headers: IdempotencyHeaders,
      body: { required: true, content: json(CreateRecurringExpenseBody) },
    },
    responses: {
      201: {
        description: 'Set up (or replayed, with `Idempotent-Replayed: true`)',
        headers: { ...etagHeader, Location: { description: 'URL of the new recurring expense.', schema: { type: 'string' } } },
        content: json(RecurringExpenseSchema),
      },
      ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
    },
  });

  const listRecurring = createRoute({
    method: 'get',
    path: COLLECTION,
    operationId: 'listRecurringExpenses',
    tags: [TAG],
    summary: "List a budget's recurring expenses, oldest first",
    security: bearerSecurity,
    middleware: [auth] as const,
    request: { params: BudgetParams, query: ListRecurringQuery },
    responses: {
      200: { description: 'One page of recurring expenses', content: json(RecurringExpenseListSchema) },
      ...problemResponses(400, 401, 404, 503),
    },
  });

  const getRecurring = createRoute({
    method: 'get',
    path: ITEM,
    operationId: 'getRecurringExpense',
    tags: [TAG],
    summary: 'Get a recurring expense',
    security: bearerSecurity,
    middleware: [auth] as const,
    request: { params: RecurringParams },
    responses: {
      200: { description: 'The recurring expense', headers: etagHeader, content: json(RecurringExpenseSchema) },
      ...problemResponses(400, 401, 404, 503),
    },
  });

  const updateRecurring = createRoute({
    method: 'patch',
    path: ITEM,
    operationId: 'updateRecurringExpense',
    tags: [TAG],
    summary: 'Change a recurring expense',
    description:
      "Owners and editors. Send only the fields to change (`null` clears categoryId, description, merchant, schedule.endsOn). Expenses already recorded are not changed. A changed schedule continues from today in the budget's time zone. With `If-Match`, the change applies only to that version (412 otherwise).",
    security: bearerSecurity,
    middleware: [auth] as const,
    request: {
      params: RecurringParams,
      headers: IfMatchHeaders,
      body: { required: true, content: json(UpdateRecurringExpenseBody) },
    },
    responses: {
      200: { description: 'The changed recurring expense', headers: etagHeader, content: json(RecurringExpenseSchema) },
      ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503),
    },
  });

  const deleteRecurring = createRoute({
    method: 'delete',
    path: ITEM,
    operationId: 'deleteRecurringExpense',
    tags: [TAG],
    summary: 'Stop and delete a recurring expense',
    description: 'Owners and editors. Expenses already recorded stay. With `If-Match`, deletes only that version (412 otherwise).',
    security: bearerSecurity,
    middleware: [auth] as const,
    request: { params: RecurringParams, headers: IfMatchHeaders },
    responses: {
      204: { description: 'Deleted' },
      ...problemResponses(400, 401, 403, 404, 409, 412, 503),
    },
  });

  return { createRecurring, listRecurring, getRecurring, updateRecurring, deleteRecurring };
}
