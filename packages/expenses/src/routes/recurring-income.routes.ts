import { bearerSecurity, etagHeader, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/expenses.schemas';
import {
  CreateRecurringIncomeBody,
  ListRecurringIncomeQuery,
  MAX_UPCOMING_INCOME,
  RecurringIncomeListSchema,
  RecurringIncomeParams,
  RecordNextIncomeBody,
  RecordedIncomeOccurrenceSchema,
  RecurringIncomeSchema,
  UPCOMING_INCOME_MAX_DAYS,
  UpcomingIncomeQuery,
  UpcomingIncomeSchema,
  UpdateRecurringIncomeBody,
} from '../schemas/recurring-income.schemas';
import { MAX_RECURRING_INCOME_PER_BUDGET } from '../repository/recurring-income.repository';
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
    full: { collection: 'recurringIncome', limit: MAX_RECURRING_INCOME_PER_BUDGET, detail: `A budget can have at most ${MAX_RECURRING_INCOME_PER_BUDGET} recurring incomes; delete one first.` },
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
      '`paused: true` pauses it (nothing recorded, `nextOccurrenceOn` null); `paused: false` resumes it from today: occurrences that fell while paused are not recorded. Each pause is kept in the read-only `pauses` (the last 24). With `If-Match`, the change applies only to that version (412 otherwise).',
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
    `Any member, viewers included. The occurrences of the budget's recurring income still to record, from each one's \`nextOccurrenceOn\` through \`to\` (from today in the budget's time zone, at most ${UPCOMING_INCOME_MAX_DAYS} days including today; default 30 days), nearest first; paused and ended ones have none, and none while the budget is archived (the job skips its due dates). ` +
    `At most ${MAX_UPCOMING_INCOME} are listed (\`truncated\` then says so); \`total\` and \`count\` count them all. A \`to\` out of range is a 400 naming \`query.to\`; 422 when the total would pass 2^53 - 1 minor units.`,
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: UpcomingIncomeQuery },
  responses: {
    200: { description: 'The upcoming income', content: jsonContent(UpcomingIncomeSchema) },
    ...problemResponses(400, 401, 404, 422),
  },
});

/**
 * Skip the next paycheck: a POST, as a recurring expense's skip (recurring.routes.ts), an action
 * on the definition rather than a field a client sets. The same semantics.
 */
export const skipRecurringIncome = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}/skip',
  operationId: 'skipRecurringIncome',
  summary: 'Skip the next occurrence of a recurring income',
  description:
    "Owners and editors. The next occurrence is not recorded: `nextOccurrenceOn` moves to the schedule's following occurrence, or to null when that would fall after `endsOn` (the schedule has then ended). Only that one occurrence: the ones after it are recorded as usual. " +
    'When the scheduled job records that occurrence at the same moment, exactly one of the two happens: a skip that loses skips the occurrence after it. ' +
    "A resume never lands on a skipped date, nor does a new end (`endsOn`, `count`); a changed `frequency`, `interval` or `startsOn` restarts from today and may meet it again. " +
    '409 when the recurring income is paused or has ended. With `If-Match`, skips only on that version and, when its ETag names the next occurrence (`"3-n20261201"`), only that occurrence: one the schedule\'s job recorded since is a 412, not the one after skipped. Answers the changed recurring income (its `version` + 1). Send an `Idempotency-Key` so a retry does not skip twice.',
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: RecurringIncomeParams, headers: IdempotencyHeaders.extend(IfMatchHeaders.shape) },
  responses: {
    200: { description: 'The recurring income, moved past its skipped occurrence', headers: etagHeader, content: jsonContent(RecurringIncomeSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 412, 422),
  },
});

/**
 * Record the next paycheck now (it came early): a POST like skip. The job's own recording
 * (RecurringIncomeRepository.recordOccurrence), so the occurrence is recorded exactly once
 * whoever comes first, as a recurring expense's record-next.
 */
export const recordNextRecurringIncome = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}/record-next',
  operationId: 'recordNextRecurringIncome',
  summary: 'Record the next occurrence of a recurring income now',
  description:
    "Owners and editors. The next occurrence (`nextOccurrenceOn`) is recorded now, as the scheduled job would record it on its day (a paycheck that came early): the same income entry (amount, source, description, `recurringIncomeId`, created by the recurring income's `createdBy`), the same month income total and `income.recorded` event (`via: recurring`, `recordedBy` the caller). " +
    "It is dated the occurrence's scheduled date, or `receivedOn` when sent (not after today in the budget's time zone, else 400 naming `receivedOn`). " +
    'The recurring income then moves on to its following occurrence, as after a skip (null past `endsOn`). The job never records that occurrence again, and when it records it at the same moment exactly one of the two does: a call that loses answers 409, having recorded nothing. ' +
    "409 when the recurring income is paused or has ended, or when its creator can no longer record income in the budget (the job would skip it); a 409 naming `amount` when its month's income total would pass 2^53 - 1 minor units. " +
    'With `If-Match`, records only on that version and, when its ETag names the next occurrence (`"3-n20261201"`), only that occurrence: one the schedule\'s job recorded since is a 412, not the one after recorded. Answers the recorded entry and the changed recurring income (its `version` + 1, the `ETag`). ' +
    'Send an `Idempotency-Key` (or `If-Match`) so a retry does not record the occurrence after it too.',
  tags: ['Income'],
  security: bearerSecurity,
  request: {
    params: RecurringIncomeParams,
    headers: IdempotencyHeaders.extend(IfMatchHeaders.shape),
    body: { content: jsonContent(RecordNextIncomeBody), required: false, description: 'Optional: send none to date the entry on the scheduled date.' },
  },
  responses: {
    200: { description: 'The recorded income entry and the recurring income, moved past that occurrence', headers: etagHeader, content: jsonContent(RecordedIncomeOccurrenceSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422),
  },
});
