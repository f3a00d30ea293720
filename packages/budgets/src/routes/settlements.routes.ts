import { bearerSecurity, etagHeader, IfNoneMatchHeaders, jsonBody, jsonContent, jsonResponse, limitReachedResponse, locationHeader, notModifiedResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MAX_SETTLEMENTS } from '../model';
import { BudgetIdParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/common.schemas';
import { ChangeSettlementBody, RecordSettlementBody, SettlementListSchema, SettlementParams, SettlementSchema, SettlementsQuery } from '../schemas/settlements.schemas';

/**
 * Recorded settle-up payments (docs/settle-up.md "Settle-up payments"): the balances suggest who pays whom; once
 * someone has paid, a member records it and the balances count it. A mistyped amount, day or
 * note is corrected with PATCH; who paid whom only by deleting and recording again.
 */
const tags = ['budgets'];

export const recordSettlementRoute = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/settlements',
  operationId: 'recordSettlement',
  tags,
  summary: 'Record a settle-up payment between two members (owner, editor)',
  description:
    '`fromUserId` paid `toUserId` `amount` (minor units of the budget\'s currency) on `paidOn` (default: today in the ' +
    "budget's time zone). It is not spending: the balances of any range holding `paidOn` count it in the two members' " +
    '`sent`/`received` and nets, never in `total`. Both must be current members and differ: the same person twice is a ' +
    '400 naming `toUserId`, someone who is not a member a 422 naming the field (both fields when neither is). At most 10,000 a budget (409). ' +
    'Retry safely with `Idempotency-Key`.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, headers: IdempotencyHeaders, body: jsonBody(RecordSettlementBody) },
  responses: {
    201: { ...jsonResponse(SettlementSchema, 'The recorded payment'), headers: { ...etagHeader, ...locationHeader } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
    409: limitReachedResponse(
      { collection: 'settlements', limit: MAX_SETTLEMENTS, detail: `A budget holds at most ${MAX_SETTLEMENTS} settle-up payments; delete old ones first.` },
      '`conflict` or `budget-archived` as the description says',
    ),
  },
});

export const listSettlementsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/settlements',
  operationId: 'listSettlements',
  tags,
  summary: "List a budget's recorded settle-up payments",
  description: 'Newest `paidOn` first (then the latest recorded), paginated; `from`/`to` keep the days between them, both included. Any member.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: SettlementsQuery },
  responses: {
    200: jsonResponse(SettlementListSchema, 'A page of payments'),
    ...problemResponses(400, 401, 404),
  },
});

export const getSettlementRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/settlements/{settlementId}',
  operationId: 'getSettlement',
  tags,
  summary: 'Get a recorded settle-up payment',
  description: 'Any member. The ETag is its `version` (1 when recorded, +1 per change).',
  security: bearerSecurity,
  request: { params: SettlementParams, headers: IfNoneMatchHeaders },
  responses: {
    200: { description: 'The payment', headers: etagHeader, content: jsonContent(SettlementSchema) },
    304: notModifiedResponse,
    ...problemResponses(401, 404),
  },
});

export const changeSettlementRoute = createRoute({
  method: 'patch',
  path: '/v1/budgets/{budgetId}/settlements/{settlementId}',
  operationId: 'changeSettlement',
  tags,
  summary: 'Correct a recorded settle-up payment (owner, or the editor who recorded it)',
  description:
    'Send only what to correct: `amount`, `paidOn` and/or `note` (at least one; validated as when recording; ' +
    '`note: null` or empty removes it). Who paid whom cannot change: `fromUserId` or `toUserId` is a 400 naming it ' +
    '(delete the payment and record it again). The balances count the corrected payment at once, under its new ' +
    '`paidOn` when that changed. The id never changes (a new `paidOn` included): `Location` is the same URL. Send ' +
    "`If-Match` with the payment's ETag (its `version`) to refuse (412) overwriting a change you " +
    'have not seen, and `Idempotency-Key` to retry safely: a retry (same key, body and `If-Match`, to the same URL) of a ' +
    'change that went through replays its answer (status, body, `ETag`, `Location`) instead of meeting the new version ' +
    'as a 412; the same key with another body is a 422. Nothing to change (the same values) is ' +
    'a 200 without a new version.',
  security: bearerSecurity,
  request: { params: SettlementParams, headers: IfMatchHeaders.extend(IdempotencyHeaders.shape), body: jsonBody(ChangeSettlementBody) },
  responses: {
    200: { ...jsonResponse(SettlementSchema, 'The payment as corrected'), headers: { ...etagHeader, ...locationHeader } },
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422),
  },
});

export const deleteSettlementRoute = createRoute({
  method: 'delete',
  path: '/v1/budgets/{budgetId}/settlements/{settlementId}',
  operationId: 'deleteSettlement',
  tags,
  summary: 'Delete a recorded settle-up payment (owner, or the editor who recorded it)',
  description:
    'The balances no longer count it. With `If-Match`, deletes only that version (412 otherwise). An archived budget ' +
    'refuses it (409 `budget-archived`: unarchive it first), as it refuses recording and correcting one; a payment moved ' +
    'to another day by concurrent corrections three times in a row is a 409 to retry.',
  security: bearerSecurity,
  request: { params: SettlementParams, headers: IfMatchHeaders },
  responses: {
    204: { description: 'Deleted' },
    ...problemResponses(400, 401, 403, 404, 409, 412),
  },
});
