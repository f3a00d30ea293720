import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ForecastService } from '../service/forecast.service';
import type * as routes from './forecast.routes';

export function forecastHandlers(service: () => Promise<ForecastService>) {
  const get: RouteHandler<typeof routes.forecastRoute, AppEnv> = async (c) => {
    const forecast = await (await service()).forecast(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query').date);
    return c.json(forecast, 200);
  };
  return { get };
}
