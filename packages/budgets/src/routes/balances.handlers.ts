import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { BalancesService } from '../service/balances.service';
import type * as routes from './balances.routes';

export function balancesHandlers(service: () => Promise<BalancesService>) {
  const get: RouteHandler<typeof routes.balancesRoute, AppEnv> = async (c) => {
    const balances = await (await service()).balances(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(balances, 200);
  };
  return { get };
}
