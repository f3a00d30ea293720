import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BULK_MAX_EXPENSES, BulkBody, BulkResultSchema } from '../schemas/bulk.schemas';
import { BudgetParams, IdempotencyHeaders } from '../schemas/expenses.schemas';

/** Bulk edit of expenses (see service/bulk.service.ts): one action, many expenses, a result each. */
export const bulkEditExpenses = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/expenses/bulk',
  operationId: 'bulkEditExpenses',
  tags: ['Expenses'],
  summary: 'Recategorize, tag, untag or delete many expenses at once',
  description:
    `Owners and editors. Up to ${BULK_MAX_EXPENSES} distinct \`expenseIds\` and one \`action\`: ` +
    '`{type: recategorize, categoryId}` (one of the budget\'s categories, or null), `{type: addTags, tags}`, `{type: removeTags, tags}` (tags as on an expense, compared ignoring case and accents) or `{type: delete}`. ' +
    'Each expense is changed on its own, exactly as its own PATCH or DELETE would change it (its version, the summary\'s totals, delta sync, events); the batch is not atomic. ' +
    'Answered in the order sent with `{expenseId, status, expense?, problem?}`: 200 with the expense after the change (also when it already was as asked: then nothing is written, the version stays), ' +
    '204 deleted, 404 not an expense of this budget, 409 not applicable to it (a split expense cannot be recategorized as a whole; at most 10 tags) or changed by others too often meanwhile, 503 throttled (retry those); `succeeded` and `failed` count them. ' +
    'A category that is not the budget\'s is a 400 naming `action.categoryId` for the whole request (nothing written). ' +
    'Send an `Idempotency-Key`: the same request retried with it replays the first answer and changes nothing.',
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: BulkBody } } },
  },
  responses: {
    200: { description: 'One result per expense id, in order', content: jsonContent(BulkResultSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
  },
});
