import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { SummaryQuery, SummarySchema } from '../schemas/summary.schemas';

export const summaryRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/summary',
  operationId: 'getBudgetSummary',
  tags: ['budgets'],
  summary: 'Spending summary of one period',
  description:
    "The period (in the budget's time zone) containing `date`: weekly = ISO week Monday..Sunday, monthly = " +
    'calendar month, yearly = calendar year. With rollover, `carriedOver` adds up `limit - spent` of every ' +
    'earlier period since the one the budget was created in (negative when overspent), using the current ' +
    'limit. `thresholdsCrossed` lists the alert thresholds (percent of the limit; for categories, of their ' +
    'own limit) already reached. Category limits do not roll over. `pace` (and each limited category\'s) tells how ' +
    'spending stands against time on `date` (see BudgetPace).',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: SummaryQuery },
  responses: {
    200: jsonResponse(SummarySchema, 'The summary'),
    ...problemResponses(400, 401, 404),
  },
});
