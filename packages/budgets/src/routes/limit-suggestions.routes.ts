import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { LimitSuggestionsQuery, LimitSuggestionsSchema } from '../schemas/limit-suggestions.schemas';

export const limitSuggestionsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/limit-suggestions',
  operationId: 'getLimitSuggestions',
  tags: ['budgets'],
  summary: 'Quick budget: a suggested limit per category',
  description:
    "Suggested category limits (YNAB's Quick Budget), from the summaries' own figures: `average-spent` (default) the mean spent per period over " +
    'the `periods` complete periods (1..12, default 3) before the one containing `date` (default: today in the budget\'s time zone), ' +
    '`last-period-spent` what the period just before spent, `target` the limit per period that reaches a dated savings target from the period containing `date` on (its `neededPerPeriod` while neither funded nor past its date) ' +
    '(other categories, an undated target\'s too, keep their limit: `unchanged`). Integer math: the mean is ceil(total / periods), and every suggestion is rounded UP to a ' +
    'multiple of `roundTo` (1..100000 minor units, default 1), never below 0. A suggestion of 0 becomes limit 0 (PATCH accepts it) except for a ' +
    'category without a limit, which keeps none. `patch` is the body of PATCH /v1/budgets/{budgetId} applying them all (every other field of ' +
    "each category unchanged); the `ETag` header is the budget's current ETag: send it as `If-Match` with `patch` to get a 412 if the budget " +
    'changed meanwhile (PATCH is for the owner). It names the budget\'s version, not this answer (which moves with spending), so `If-None-Match` ' +
    'is not answered with 304. Any member, viewers included. Two requests whatever `periods` is, as the trends.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: LimitSuggestionsQuery },
  responses: {
    200: {
      ...jsonResponse(LimitSuggestionsSchema, 'The suggestions'),
      headers: {
        ETag: { description: "The budget's current ETag (its version), for If-Match on PATCH /v1/budgets/{budgetId} with `patch`.", schema: { type: 'string' as const, example: '"7"' } },
      },
    },
    ...problemResponses(400, 401, 404),
  },
});
