import { bearerSecurity, etagHeader, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute, z } from '@hono/zod-openapi';
import { AGE_OF_MONEY_HISTORY_MONTHS, AGE_OF_MONEY_SPENDING_DAYS, AGE_OF_MONEY_WINDOW_MONTHS } from '../domain/age-of-money';
import { CASH_FLOW_DEFAULT_MONTHS, CASH_FLOW_MAX_MONTHS } from '../domain/cash-flow';
import { BudgetParams, IdempotencyHeaders } from '../schemas/expenses.schemas';
import { ListDeletedIncomeQuery, RestorableIncomeListSchema } from '../schemas/restore.schemas';
import { AgeOfMoneyQuery, AgeOfMoneySchema, CashFlowQuery, CashFlowSchema, CreateIncomeBody, IncomeExportQuery, IncomeListSchema, IncomeParams, IncomeSchema, ListIncomeQuery, UpdateIncomeBody } from '../schemas/income.schemas';
import { budgetResourceRoutes } from './budget-resource';

/**
 * Income entries (money that came in) and the cash flow: paths, validation and OpenAPI in one
 * place. Income keeps the contract of every versioned resource in a budget (budget-resource.ts).
 */
export const incomeRoutes = budgetResourceRoutes({
  tag: 'Income',
  collection: '/v1/budgets/{budgetId}/income',
  item: '/v1/budgets/{budgetId}/income/{incomeId}',
  schemas: { params: IncomeParams, query: ListIncomeQuery, item: IncomeSchema, list: IncomeListSchema, create: CreateIncomeBody, update: UpdateIncomeBody },
  create: {
    operationId: 'createIncome',
    summary: 'Record income (money that came in)',
    description:
      "Owners and editors. `amount` in minor units of the budget's currency (greater than 0, bounded as an expense's), `receivedOn` (default: today in the budget's time zone), " +
      "optional `source` (who paid) and `description`. Its amount counts in the income of its month (GET .../cash-flow), moved in the same write. `currency`, if sent, must be the budget's (400 naming it). " +
      'An archived budget refuses it (409 budget-archived). Send an `Idempotency-Key` so a retry never records it twice.',
    created: 'Recorded (or replayed, with `Idempotent-Replayed: true`)',
    location: 'URL of the new income entry.',
  },
  list: {
    operationId: 'listIncome',
    summary: "List a budget's income",
    description:
      'Any member. Newest `receivedOn` first (same day: newest first), within `from`..`to` if given (`from` after `to`: 400 naming `query.from`); ' +
      'with `recurringIncomeId`, only the entries that recurring income recorded (its paychecks; the cursor is bound to the filter).',
    page: 'A page of income entries',
  },
  get: { operationId: 'getIncome', summary: 'Get an income entry', description: 'Any member.', found: 'The income entry' },
  update: {
    operationId: 'updateIncome',
    summary: 'Change an income entry',
    description:
      "Owners and editors. Send only what changes; `source` or `description` null removes it. A new `amount` or `receivedOn` moves the months' income in the same write. " +
      'With `If-Match`, the change applies only to that version (412 otherwise). Values the entry has already change nothing: 200 with the entry as stored, same version and ETag, no `income.updated`.',
    changed: 'The changed income entry',
  },
  remove: {
    operationId: 'deleteIncome',
    summary: 'Delete an income entry',
    description:
      "Owners and editors. Its amount leaves its month's income in the same write. With `If-Match`, deletes only that version (412 otherwise). " +
      'The entry can be restored within 30 days (POST .../income/{incomeId}/restore).',
  },
});

/** Undo of an income entry's delete (IncomeService.restore): the deleted list and the restore. */
export const listDeletedIncome = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/income/deleted',
  operationId: 'listDeletedIncome',
  summary: 'List deleted income entries that can be restored, newest deletion first',
  description:
    'Any member. The income entries deleted in the last 30 days and not restored since, each as it was deleted with `deletedAt`, `deletedBy` and `restorableUntil` (30 days after the deletion). ' +
    'A page can be short (copies past their 30 days are left out until the table removes them): follow `nextCursor` until it is `null`; it only works with the same budget.',
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: ListDeletedIncomeQuery },
  responses: { 200: { description: 'One page of deleted income entries', content: jsonContent(RestorableIncomeListSchema) }, ...problemResponses(400, 401, 404) },
});

export const restoreIncome = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/income/{incomeId}/restore',
  operationId: 'restoreIncome',
  summary: 'Restore a deleted income entry (undo a delete)',
  description:
    'Owners and editors, within 30 days of the delete. The entry comes back under the same id exactly as it was deleted (amount, `receivedOn`, `source`, `description`, `createdBy`, `createdAt`, `updatedAt`) at the next `version` ' +
    "(the deleted one's + 1, so an If-Match from before the delete no longer matches), counts again in its month's income and comes back in delta sync; `income.recorded` with `restoredBy`. " +
    '404 when there is nothing to restore (never deleted, or more than 30 days ago); 409 when the entry is not deleted (restored already) or the budget is archived. ' +
    "A 409 naming `amount` when its month's income total would pass 2^53 - 1 minor units (nothing restored). Send an `Idempotency-Key` so a retry answers the same.",
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: IncomeParams, headers: IdempotencyHeaders },
  responses: {
    200: { description: 'The restored income entry', headers: etagHeader, content: jsonContent(IncomeSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

/** The cash flow of a range of months (service/income.service.ts cashFlow). */
export const getCashFlow = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/cash-flow',
  operationId: 'getCashFlow',
  summary: 'Income, spending, net and savings rate per month',
  description:
    `Any member, viewers included. For each calendar month from \`from\` to \`to\` (default: the last ${CASH_FLOW_DEFAULT_MONTHS} months up to the current one in the budget's time zone; ` +
    `at most ${CASH_FLOW_MAX_MONTHS}): \`income\` recorded, \`spent\` as the budget's running totals hold it (refunds lowering it), \`net = income - spent\` and ` +
    '`savingsRate`, `net / income` in basis points rounded half away from zero (null without income; negative when more went out). `total` sums the range. ' +
    'Read from the running totals only (one request, whatever the number of expenses and income entries). 422 when a figure passes 2^53 - 1 (ask for fewer months).',
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: CashFlowQuery },
  responses: {
    200: { description: 'The cash flow of the range', content: jsonContent(CashFlowSchema) },
    ...problemResponses(400, 401, 404, 422),
  },
});

/** Age of Money (service/income.service.ts ageOfMoney, domain/age-of-money.ts). */
export const getAgeOfMoney = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/age-of-money',
  operationId: 'getAgeOfMoney',
  summary: 'Age of Money: how long money stays before it is spent',
  description:
    "Any member, viewers included. First in, first out over the income entries (by `receivedOn`) and the running totals' spending per day (refunds lowering it): " +
    'a unit spent on day d was received on the first day the income recorded so far reached the spending so far. ' +
    `\`days\`: the mean age, weighted by amount, of the units spent on the last ${AGE_OF_MONEY_SPENDING_DAYS} days with spending up to \`date\` (default: today in the budget's time zone), ` +
    `whole days rounded half up; null when spending outran the income recorded (\`reason: not-enough-income\`) or nothing was spent. \`history\`: the same at each of the last ${AGE_OF_MONEY_HISTORY_MONTHS} month ends. ` +
    `Reads the last ${AGE_OF_MONEY_WINDOW_MONTHS} calendar months only, whatever the budget's age: money received before them and still unspent is left out (the first in, first out starts empty there).`,
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: AgeOfMoneyQuery },
  responses: {
    200: { description: 'The age of money on `date` and its history', content: jsonContent(AgeOfMoneySchema) },
    ...problemResponses(400, 401, 404),
  },
});

/** The income export's file (the service's exportIncome). */
const IncomeCsvText = z.string().openapi({
  description:
    'RFC 4180 CSV, UTF-8, CRLF line ends: `date,amount,source,description,recurringIncomeId` with a header row, newest `receivedOn` first; amounts in major units of the budget\'s currency; ' +
    '`recurringIncomeId` the recurring income that recorded the entry (empty for the others); ' +
    'text cells starting with `=`, `+`, `-` or `@`, and each piece of one after a `;` that does, get a leading apostrophe (spreadsheets then show them as text).',
  example:
    'date,amount,source,description,recurringIncomeId\r\n' +
    '2026-11-28,3200.00,Acme payroll,November salary,01JDRECURINCOME000000000001\r\n' +
    '2026-11-03,45.00,"Smith, Jones & ""Co""",\'=Refund of deposit,\r\n' +
    '2026-10-28,3200.00,Acme payroll,October salary,01JDRECURINCOME000000000001\r\n',
});

/** The income entries as a CSV file (service/csv-export.service.ts exportIncome). Registered before /income/{incomeId}. */
export const exportIncome = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/income/export',
  operationId: 'exportIncome',
  summary: "Export a budget's income as CSV",
  description:
    'Any member, viewers included. `date,amount,source,description,recurringIncomeId` with a header row, newest `receivedOn` first, optionally within `from`..`to` (inclusive; `from` after `to`: 400 naming `query.from`) ' +
    'and of one recurring income (`recurringIncomeId`, as the list). ' +
    "Amounts in major units of the budget's currency (`3200.00`), as the expense export writes them; text cells guarded against spreadsheet formulas as there. " +
    'An export larger than 4 MB (or whose texts, escaped in the response, would pass 6 MB) is refused (400): export a shorter range.',
  tags: ['Income'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: IncomeExportQuery },
  responses: {
    200: {
      description: 'The CSV file (RFC 4180, UTF-8, CRLF line ends)',
      headers: {
        'Content-Disposition': { description: 'attachment; filename="income-<budgetId>-<from|start>-<to|end>.csv"', schema: { type: 'string' } },
      },
      content: { 'text/csv': { schema: IncomeCsvText } },
    },
    ...problemResponses(400, 401, 404),
  },
});
