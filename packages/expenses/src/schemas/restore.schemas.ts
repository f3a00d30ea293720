import { listSchema, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { ExpenseSchema } from './expenses.schemas';

/** A deleted expense that can still be restored: the expense as it was deleted, and when and by whom. */
// Spelled out (not `.extend`, which the generator writes as an allOf of the Expense schema).
export const RestorableExpenseSchema = z.object({
  ...ExpenseSchema.shape,
  deletedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:30:00.000Z' }),
  deletedBy: z.string().openapi({ example: '01JDUSER0000000000000000001' }),
  restorableUntil: z
    .string()
    .openapi({ format: 'date-time', example: '2026-12-24T12:30:00.000Z', description: '30 days after `deletedAt`: after it the expense is gone for good.' }),
}).openapi('RestorableExpense');

export const RestorableExpenseListSchema = listSchema('RestorableExpenseList', RestorableExpenseSchema);

export const ListDeletedExpensesQuery = z.object({ ...paginationQuery }).strict();

export type ListDeletedExpensesInput = z.infer<typeof ListDeletedExpensesQuery>;
