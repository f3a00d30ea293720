import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BalancesQuery, BalancesSchema } from '../schemas/balances.schemas';
import { BudgetIdParams } from '../schemas/common.schemas';

export const balancesRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/balances',
  operationId: 'getBudgetBalances',
  tags: ['budgets'],
  summary: 'Settle-up balances: who paid, who owes, who pays whom',
  description:
    'Each expense was paid by the member who recorded it. Over [`from`, `to`] (by `occurredOn`; give both, or neither ' +
    "for the current period as the summary computes it; at most 366 days), `paid` sums what each recorded, `total` is " +
    "everything, `owes` is each member's part of it by `share` (PATCH /v1/budgets/{budgetId}/members/{userId}; default 1 " +
    'each: an equal split; 0 owes nothing), rounded by largest remainder (ties to the smaller user id) so the parts add ' +
    'up to `total`. An expense with `sharedWith` is split only among the listed people who are members now, by their shares ' +
    '(the payer alone: a personal expense nobody else owes for; none of them a member: among every member). Settle-up payments recorded with POST /v1/budgets/{budgetId}/settlements and paid in the range (by ' +
    "`paidOn`) are each member's `sent` and `received`, not spending, and `net = paid - owes + sent - received`. Someone " +
    'who recorded expenses or appears in a payment in the range but is no longer a member is listed with share 0. ' +
    '`settlements` are transfers that bring every net to zero (record them once paid). A range holding more than 50,000 ' +
    'expenses is a 400 naming `query.from`: ask for a shorter one. Any member, viewers included.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: BalancesQuery },
  responses: {
    200: jsonResponse(BalancesSchema, 'The balances'),
    ...problemResponses(400, 401, 404),
  },
});
