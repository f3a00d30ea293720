import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MERCHANT_WINDOW_DAYS, MERCHANT_WINDOW_MAX_EXPENSES } from '../domain/merchant-suggestions';
import { BudgetParams } from '../schemas/expenses.schemas';
import { MerchantSuggestionsSchema, MerchantsQuery } from '../schemas/merchants.schemas';

/** Payee autocomplete (service/merchants.service.ts). */
export const listMerchants = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/merchants',
  operationId: 'listMerchants',
  summary: 'Suggest merchants (payee autocomplete), most used first',
  description:
    'Any member. The merchants of the budget\'s recent expenses, grouped ignoring case, accents and spacing, each with how often and when it was last used, its last amount, and the category most used with it (to pre-fill a new expense). ' +
    `Computed from a window: the newest ${MERCHANT_WINDOW_MAX_EXPENSES.toLocaleString('en-US')} expenses dated in the last ${MERCHANT_WINDOW_DAYS} days (today in the budget's time zone included, later dates too), whichever are fewer; \`window\` says what was counted. ` +
    'Ordered by `count`, then `lastUsedOn` (newest first). `q` keeps the merchants whose name or one of whose words starts with it. ' +
    'Answers carry `Cache-Control: private, max-age=60`: every call reads the window whatever `q` is, so fetch once without `q` and filter on the device as the user types.',
  tags: ['Expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: MerchantsQuery },
  responses: {
    200: {
      description: 'The suggestions',
      headers: { 'Cache-Control': { description: 'Always `private, max-age=60`.', schema: { type: 'string' as const, example: 'private, max-age=60' } } },
      content: jsonContent(MerchantSuggestionsSchema),
    },
    ...problemResponses(400, 401, 404, 503),
  },
});
