import {
  CreateExpenseBody,
  ExpenseListSchema,
  ExpenseParams,
  ExpenseSchema,
  ListExpensesQuery,
  UpdateExpenseBody,
} from '../schemas/expenses.schemas';
import { budgetResourceRoutes } from './budget-resource';
import { LIST_MAX_EXAMINED } from '../domain/expense-search';

/**
 * The expense routes: paths, validation and OpenAPI in one place (routes/index.ts attaches
 * authentication and Idempotency-Key). Their contract is the one every versioned resource in
 * a budget keeps (budget-resource.ts).
 */
export const expenseRoutes = budgetResourceRoutes({
  tag: 'Expenses',
  collection: '/v1/budgets/{budgetId}/expenses',
  item: '/v1/budgets/{budgetId}/expenses/{expenseId}',
  schemas: {
    params: ExpenseParams,
    query: ListExpensesQuery,
    item: ExpenseSchema,
    list: ExpenseListSchema,
    create: CreateExpenseBody,
    update: UpdateExpenseBody,
  },
  create: {
    operationId: 'createExpense',
    summary: 'Record an expense',
    description:
      'Owners and editors. `amount` is in minor units of the budget currency; `categoryId` must be one of the budget\'s categories. A split expense sends `splits` instead (2..50 parts adding up to `amount`, each in one of the budget\'s categories or null). Optional `tags` (at most 10, each 1..32 characters; equal ignoring case and accents: the first spelling is kept). Optional `foreign: {amount, currency}`: what was actually paid in another currency (minor units of that ISO 4217 currency, not the budget\'s); a record only, never converted or counted: `amount` stays what the budget was charged. Optional `sharedWith`: 1..50 distinct user ids among whom the settle-up balances split this expense by their shares (absent or null: every member; the payer alone: a personal expense); each a member (else a 400 naming `sharedWith.<n>`). Or optional `sharedAmounts`: 1..50 `{userId, amount}` adding up exactly to `amount`, each member owing exactly their amount in the balances (not with `sharedWith`; a stranger is a 400 naming `sharedAmounts.<n>.userId`). A 409 naming `amount` when the month\'s running totals would pass 2^53 - 1 minor units (nothing recorded). Send an `Idempotency-Key` so a retry never records it twice.',
    created: 'Recorded (or replayed, with `Idempotent-Replayed: true`)',
    location: 'URL of the new expense.',
  },
  list: {
    operationId: 'listExpenses',
    summary: 'List expenses, newest first',
    description:
      'Any member. Newest `occurredOn` first (same day: newest first), optionally within `from`..`to` (inclusive) and one category (a split expense is listed under every category one of its parts is in), and searched: ' +
      '`q` (text in merchant or description), `merchant` (the whole merchant), both ignoring case and accents; `minAmount`..`maxAmount` (inclusive, minor units, on the expense\'s whole amount, also for a split expense); `createdBy` (a user id); `recurringExpenseId` (the expenses a recurring expense recorded, its payments, also once it is deleted); `tag` (one tag, ignoring case and accents). All filters combine with AND. ' +
      `One request examines at most ${LIST_MAX_EXAMINED.toLocaleString('en-US')} stored expenses: ` +
      'when a search (or a category over many split expenses of other categories) matches sparsely, a page can hold fewer than `limit` items, even none, and still carry a `nextCursor` that resumes where the examination stopped; ' +
      'keep following `nextCursor` until it is `null` to see every match exactly once. `nextCursor` only works with the same budget and filters.',
    page: 'One page of expenses',
  },
  get: { operationId: 'getExpense', summary: 'Get an expense', found: 'The expense' },
  update: {
    operationId: 'updateExpense',
    summary: 'Change an expense',
    description:
      'Owners and editors. Send only the fields to change (`null` clears categoryId, splits, description, merchant, tags, foreign, sharedWith, sharedAmounts (every member shares it again; sending one of the two removes the other); `tags: []` clears them too; `foreign` is replaced whole; a split expense\'s `amount` changes only together with its `splits`, and one with `sharedAmounts` only together with new ones: else a 400 naming `sharedAmounts`). With `If-Match`, the change applies only to that version (412 otherwise). A 409 naming `amount` when a larger amount (or another month) would take that month\'s running totals past 2^53 - 1 minor units (nothing changed).',
    changed: 'The changed expense',
  },
  remove: {
    operationId: 'deleteExpense',
    summary: 'Delete an expense',
    description: 'Owners and editors. With `If-Match`, deletes only that version (412 otherwise).',
  },
});
