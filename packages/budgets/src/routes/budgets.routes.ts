import { bearerSecurity, etagHeader, jsonBody, jsonResponse, locationHeader, paginationQuery, problemResponses } from '@budgeting/platform';
import { createRoute, z } from '@hono/zod-openapi';
import { BudgetListSchema, BudgetSchema, CreateBudgetBody, UpdateBudgetBody } from '../schemas/budgets.schemas';
import { BudgetIdParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/common.schemas';

/** Budget CRUD. Visibility: members only (404 for anyone else); writes: the owner (403). */
const tags = ['budgets'];

export const createBudgetRoute = createRoute({
  method: 'post',
  path: '/v1/budgets',
  tags,
  summary: 'Create a budget (you become its owner)',
  description:
    'Categories get server ids. Retry safely with `Idempotency-Key`: the same key and body within 24 h replay ' +
    'the first response (`Idempotent-Replayed: true`), another body is a 422, a request still running a 409.',
  security: bearerSecurity,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(CreateBudgetBody),
  },
  responses: {
    201: { ...jsonResponse(BudgetSchema, 'The new budget'), headers: { ...etagHeader, ...locationHeader } },
    ...problemResponses(400, 401, 409, 413, 415, 422),
  },
});

export const listBudgetsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets',
  tags,
  summary: 'List the budgets you own or are a member of',
  description:
    'Oldest first, paginated. Each budget carries your `role` in it. The list is read from an index, so a ' +
    'budget created or shared a moment ago can take a moment to appear (GET /v1/budgets/{budgetId} sees it at once).',
  security: bearerSecurity,
  request: { query: z.strictObject(paginationQuery) },
  responses: {
    200: jsonResponse(BudgetListSchema, 'A page of budgets'),
    ...problemResponses(400, 401),
  },
});

export const getBudgetRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}',
  tags,
  summary: 'Get a budget',
  security: bearerSecurity,
  request: { params: BudgetIdParams },
  responses: {
    200: { ...jsonResponse(BudgetSchema, 'The budget'), headers: etagHeader },
    ...problemResponses(401, 404),
  },
});

export const updateBudgetRoute = createRoute({
  method: 'patch',
  path: '/v1/budgets/{budgetId}',
  tags,
  summary: "Change a budget's settings (owner)",
  description:
    'Only the fields sent change. Send `If-Match` with the ETag you read to refuse (412) overwriting a change ' +
    'you have not seen. The currency cannot change. Removing a category keeps its expenses: they count as ' +
    'uncategorized from then on.',
  security: bearerSecurity,
  request: {
    params: BudgetIdParams,
    headers: IfMatchHeaders,
    body: jsonBody(UpdateBudgetBody),
  },
  responses: {
    200: { ...jsonResponse(BudgetSchema, 'The changed budget'), headers: etagHeader },
    ...problemResponses(400, 401, 403, 404, 409, 412, 415),
  },
});

export const deleteBudgetRoute = createRoute({
  method: 'delete',
  path: '/v1/budgets/{budgetId}',
  tags,
  summary: 'Delete a budget with its members and expenses (owner)',
  security: bearerSecurity,
  request: { params: BudgetIdParams, headers: IfMatchHeaders },
  responses: {
    204: { description: 'Deleted' },
    ...problemResponses(400, 401, 403, 404, 409, 412),
  },
});
