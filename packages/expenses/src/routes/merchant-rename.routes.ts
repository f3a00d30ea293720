import { bearerSecurity, limitReachedResponse } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { renameProgressResponses, renameStartResponses } from './rename-job-responses';
import { MAX_RULES_PER_BUDGET } from '../domain/categorization';
import { RENAME_MAX_FROM } from '../domain/merchant-rename';
import { BudgetParams } from '../schemas/expenses.schemas';
import { RenameBody, RenameHeaders, RenameParams, RenameSchema } from '../schemas/merchant-rename.schemas';

/** Renaming a merchant across a budget's expenses, as a job (service/merchant-rename.service.ts). */
const TAG = 'Expenses';

const renameExample = {
  id: '01JDRENAME00000000000000001',
  status: 'succeeded',
  from: ['AMZN MKTP US*2K4', 'Amazon.com'],
  to: 'Amazon',
  examined: 1240,
  renamed: 37,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:02.000Z',
  finishedAt: '2026-11-24T12:00:02.000Z',
};

/** A failed rename as GET shows it: `failure` and `failureCode` (the budget was deleted while it ran here). */
const failedRenameExample = {
  id: '01JDRENAME00000000000000002',
  status: 'failed',
  from: ['AMZN MKTP US*2K4', 'Amazon.com'],
  to: 'Amazon',
  examined: 400,
  renamed: 12,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:01.000Z',
  finishedAt: '2026-11-24T12:00:01.000Z',
  failure: 'the budget was deleted while renaming',
  failureCode: 'budget-deleted',
};

export const renameMerchant = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/merchants/rename',
  operationId: 'renameMerchant',
  tags: [TAG],
  summary: 'Rename a merchant across the budget\'s expenses (a job)',
  description:
    `Owners and editors. Every expense of the budget whose merchant is one of \`from\` (1..${RENAME_MAX_FROM} names, matched ignoring case, accents and spacing, as the merchant suggestions group them) ` +
    'gets the merchant `to`, so the merchant suggestions, the bill finder, search and reports show one payee (as a payee rename or merge). ' +
    'Each expense is changed exactly as its own PATCH `{merchant: to}` would change it: its version, delta sync, events (`expense.updated`); amounts, dates and categories, so the totals, stay as they are. ' +
    'An expense already spelled exactly `to` is left as it is; one changed by someone else meanwhile is renamed only if it still matches. ' +
    'The expenses are worked by a background job, a page at a time: the answer is 202 with `Location` of the rename (GET it for progress). ' +
    'With `Prefer: wait=N` (at most 25 s) the answer is 200 with the finished rename when it finishes within N seconds (`Preference-Applied: wait=N`). ' +
    'With `remember: true` (the owner only: 403 naming `remember` for an editor), the request also adds one categorization rule `{merchant: {equals: <spelling>}, renameTo: to}` per `from` spelling not already covered by an identical rule (returned as `ruleIds`), so later expenses and imports are renamed when recorded; if they would take the budget past 100 rules, 409 `limit-reached` (`collection` `rules`) naming `remember` and nothing is started. ' +
    'Send an `Idempotency-Key`: the same request retried with it replays the first answer and starts nothing. Renames are kept for a week.',
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    headers: RenameHeaders,
    body: { required: true, content: { 'application/json': { schema: RenameBody } } },
  },
  responses: {
    ...renameStartResponses(RenameSchema, renameExample, '/v1/budgets/{budgetId}/merchant-renames/{renameId}'),
    409: limitReachedResponse(
      {
        collection: 'rules',
        limit: MAX_RULES_PER_BUDGET,
        detail: `Remembering this rename would take the budget past ${MAX_RULES_PER_BUDGET} categorization rules; delete some first, or rename without remember. Nothing was started.`,
      },
      '`conflict` when the Idempotency-Key is in use',
    ),
  },
});

export const getMerchantRename = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/merchant-renames/{renameId}',
  operationId: 'getMerchantRename',
  tags: [TAG],
  summary: 'Progress and result of a merchant rename',
  description: 'Any member. `examined` and `renamed` go up page by page while the job runs; `status` ends as `succeeded` or `failed`. Renames are kept for a week.',
  security: bearerSecurity,
  request: { params: RenameParams },
  responses: renameProgressResponses(RenameSchema, { succeeded: renameExample, failed: failedRenameExample, failedSummary: 'Failed: `failure` says why, `failureCode` as a code (here `budget-deleted`)' }),
});
