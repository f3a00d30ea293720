import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute, type z } from '@hono/zod-openapi';
import { MERCHANT_WINDOW_DAYS, MERCHANT_WINDOW_MAX_EXPENSES } from '../domain/merchant-suggestions';
import { BudgetParams } from '../schemas/expenses.schemas';
import { MerchantSuggestionsSchema, MerchantsQuery, TagSuggestionsSchema, TagsQuery } from '../schemas/merchants.schemas';

/** A suggestion list's answers (merchants, tags): 200 with the suggestions, cacheable a minute by the caller only. */
function suggestionsResponses<T extends z.ZodType>(schema: T) {
  return {
    200: {
      description: 'The suggestions',
      headers: { 'Cache-Control': { description: 'Always `private, max-age=60`.', schema: { type: 'string' as const, example: 'private, max-age=60' } }, Vary: { description: 'Names `Authorization` (a cache serves this answer only to the credentials it was asked with).', schema: { type: 'string' as const, example: 'Authorization' } } },
      content: jsonContent(schema),
    },
    ...problemResponses(400, 401, 404),
  };
}

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
  responses: suggestionsResponses(MerchantSuggestionsSchema),
});

/** Tag autocomplete and the tag manager's list (service/merchants.service.ts suggestTags): the merchants' window. */
export const listTags = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/tags',
  operationId: 'listTags',
  summary: 'Suggest tags (tag autocomplete, the tag manager\'s list), most used first',
  description:
    'Any member. The tags of the budget\'s recent expenses, grouped ignoring case and accents (as the expense list\'s `tag` filter matches them), each with how many expenses carry it and when it was last used, spelled as in its most recent use. ' +
    `Computed from the merchant suggestions' window: the newest ${MERCHANT_WINDOW_MAX_EXPENSES.toLocaleString('en-US')} expenses dated in the last ${MERCHANT_WINDOW_DAYS} days (today in the budget's time zone included, later dates too), whichever are fewer; \`window\` says what was counted, so a tag used only before it is not listed. ` +
    'Ordered by `count`, then `lastUsedOn` (newest first). `q` keeps the tags that start with it, or one of whose words does (`2026` finds `vacation-2026`). ' +
    'Answers carry `Cache-Control: private, max-age=60`: every call reads the window whatever `q` is, so fetch once without `q` and filter on the device as the user types.',
  tags: ['Expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: TagsQuery },
  responses: suggestionsResponses(TagSuggestionsSchema),
});
