import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MAX_STATUS_DATES, MAX_STATUS_DEFINITIONS } from '../domain/bill-status';
import { IncomeStatusQuery, IncomeStatusSchema } from '../schemas/income-status.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/** "Expected / received this month" (service/income-status.service.ts); declared before `/recurring-income/{recurringIncomeId}`. */
export const getIncomeStatus = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/recurring-income/status',
  operationId: 'getIncomeStatus',
  summary: "The status of every recurring income's dates in a month",
  description:
    "Any member, viewers included. The calendar month `month` (default the current month in the budget's time zone). For every recurring income with a schedule date in it (paused and ended ones included; dates before the day it was created left out), " +
    "each date with its status: `received` (with the income entry and the amount), `skipped`, `paused` (fell while paused: the recurring income's `pauses`), `missed` (past, not received, neither skipped nor paused) or `due` (today or later). " +
    `\`totals\`: the amounts expected, received and still expected, and the count of each status. At most ${MAX_STATUS_DEFINITIONS} recurring incomes and ${MAX_STATUS_DATES} dates (\`truncated\`).`,
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: IncomeStatusQuery },
  responses: {
    200: { description: 'The paychecks of the month', content: jsonContent(IncomeStatusSchema) },
    ...problemResponses(400, 401, 404),
  },
});
