import { defineEvent } from '@budgeting/platform';
import { z } from 'zod';

/**
 * The expenses module's event contracts. Each is written to the outbox in the same
 * transaction as the expense change and the running totals it moves, so an event exists
 * exactly when its change committed. Amounts are minor units of the budget's currency.
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const expenseFacts = () => ({
  expenseId: z.string().min(1),
  budgetId: z.string().min(1),
  amount: z.number().int().positive(),
  categoryId: z.string().min(1).nullable(),
  occurredOn: date,
  merchant: z.string().nullable(),
});

/** Before and after of each changed field (absent text is null): the activity log shows them. */
const fieldChanges = () => z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }));

/**
 * `via` (optional: absent means a single API write): how it was recorded, so the activity log
 * can tell an import or a recurring occurrence (`recurringExpenseId`, recorded by the schedule
 * on behalf of `createdBy`, the definition's creator) from a write by hand.
 */
export const expenseRecorded = defineEvent(
  'expenses',
  'expense.recorded',
  1,
  () => z.object({
    ...expenseFacts(),
    createdBy: z.string().min(1),
    version: z.number().int().positive(),
    via: z.enum(['api', 'import', 'recurring']).optional(),
    recurringExpenseId: z.string().min(1).optional(),
  }),
);

/** `previous` carries what the totals moved away from, so subscribers can adjust their own views. */
export const expenseUpdated = defineEvent(
  'expenses',
  'expense.updated',
  1,
  () => z.object({
    ...expenseFacts(),
    updatedBy: z.string().min(1),
    version: z.number().int().positive(),
    previous: z.object({
      amount: z.number().int().positive(),
      categoryId: z.string().min(1).nullable(),
      occurredOn: date,
    }),
    changes: fieldChanges().optional(),
  }),
);

export const expenseDeleted = defineEvent(
  'expenses',
  'expense.deleted',
  1,
  () => z.object({ ...expenseFacts(), deletedBy: z.string().min(1) }),
);

export type ExpenseRecordedData = z.infer<typeof expenseRecorded.data>;
export type ExpenseUpdatedData = z.infer<typeof expenseUpdated.data>;
export type ExpenseDeletedData = z.infer<typeof expenseDeleted.data>;
