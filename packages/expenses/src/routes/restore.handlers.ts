import { jsonAnswer, keyCompletion, setEtag, type AppEnv, type KeyCompletion } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { RESTORE_WINDOW_SECONDS, type Deletion } from '../repository/deleted-copies';
import type { DeletedExpense } from '../repository/deleted-expenses';
import type { RestoreService } from '../service/restore.service';
import { present } from './expenses.handlers';
import type { listDeletedExpenses, restoreExpense } from './restore.routes';

/** Handlers of the restore routes: the restored expense with its ETag, the deleted list. */
export function restoreHandlers(service: RestoreService) {
  const { restore, listDeleted } = restoreRouteHandlers('expenseId', service, present, (d: DeletedExpense) => present(d.expense));
  const handlers: { restore: RouteHandler<typeof restoreExpense, AppEnv>; listDeleted: RouteHandler<typeof listDeletedExpenses, AppEnv> } = { restore, listDeleted };
  return handlers;
}

type Validated<Out extends object> = Context<AppEnv, string, { out: Out }>;

/**
 * The two undo routes of a kind (expenses, income entries): POST .../{id}/restore answers the
 * restored item with its ETag (its Idempotency-Key completed with that answer in the restore's
 * own transaction), GET .../deleted a page of copies, each the item as deleted
 * (`presentItem`) with its deletion's fields.
 */
export function restoreRouteHandlers<IdParam extends string, Item extends { version: number }, Copy extends Deletion, Shown, ShownCopy extends object>(
  idParam: IdParam,
  service: {
    /** `completeKey`: the Idempotency-Key's completion inside the restore's transaction. */
    restore(budgetId: string, userId: string, id: string, completeKey?: KeyCompletion<Item>): Promise<Item>;
    listDeleted(budgetId: string, userId: string, query: { limit: number; cursor?: string }): Promise<{ items: Copy[]; nextCursor: string | null }>;
  },
  present: (item: Item) => Shown,
  presentItem: (copy: Copy) => ShownCopy,
) {
  return {
    restore: async (c: Validated<{ param: { budgetId: string } & Record<IdParam, string> }>) => {
      const params = c.req.valid('param');
      // The key's answer, exactly as answered below, committed with the restore.
      const completeKey = keyCompletion(c, (item: Item) => jsonAnswer(200, present(item), item.version));
      const restored = await service.restore(params.budgetId, c.get('userId'), params[idParam], completeKey);
      setEtag(c, restored.version);
      return c.json(present(restored), 200);
    },
    listDeleted: async (c: Validated<{ param: { budgetId: string }; query: { limit: number; cursor?: string | undefined } }>) => {
      const page = await service.listDeleted(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
      return c.json({ items: page.items.map((d) => ({ ...presentItem(d), ...presentDeletion(d) })), nextCursor: page.nextCursor }, 200);
    },
  };
}

/** A restorable copy's own fields (schemas/restore.schemas.ts deletionFields): who deleted it, when, and until when it can come back. */
function presentDeletion(d: Deletion) {
  return { deletedAt: d.deletedAt, deletedBy: d.deletedBy, restorableUntil: new Date(Date.parse(d.deletedAt) + RESTORE_WINDOW_SECONDS * 1000).toISOString() };
}
