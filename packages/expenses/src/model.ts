import type { Schedule } from './domain/recurrence';

/** An expense as the module keeps it and the API returns it. Money in minor units. */
export interface Expense {
  id: string;
  budgetId: string;
  amount: number;
  categoryId: string | null;
  occurredOn: string;
  description?: string;
  merchant?: string;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The part of an expense that the running totals depend on. */
export interface Contribution {
  amount: number;
  categoryId: string | null;
  occurredOn: string;
}

export const contributionOf = (e: Expense): Contribution => ({
  amount: e.amount,
  categoryId: e.categoryId,
  occurredOn: e.occurredOn,
});

/**
 * A recurring expense: a standing instruction to record an expense on every occurrence of
 * its schedule (see recurrence.ts). `nextOccurrenceOn` is the next date not yet recorded
 * (null once the schedule has ended); the scheduled job moves it forward.
 */
export interface RecurringExpense {
  id: string;
  budgetId: string;
  amount: number;
  categoryId: string | null;
  description?: string;
  merchant?: string;
  schedule: Schedule;
  nextOccurrenceOn: string | null;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
