import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { DailySpendingService } from '../service/daily-spending.service';
import type * as routes from './daily-spending.routes';

export function dailySpendingHandlers(service: () => Promise<DailySpendingService>) {
  const get: RouteHandler<typeof routes.dailySpendingRoute, AppEnv> = async (c) => {
    const daily = await (await service()).daily(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(daily, 200);
  };
  return { get };
}
