import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { TrendsService } from '../service/trends.service';
import type * as routes from './trends.routes';

export function trendsHandlers(service: () => Promise<TrendsService>) {
  const get: RouteHandler<typeof routes.trendsRoute, AppEnv> = async (c) => {
    const trends = await (await service()).trends(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(trends, 200);
  };
  return { get };
}
