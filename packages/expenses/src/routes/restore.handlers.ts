import { setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import { RESTORE_WINDOW_SECONDS, type Deletion } from '../repository/deleted-copies';
import type { DeletedExpense } from '../repository/deleted-expenses';
import type { RestoreService } from '../service/restore.service';
import { present } from './expenses.handlers';
import type { listDeletedExpenses, restoreExpense } from './restore.routes';

/** Handlers of the restore routes: the restored expense with its ETag, the deleted list. */
export function restoreHandlers(service: RestoreService) {
  const restore: RouteHandler<typeof restoreExpense, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    const restored = await service.restore(budgetId, c.get('userId'), expenseId);
    setEtag(c, restored.version);
    return c.json(present(restored), 200);
  };
  const listDeleted: RouteHandler<typeof listDeletedExpenses, AppEnv> = async (c) => {
    const page = await service.listDeleted(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json({ items: page.items.map(presentDeleted), nextCursor: page.nextCursor }, 200);
  };
  return { restore, listDeleted };
}

function presentDeleted(d: DeletedExpense) {
  return { ...present(d.expense), ...presentDeletion(d) };
}

/** A restorable copy's own fields (schemas/restore.schemas.ts deletionFields): who deleted it, when, and until when it can come back. */
export function presentDeletion(d: Deletion) {
  return { deletedAt: d.deletedAt, deletedBy: d.deletedBy, restorableUntil: new Date(Date.parse(d.deletedAt) + RESTORE_WINDOW_SECONDS * 1000).toISOString() };
}
