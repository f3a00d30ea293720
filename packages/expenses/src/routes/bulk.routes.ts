import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BULK_MAX_EXPENSES, BulkBody, BulkResultSchema, BulkUndoParams, BulkUndoResultSchema } from '../schemas/bulk.schemas';
import { BudgetParams, IdempotencyHeaders } from '../schemas/expenses.schemas';

/** Bulk edit of expenses (see service/bulk.service.ts): one action, many expenses, a result each. */
export const bulkEditExpenses = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/expenses/bulk',
  operationId: 'bulkEditExpenses',
  tags: ['Expenses'],
  summary: 'Recategorize, tag, untag, mark reviewed or delete many expenses at once',
  description:
    `Owners and editors. Up to ${BULK_MAX_EXPENSES} distinct \`expenseIds\` and one \`action\`: ` +
    '`{type: recategorize, categoryId}` (one of the budget\'s categories, or null), `{type: addTags, tags}`, `{type: removeTags, tags}` (tags as on an expense, compared ignoring case and accents), `{type: markReviewed}` (an imported expense reviewed) or `{type: delete}`. ' +
    'Each expense is changed on its own, exactly as its own PATCH or DELETE would change it (its version, the summary\'s totals, delta sync, events); the batch is not atomic. ' +
    'Answered in the order sent with `{expenseId, status, expense?, problem?}`: 200 with the expense after the change (also when it already was as asked: then nothing is written, the version stays), ' +
    '204 deleted, 404 not an expense of this budget, 409 not applicable to it (a split expense cannot be recategorized as a whole; at most 10 tags) or changed by others too often meanwhile, 503 throttled (retry those); `succeeded` and `failed` count them. ' +
    'A category that is not the budget\'s is a 400 naming `action.categoryId` for the whole request (nothing written). ' +
    'Send an `Idempotency-Key`: the same request retried with it replays the first answer and changes nothing. ' +
    '`undo`: when anything was written, the id to undo this bulk edit with for 24 hours (POST .../expenses/bulk/{bulkId}/undo), else null.',
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: BulkBody } } },
  },
  responses: {
    200: { description: 'One result per expense id, in order', content: jsonContent(BulkResultSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

/**
 * Undo of a bulk edit, a category reassign call or a rule apply call (see
 * service/bulk-undo.service.ts): each expense put back if unchanged since. One route for the
 * three: its path is public (clients of the bulk edit call it), so it stays as it is; the
 * `bulkId` is whichever answer's `undo.id`.
 */
export const undoBulkEdit = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/expenses/bulk/{bulkId}/undo',
  operationId: 'undoBulkEdit',
  tags: ['Expenses'],
  summary: 'Undo a bulk edit, a category reassign or a rule apply (within 24 hours)',
  description:
    'Undoes a bulk edit (POST .../expenses/bulk), one category reassign call (POST .../categories/{categoryId}/reassign) or one rule apply call (POST .../rules/{ruleId}/apply): ' +
    '`bulkId` is that answer\'s `undo.id` (a reassign or apply followed through `more`/`cursor` gave one per call: undo each). ' +
    'Who made that call, or the budget\'s owner (a viewer 403; an archived budget 409 `budget-archived`). ' +
    'Each expense the call wrote is put back only if it is still at the version the call left it at: its changed fields (category, split parts, merchant, tags, description, reviewed) written back as its own PATCH would ' +
    '(a new version, the summary\'s totals, delta sync, events), a deleted one restored (without its attachments) while it is restorable. ' +
    'Otherwise it is left as it is, in `kept` with a reason (`changed`, `not-restorable`, `gone`, `category-removed`: its category or a part\'s was removed from the budget since); a write-back that fails is in `failed` with its problem. ' +
    'Idempotent: calling again answers the same result and writes nothing. 404 for an unknown id, another budget\'s, or a call made more than 24 hours ago.',
  security: bearerSecurity,
  request: { params: BulkUndoParams },
  responses: {
    200: { description: 'What was put back, kept and failed', content: jsonContent(BulkUndoResultSchema) },
    ...problemResponses(400, 401, 403, 404, 409),
  },
});
