import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { SpendingInsightsService } from '../service/spending-insights.service';
import type * as routes from './spending-insights.routes';

export function spendingInsightsHandlers(service: () => Promise<SpendingInsightsService>) {
  const get: RouteHandler<typeof routes.spendingInsightsRoute, AppEnv> = async (c) => {
    const insights = await (await service()).insights(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(insights, 200);
  };
  return { get };
}
