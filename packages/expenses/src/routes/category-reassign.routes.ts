import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { IdempotencyHeaders } from '../schemas/expenses.schemas';
import {
  CategoryReassignmentSchema,
  REASSIGN_MAX_EXAMINED,
  REASSIGN_MAX_WRITES,
  ReassignCategoryBody,
  ReassignCategoryParams,
} from '../schemas/category-reassign.schemas';

/** YNAB's "delete category: reassign its transactions to", Firefly III's bulk category change (CategoryReassignService). */
export const reassignCategoryExpenses = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/categories/{categoryId}/reassign',
  operationId: 'reassignCategoryExpenses',
  tags: ['Expenses'],
  summary: "Move all of a category's expenses to another category",
  description:
    'Owners and editors (as the bulk edit; a viewer gets 403, a stranger 404). Every expense of `categoryId`, whatever its date, is moved to `to`: ' +
    "`categoryId` may be one of the budget's categories or one it no longer has (expenses keep a removed category's id: the main use, after removing a category); an id without expenses answers nothing moved. " +
    "`to` must be one of the budget's categories now and not `categoryId` (else a 400 naming `to`). " +
    'An expense filed under `categoryId` is filed under `to`; of a split expense, the parts in `categoryId` go to `to` and merge with a part already in `to` into one part (amounts summed; descriptions: that of the part in `to`, then that of the moved one, joined with "; " while within 500 characters); when that leaves one part, the expense is no longer split but filed under `to` (the description of that part becomes the expense description only when it has none). ' +
    `At most ${REASSIGN_MAX_WRITES} expenses are moved per call, newest first, each exactly as its own PATCH would change it (its version, the summary's totals, delta sync, events, alerts); \`moved\` lists them, and \`more\` says others may be left: call again sending back \`cursor\`, until \`more\` is false (a call may stop at its read bound with nothing moved and \`more\`, among many split expenses of other categories: the cursor goes on after them; without it a call starts again from the newest). A call with nothing left writes nothing. ` +
    `Cost: the category's own index partition and the budget's split expenses are read, at most ${REASSIGN_MAX_EXAMINED.toLocaleString('en-US')} index entries per call, never the whole date index; then one BatchGetItem and one write per expense moved. ` +
    'A write that fails is listed in `failed`, the others still moved. `retryable: true` (409 changed by others too often, 503 throttled): `more` true and the answer\'s `cursor` resumes right before it (null: start from the newest), so the next call retries it. ' +
    '`retryable: false` with a `reason` (the PATCH refuses this change, a 400 or 422 about the expense as stored): not retried, `more` and `cursor` go on past it. ' +
    '`undo`: when this call moved anything, the id to undo THIS call with for 24 hours (POST .../expenses/bulk/{bulkId}/undo, the bulk edit\'s undo: each expense put back unless changed since), else null; a client following `more`/`cursor` gets one per call. ' +
    'Send an `Idempotency-Key`: the same request retried with it replays the first answer and moves nothing.',
  security: bearerSecurity,
  request: {
    params: ReassignCategoryParams,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: ReassignCategoryBody } } },
  },
  responses: {
    200: jsonResponse(CategoryReassignmentSchema, 'The expenses moved by this call, and whether any are left'),
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
  },
});
