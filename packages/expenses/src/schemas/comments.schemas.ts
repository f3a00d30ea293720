import { hasVisibleText } from '@budgeting/platform';
import { freeText, listSchema, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { codePoints, COMMENT_TEXT_MAX } from '../domain/comments';
import { ID_MAX } from '../domain/text-limits';
import { budgetId } from './expenses.schemas';

/**
 * The comments API's bodies and responses (domain/comments.ts). `text` is free text (kept as
 * written, trimmed; ill-formed Unicode refused), measured in characters (code points: an emoji
 * is one), so a 1,000-character comment in any script fits. Unknown fields are refused and named.
 */
const lengthError = `Must be 1 to ${COMMENT_TEXT_MAX} characters after trimming (at least one visible)`;

// freeText's own bound is in UTF-16 units, which would count an emoji twice: the one that
// matters is the code-point refinement after it (4 bytes a character at most in the 1 MB body).
export const CreateCommentBody = z
  .object({
    text: freeText(COMMENT_TEXT_MAX * 2, undefined, lengthError)
      // A comment with nothing to read (only zero width spaces, bidi marks) is empty; the text itself is kept as written.
      .refine(hasVisibleText, { error: lengthError, abort: true })
      .refine((t) => codePoints(t) <= COMMENT_TEXT_MAX, { error: lengthError })
      .openapi({ description: `1..${COMMENT_TEXT_MAX} characters after trimming (an emoji counts as one).`, example: 'Birthday present for Sam, split with Alex.' }),
  })
  .strict()
  .openapi('CreateComment', { example: { text: 'Birthday present for Sam, split with Alex.' } });

export const CommentSchema = z
  .object({
    id: z.string().openapi({ example: '01JDCOMMENT0000000000000001', description: 'A ULID: comments sort by it in the order they were written.' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    expenseId: z.string().openapi({ example: '01JDEXPENSE0000000000000001' }),
    authorId: z.string().openapi({ example: '01JDUSER0000000000000000001', description: 'Who wrote it; kept when their account is deleted (then no longer a member).' }),
    text: z.string().openapi({ example: 'Birthday present for Sam, split with Alex.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('Comment');

export const CommentPageSchema = listSchema('CommentPage', CommentSchema);

export const ListCommentsQuery = z.object({ ...paginationQuery }).strict();

const expenseId = z.string().min(1).max(ID_MAX).openapi({ param: { name: 'expenseId', in: 'path' }, example: '01JDEXPENSE0000000000000001' });

export const CommentsParams = z.object({ budgetId, expenseId }).strict();

export const CommentParams = CommentsParams.extend({
  commentId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'commentId', in: 'path' }, example: '01JDCOMMENT0000000000000001' }),
}).strict();

export type CreateCommentInput = z.infer<typeof CreateCommentBody>;
export type ListCommentsInput = z.infer<typeof ListCommentsQuery>;
