import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MAX_STATUS_DATES, MAX_STATUS_DEFINITIONS } from '../domain/bill-status';
import { BillStatusQuery, BillStatusSchema } from '../schemas/bill-status.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/** "Paid / not paid this period" (service/bill-status.service.ts); declared before `/recurring-expenses/{recurringExpenseId}`. */
export const getBillStatus = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/recurring-expenses/status',
  operationId: 'getBillStatus',
  summary: "The status of every recurring expense's dates in a budget period",
  description:
    "Any member, viewers included. The budget's period containing `date` (default today in the budget's time zone), as the summary's. For every recurring expense with a schedule date in it (paused and ended ones included; dates before the day it was created left out), " +
    'each date with its status: `paid` (with the expense and the amount recorded), `matched` (settled by an imported expense), `skipped`, `paused` (fell while paused: the recurring expense\'s `pauses`), `missed` (passed without being recorded, skipped or paused), `due` (today or later) or `overdue` (before today, not recorded). ' +
    `\`totals\`: the amounts recorded, the amounts still expected (due and overdue) and the count of each status. At most ${MAX_STATUS_DEFINITIONS} recurring expenses and ${MAX_STATUS_DATES} dates (\`truncated\`).`,
  tags: ['Recurring expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: BillStatusQuery },
  responses: {
    200: { description: 'The bill status of the period', content: jsonContent(BillStatusSchema) },
    ...problemResponses(400, 401, 404),
  },
});
