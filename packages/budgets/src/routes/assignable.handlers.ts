import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { AssignableService } from '../service/assignable.service';
import type * as routes from './assignable.routes';

export function assignableHandlers(service: () => Promise<AssignableService>) {
  const get: RouteHandler<typeof routes.assignableRoute, AppEnv> = async (c) => {
    const answer = await (await service()).assignable(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(answer, 200);
  };
  return { get };
}
