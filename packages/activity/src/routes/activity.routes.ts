import { bearerSecurity, problemResponses, requireAuth, type PlatformDeps } from '@budgeting/platform';
import { createRoute } from '@hono/zod-openapi';
import { ActivityPageSchema, ActivityParams, ActivityQuery } from '../schemas';

export function activityRoutes(deps: PlatformDeps) {
  const listActivity = createRoute({
    method: 'get',
    path: '/v1/budgets/{budgetId}/activity',
    operationId: 'listBudgetActivity',
    tags: ['Activity'],
    summary: "The budget's activity log, newest first",
    description:
      'Any member. Who did what and when: expenses created (by hand, by CSV import, or by the recurring-expenses schedule on behalf of the recurring expense\'s creator), changed (before/after of the changed fields) and deleted; budget settings changes; members added and removed. ' +
      'Built from the domain events, so an entry appears shortly after its change. Kept 90 days, like the change history of delta sync.',
    security: bearerSecurity,
    middleware: [requireAuth(deps.tokens)] as const,
    request: { params: ActivityParams, query: ActivityQuery },
    responses: {
      200: { description: 'One page of entries', content: { 'application/json': { schema: ActivityPageSchema } } },
      ...problemResponses(400, 401, 404, 503),
    },
  });
  return { listActivity };
}
