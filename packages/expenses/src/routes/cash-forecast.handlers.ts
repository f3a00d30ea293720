import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { CashForecastService } from '../service/cash-forecast.service';
import type { getCashFlowForecast } from './cash-forecast.routes';

/** The forecast: a plain read computed on read (no ETag: as the cash flow and the upcoming routes). */
export function cashForecastHandler(service: CashForecastService): RouteHandler<typeof getCashFlowForecast, AppEnv> {
  return async (c) => c.json(await service.forecast(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query')), 200);
}
