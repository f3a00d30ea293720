import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { FORECAST_DEFAULT_DAYS, FORECAST_MAX_DAYS, MAX_FORECAST_OCCURRENCES } from '../domain/cash-forecast';
import { CashForecastQuery, CashForecastSchema } from '../schemas/cash-forecast.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/** "Will we have money left before payday?" (service/cash-forecast.service.ts). */
export const getCashFlowForecast = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/cash-flow/forecast',
  operationId: 'getCashFlowForecast',
  summary: 'The recurring income and bills still to come, day by day, with a running net',
  description:
    `Any member, viewers included. From today in the budget's time zone through \`to\` (at most ${FORECAST_MAX_DAYS} days including today; default ${FORECAST_DEFAULT_DAYS}): ` +
    'the occurrences of the recurring income and the recurring expenses not recorded yet, exactly those GET .../recurring-income/upcoming and GET .../recurring-expenses/upcoming list ' +
    '(paused and ended definitions none, skipped dates left out, installment plans up to their last payment; none while the budget is archived: the recurring jobs skip its due dates), on the days that have one, with each day\'s `net` and a `runningNet` ' +
    'that starts at `startingBalance` (default 0: the API knows no account balance; an app that knows it passes it), the totals and the lowest running net. ' +
    '`spending=estimate` adds the everyday spending (groceries, fuel) as estimated from the last 90 days: every day of the range is listed and spends `estimate.perDay` (packages/expenses/docs/income.md "Cash flow forecast", Everyday spending); any other value is a 400 naming `query.spending`. ' +
    `A \`to\` out of range is a 400 naming \`query.to\`; more than ${MAX_FORECAST_OCCURRENCES} occurrences a 422 naming \`query.to\`; a figure past 2^53 - 1 minor units a 422.`,
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: CashForecastQuery },
  responses: {
    200: { description: 'The forecast', content: jsonContent(CashForecastSchema) },
    ...problemResponses(400, 401, 404, 422),
  },
});
