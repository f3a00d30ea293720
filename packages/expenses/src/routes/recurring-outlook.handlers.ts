import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RecurringOutlookService } from '../service/recurring-outlook.service';
import type { getRecurringCosts, listRecurringPriceChanges, listUpcomingBills } from './recurring-outlook.routes';

/** Handlers of the upcoming bills, the yearly costs and the price changes: read-only, computed on read. */
export function recurringOutlookHandlers(service: RecurringOutlookService) {
  const upcoming: RouteHandler<typeof listUpcomingBills, AppEnv> = async (c) =>
    c.json(await service.upcoming(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query').days), 200);
  const costs: RouteHandler<typeof getRecurringCosts, AppEnv> = async (c) => c.json(await service.costs(c.req.valid('param').budgetId, c.get('userId')), 200);
  const priceChanges: RouteHandler<typeof listRecurringPriceChanges, AppEnv> = async (c) =>
    c.json(await service.priceChanges(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query').days), 200);
  return { upcoming, costs, priceChanges };
}
