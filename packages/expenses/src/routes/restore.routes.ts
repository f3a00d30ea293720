import { bearerSecurity, etagHeader, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetParams, ExpenseParams, ExpenseSchema, IdempotencyHeaders } from '../schemas/expenses.schemas';
import { RestorableExpenseListSchema, ListDeletedExpensesQuery } from '../schemas/restore.schemas';

/** Undo of an expense's delete (service/restore.service.ts): the deleted list and the restore. */
const common = { tags: ['Expenses'], security: bearerSecurity };

export const listDeletedExpenses = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/expenses/deleted',
  operationId: 'listDeletedExpenses',
  summary: 'List deleted expenses that can be restored, newest deletion first',
  description:
    'Any member. The expenses deleted in the last 30 days and not restored since, each as it was deleted with `deletedAt`, `deletedBy` and `restorableUntil` (30 days after the deletion). ' +
    'Their receipts are not kept: attachments are deleted with their expense. A page can be short (copies past their 30 days are left out until the table removes them): follow `nextCursor` until it is `null`; it only works with the same budget.',
  ...common,
  request: { params: BudgetParams, query: ListDeletedExpensesQuery },
  responses: { 200: { description: 'One page of deleted expenses', content: jsonContent(RestorableExpenseListSchema) }, ...problemResponses(400, 401, 404) },
});

export const restoreExpense = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/expenses/{expenseId}/restore',
  operationId: 'restoreExpense',
  summary: 'Restore a deleted expense (undo a delete)',
  description:
    'Owners and editors, within 30 days of the delete. The expense comes back under the same id exactly as it was deleted (amount, category or splits, date, texts, tags, foreign amount, `createdBy`, `createdAt`, `updatedAt`) at the next `version` ' +
    '(the deleted one\'s + 1, so an If-Match from before the delete no longer matches), counts again in the summary and comes back in delta sync. ' +
    'It comes back WITHOUT attachments: its receipts were deleted with it. ' +
    '404 when there is nothing to restore (never deleted, or more than 30 days ago); 409 when the expense is not deleted (restored already). ' +
    'A 409 naming `amount` when its month\'s running totals would pass 2^53 - 1 minor units (nothing restored). Send an `Idempotency-Key` so a retry answers the same.',
  ...common,
  request: { params: ExpenseParams, headers: IdempotencyHeaders },
  responses: {
    200: { description: 'The restored expense', headers: etagHeader, content: jsonContent(ExpenseSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});
