import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ActivityService } from '../service/activity.service';
import type * as routes from './activity.routes';

export function activityHandlers(service: ActivityService) {
  const list: RouteHandler<typeof routes.listActivityRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    return c.json(await service.list(budgetId, c.get('userId'), c.req.valid('query')), 200);
  };
  return { list };
}
