import { bearerSecurity, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { ActivityPageSchema, ActivityParams, ActivityQuery } from '../schemas/activity.schemas';

export const listActivityRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/activity',
  operationId: 'listBudgetActivity',
  tags: ['Activity'],
  summary: "The budget's activity log, newest first",
  description:
    'Any member. Who did what and when: expenses created (by hand, by CSV import, or by the recurring-expenses schedule on behalf of the recurring expense\'s creator), changed (before/after of the changed fields), deleted and restored; income recorded, changed, deleted and restored; budget settings changes; members added, removed, their roles and shares changed; settle-up payments recorded, corrected and deleted; comments added and deleted. ' +
    "Expense entries are the expenses' own change history; the others are built from the domain events, so they appear shortly after their change. Kept 90 days, like the change history of delta sync.",
  security: bearerSecurity,
  request: { params: ActivityParams, query: ActivityQuery },
  responses: {
    200: { description: 'One page of entries', content: { 'application/json': { schema: ActivityPageSchema } } },
    ...problemResponses(400, 401, 404),
  },
});
