import { bearerSecurity, etagHeader, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { IdempotencyHeaders, IfMatchHeaders } from '../schemas/expenses.schemas';
import {
  CreateRecurringExpenseBody,
  ListRecurringQuery,
  RecordNextOccurrenceBody,
  RecordedOccurrenceSchema,
  RecurringExpenseListSchema,
  RecurringExpenseSchema,
  RecurringParams,
  UpdateRecurringExpenseBody,
} from '../schemas/recurring.schemas';
import { MAX_RECURRING_PER_BUDGET } from '../repository/recurring.repository';
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
      "Owners and editors. An expense of `amount` is recorded on every occurrence of `schedule` (by a scheduled job, in the budget's time zone, each occurrence exactly once), created by the caller; with `splits` (2..50 parts adding up to `amount`, as for a split expense) every occurrence is recorded as a split expense with those parts; with `sharedWith` (as an expense's) every occurrence is recorded shared with those users only; with `sharedAmounts` (as an expense's: who owes what, adding up to `amount`, e.g. rent split 60/40) every occurrence is recorded with those exact amounts. The first is the first occurrence on or after today: a `startsOn` in the past anchors the schedule but is not back-filled. A budget holds at most 500 recurring expenses (409 past that: delete one first). Send an `Idempotency-Key` so a retry never sets it up twice.",
    created: 'Set up (or replayed, with `Idempotent-Replayed: true`)',
    full: { collection: 'recurringExpenses', limit: MAX_RECURRING_PER_BUDGET, detail: `A budget can have at most ${MAX_RECURRING_PER_BUDGET} recurring expenses; delete one first.` },
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
      "Owners and editors. Send only the fields to change (`null` clears categoryId, splits, description, merchant, tags, foreign, sharedWith or sharedAmounts (every member shares the recorded expenses again), schedule.endsOn; a split definition's `amount` changes only together with its `splits`, one with `sharedAmounts` only together with new ones). Expenses already recorded are not changed. A changed schedule continues from today in the budget's time zone. `paused: true` pauses it (nothing recorded, left out of the forecast, `nextOccurrenceOn` null); `paused: false` resumes it from today (a date skipped before the pause stays skipped): occurrences that fell while paused are not recorded. Each pause is kept in the read-only `pauses` (the last 24). With `If-Match`, the change applies only to that version (412 otherwise).",
    changed: 'The changed recurring expense',
  },
  remove: {
    operationId: 'deleteRecurringExpense',
    summary: 'Stop and delete a recurring expense',
    description: 'Owners and editors. Expenses already recorded stay. With `If-Match`, deletes only that version (412 otherwise).',
  },
});

/**
 * Skip the next occurrence (YNAB's / Actual's "skip"): a POST, as restoring an expense is, since
 * it is an action on the definition rather than a field a client sets.
 */
export const skipRecurringExpense = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}/skip',
  operationId: 'skipRecurringExpense',
  summary: 'Skip the next occurrence of a recurring expense',
  description:
    "Owners and editors. The next occurrence is not recorded: `nextOccurrenceOn` moves to the schedule's following occurrence, or to null when that would fall after `endsOn` (the schedule has then ended, as after its last occurrence is recorded). Only that one occurrence: the ones after it are recorded as usual. " +
    'When the scheduled job records that occurrence at the same moment, exactly one of the two happens: a skip that loses skips the occurrence after it. ' +
    'A resume never lands on a skipped date, nor does a new end (`endsOn`, `count`); a later change of `frequency`, `interval` or `startsOn` (paused or not) restarts from today and may meet it again. ' +
    '409 when the recurring expense is paused or has ended. With `If-Match`, skips only on that version and, when its ETag names the next occurrence (`"3-n20261201"`), only that occurrence: one the schedule\'s job recorded since is a 412, not the one after skipped. Answers the changed recurring expense (its `version` + 1). Send an `Idempotency-Key` so a retry does not skip twice.',
  tags: ['Recurring expenses'],
  security: bearerSecurity,
  request: { params: RecurringParams, headers: IdempotencyHeaders.extend(IfMatchHeaders.shape) },
  responses: {
    200: { description: 'The recurring expense, moved past its skipped occurrence', headers: etagHeader, content: jsonContent(RecurringExpenseSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 412, 422),
  },
});

/**
 * Record the next occurrence now (YNAB's "Enter now"): a POST like skip, an action on the
 * definition. The same recording as the job's (RecurringRepository.recordOccurrence), so the
 * occurrence is recorded exactly once whoever comes first.
 */
export const recordNextRecurringExpense = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}/record-next',
  operationId: 'recordNextRecurringExpense',
  summary: 'Record the next occurrence of a recurring expense now',
  description:
    "Owners and editors. The next occurrence (`nextOccurrenceOn`) is recorded now, as the scheduled job would record it on its day (a bill paid early): the same expense (amount, category or splits, texts, tags, foreign amount, `sharedWith` or `sharedAmounts`, created by the recurring expense's `createdBy`, as the job's), the same `expense.recorded` event (`via: recurring`), totals, sync entry and alerts. " +
    "It is dated the occurrence's scheduled date, or `occurredOn` when sent (the day it was actually paid: not after today in the budget's time zone, else 400 naming `occurredOn`). " +
    "The recurring expense then moves on to its following occurrence, as after a skip (null when that falls after `endsOn`: the schedule has ended, as after the job records its last one). The job never records that occurrence again, and when it records it at the same moment exactly one of the two does: a call that loses records the occurrence after it. No bill reminder is sent for it afterwards. " +
    "409 when the recurring expense is paused or has ended, or when its creator can no longer record expenses in the budget (the job would skip it); a 409 naming `amount` when its month's running totals would pass 2^53 - 1 minor units. " +
    'With `If-Match`, records only on that version and, when its ETag names the next occurrence (`"3-n20261201"`), only that occurrence: one the schedule\'s job recorded since is a 412, not the one after recorded. Answers the recorded expense and the changed recurring expense (its `version` + 1, the `ETag`). ' +
    'Send an `Idempotency-Key` (or `If-Match`) so a retry does not record the occurrence after it too.',
  tags: ['Recurring expenses'],
  security: bearerSecurity,
  request: {
    params: RecurringParams,
    headers: IdempotencyHeaders.extend(IfMatchHeaders.shape),
    body: { content: jsonContent(RecordNextOccurrenceBody), required: false, description: 'Optional: send none to date the expense on the scheduled date.' },
  },
  responses: {
    200: { description: 'The recorded expense and the recurring expense, moved past that occurrence', headers: etagHeader, content: jsonContent(RecordedOccurrenceSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422),
  },
});
