import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { DISMISS_MAX_IDS, DUPLICATES_DEFAULT_DAYS, DUPLICATES_MAX_LISTED, DUPLICATE_WINDOW_DAYS, MAX_DISMISSED_PAIRS } from '../domain/duplicates';
import { SPENDING_MAX_DAYS, SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import { DismissDuplicatesBody, DuplicatesQuery, DuplicatesSchema } from '../schemas/duplicates.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/** Possible duplicates of a range (service/duplicates.service.ts). */
export const listDuplicateExpenses = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/expenses/duplicates',
  operationId: 'listDuplicateExpenses',
  summary: 'Possible duplicates: the same purchase recorded twice',
  description:
    "Any member, viewers included. The expenses dated in `from`..`to` (default: the last " +
    `${DUPLICATES_DEFAULT_DAYS} days through today in the budget's time zone; at most ${SPENDING_MAX_DAYS} days) that may be one payment recorded twice ` +
    '(two members both entered it, or a hand-entered expense and an imported bank row): two expenses pair when they have the same `amount`, the same merchant ' +
    `ignoring spacing, case and accents (expenses without a merchant never pair) and dates at most ${DUPLICATE_WINDOW_DAYS} days apart. ` +
    'Pairs sharing an expense form one group. A pair dismissed with POST .../expenses/duplicates/dismiss is no pair: a group all of whose pairs are dismissed is not listed. ' +
    'Groups newest first, each oldest first. ' +
    `Computed on read from the range's expenses, at most ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')} (as the spending breakdown), listing at most ${DUPLICATES_MAX_LISTED.toLocaleString('en-US')}: ` +
    'a range holding more of either answers 422 naming `from` (narrow the range).',
  tags: ['Expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: DuplicatesQuery },
  responses: {
    200: { description: 'The groups of possible duplicates', content: jsonContent(DuplicatesSchema) },
    ...problemResponses(400, 401, 404, 422),
  },
});

/** "These are not duplicates" (service/duplicates.service.ts). */
export const dismissDuplicateExpenses = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/expenses/duplicates/dismiss',
  operationId: 'dismissDuplicateExpenses',
  summary: 'Mark expenses as not duplicates of each other',
  description:
    `Owners and editors. Every pair of the 2..${DISMISS_MAX_IDS} distinct \`expenseIds\` is no longer listed as a possible duplicate; the expenses themselves are unchanged. ` +
    'Idempotent, like a PUT: sending it again (or ids of pairs dismissed already) changes nothing and answers 204 again, so it takes no Idempotency-Key. ' +
    'Ids that are not expenses of this budget (unknown, deleted, another budget\'s) answer 400 naming `expenseIds` and store nothing. ' +
    `A budget keeps at most ${MAX_DISMISSED_PAIRS.toLocaleString('en-US')} dismissed pairs (those of expenses deleted since included): a dismissal that would pass it answers 422 naming \`expenseIds\`.`,
  tags: ['Expenses'],
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    body: { required: true, content: { 'application/json': { schema: DismissDuplicatesBody } } },
  },
  responses: {
    204: { description: 'Dismissed (or dismissed already)' },
    // 409: the budget is archived (read-only), or was archived while the pairs were written.
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});
