import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { YearReviewQuery, YearReviewSchema } from '../schemas/year-review.schemas';

export const yearReviewRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/year-review',
  operationId: 'getBudgetYearReview',
  tags: ['budgets'],
  summary: 'The year in review',
  description:
    "A year's spending (default: the current year in the budget's time zone; from the budget's creation year to the current one, " +
    'else a 400 naming `query.year`): month by month (a monthly budget\'s months with their limits), the biggest and quietest month, ' +
    'the top 5 categories (from the running totals, split parts in their own categories) and merchants (from a walk of the ' +
    "year's expenses, at most 20,000: null past that), how many budget periods stayed within their limit (each as its summary " +
    "computes it) and the change from the previous year's same days (income and net: its same whole months that have ended). Shares and changes in basis points, rounded a half away " +
    'from zero, null when the base is 0; 422 when a figure passes 2^53 - 1 minor units (it cannot be given exactly), as the cash flow. Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: YearReviewQuery },
  responses: {
    200: jsonResponse(YearReviewSchema, 'The year in review'),
    ...problemResponses(400, 401, 404, 422),
  },
});
