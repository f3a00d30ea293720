import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { ForecastSchema } from '../schemas/forecast.schemas';
import { SummaryQuery } from '../schemas/summary.schemas';

export const forecastRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/forecast',
  operationId: 'getBudgetForecast',
  tags: ['budgets'],
  summary: 'Forecast of one period, with scheduled recurring expenses',
  description:
    "The period containing `date` (default: today in the budget's time zone), as in the summary, plus what the " +
    "budget's recurring expenses will still record in it: `scheduled` sums their occurrences in the period not " +
    'recorded yet (on or after each definition\'s `nextOccurrenceOn`, on or before its `endsOn`), `projectedSpent = ' +
    'spent + scheduled`, `projectedRemaining = available - projectedSpent` (`available` as in the summary, rollover ' +
    'included). A period that has ended has nothing left to record, nor has an archived budget (the recurring job skips its due dates): `scheduled` is 0. `upcoming` lists the scheduled ' +
    'occurrences in date order, at most 100 (`upcomingTruncated` then says more are counted). Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: SummaryQuery },
  responses: {
    200: jsonResponse(ForecastSchema, 'The forecast'),
    ...problemResponses(400, 401, 404),
  },
});
