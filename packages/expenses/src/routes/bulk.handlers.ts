import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { BulkService } from '../service/bulk.service';
import type * as routes from './bulk.routes';
import { present } from './expenses.handlers';

export function bulkHandlers(service: BulkService) {
  const bulkEditExpenses: RouteHandler<typeof routes.bulkEditExpenses, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { results, succeeded, failed } = await service.edit(budgetId, c.get('userId'), c.req.valid('json'));
    const shaped = results.map((r) => ('expense' in r ? { ...r, expense: present(r.expense) } : r));
    return c.json({ results: shaped, succeeded, failed }, 200);
  };
  return { bulkEditExpenses };
}
