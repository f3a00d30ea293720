import { createRouter } from '@budgeting/platform';
import type { ActivityService } from '../service/activity.service';
import type { activityRoutes } from './activity.routes';

export function activityRouter(routes: ReturnType<typeof activityRoutes>, service: ActivityService) {
  const router = createRouter();
  router.openapi(routes.listActivity, async (c) => {
    const { budgetId } = c.req.valid('param');
    return c.json(await service.list(budgetId, c.get('userId'), c.req.valid('query')), 200);
  });
  return router;
}
