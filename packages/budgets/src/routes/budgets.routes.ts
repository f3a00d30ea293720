import { bearerSecurity, etagHeader, jsonBody, jsonResponse, limitReachedResponse, locationHeader, paginationQuery, problemResponses, versionedItemRoutes } from '@budgeting/platform/routes';
import { createRoute, z } from '@hono/zod-openapi';
import { BudgetListSchema, BudgetSchema, ListBudgetsArchivedQuery, ClearPeriodLimitsQuery, CreateBudgetBody, MoveMoneyBody, SetPeriodLimitBody, UpdateBudgetBody } from '../schemas/budgets.schemas';
import { BudgetIdParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/common.schemas';
import { MAX_OWNED_BUDGETS } from '../model';

/** Budget CRUD. Visibility: members only (404 for anyone else); writes: the owner (403). */
const tags = ['budgets'];

export const createBudgetRoute = createRoute({
  method: 'post',
  path: '/v1/budgets',
  operationId: 'createBudget',
  tags,
  summary: 'Create a budget (you become its owner)',
  description:
    'Categories get server ids. Retry safely with `Idempotency-Key`: the same key and body within 24 h replay ' +
    'the first response (`Idempotent-Replayed: true`), another body is a 422, a request still running a 409. ' +
    `An account owns at most ${MAX_OWNED_BUDGETS} budgets, archived ones included: one more is a 409 \`limit-reached\` (\`limit\` ${MAX_OWNED_BUDGETS}, \`collection\` budgets; delete one first).`,
  security: bearerSecurity,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(CreateBudgetBody),
  },
  responses: {
    201: { ...jsonResponse(BudgetSchema, 'The new budget'), headers: { ...etagHeader, ...locationHeader } },
    ...problemResponses(400, 401, 409, 413, 415, 422),
    409: limitReachedResponse(
      { collection: 'budgets', limit: MAX_OWNED_BUDGETS, detail: `An account can own at most ${MAX_OWNED_BUDGETS} budgets (archived ones included); delete one first.` },
      '`conflict` when the Idempotency-Key is in use',
    ),
  },
});

export const listBudgetsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets',
  operationId: 'listBudgets',
  tags,
  summary: 'List the budgets you own or are a member of',
  description:
    'Oldest first, paginated. Each budget carries your `role` in it. The list is read from an index, so a ' +
    'budget created or shared a moment ago can take a moment to appear (GET /v1/budgets/{budgetId} sees it at once). ' +
    'Active budgets only; `archived=true` lists only the archived ones (a cursor pages the list it came from).',
  security: bearerSecurity,
  request: { query: z.strictObject({ ...paginationQuery, archived: ListBudgetsArchivedQuery }) },
  responses: {
    200: jsonResponse(BudgetListSchema, 'A page of budgets'),
    ...problemResponses(400, 401),
  },
});

/** GET, PATCH and DELETE of one budget: ETag and If-Match as for every versioned item. */
const item = versionedItemRoutes({
  tags,
  path: '/v1/budgets/{budgetId}',
  params: BudgetIdParams,
  ifMatch: IfMatchHeaders,
  item: BudgetSchema,
  update: UpdateBudgetBody,
  get: {
    operationId: 'getBudget',
    summary: 'Get a budget',
    description:
      'The budget as the caller sees it, `role` included. An editor\'s or a viewer\'s `ETag` names that role too (`"7-viewer"`): ' +
      'the owner changes it without a new budget version, so after a role change `If-None-Match` with the old ETag gets the 200 ' +
      'with the new role, never a 304. `If-Match` takes either spelling (the version before the dash is what is compared).',
    found: 'The budget',
    problems: [401, 404],
  },
  change: {
    operationId: 'updateBudget',
    summary: "Change a budget's settings (owner)",
    description:
      'Only the fields sent change. Send `If-Match` with the ETag you read to refuse (412) overwriting a change ' +
      'you have not seen. The currency cannot change. Removing a category keeps its expenses: they count as ' +
      'uncategorized from then on. A changed `limit` (the budget\'s or a category\'s) applies from the current period on, ' +
      'earlier periods keeping theirs (`limitHistory`), unless `limitChangesApplyTo` is "allPeriods"; a budget keeping 240 ' +
      'earlier limits refuses one more (422 naming `limit`).',
    changed: 'The changed budget',
    problems: [400, 401, 403, 404, 409, 412, 415, 422],
  },
  remove: {
    operationId: 'deleteBudget',
    summary: 'Delete a budget with its members and expenses (owner)',
    problems: [400, 401, 403, 404, 409, 412],
  },
});
export const getBudgetRoute = item.get;
export const updateBudgetRoute = item.update;
export const deleteBudgetRoute = item.remove;

export const moveMoneyRoute = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/move-money',
  operationId: 'moveMoney',
  tags,
  summary: 'Move money between two categories for one period (owner, editor)',
  description:
    "YNAB's \"Move money\": in the period containing `date` (default today in the budget's time zone), `from`'s limit goes " +
    "down by `amount` (minor units, more than 0) and `to`'s goes up; other periods keep their limits, and the budget's own " +
    'limit does not move. Stored as per-period limits (`periodLimits` of the budget), which the summary, trends, forecast, ' +
    'reports, alerts and category rollover of that period use. Both categories must have a limit (422 naming the field, both when both fail, as ' +
    "for a category the budget does not have); `from`'s limit for the period may not go below 0 (422 naming `amount`); the " +
    'same category twice is a 400 naming `to`; a budget holding 240 per-period limits refuses a move adding more (422 naming ' +
    '`periodLimits`). Answers the budget as GET returns it, with its new ETag. Send `If-Match` with the ETag you read to ' +
    'refuse (412) moving from limits you have not seen; without it a concurrent change is applied first and the move ' +
    'computed again from its result (never lost). `Idempotency-Key` makes a retry replay the answer instead of moving twice.',
  security: bearerSecurity,
  request: {
    params: BudgetIdParams,
    headers: IfMatchHeaders.extend(IdempotencyHeaders.shape),
    body: jsonBody(MoveMoneyBody),
  },
  responses: {
    200: { ...jsonResponse(BudgetSchema, 'The budget with the moved limits'), headers: etagHeader },
    ...problemResponses(400, 401, 403, 404, 409, 412, 415, 422),
  },
});

export const setPeriodLimitRoute = createRoute({
  method: 'put',
  path: '/v1/budgets/{budgetId}/period-limits',
  operationId: 'setPeriodLimit',
  tags,
  summary: "Set one category's limit for one period (owner, editor)",
  description:
    "YNAB's assigned amount of a month: in the period containing `date` (default today in the budget's time zone), the " +
    "category's limit becomes `limit` (minor units, 0 or more); other periods keep theirs. Unlike move-money this changes the " +
    "sum of the categories' limits for that period; the budget's own `limit` is unchanged. `limit` equal to the category's own " +
    "limit removes the period's override. The category must be one of the budget's with a limit (422 naming `categoryId`); a " +
    'budget holding 240 per-period limits refuses one more (422 naming `periodLimits`: clear old ones with DELETE). Answers the ' +
    'budget as GET returns it, with its new ETag (nothing changes, same ETag, when the limit already is that). `If-Match` and ' +
    '`Idempotency-Key` as for move-money.',
  security: bearerSecurity,
  request: {
    params: BudgetIdParams,
    headers: IfMatchHeaders.extend(IdempotencyHeaders.shape),
    body: jsonBody(SetPeriodLimitBody),
  },
  responses: {
    200: { ...jsonResponse(BudgetSchema, "The budget with the period's limit set"), headers: etagHeader },
    ...problemResponses(400, 401, 403, 404, 409, 412, 415, 422),
  },
});

export const clearPeriodLimitsRoute = createRoute({
  method: 'delete',
  path: '/v1/budgets/{budgetId}/period-limits',
  operationId: 'clearPeriodLimits',
  tags,
  summary: 'Clear per-period limits (owner, editor)',
  description:
    'Removes the per-period limits (`periodLimits`) of periods starting before `before` (all of them when absent), of ' +
    "`categoryId` only when given: those periods' categories are back to their own limits. The way out for a budget at " +
    "the cap of 240. Clearing past periods changes what rollover categories carried from them (as changing a category's " +
    'limit does). Answers the budget as GET returns it, with its new ETag (nothing changes, same ETag, when none matches). ' +
    'Send `If-Match` with the ETag you read to refuse (412) clearing limits you have not seen.',
  security: bearerSecurity,
  request: {
    params: BudgetIdParams,
    headers: IfMatchHeaders,
    query: ClearPeriodLimitsQuery,
  },
  responses: {
    200: { ...jsonResponse(BudgetSchema, 'The budget without those per-period limits'), headers: etagHeader },
    ...problemResponses(400, 401, 403, 404, 409, 412),
  },
});
