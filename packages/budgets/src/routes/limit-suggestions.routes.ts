import { bearerSecurity, IfNoneMatchHeaders, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetIdParams } from '../schemas/common.schemas';
import { LimitSuggestionsQuery, LimitSuggestionsSchema } from '../schemas/limit-suggestions.schemas';

const weakEtag = {
  ETag: {
    description: 'A weak ETag of the answer (a digest: it changes with the budget and with spending), for If-None-Match. Not the If-Match of the PATCH: that is `budgetEtag`.',
    schema: { type: 'string' as const, example: 'W/"kq3yJ0mU0n2t0Kk7mC2Xb1v9QeZ"' },
  },
};

export const limitSuggestionsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/limit-suggestions',
  operationId: 'getLimitSuggestions',
  tags: ['budgets'],
  summary: 'Quick budget: a suggested limit per category',
  description:
    "Suggested category limits (YNAB's Quick Budget), from the summaries' own figures: `average-spent` (default) the mean spent per period over " +
    'the `periods` complete periods (1..12, default 3) before the one containing `date` (default: today in the budget\'s time zone), ' +
    '`last-period-spent` what the period just before spent, `target` a savings target\'s `neededPerPeriod` in the period containing `date` ' +
    '(other categories keep their limit: `unchanged`). Integer math: the mean is ceil(total / periods), and every suggestion is rounded UP to a ' +
    'multiple of `roundTo` (1..100000 minor units, default 1), never below 0. A suggestion of 0 becomes limit 0 (PATCH accepts it) except for a ' +
    'category without a limit, which keeps none. `patch` is the body of PATCH /v1/budgets/{budgetId} applying them all (every other field of ' +
    "each category unchanged); `budgetEtag` is the budget's ETag when read: send it as `If-Match` with `patch` to get a 412 if the budget " +
    'changed meanwhile (PATCH is for the owner). The `ETag` header is a weak digest of this answer (it moves with the budget and with ' +
    'spending): `If-None-Match` naming it is answered 304 without a body (the reads are made either way). Until 2026-12-03 the `ETag` ' +
    "header was the budget's ETag. Any member, viewers included. Two requests whatever `periods` is, as the trends.",
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: LimitSuggestionsQuery, headers: IfNoneMatchHeaders },
  responses: {
    200: { description: 'The suggestions', headers: weakEtag, content: jsonContent(LimitSuggestionsSchema) },
    304: { description: 'Not Modified: If-None-Match names this answer; no body, keep the copy you hold', headers: weakEtag },
    ...problemResponses(400, 401, 404),
  },
});
