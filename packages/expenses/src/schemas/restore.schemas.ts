import { listSchema, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { ExpenseSchema } from './expenses.schemas';
import { IncomeSchema } from './income.schemas';

/** What a restorable copy adds to the item it keeps (an expense's, an income entry's): when and by whom it was deleted, and until when it can come back. */
export const deletionFields = {
  deletedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:30:00.000Z' }),
  deletedBy: z.string().openapi({ example: '01JDUSER0000000000000000001' }),
  restorableUntil: z
    .string()
    .openapi({ format: 'date-time', example: '2026-12-24T12:30:00.000Z', description: '30 days after `deletedAt`: after it the item is gone for good.' }),
};

/** A deleted expense that can still be restored: the expense as it was deleted, and when and by whom. */
// Spelled out (not `.extend`, which the generator writes as an allOf of the Expense schema).
export const RestorableExpenseSchema = z.object({ ...ExpenseSchema.shape, ...deletionFields }).openapi('RestorableExpense');

/** A deleted income entry that can still be restored: the entry as it was deleted, and when and by whom. */
export const RestorableIncomeSchema = z.object({ ...IncomeSchema.shape, ...deletionFields }).openapi('RestorableIncome');

export const RestorableIncomeListSchema = listSchema('RestorableIncomeList', RestorableIncomeSchema);

export const RestorableExpenseListSchema = listSchema('RestorableExpenseList', RestorableExpenseSchema);

export const ListDeletedExpensesQuery = z.object({ ...paginationQuery }).strict();
/** The same paging for GET .../income/deleted. */
export const ListDeletedIncomeQuery = ListDeletedExpensesQuery;

export type ListDeletedExpensesInput = z.infer<typeof ListDeletedExpensesQuery>;
