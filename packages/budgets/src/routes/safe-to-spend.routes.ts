import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { SafeToSpendSchema } from '../schemas/safe-to-spend.schemas';
import { SummaryQuery } from '../schemas/summary.schemas';

export const safeToSpendRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/safe-to-spend',
  operationId: 'getBudgetSafeToSpend',
  tags: ['budgets'],
  summary: 'Safe to spend: what is left this period once the bills still to come are paid',
  description:
    "On `date` (default: today in the budget's time zone), in the period containing it: the summary's `remaining` " +
    "(rollover included) less `upcomingBills`, the occurrences of the budget's active recurring expenses due in " +
    "the period that are not recorded yet (an overdue one the job has not recorded included), and that per day left from `date` (`perDay`, rounded down; 0 when " +
    '`safeToSpend` is not positive). `safeToSpend` may be negative. The same per category with a limit. Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: SummaryQuery },
  responses: {
    200: jsonResponse(SafeToSpendSchema, 'Safe to spend'),
    ...problemResponses(400, 401, 404),
  },
});
