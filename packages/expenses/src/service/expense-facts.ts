import { createEvent, type Clock } from '@budgeting/platform';
import { expenseRecorded } from '../events';
import type { Expense } from '../model';
import type { Publish } from '../repository/expenses.repository';

/** What every expense event says about the expense. */
export function facts(e: Expense) {
  return {
    expenseId: e.id,
    budgetId: e.budgetId,
    amount: e.amount,
    categoryId: e.categoryId,
    occurredOn: e.occurredOn,
    merchant: e.merchant ?? null,
  };
}

/** The expense.recorded event of a new expense (POST /expenses and the recurring job alike). */
export function recordedEvent(expense: Expense, clock: Clock): Publish {
  const event = createEvent(expenseRecorded, { ...facts(expense), createdBy: expense.createdBy, version: expense.version }, clock);
  return { contract: expenseRecorded, event };
}
