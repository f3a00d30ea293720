import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { DuplicatesService } from '../service/duplicates.service';
import type { dismissDuplicateExpenses, listDuplicateExpenses } from './duplicates.routes';
import { present } from './expenses.handlers';

/** Handlers of the possible duplicates: each expense shaped as the list shows it. */
export function duplicatesHandlers(service: DuplicatesService) {
  const list: RouteHandler<typeof listDuplicateExpenses, AppEnv> = async (c) => {
    const answer = await service.list(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json({ ...answer, items: answer.items.map((g) => ({ expenses: g.expenses.map(present) })) }, 200);
  };
  const dismiss: RouteHandler<typeof dismissDuplicateExpenses, AppEnv> = async (c) => {
    await service.dismiss(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('json').expenseIds);
    return c.body(null, 204);
  };
  return { list, dismiss };
}
