import { ProblemSchema, idText } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { budgetId, categoryId, ExpenseSchema, ID_MAX, tags } from './expenses.schemas';

/**
 * POST /v1/budgets/{budgetId}/expenses/bulk: one change applied to many expenses (a phone's
 * multi-select), each through the single PATCH/DELETE write (see service/bulk.service.ts).
 * The body is checked whole first (a 400 naming `expenseIds`, `expenseIds.<n>`, `action.type`,
 * `action.tags.<n>`...); what only an expense can tell (gone, split) is answered per item.
 */
export const BULK_MAX_EXPENSES = 100;

export const expenseId = idText(128).openapi({ example: '01JDEXPENSE0000000000000001' });

/** An id list's check that no id is sent twice (bulk edit, duplicates' dismissal): the repeat named by its index. */
export function eachOnce(ids: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [n, id] of ids.entries()) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [n], message: 'Sent twice: each expense id once' });
    seen.add(id);
  }
}

const Recategorize = z
  .object({
    type: z.literal('recategorize'),
    // Required, as PATCH's when sent: null makes the expenses uncategorized.
    categoryId: categoryId.nullable().openapi({ description: "One of the budget's category ids; null makes the expenses uncategorized." }),
  })
  .strict()
  .openapi('BulkRecategorize');
// The same tag rules as an expense's (at most 10, each 1..32 characters), and at least one.
const tagList = tags.min(1, { error: 'Send at least one tag' });
const AddTags = z
  .object({ type: z.literal('addTags'), tags: tagList.openapi({ description: 'Added after the tags each expense has (tags it has already, ignoring case and accents, are kept as they are).' }) })
  .strict()
  .openapi('BulkAddTags');
const RemoveTags = z
  .object({ type: z.literal('removeTags'), tags: tagList.openapi({ description: 'Removed from each expense, ignoring case and accents.' }) })
  .strict()
  .openapi('BulkRemoveTags');
// The review of imported rows (domain/review.ts): each expense written as a PATCH `{reviewed: true}`.
const MarkReviewed = z.object({ type: z.literal('markReviewed') }).strict().openapi('BulkMarkReviewed');
const Delete = z.object({ type: z.literal('delete') }).strict().openapi('BulkDelete');

export const BulkBody = z
  .object({
    expenseIds: z
      .array(expenseId)
      .min(1, { error: 'Send at least one expense id' })
      .max(BULK_MAX_EXPENSES, { error: `At most ${BULK_MAX_EXPENSES} expenses per request` })
      .superRefine(eachOnce)
      .openapi({ uniqueItems: true, description: `1..${BULK_MAX_EXPENSES} distinct expense ids of this budget; the results come in this order.` }),
    action: z.discriminatedUnion('type', [Recategorize, AddTags, RemoveTags, MarkReviewed, Delete]),
  })
  .strict()
  .openapi('BulkEditExpenses', {
    example: { expenseIds: ['01JDEXPENSE0000000000000001', '01JDEXPENSE0000000000000002'], action: { type: 'recategorize', categoryId: '01JDCATGROCERIES000000000A' } },
  });

/**
 * The statuses one item can get: what a PATCH (200) or DELETE (204) of it alone would answer.
 * 400 and 422: its PATCH refuses the change for what the expense holds (a legacy or damaged item,
 * e.g. split parts not adding up to its amount: no request makes one); that expense alone, as a
 * rule apply's or a reassign's `failed` entry (until 2026-12-07 it failed the whole call, 400,
 * after the others had been written, with no undo).
 */
export const BULK_ITEM_STATUSES = [200, 204, 400, 404, 409, 422, 503] as const;

const BulkItemResult = z
  .object({
    expenseId: z.string(),
    status: z.union(BULK_ITEM_STATUSES.map((s) => z.literal(s))).openapi({
      description:
        '200: changed, or already as asked (nothing written); 204: deleted; 400 or 422: its PATCH refuses the change for what this expense holds (a legacy or damaged item; `problem` names the field): change the expense itself; 404: no such expense in this budget; ' +
        '409: not applicable to this expense (a split expense recategorized, more than 10 tags) or changed by others too often meanwhile; 503: throttled, retry it.',
    }),
    // No descriptions on these two: a described $ref becomes an allOf (see ExpenseSchema's `foreign`).
    expense: ExpenseSchema.optional(),
    problem: ProblemSchema.optional(),
  })
  .openapi('BulkEditResult', {
    description:
      'One expense\'s result: `expense` (status 200) is the expense after the change; `problem` (4xx, 5xx) says why this one was not changed, as its own PATCH or DELETE would.',
  });

/** A write over many's undo (a bulk edit's, a category reassign's, a rule apply's: one record kind, one undo route). */
export const BulkUndoHandle = z
  .object({
    id: z.string().openapi({ example: '01JDBULK0000000000000000001', description: 'The undo\'s id: POST .../expenses/bulk/{bulkId}/undo (the same route for a bulk edit, a category reassign and a rule apply).' }),
    expiresAt: z.string().openapi({ example: '2026-11-26T09:00:00.000Z', description: 'Until when it can be undone (24 hours).' }),
  })
  .openapi('BulkUndoHandle');

export const BulkResultSchema = z
  .object({
    results: z.array(BulkItemResult).openapi({ description: 'One per expense id, in the order sent.' }),
    succeeded: z.number().int().openapi({ description: 'Results with status 200 or 204.' }),
    failed: z.number().int().openapi({ description: 'The other results.' }),
    undo: BulkUndoHandle.nullable().openapi({
      description: 'How to undo this bulk edit for 24 hours (`POST .../expenses/bulk/{id}/undo`); null when nothing was written (every expense already as asked or failed), or when the budget was deleted meanwhile (nothing left to undo).',
    }),
  })
  .openapi('BulkEditResults', {
    example: {
      results: [
        {
          expenseId: '01JDEXPENSE0000000000000001',
          status: 200,
          expense: {
            id: '01JDEXPENSE0000000000000001', budgetId: '01JDBUDGET00000000000000001', amount: 1250, categoryId: '01JDCATGROCERIES000000000A',
            occurredOn: '2026-11-24', merchant: 'Corner Market', createdBy: '01JDUSER0000000000000000001', reviewed: true, version: 2,
            createdAt: '2026-11-24T12:00:00.000Z', updatedAt: '2026-11-25T09:00:00.000Z',
          },
        },
        {
          expenseId: '01JDEXPENSE0000000000000002',
          status: 404,
          problem: { type: 'https://budgeting.dev/problems/not-found', title: 'Not found', status: 404, detail: 'Expense not found.' },
        },
      ],
      succeeded: 1,
      failed: 1,
      undo: { id: '01JDBULK0000000000000000001', expiresAt: '2026-11-26T09:00:00.000Z' },
    },
  });

/**
 * An expense a write over many (a rule apply, a category reassign) could not write, as its own
 * PATCH would answer, with whether calling again may write it (domain/write-retry.ts): not
 * changed, the others still written. As a bulk edit's item problem (service/bulk.service.ts).
 */
export const ExpenseWriteFailureSchema = z
  .object({
    id: z.string().openapi({ example: '01JDEXPENSE000000000000002' }),
    // No description: a described $ref becomes an allOf (as BulkEditResult's problem).
    problem: ProblemSchema,
    retryable: z.boolean().openapi({
      example: true,
      description:
        'true (409: changed by others too often meanwhile; 412; 429 or 503: throttled; another 5xx): the next call retries it, and `more` is true. ' +
        'false (its PATCH refuses this change, a 400 or 422 about the expense as stored): sent again it meets the same refusal, so it does not make `more` true and a cursor goes on past it; change the expense itself (its `problem` says why), then call again.',
    }),
    reason: z.string().optional().openapi({ description: 'With `retryable: false`: why it is passed over.' }),
  })
  .openapi('ExpenseWriteFailure', {
    description: 'An expense whose write failed, as its own PATCH would answer: not changed. The others were written.',
  });

export const BulkUndoParams = z
  .object({
    budgetId,
    bulkId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'bulkId', in: 'path' }, example: '01JDBULK0000000000000000001' }),
  })
  .strict();

/** Why an expense of the bulk edit (reassign, rule apply) was not put back (domain/bulk-undo.ts KeptReason). */
export const BULK_UNDO_KEPT_REASONS = ['changed', 'not-restorable', 'gone', 'category-removed'] as const;

export const BulkUndoResultSchema = z
  .object({
    id: z.string().openapi({ description: 'The bulk edit, category reassign or rule apply undone (its `undo.id`).' }),
    undone: z.array(z.string()).openapi({ description: 'The expenses put back as they were before that call (each a new version), in the order it wrote them.' }),
    kept: z
      .array(
        z.object({
          expenseId: z.string(),
          reason: z.enum(BULK_UNDO_KEPT_REASONS).openapi({
            description:
              '`changed`: changed since the call undone (a later change is never overwritten); `not-restorable`: deleted by the bulk edit and no longer restorable (restored since, or its restorable copy is gone), or written by a reassign or rule apply whose before-image was too large to record (split parts with long descriptions past the record\'s 300 KB bound); `gone`: deleted since; `category-removed`: it would go back to a category (its own or a split part\'s) the budget no longer has (e.g. a reassign out of a removed category), so it stays where the call put it.',
          }),
        }),
      )
      .openapi({ description: 'Expenses left as they are now.' }),
    failed: z
      .array(z.object({ expenseId: z.string(), problem: ProblemSchema }))
      .openapi({ description: 'Expenses whose write-back failed, as their own PATCH or restore would answer (a category removed from the budget since is not a failure: `kept` with `category-removed`).' }),
  })
  .openapi('BulkUndoResult', {
    example: {
      id: '01JDBULK0000000000000000001',
      undone: ['01JDEXPENSE0000000000000001'],
      kept: [{ expenseId: '01JDEXPENSE0000000000000002', reason: 'changed' }],
      failed: [],
    },
  });

export type BulkInput = z.infer<typeof BulkBody>;
export type BulkAction = BulkInput['action'];
