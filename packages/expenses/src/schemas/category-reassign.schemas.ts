import { z } from '@hono/zod-openapi';
import { BulkUndoHandle, ExpenseWriteFailureSchema } from './bulk.schemas';
import { ID_MAX, budgetId, categoryId } from './expenses.schemas';

/** The most expenses one reassign call writes (`more` says whether others are left: call again). */
export const REASSIGN_MAX_WRITES = 100;
/** The most index entries (of the category's partition and the budget's split expenses) one call reads. */
export const REASSIGN_MAX_EXAMINED = 1_000;

export const ReassignCategoryParams = z
  .object({
    budgetId,
    categoryId: z
      .string()
      .min(1)
      .max(ID_MAX)
      .openapi({
        param: { name: 'categoryId', in: 'path' },
        example: '01JDCATEATINGOUT000000000A',
        description: 'The category whose expenses move: one of the budget\'s, or one it no longer has (expenses keep a removed category\'s id).',
      }),
  })
  .strict();

export const ReassignCategoryBody = z
  .object({
    to: categoryId.openapi({ description: "One of the budget's current categories, not the one in the path: where the expenses go." }),
    cursor: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .openapi({ description: "The `cursor` of the previous call's answer: go on right after what it read. Without it a call starts from the newest expense (also correct: moved expenses have left the category)." }),
  })
  .strict()
  .openapi('ReassignCategory', { example: { to: '01JDCATGROCERIES000000000A' } });

export const CategoryReassignmentSchema = z
  .object({
    from: z.string().openapi({ example: '01JDCATEATINGOUT000000000A', description: 'The category in the path.' }),
    to: z.string().openapi({ example: '01JDCATGROCERIES000000000A' }),
    moved: z
      .array(
        z
          .object({
            id: z.string().openapi({ example: '01JDEXPENSE000000000000001' }),
            version: z.number().int().openapi({ example: 2, description: "The expense's version after the move (its new ETag)." }),
          })
          .openapi('CategoryReassignmentMove'),
      )
      .openapi({ description: `The expenses this call moved (at most ${REASSIGN_MAX_WRITES}), newest first: filed under \`to\`, or of a split expense its parts in \`from\` (merged with its part in \`to\`).` }),
    failed: z
      .array(ExpenseWriteFailureSchema)
      .openapi({ description: 'The expenses whose write failed in this call, newest first; empty when none did. They stay in the category. A `retryable` one is retried by the next call: the `cursor` resumes right before the newest of them, and a call without `cursor` starts from the newest. One not `retryable` is passed over: the `cursor` goes on past it.' }),
    more: z.boolean().openapi({ example: false, description: 'Whether expenses of `from` may be left: call again with `cursor`. Also true when the call stopped at its read bound with nothing moved (many split expenses of other categories), and when a `retryable` one `failed` (not for one that is not retryable).' }),
    cursor: z
      .string()
      .nullable()
      .openapi({ example: null, description: 'With `more`: send it back as `cursor` to go on right after what this call read (right before the newest `retryable` `failed` expense, if any). Null when nothing is left, or with `more` when a call from the newest must retry its newest expense: call again without `cursor`.' }),
    undo: BulkUndoHandle.nullable().openapi({
      description:
        'How to undo THIS call for 24 hours (`POST .../expenses/bulk/{id}/undo`: each expense it moved put back, categories and split parts as they were, unless changed since); null when it moved nothing, or when the budget was deleted meanwhile (nothing left to undo). A client following `more`/`cursor` gets one undo per call: undo each to undo them all.',
    }),
  })
  .openapi('CategoryReassignment', {
    example: { from: '01JDCATEATINGOUT000000000A', to: '01JDCATGROCERIES000000000A', moved: [{ id: '01JDEXPENSE000000000000001', version: 2 }], failed: [], more: false, cursor: null, undo: { id: '01JDBULK0000000000000000001', expiresAt: '2026-11-26T09:00:00.000Z' } },
  });

export type ReassignCategoryInput = z.infer<typeof ReassignCategoryBody>;
