import { bearerSecurity, etagHeader, jsonBody, jsonContent, problemResponses } from '@budgeting/platform';
import { createRoute } from '@hono/zod-openapi';
import {
  CreateRecurringExpenseBody,
  ListRecurringQuery,
  RecurringExpenseListSchema,
  RecurringExpenseSchema,
  RecurringParams,
  UpdateRecurringExpenseBody,
} from '../schemas/recurring.schemas';
import { BudgetParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/expenses.schemas';

/** The recurring-expense routes: paths, validation and OpenAPI in one place. */
const TAG = 'Recurring expenses';
const COLLECTION = '/v1/budgets/{budgetId}/recurring-expenses';
const ITEM = '/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}';

export const createRecurring = createRoute({
  method: 'post',
  path: COLLECTION,
  tags: [TAG],
  summary: 'Set up a recurring expense',
  description:
    "Owners and editors. An expense of `amount` is recorded on every occurrence of `schedule` (by a scheduled job, in the budget's time zone, each occurrence exactly once), created by the caller. The first is the first occurrence on or after today: a `startsOn` in the past anchors the schedule but is not back-filled. Send an `Idempotency-Key` so a retry never sets it up twice.",
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    headers: IdempotencyHeaders,
    body: jsonBody(CreateRecurringExpenseBody),
  },
  responses: {
    201: {
      description: 'Set up (or replayed, with `Idempotent-Replayed: true`)',
      headers: { ...etagHeader, Location: { description: 'URL of the new recurring expense.', schema: { type: 'string' } } },
      content: jsonContent(RecurringExpenseSchema),
    },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
  },
});

export const listRecurring = createRoute({
  method: 'get',
  path: COLLECTION,
  tags: [TAG],
  summary: "List a budget's recurring expenses, oldest first",
  security: bearerSecurity,
  request: { params: BudgetParams, query: ListRecurringQuery },
  responses: {
    200: { description: 'One page of recurring expenses', content: jsonContent(RecurringExpenseListSchema) },
    ...problemResponses(400, 401, 404, 503),
  },
});

export const getRecurring = createRoute({
  method: 'get',
  path: ITEM,
  tags: [TAG],
  summary: 'Get a recurring expense',
  security: bearerSecurity,
  request: { params: RecurringParams },
  responses: {
    200: { description: 'The recurring expense', headers: etagHeader, content: jsonContent(RecurringExpenseSchema) },
    ...problemResponses(400, 401, 404, 503),
  },
});

export const updateRecurring = createRoute({
  method: 'patch',
  path: ITEM,
  tags: [TAG],
  summary: 'Change a recurring expense',
  description:
    "Owners and editors. Send only the fields to change (`null` clears categoryId, description, merchant, schedule.endsOn). Expenses already recorded are not changed. A changed schedule continues from today in the budget's time zone. With `If-Match`, the change applies only to that version (412 otherwise).",
  security: bearerSecurity,
  request: {
    params: RecurringParams,
    headers: IfMatchHeaders,
    body: jsonBody(UpdateRecurringExpenseBody),
  },
  responses: {
    200: { description: 'The changed recurring expense', headers: etagHeader, content: jsonContent(RecurringExpenseSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503),
  },
});

export const deleteRecurring = createRoute({
  method: 'delete',
  path: ITEM,
  tags: [TAG],
  summary: 'Stop and delete a recurring expense',
  description: 'Owners and editors. Expenses already recorded stay. With `If-Match`, deletes only that version (412 otherwise).',
  security: bearerSecurity,
  request: { params: RecurringParams, headers: IfMatchHeaders },
  responses: {
    204: { description: 'Deleted' },
    ...problemResponses(400, 401, 403, 404, 409, 412, 503),
  },
});

