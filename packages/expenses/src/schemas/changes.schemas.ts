import { BudgetSchema } from '@budgeting/budgets/schemas';
import { queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { ExpenseSchema } from './expenses.schemas';
import { IncomeSchema } from './income.schemas';
import { RecurringExpenseSchema } from './recurring.schemas';
import { RecurringIncomeSchema } from './recurring-income.schemas';

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
    limit: queryInteger({ min: 1, max: CHANGES_MAX_LIMIT })
      .default(CHANGES_DEFAULT_LIMIT)
      .openapi({ param: { name: 'limit', in: 'query' }, default: CHANGES_DEFAULT_LIMIT, example: CHANGES_DEFAULT_LIMIT, description: `Changes per page, 1..${CHANGES_MAX_LIMIT}. A page may hold fewer: it ends before its items take 4 MiB (hasMore then says more follow).` }),
  })
  .strict();

/**
 * The items of a changes page, told apart by `kind` (an OpenAPI discriminator that generated
 * clients switch on): the current state of a changed expense, or the id of a deleted one.
 */
export const ChangedExpenseSchema = ExpenseSchema.extend({
  kind: z.literal('expense').openapi({ description: 'The expense as it is now (created or changed since).' }),
}).openapi('ChangedExpense');

export const DeletedExpenseSchema = z
  .object({
    kind: z.literal('deleted').openapi({ description: 'The expense was deleted since.' }),
    id: z.string().openapi({ example: '01JDEXPENSE0000000000000001' }),
    deleted: z.literal(true).openapi({ description: 'Always true; kept for clients that check it.' }),
  })
  .openapi('DeletedExpense');

/** The same two for an income entry (the `income` array). */
export const ChangedIncomeSchema = IncomeSchema.extend({
  kind: z.literal('income').openapi({ description: 'The income entry as it is now (created or changed since).' }),
}).openapi('ChangedIncome');

export const DeletedIncomeSchema = z
  .object({
    kind: z.literal('deleted').openapi({ description: 'The income entry was deleted since.' }),
    id: z.string().openapi({ example: '01JDINCOME00000000000000001' }),
    deleted: z.literal(true).openapi({ description: 'Always true; kept for clients that check it.' }),
  })
  .openapi('DeletedIncome');

/** The same two for a recurring expense definition (the `recurringExpenses` array) and a recurring income (`recurringIncome`). */
export const ChangedRecurringExpenseSchema = RecurringExpenseSchema.extend({
  kind: z.literal('recurringExpense').openapi({ description: 'The recurring expense as GET answers it now (created or changed since).' }),
}).openapi('ChangedRecurringExpense');

export const DeletedRecurringExpenseSchema = z
  .object({
    kind: z.literal('deleted').openapi({ description: 'The recurring expense was deleted since.' }),
    id: z.string().openapi({ example: '01JDRECURRING0000000000001' }),
    deleted: z.literal(true).openapi({ description: 'Always true; kept for clients that check it.' }),
  })
  .openapi('DeletedRecurringExpense');

export const ChangedRecurringIncomeSchema = RecurringIncomeSchema.extend({
  kind: z.literal('recurringIncome').openapi({ description: 'The recurring income as GET answers it now (created or changed since).' }),
}).openapi('ChangedRecurringIncome');

export const DeletedRecurringIncomeSchema = z
  .object({
    kind: z.literal('deleted').openapi({ description: 'The recurring income was deleted since.' }),
    id: z.string().openapi({ example: '01JDRECURINCOME00000000001' }),
    deleted: z.literal(true).openapi({ description: 'Always true; kept for clients that check it.' }),
  })
  .openapi('DeletedRecurringIncome');

const DEFINITIONS_NOTE =
  'absent when none changed. A first sync (and the next sync of a token issued before definitions were synced) pages through every definition after the income entries, recurring expenses first, within `limit`.';

export const ChangesSchema = z
  .object({
    serverKnowledge: z.string().openapi({ description: 'Opaque; pass it as `since` next time (and right away while hasMore).' }),
    hasMore: z.boolean().openapi({ description: 'More changes are waiting: call again with serverKnowledge.' }),
    // No description of its own here: a described $ref becomes `allOf`, which generators
    // type as `Budget & unknown`. What it means is said in the object's description.
    budget: BudgetSchema.optional(),
    expenses: z
      .array(z.discriminatedUnion('kind', [ChangedExpenseSchema, DeletedExpenseSchema]))
      .openapi({ description: 'Each expense changed since, once: `kind: "expense"` with its current state, or `kind: "deleted"`.' }),
    income: z
      .array(z.discriminatedUnion('kind', [ChangedIncomeSchema, DeletedIncomeSchema]))
      .optional()
      .openapi({
        description:
          'Each income entry changed since, once: `kind: "income"` with its current state, or `kind: "deleted"`; absent when none changed. `limit` counts expenses and income entries together; the first sync sends the income entries after the expenses.',
      }),
    recurringExpenses: z
      .array(z.discriminatedUnion('kind', [ChangedRecurringExpenseSchema, DeletedRecurringExpenseSchema]))
      .optional()
      .openapi({
        description: `Each recurring expense (bill) changed since, once: \`kind: "recurringExpense"\` as GET answers it now (its next date moved by the job too), or \`kind: "deleted"\`; ${DEFINITIONS_NOTE}`,
      }),
    recurringIncome: z
      .array(z.discriminatedUnion('kind', [ChangedRecurringIncomeSchema, DeletedRecurringIncomeSchema]))
      .optional()
      .openapi({
        description: `Each recurring income (paycheck) changed since, once: \`kind: "recurringIncome"\` as GET answers it now, or \`kind: "deleted"\`; ${DEFINITIONS_NOTE}`,
      }),
  })
  .openapi('ExpenseChanges', {
    description:
      '`budget` is present on the first sync, and whenever the budget (or your role) changed since; ' +
      '`expenses` lists each expense changed since, `income` each income entry, `recurringExpenses` and `recurringIncome` each definition, told apart by `kind`.',
    example: {
      serverKnowledge: 'eyJ2IjoxLCJzIjpbM...Q.h2kR...',
      hasMore: false,
      expenses: [{ kind: 'deleted', id: '01JDEXPENSE0000000000000002', deleted: true }],
      income: [
        {
          kind: 'income', id: '01JDINCOME00000000000000001', budgetId: '01JDBUDGET00000000000000001', amount: 320000, receivedOn: '2026-11-28',
          source: 'Acme payroll', createdBy: '01JDUSER0000000000000000001', version: 1, createdAt: '2026-11-28T09:00:00.000Z', updatedAt: '2026-11-28T09:00:00.000Z',
        },
      ],
    },
  });

export type ChangesInput = z.infer<typeof ChangesQuery>;
