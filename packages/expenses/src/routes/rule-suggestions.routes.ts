import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { RULE_WINDOW_DAYS, RULE_WINDOW_MAX_EXPENSES } from '../domain/rule-suggestions';
import { BudgetParams } from '../schemas/expenses.schemas';
import { RULE_SUGGESTION_RULES_TEXT, RuleSuggestionsQuery, RuleSuggestionsSchema } from '../schemas/rule-suggestions.schemas';

/** Rules learnt from how the members categorize (service/rule-suggestions.service.ts). */
export const listRuleSuggestions = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/rules/suggestions',
  operationId: 'listCategorizationRuleSuggestions',
  summary: 'Suggest categorization rules from how the members file merchants',
  description:
    'Any member. The merchants the budget\'s members file under one category consistently that no categorization rule handles yet, each with a `rule` body to send as is to `POST .../rules` (the owner). ' +
    `${RULE_SUGGESTION_RULES_TEXT} ` +
    `Computed from a window: the newest ${RULE_WINDOW_MAX_EXPENSES.toLocaleString('en-US')} expenses dated in the last ${RULE_WINDOW_DAYS} days (today in the budget's time zone included, later dates too), whichever are fewer; \`window\` says what was examined. ` +
    'Nothing is written. Answers carry `Cache-Control: private, max-age=60`.',
  tags: ['Categorization rules'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: RuleSuggestionsQuery },
  responses: {
    200: {
      description: 'The suggestions',
      headers: { 'Cache-Control': { description: 'Always `private, max-age=60`.', schema: { type: 'string' as const, example: 'private, max-age=60' } }, Vary: { description: 'Names `Authorization` (a cache serves this answer only to the credentials it was asked with).', schema: { type: 'string' as const, example: 'Authorization' } } },
      content: jsonContent(RuleSuggestionsSchema),
    },
    ...problemResponses(400, 401, 404),
  },
});
