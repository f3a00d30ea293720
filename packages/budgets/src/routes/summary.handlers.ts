import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { SummaryService } from '../service/summary.service';
import type * as routes from './summary.routes';

export function summaryHandlers(service: SummaryService) {
  const get: RouteHandler<typeof routes.summaryRoute, AppEnv> = async (c) => {
    const summary = await service.summary(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query').date);
    return c.json(summary, 200);
  };
  return { get };
}
