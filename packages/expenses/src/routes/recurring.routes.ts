import {
  CreateRecurringExpenseBody,
  ListRecurringQuery,
  RecurringExpenseListSchema,
  RecurringExpenseSchema,
  RecurringParams,
  UpdateRecurringExpenseBody,
} from '../schemas/recurring.schemas';
import { budgetResourceRoutes } from './budget-resource';

/**
 * The recurring-expense routes: paths, validation and OpenAPI in one place. Their contract is
 * the one every versioned resource in a budget keeps (budget-resource.ts).
 */
export const recurringRoutes = budgetResourceRoutes({
  tag: 'Recurring expenses',
  collection: '/v1/budgets/{budgetId}/recurring-expenses',
  item: '/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}',
  schemas: {
    params: RecurringParams,
    query: ListRecurringQuery,
    item: RecurringExpenseSchema,
    list: RecurringExpenseListSchema,
    create: CreateRecurringExpenseBody,
    update: UpdateRecurringExpenseBody,
  },
  create: {
    operationId: 'createRecurringExpense',
    summary: 'Set up a recurring expense',
    description:
      "Owners and editors. An expense of `amount` is recorded on every occurrence of `schedule` (by a scheduled job, in the budget's time zone, each occurrence exactly once), created by the caller; with `splits` (2..50 parts adding up to `amount`, as for a split expense) every occurrence is recorded as a split expense with those parts. The first is the first occurrence on or after today: a `startsOn` in the past anchors the schedule but is not back-filled. A budget holds at most 500 recurring expenses (409 past that: delete one first). Send an `Idempotency-Key` so a retry never sets it up twice.",
    created: 'Set up (or replayed, with `Idempotent-Replayed: true`)',
    location: 'URL of the new recurring expense.',
  },
  list: {
    operationId: 'listRecurringExpenses',
    summary: "List a budget's recurring expenses, oldest first",
    page: 'One page of recurring expenses',
  },
  get: { operationId: 'getRecurringExpense', summary: 'Get a recurring expense', found: 'The recurring expense' },
  update: {
    operationId: 'updateRecurringExpense',
    summary: 'Change a recurring expense',
    description:
      "Owners and editors. Send only the fields to change (`null` clears categoryId, splits, description, merchant, tags, foreign, schedule.endsOn; a split definition's `amount` changes only together with its `splits`). Expenses already recorded are not changed. A changed schedule continues from today in the budget's time zone. With `If-Match`, the change applies only to that version (412 otherwise).",
    changed: 'The changed recurring expense',
  },
  remove: {
    operationId: 'deleteRecurringExpense',
    summary: 'Stop and delete a recurring expense',
    description: 'Owners and editors. Expenses already recorded stay. With `If-Match`, deletes only that version (412 otherwise).',
  },
});
