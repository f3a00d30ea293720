import { jsonAnswer, keyCompletion, pickFields, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { AttachmentsService, ShownAttachment } from '../service/attachments.service';
import type * as routes from './attachments.routes';

export function attachmentsHandlers(service: AttachmentsService) {
  const create: RouteHandler<typeof routes.createAttachment, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    const location = (a: ShownAttachment) => `/v1/budgets/${encodeURIComponent(budgetId)}/expenses/${encodeURIComponent(expenseId)}/attachments/${a.id}`;
    // The key's answer, exactly as answered below (no ETag: an attachment has no versions), committed with the item.
    const completeKey = keyCompletion(c, (a: ShownAttachment) => jsonAnswer(201, present(a), undefined, location(a)));
    const created = await service.create(budgetId, c.get('userId'), expenseId, c.req.valid('json'), c.get('idempotentResourceId'), completeKey);
    c.header('Location', location(created));
    return c.json(present(created), 201);
  };
  const list: RouteHandler<typeof routes.listAttachments, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    return c.json({ items: (await service.list(budgetId, c.get('userId'), expenseId)).map(present) }, 200);
  };
  const get: RouteHandler<typeof routes.getAttachment, AppEnv> = async (c) => {
    const { budgetId, expenseId, attachmentId } = c.req.valid('param');
    return c.json(present(await service.get(budgetId, c.get('userId'), expenseId, attachmentId)), 200);
  };
  const remove: RouteHandler<typeof routes.deleteAttachment, AppEnv> = async (c) => {
    const { budgetId, expenseId, attachmentId } = c.req.valid('param');
    await service.remove(budgetId, c.get('userId'), expenseId, attachmentId);
    return c.body(null, 204);
  };
  return { create, list, get, remove };
}

/** The API shape: exactly the Attachment schema's fields. */
function present(a: ShownAttachment) {
  return pickFields(a, PUBLIC_FIELDS);
}

const PUBLIC_FIELDS = [
  'id', 'budgetId', 'expenseId', 'status', 'contentType', 'size', 'fileName', 'createdBy', 'createdAt', 'uploadExpiresAt', 'uploadedAt', 'upload', 'download',
] as const;
