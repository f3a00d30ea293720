import { BudgetSchema } from '@budgeting/budgets';
import { z } from '@hono/zod-openapi';
import { ExpenseSchema } from './expenses.schemas';

/** Page size of delta sync: the client calls again with serverKnowledge while hasMore. */
export const CHANGES_MAX_LIMIT = 500;
export const CHANGES_DEFAULT_LIMIT = 200;

export const ChangesQuery = z
  .object({
    since: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .openapi({
        param: { name: 'since', in: 'query' },
        description: 'The `serverKnowledge` of your last changes response; omit for the first sync.',
      }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(CHANGES_MAX_LIMIT)
      .default(CHANGES_DEFAULT_LIMIT)
      .openapi({ param: { name: 'limit', in: 'query' }, example: CHANGES_DEFAULT_LIMIT, description: `Changes per page, 1..${CHANGES_MAX_LIMIT}.` }),
  })
  .strict();

export const DeletedExpenseSchema = z
  .object({
    id: z.string().openapi({ example: '01JDEXPENSE0000000000000001' }),
    deleted: z.literal(true),
  })
  .openapi('DeletedExpense');

export const ChangesSchema = z
  .object({
    serverKnowledge: z.string().openapi({ description: 'Opaque; pass it as `since` next time (and right away while hasMore).' }),
    hasMore: z.boolean().openapi({ description: 'More changes are waiting: call again with serverKnowledge.' }),
    budget: BudgetSchema.optional().openapi({ description: 'On the first sync, and whenever the budget (or your role) changed since.' }),
    expenses: z
      .array(z.union([ExpenseSchema, DeletedExpenseSchema]))
      .openapi({ description: 'Current state of each expense changed since; deleted ones as `{id, deleted: true}`.' }),
  })
  .openapi('ExpenseChanges', {
    example: {
      serverKnowledge: 'eyJ2IjoxLCJzIjpbM...Q.h2kR...',
      hasMore: false,
      expenses: [{ id: '01JDEXPENSE0000000000000002', deleted: true }],
    },
  });

export type ChangesInput = z.infer<typeof ChangesQuery>;
