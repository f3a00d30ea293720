import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetParams } from '../schemas/expenses.schemas';
import {
  CreateRecurringIncomeBody,
  ListRecurringIncomeQuery,
  MAX_UPCOMING_INCOME,
  RecurringIncomeListSchema,
  RecurringIncomeParams,
  RecurringIncomeSchema,
  UPCOMING_INCOME_MAX_DAYS,
  UpcomingIncomeQuery,
  UpcomingIncomeSchema,
  UpdateRecurringIncomeBody,
} from '../schemas/recurring-income.schemas';
import { budgetResourceRoutes } from './budget-resource';

/**
 * Recurring income (paychecks on a schedule): paths, validation and OpenAPI in one place. The
 * contract of every versioned resource in a budget (budget-resource.ts).
 */
export const recurringIncomeRoutes = budgetResourceRoutes({
  tag: 'Income',
  collection: '/v1/budgets/{budgetId}/recurring-income',
  item: '/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}',
  schemas: {
    params: RecurringIncomeParams,
    query: ListRecurringIncomeQuery,
    item: RecurringIncomeSchema,
    list: RecurringIncomeListSchema,
    create: CreateRecurringIncomeBody,
    update: UpdateRecurringIncomeBody,
  },
  create: {
    operationId: 'createRecurringIncome',
    summary: 'Schedule income (a salary, a paycheck)',
    description:
      "Owners and editors. An income entry of `amount` (with `source` and `description`) is recorded on every occurrence of `schedule` (the recurring expenses' schedule: `frequency`, `interval`, `startsOn`, `endsOn` or `count`) by an hourly job, in the budget's time zone, each occurrence exactly once, created by the caller; its month's income (GET .../cash-flow) moves with it. " +
      'The first is the first occurrence on or after today: a `startsOn` in the past anchors the schedule but is not back-filled. A budget holds at most 100 (409 past that). An archived budget refuses it (409 budget-archived). Send an `Idempotency-Key` so a retry never sets it up twice.',
    created: 'Set up (or replayed, with `Idempotent-Replayed: true`)',
    location: 'URL of the new recurring income.',
  },
  list: {
    operationId: 'listRecurringIncome',
    summary: "List a budget's recurring income, oldest first",
    description: 'Any member.',
    page: 'One page of recurring income',
  },
  get: { operationId: 'getRecurringIncome', summary: 'Get a recurring income', description: 'Any member.', found: 'The recurring income' },
  update: {
    operationId: 'updateRecurringIncome',
    summary: 'Change a recurring income',
    description:
      "Owners and editors. Send only the fields to change (`null` clears source, description, schedule.endsOn, schedule.count). Entries already recorded are not changed. A changed schedule continues from today in the budget's time zone. " +
      '`paused: true` pauses it (nothing recorded, `nextOccurrenceOn` null); `paused: false` resumes it from today: occurrences that fell while paused are not recorded. With `If-Match`, the change applies only to that version (412 otherwise).',
    changed: 'The changed recurring income',
  },
  remove: {
    operationId: 'deleteRecurringIncome',
    summary: 'Stop and delete a recurring income',
    description: 'Owners and editors. Income entries already recorded stay. With `If-Match`, deletes only that version (412 otherwise).',
  },
});

/** The next occurrences (service/recurring-income.service.ts upcoming). Registered before /recurring-income/{recurringIncomeId}. */
export const listUpcomingIncome = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/recurring-income/upcoming',
  operationId: 'listUpcomingIncome',
  summary: 'List the recurring income still to record through a date',
  description:
    `Any member, viewers included. The occurrences of the budget's recurring income still to record, from each one's \`nextOccurrenceOn\` through \`to\` (from today in the budget's time zone, at most ${UPCOMING_INCOME_MAX_DAYS} days including today; default 30 days), nearest first; paused and ended ones have none. ` +
    `At most ${MAX_UPCOMING_INCOME} are listed (\`truncated\` then says so); \`total\` and \`count\` count them all. A \`to\` out of range is a 400 naming \`query.to\`; 422 when the total would pass 2^53 - 1 minor units.`,
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: UpcomingIncomeQuery },
  responses: {
    200: { description: 'The upcoming income', content: jsonContent(UpcomingIncomeSchema) },
    ...problemResponses(400, 401, 404, 422, 503),
  },
});
