import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { SpendingInsightsQuery, SpendingInsightsSchema } from '../schemas/spending-insights.schemas';

export const spendingInsightsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/spending-insights',
  operationId: 'getSpendingInsights',
  tags: ['budgets'],
  summary: 'Unusual spending: this period so far against the usual by the same day',
  description:
    '"You have spent 45% more on Dining than usual by this point": for the period containing `date` (default: today in the ' +
    "budget's time zone) at its day k (`dayOfPeriod`), what was spent in days 1..k against the average of what each of the " +
    '`periods` previous periods (1..6, default 3; fewer for a younger budget) spent in ITS first k days, for the whole budget, ' +
    "each category and the uncategorized line, in the budget's period kind (a yearly budget's previous periods are the " +
    'previous years). Spending only: limits, per-period limits and rollover play no part. Split parts count in their own ' +
    'categories, a removed category\'s spending as uncategorized, as in the summary. Cost: one read of the running totals ' +
    'whatever the number of expenses. Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: SpendingInsightsQuery },
  responses: {
    200: jsonResponse(SpendingInsightsSchema, 'The comparison'),
    ...problemResponses(400, 401, 404),
  },
});
