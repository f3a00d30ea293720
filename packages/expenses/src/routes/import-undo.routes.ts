import { bearerSecurity, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { ImportParams, ImportSchema, ImportUndoHeaders } from '../schemas/csv.schemas';
import { importExample } from './csv.routes';

const undoneExample = {
  ...importExample,
  undo: { status: 'succeeded', removed: 39, kept: 1, gone: 0, total: 40, createdAt: '2026-11-24T12:10:00.000Z', updatedAt: '2026-11-24T12:10:02.000Z', finishedAt: '2026-11-24T12:10:02.000Z' },
};

export const undoImport = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/imports/{importId}/undo',
  operationId: 'undoImport',
  tags: ['Expenses'],
  summary: 'Undo an import: delete the expenses it recorded (a job)',
  description:
    'The member who started the import, or the budget\'s owner (another editor or a viewer: 403; not a member: 404). Deletes the expenses the import recorded, each exactly as its own DELETE ' +
    '(running totals, the change feed, `expense.deleted`, restorable for 30 days), but only those nobody changed since the import (their `version` is still 1): a changed one is kept and counted in `undo.kept`. ' +
    'Each deleted row\'s import marker goes too, so importing a corrected file records those rows again; a kept expense\'s marker stays. Rows that were duplicates or matched bills wrote no expense and are left alone. ' +
    'Only a finished import (`succeeded` or `failed`; else 409 `import-running`) within 6 days of its start (its rows are kept 7 days; later: 409 `import-undo-expired`). An archived budget: 409 `budget-archived`. ' +
    'A job of one unit per stored part of the import; the answer is 202 with `Location` of the import resource, whose `undo` shows progress (`Prefer: wait=N`, at most 25 s: 200 once it has finished within N seconds). ' +
    'A second undo, while one runs or after it succeeded, answers the same resource and starts nothing; after it `failed` (e.g. the budget archived and unarchived since, a stall), it restarts the undo, which goes on from its counts (still within the 6 days).',
  security: bearerSecurity,
  request: { params: ImportParams, headers: ImportUndoHeaders },
  responses: {
    200: {
      description: 'The import with its finished undo (with `Prefer: wait=N`)',
      headers: {
        Location: { description: 'URL of the import resource.', schema: { type: 'string' } },
        'Preference-Applied': { description: '`wait=N` when the Prefer wait was honoured.', schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: ImportSchema, example: undoneExample } },
    },
    202: {
      description: 'Accepted: the undo runs as a job (or runs or ran already: the same resource).',
      headers: {
        Location: { description: 'URL of the import resource, GET /v1/budgets/{budgetId}/imports/{importId}.', schema: { type: 'string' } },
        'Preference-Applied': { description: '`wait=N` when a Prefer wait was asked for (it did not finish in time).', schema: { type: 'string' } },
      },
      content: {
        'application/json': {
          schema: ImportSchema,
          example: { ...undoneExample, undo: { ...undoneExample.undo, status: 'queued', removed: 0, kept: 0, updatedAt: undoneExample.undo.createdAt, finishedAt: undefined } },
        },
      },
    },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});
