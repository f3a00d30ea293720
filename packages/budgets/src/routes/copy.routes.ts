import { bearerSecurity, etagHeader, jsonBody, jsonResponse, limitReachedResponse, locationHeader, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetSchema } from '../schemas/budgets.schemas';
import { BudgetIdParams, IdempotencyHeaders } from '../schemas/common.schemas';
import { CopyBudgetBody } from '../schemas/copy.schemas';
import { MAX_OWNED_BUDGETS } from '../model';

/** "Start next year's budget from this one": a new budget of the caller's from one they can read. */
export const copyBudgetRoute = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/copy',
  operationId: 'copyBudget',
  tags: ['budgets'],
  summary: 'Copy a budget into a new one of yours (any member)',
  description:
    'A new budget owned by you with the source\'s currency, period, time zone, limit, categories (new ids; names, ' +
    'limits and groups kept), rollover, alert thresholds and the per-period limits (`periodLimits`) of the copy\'s first period and ' +
    'later under the categories of the same names (earlier periods\' stay behind); with `include`, its categorization rules (default), ' +
    'import profiles (default), recurring expenses (starting no earlier than today: nothing in the past is recorded) and members (same roles ' +
    'and shares; the source\'s owner becomes an editor when someone else copies). No expenses, reports or ' +
    'attachments. Publishes `budget.created` as a create does. A copy that would pass a cap (members, rules, ' +
    'recurring expenses, import profiles per budget) is a 409 whose `errors` name it, with nothing written; a copy past the ' +
    `${MAX_OWNED_BUDGETS} budgets an account may own (archived ones included) is a 409 \`limit-reached\` (\`limit\` ${MAX_OWNED_BUDGETS}, \`collection\` budgets, as a create's), nothing written. Retry with the same ` +
    '`Idempotency-Key` after a failure: the retry finishes the copy and answers the same budget (a 409 when that unfinished copy ' +
    'was deleted meanwhile: nothing is made again, the key keeps answering that 409, and a new key makes a new copy).',
  security: bearerSecurity,
  request: {
    params: BudgetIdParams,
    headers: IdempotencyHeaders,
    body: jsonBody(CopyBudgetBody),
  },
  responses: {
    201: { ...jsonResponse(BudgetSchema, 'The new budget'), headers: { ...etagHeader, ...locationHeader } },
    ...problemResponses(400, 401, 404, 409, 413, 415, 422),
    // The copy is a budget the caller owns: past the cap, the create's own refusal (BudgetsService).
    409: limitReachedResponse(
      { collection: 'budgets', limit: MAX_OWNED_BUDGETS, detail: `An account can own at most ${MAX_OWNED_BUDGETS} budgets (archived ones included); delete one first.` },
      '`conflict` when a cap of the copy\'s contents would be passed (its `errors` name it) or the Idempotency-Key is in use',
    ),
  },
});
