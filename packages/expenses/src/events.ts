import { defineEvent } from '@budgeting/platform';
import { z } from 'zod';

/**
 * The expenses module's event contracts. Each is written to the outbox in the same
 * transaction as the expense change and the running totals it moves, so an event exists
 * exactly when its change committed. Amounts are minor units of the budget's currency.
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const expenseFacts = {
  expenseId: z.string().min(1),
  budgetId: z.string().min(1),
  amount: z.number().int().positive(),
  categoryId: z.string().min(1).nullable(),
  occurredOn: date,
  merchant: z.string().nullable(),
};

export const expenseRecorded = defineEvent(
  'expenses',
  'expense.recorded',
  1,
  z.object({ ...expenseFacts, createdBy: z.string().min(1), version: z.number().int().positive() }),
);

/** `previous` carries what the totals moved away from, so subscribers can adjust their own views. */
export const expenseUpdated = defineEvent(
  'expenses',
  'expense.updated',
  1,
  z.object({
    ...expenseFacts,
    updatedBy: z.string().min(1),
    version: z.number().int().positive(),
    previous: z.object({
      amount: z.number().int().positive(),
      categoryId: z.string().min(1).nullable(),
      occurredOn: date,
    }),
  }),
);

export const expenseDeleted = defineEvent(
  'expenses',
  'expense.deleted',
  1,
  z.object({ ...expenseFacts, deletedBy: z.string().min(1) }),
);

export type ExpenseRecordedData = z.infer<typeof expenseRecorded.data>;
export type ExpenseUpdatedData = z.infer<typeof expenseUpdated.data>;
export type ExpenseDeletedData = z.infer<typeof expenseDeleted.data>;
