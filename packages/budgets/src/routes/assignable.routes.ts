import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { AssignableQuery, AssignableSchema } from '../schemas/assignable.schemas';
import { BudgetIdParams } from '../schemas/common.schemas';

export const assignableRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/assignable',
  operationId: 'getBudgetAssignable',
  tags: ['budgets'],
  summary: "Ready to assign: a month's income less what its category limits assign",
  description:
    "In `month` (default: the current month in the budget's time zone): the month's income total (as GET .../cash-flow), the " +
    'category limits of the budget periods starting in the month (monthly: its period; weekly: the ISO weeks whose Monday is in it), ' +
    'and `readyToAssign = income - assigned`, negative (`overAssigned`) when more was assigned than came in. Carried-over amounts do not ' +
    'count. A yearly budget is a 422 naming `period`; a figure past 2^53 - 1 minor units a 422. Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: AssignableQuery },
  responses: {
    200: jsonResponse(AssignableSchema, 'Ready to assign'),
    ...problemResponses(400, 401, 404, 422),
  },
});
