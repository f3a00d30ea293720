import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { DailySpendingQuery, DailySpendingSchema } from '../schemas/daily-spending.schemas';

export const dailySpendingRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/daily-spending',
  operationId: 'getDailySpending',
  tags: ['budgets'],
  summary: 'Spending by day: this period against the previous one',
  description:
    "For a \"this month against last month\" chart: the period containing `date` (default: today in the budget's time " +
    'zone) and the period before it, each day with what was spent on it and the running sum since its first day (a day ' +
    'without spending: 0), this period up to today (or to its last day holding spending, so that its `spent` is the ' +
    "summary's). `categoryId` gives one category's figures (split parts counted in " +
    "their own categories, as in the summary); `categoryId=uncategorized` the summary's uncategorized line " +
    '(`uncategorizedSpent`: without a category or in a removed one; `limit` null). Neither: a 400 naming `query.categoryId`. Each period\'s ' +
    '`limit` is there to draw the even-pace line. Cost: one read of the running totals whatever the number of expenses. ' +
    'Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: DailySpendingQuery },
  responses: {
    200: jsonResponse(DailySpendingSchema, 'Both periods, day by day'),
    ...problemResponses(400, 401, 404),
  },
});
