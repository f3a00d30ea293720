import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ChangesService } from '../service/changes.service';
import { present } from './expenses.handlers';
import type * as routes from './changes.routes';

export function changesHandlers(service: ChangesService) {
  const getChanges: RouteHandler<typeof routes.getChanges, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const page = await service.changes(budgetId, c.get('userId'), c.req.valid('query'));
    const expenses = page.expenses.map((e) => ('deleted' in e ? e : present(e)));
    return c.json({ ...page, expenses }, 200);
  };

  return { getChanges };
}
