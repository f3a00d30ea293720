import { bearerSecurity } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { renameProgressResponses, renameStartResponses } from './rename-job-responses';
import { TAG_RENAME_MAX_FROM } from '../domain/tag-rename';
import { BudgetParams } from '../schemas/expenses.schemas';
import { TagRenameBody, TagRenameHeaders, TagRenameParams, TagRenameSchema } from '../schemas/tag-rename.schemas';

/** Renaming or removing a tag across a budget's expenses, as a job (service/tag-rename.service.ts). */
const TAG = 'Expenses';

const tagRenameExample = {
  id: '01JDTAGRENAME0000000000001',
  status: 'succeeded',
  from: ['vacation', 'Vacances'],
  to: 'vacation-2026',
  examined: 1240,
  renamed: 37,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:02.000Z',
  finishedAt: '2026-11-24T12:00:02.000Z',
};

/** A removal (`to: null`) that failed, as GET shows it: `failure` and `failureCode`. */
const failedTagRenameExample = {
  id: '01JDTAGRENAME0000000000002',
  status: 'failed',
  from: ['reimbursable'],
  to: null,
  examined: 400,
  renamed: 12,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:01.000Z',
  finishedAt: '2026-11-24T12:00:01.000Z',
  failure: 'the budget was deleted while renaming',
  failureCode: 'budget-deleted',
};

export const renameTag = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/tags/rename',
  operationId: 'renameTag',
  tags: [TAG],
  summary: "Rename or remove a tag across the budget's expenses (a job)",
  description:
    `Owners and editors. Every expense of the budget carrying one of \`from\` (1..${TAG_RENAME_MAX_FROM} tags, matched ignoring case and accents, as the \`tag\` filter matches) ` +
    'gets it replaced by `to` in its place, or removed when `to` is null. An expense that already has `to` keeps it once (no duplicate), so its tags never exceed the 10-tag cap; one whose tag is already spelled exactly `to` is left as it is. ' +
    'Each expense is changed exactly as its own PATCH `{tags}` would change it: its version, delta sync, events (`expense.updated`), activity; amounts, dates and categories, so the totals, stay as they are. ' +
    'The expenses are worked by a background job, a page at a time: the answer is 202 with `Location` of the rename (GET it for progress). ' +
    'With `Prefer: wait=N` (at most 25 s) the answer is 200 with the finished rename when it finishes within N seconds (`Preference-Applied: wait=N`). ' +
    'No event and no notification announce its end: read its status. ' +
    'Send an `Idempotency-Key`: the same request retried with it replays the first answer and starts nothing. Renames are kept for a week.',
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    headers: TagRenameHeaders,
    body: { required: true, content: { 'application/json': { schema: TagRenameBody } } },
  },
  responses: renameStartResponses(TagRenameSchema, tagRenameExample, '/v1/budgets/{budgetId}/tag-renames/{renameId}'),
});

export const getTagRename = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/tag-renames/{renameId}',
  operationId: 'getTagRename',
  tags: [TAG],
  summary: 'Progress and result of a tag rename or removal',
  description: 'Any member. `examined` and `renamed` go up page by page while the job runs; `status` ends as `succeeded` or `failed`. Renames are kept for a week.',
  security: bearerSecurity,
  request: { params: TagRenameParams },
  responses: renameProgressResponses(TagRenameSchema, { succeeded: tagRenameExample, failed: failedTagRenameExample, failedSummary: 'A removal that failed: `failure` says why, `failureCode` as a code (here `budget-deleted`)' }),
});
