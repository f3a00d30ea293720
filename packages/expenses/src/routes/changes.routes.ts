import { bearerSecurity, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { ChangesQuery, ChangesSchema } from '../schemas/changes.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/** Delta sync for offline clients (see service/changes.service.ts). */

const gone = problemResponses(410)[410];
export const getChanges = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/changes',
  operationId: 'getChanges',
  tags: ['Expenses'],
  summary: 'Expenses and income changed since your last sync',
  description:
    'Any member. Start without `since`, then always pass the last `serverKnowledge` (right away again while `hasMore`): you never miss a change and end equal to the server. ' +
    'Expenses come in their current state; deleted ones as `{id, deleted: true}`; income entries likewise in `income` (absent when none changed). `limit` counts them all (definitions too); the first sync sends the income entries after the expenses, then the recurring expenses and recurring income. ' +
    '`budget` comes on the first sync and when it (or your role) changed. ' +
    'A `serverKnowledge` is only valid for its budget (otherwise 400). Changes are kept 90 days: an older one may get a 410, then sync again without `since`.',
  security: bearerSecurity,
  request: { params: BudgetParams, query: ChangesQuery },
  responses: {
    200: { description: 'The changes', content: { 'application/json': { schema: ChangesSchema } } },
    410: { ...gone, description: 'Changes after `since` are no longer kept: sync again without `since`' },
    ...problemResponses(400, 401, 404),
  },
});
