import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { SafeToSpendService } from '../service/safe-to-spend.service';
import type * as routes from './safe-to-spend.routes';

export function safeToSpendHandlers(service: () => Promise<SafeToSpendService>) {
  const get: RouteHandler<typeof routes.safeToSpendRoute, AppEnv> = async (c) => {
    const answer = await (await service()).safeToSpend(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query').date);
    return c.json(answer, 200);
  };
  return { get };
}
