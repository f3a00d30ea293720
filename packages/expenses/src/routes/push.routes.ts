import { bearerSecurity, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetParams, IdempotencyHeaders } from '../schemas/expenses.schemas';
import { PUSH_MAX_MUTATIONS, PushBody, PushQuery, PushResultSchema } from '../schemas/push.schemas';

/** Offline push (see service/push.service.ts): the write side of delta sync. */
export const pushChanges = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/changes',
  operationId: 'pushChanges',
  tags: ['Expenses'],
  summary: 'Push changes made offline',
  description:
    `Owners and editors. Up to ${PUSH_MAX_MUTATIONS} mutations, applied in order, each atomically on its own: ` +
    '`{op: create, id?, expense}` (a client-generated ULID is allowed), `{op: update, id, baseVersion, patch}`, `{op: delete, id, baseVersion}`; ' +
    'with `type: "income"` the same for an income entry (`{type: income, op: create, id?, income}` with the income create body, `patch` the income update body); ' +
    'with `type: "recurringExpense"` or `"recurringIncome"` the same for a recurring definition (`recurringExpense` / `recurringIncome` the create body, `patch` the PATCH body, `paused` too). ' +
    'Each is answered in order with `{status: applied, expense|income|recurringExpense|recurringIncome|id, version}`, `{status: conflict, current}` (the server copy, or `{id, deleted: true}`: nothing was overwritten; also a create resent under its client id with other values than it was created with: send your change as an update of the copy shown) ' +
    'or `{status: error, problem}`. The applied ones come with the next `GET .../changes?since=`. ' +
    'Send an `Idempotency-Key`: the same batch retried with it replays the first answer and changes nothing ' +
    '(an answer too large to keep, over 300 KB even compressed, is not replayed: 409 `idempotent-answer-not-kept`, the batch applied once; sync with `GET .../changes?since=`). ' +
    "Pass your current `serverKnowledge` as `since`: the answered `serverKnowledge` then moves past this push's own changes only (another member's change made after your token still comes with the next sync), keeps what your token still has to page through (a token from before income was synced: the income) and the budget as your token saw it, so adopting it skips nothing.",
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    query: PushQuery,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: PushBody } } },
  },
  responses: {
    200: { description: 'One result per mutation, in order', content: { 'application/json': { schema: PushResultSchema } } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});
