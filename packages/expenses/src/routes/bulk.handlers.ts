import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { BulkUndoService } from '../service/bulk-undo.service';
import type { BulkService } from '../service/bulk.service';
import type * as routes from './bulk.routes';
import { present } from './expenses.handlers';

export function bulkHandlers(service: BulkService, undoService: BulkUndoService) {
  const bulkEditExpenses: RouteHandler<typeof routes.bulkEditExpenses, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { results, succeeded, failed, undo } = await service.edit(budgetId, c.get('userId'), c.req.valid('json'));
    const shaped = results.map((r) => ('expense' in r ? { ...r, expense: present(r.expense) } : r));
    return c.json({ results: shaped, succeeded, failed, undo }, 200);
  };
  const undoBulkEdit: RouteHandler<typeof routes.undoBulkEdit, AppEnv> = async (c) => {
    const { budgetId, bulkId } = c.req.valid('param');
    const outcome = await undoService.undo(budgetId, c.get('userId'), bulkId);
    return c.json(outcome, 200);
  };
  return { bulkEditExpenses, undoBulkEdit };
}
