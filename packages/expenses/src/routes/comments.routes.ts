import { bearerSecurity, jsonBody, jsonContent, limitReachedResponse, locationHeader, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MAX_COMMENTS_PER_EXPENSE } from '../domain/comments';
import { IdempotencyHeaders } from '../schemas/expenses.schemas';
import { CommentPageSchema, CommentParams, CommentSchema, CommentsParams, CreateCommentBody, ListCommentsQuery } from '../schemas/comments.schemas';

/** Comments on an expense (service/comments.service.ts). */
const collection = '/v1/budgets/{budgetId}/expenses/{expenseId}/comments';
const common = { tags: ['Comments'], security: bearerSecurity };

export const createComment = createRoute({
  method: 'post',
  path: collection,
  operationId: 'createExpenseComment',
  summary: 'Comment on an expense',
  description:
    'Owners and editors (who may change the expense; viewers read comments but write none). `text`: 1..1000 characters after trimming. ' +
    'At most 200 comments per expense (409 past that: delete one first). The expense\'s creator and everyone who commented on it before get a notification (never the author). ' +
    'With an `Idempotency-Key`, a retry answers the first attempt\'s comment instead of writing a second one.',
  ...common,
  request: { params: CommentsParams, headers: IdempotencyHeaders, body: jsonBody(CreateCommentBody) },
  responses: {
    201: { description: 'Written', headers: locationHeader, content: jsonContent(CommentSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
    409: limitReachedResponse(
      { collection: 'comments', limit: MAX_COMMENTS_PER_EXPENSE, detail: `An expense can have at most ${MAX_COMMENTS_PER_EXPENSE} comments (the limit); delete one first.` },
      '`conflict` or `budget-archived` as the description says',
    ),
  },
});

export const listComments = createRoute({
  method: 'get',
  path: collection,
  operationId: 'listExpenseComments',
  summary: "List an expense's comments",
  description: 'Any member. Oldest first, paged (`limit`, `cursor`). Deleting the expense deletes its comments; restoring it does not bring them back.',
  ...common,
  request: { params: CommentsParams, query: ListCommentsQuery },
  responses: { 200: { description: 'A page of comments', content: jsonContent(CommentPageSchema) }, ...problemResponses(400, 401, 404) },
});

export const getComment = createRoute({
  method: 'get',
  path: `${collection}/{commentId}`,
  operationId: 'getExpenseComment',
  summary: 'Get a comment',
  description:
    "Any member, as the list: the comment as the list shows it (the create's `Location`). No ETag: a comment never changes, only its deletion. " +
    "A deleted comment, or any comment of a deleted expense, is a 404, as the expense's list.",
  ...common,
  request: { params: CommentParams },
  responses: { 200: { description: 'The comment', content: jsonContent(CommentSchema) }, ...problemResponses(400, 401, 404) },
});

export const deleteComment = createRoute({
  method: 'delete',
  path: `${collection}/{commentId}`,
  operationId: 'deleteExpenseComment',
  summary: 'Delete a comment',
  description: "The comment's author (while a member, whatever their role) or the budget's owner.",
  ...common,
  request: { params: CommentParams },
  // 409: the budget is archived (read-only), or was archived while the delete was written.
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409) },
});
