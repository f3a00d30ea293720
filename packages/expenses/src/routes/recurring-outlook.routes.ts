import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { PRICE_CHANGE_DEFAULT_DAYS, PRICE_CHANGE_MIN_SEEN } from '../domain/price-changes';
import { MAX_UPCOMING } from '../domain/scheduled';
import { SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import { BudgetParams } from '../schemas/expenses.schemas';
import { PriceChangesQuery, PriceChangesSchema, RecurringCostsQuery, RecurringCostsSchema, UPCOMING_MAX_DAYS, UpcomingBillsQuery, UpcomingBillsSchema } from '../schemas/recurring-outlook.schemas';

/** The upcoming bills screen (service/recurring-outlook.service.ts). */
export const listUpcomingBills = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/recurring-expenses/upcoming',
  operationId: 'listUpcomingBills',
  summary: 'List the recurring expenses still to record in the next days',
  description:
    `Any member, viewers included. The occurrences of the budget's recurring expenses still to record from today (in the budget's time zone) through \`days\` - 1 days later (1..${UPCOMING_MAX_DAYS}, default 30), nearest first: ` +
    'exactly those the forecast and the calendar feed count (from each definition\'s next occurrence, so a skipped date is left out; paused and ended definitions too; none while the budget is archived: the recurring job skips its due dates). ' +
    `At most ${MAX_UPCOMING} are listed (\`truncated\` then says so); \`total\` and \`count\` count them all. 422 when the total would pass 2^53 - 1 minor units.`,
  tags: ['Recurring expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: UpcomingBillsQuery },
  responses: {
    200: { description: 'The upcoming bills', content: jsonContent(UpcomingBillsSchema) },
    ...problemResponses(400, 401, 404, 422),
  },
});

/** "Your subscriptions cost you X a year" (service/recurring-outlook.service.ts). */
export const getRecurringCosts = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/recurring-expenses/costs',
  operationId: 'getRecurringExpenseCosts',
  summary: 'What each recurring expense will cost over the next 12 months',
  description:
    "Any member, viewers included. For every active recurring expense (not paused, not ended): its occurrences from today (in the budget's time zone) through the day before the same date next year, counted on its schedule " +
    '(skipped dates and `endsOn` respected: one ending in 3 months counts 3 months), `yearly` their exact sum and `monthly` a twelfth of it rounded half away from zero to the minor unit. ' +
    'Largest `yearly` first. 422 when the total would pass 2^53 - 1 minor units.',
  tags: ['Recurring expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: RecurringCostsQuery },
  responses: {
    200: { description: 'The yearly costs', content: jsonContent(RecurringCostsSchema) },
    ...problemResponses(400, 401, 404, 422),
  },
});

/** "Your Netflix went up from 15.49 to 17.99" (domain/price-changes.ts). */
export const listRecurringPriceChanges = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/recurring-expenses/price-changes',
  operationId: 'listRecurringPriceChanges',
  summary: 'List the recurring expenses whose merchant is now paid at another amount',
  description:
    `Any member, viewers included. For every recurring expense with a merchant that is not ended (paused ones included), the budget's expenses of the last \`days\` days (today in the budget's time zone included; default ${PRICE_CHANGE_DEFAULT_DAYS}) ` +
    "of that merchant, ignoring case and accents, leaving out the definition's own records and the amounts of another definition of the same merchant. " +
    `It is listed when the latest of them has another amount than the definition's, paid at least ${PRICE_CHANGE_MIN_SEEN} times since the last payment at the definition's amount (a one-off is not listed). ` +
    `\`update\` is the PATCH body that applies the new price. Largest increase first. 422 naming \`days\` when the days hold more than ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')} expenses.`,
  tags: ['Recurring expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: PriceChangesQuery },
  responses: {
    200: { description: 'The price changes', content: jsonContent(PriceChangesSchema) },
    ...problemResponses(400, 401, 404, 422),
  },
});
