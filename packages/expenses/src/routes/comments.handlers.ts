import { jsonAnswer, keyCompletion, pickFields, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ExpenseComment } from '../model';
import type { CommentsService } from '../service/comments.service';
import type * as routes from './comments.routes';

export function commentsHandlers(service: CommentsService) {
  const create: RouteHandler<typeof routes.createComment, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    const location = (comment: ExpenseComment) => `/v1/budgets/${encodeURIComponent(budgetId)}/expenses/${encodeURIComponent(expenseId)}/comments/${comment.id}`;
    // The key's answer, exactly as answered below (a comment has no version, so no ETag), committed with the comment.
    const completeKey = keyCompletion(c, (comment: ExpenseComment) => jsonAnswer(201, present(comment), undefined, location(comment)));
    const created = await service.create(budgetId, c.get('userId'), expenseId, c.req.valid('json').text, c.get('idempotentResourceId'), completeKey);
    c.header('Location', location(created));
    return c.json(present(created), 201);
  };
  const list: RouteHandler<typeof routes.listComments, AppEnv> = async (c) => {
    const { budgetId, expenseId } = c.req.valid('param');
    const page = await service.list(budgetId, c.get('userId'), expenseId, c.req.valid('query'));
    return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
  };
  const get: RouteHandler<typeof routes.getComment, AppEnv> = async (c) => {
    const { budgetId, expenseId, commentId } = c.req.valid('param');
    return c.json(present(await service.get(budgetId, c.get('userId'), expenseId, commentId)), 200);
  };
  const remove: RouteHandler<typeof routes.deleteComment, AppEnv> = async (c) => {
    const { budgetId, expenseId, commentId } = c.req.valid('param');
    await service.remove(budgetId, c.get('userId'), expenseId, commentId);
    return c.body(null, 204);
  };
  return { create, list, get, remove };
}

/** The API shape: exactly the Comment schema's fields. */
const present = (comment: ExpenseComment) => pickFields(comment, ['id', 'budgetId', 'expenseId', 'authorId', 'text', 'createdAt'] as const);
