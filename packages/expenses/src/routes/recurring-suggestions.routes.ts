import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BILL_WINDOW_DAYS, BILL_WINDOW_MAX_EXPENSES } from '../domain/bill-detection';
import { BudgetParams } from '../schemas/expenses.schemas';
import { BILL_RULES_TEXT, RecurringSuggestionsQuery, RecurringSuggestionsSchema } from '../schemas/recurring-suggestions.schemas';

/** The bill finder (service/recurring-suggestions.service.ts). */
export const listRecurringSuggestions = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/recurring-expenses/suggestions',
  operationId: 'listRecurringExpenseSuggestions',
  summary: 'Find bills paid regularly that are not recurring expenses yet',
  description:
    'Any member. The bills the budget pays on a regular cadence at a stable amount, still live, that no recurring expense covers yet, each with a `recurringExpense` body to send as is to `POST .../recurring-expenses` ("Add as recurring"). ' +
    `${BILL_RULES_TEXT} ` +
    `Computed from a window: the newest ${BILL_WINDOW_MAX_EXPENSES.toLocaleString('en-US')} expenses dated in the last ${BILL_WINDOW_DAYS} days (today in the budget's time zone included, later dates too), whichever are fewer; \`window\` says what was examined. ` +
    'Answers carry `Cache-Control: private, max-age=60`.',
  tags: ['Recurring expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: RecurringSuggestionsQuery },
  responses: {
    200: {
      description: 'The suggestions',
      headers: { 'Cache-Control': { description: 'Always `private, max-age=60`.', schema: { type: 'string' as const, example: 'private, max-age=60' } }, Vary: { description: 'Names `Authorization` (a cache serves this answer only to the credentials it was asked with).', schema: { type: 'string' as const, example: 'Authorization' } } },
      content: jsonContent(RecurringSuggestionsSchema),
    },
    ...problemResponses(400, 401, 404),
  },
});
