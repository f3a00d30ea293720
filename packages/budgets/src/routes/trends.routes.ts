import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { TrendsQuery, TrendsSchema } from '../schemas/trends.schemas';

export const trendsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/trends',
  operationId: 'getBudgetTrends',
  tags: ['budgets'],
  summary: 'Spending trends over the last periods',
  description:
    "The `periods` budget periods (1..24, default 6) ending with the one containing `date` (default: today in the budget's " +
    'time zone), oldest first, in the budget\'s period kind. Each period\'s numbers are exactly those of its summary ' +
    '(`limit`, `carriedOver`, `available`, `spent`, `remaining`, per category `spent`, `uncategorizedSpent`: rollover and ' +
    'split expenses counted as there, a removed category\'s spending uncategorized). Over the periods listed: `total` and ' +
    '`average` of all spending, of each current category and of `uncategorized`; an average is the total divided by the ' +
    'number of periods (empty ones count as 0), rounded to an integer a half away from zero. A total past 2^53 - 1 minor ' +
    'units is a 400 naming `query.periods`. Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: TrendsQuery },
  responses: {
    200: jsonResponse(TrendsSchema, 'The trends'),
    ...problemResponses(400, 401, 404),
  },
});
