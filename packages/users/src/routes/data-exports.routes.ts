import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, personalTokenRefusedResponse, problemExample, problemResponses, sessionSecurity } from '@budgeting/platform/routes';
import { problemType } from '@budgeting/platform';
import { DataExportIdempotencyHeaders, DataExportListSchema, DataExportParams, DataExportSchema, EXAMPLE_EXPORT_ID } from '../schemas/data-exports.schemas';
import { commonProblems } from './problem-examples';

/**
 * Data export (GDPR Art. 20, data portability): everything the account holds, as one JSON Lines
 * document made by a background job. Account management: a personal access token is refused (403).
 */
const tags = ['Me'];

const CONTENTS =
  'The document is JSON Lines (`application/x-ndjson`), one `{"type", "budgetId"?, "data"}` object per line: `export` (format, ids, date) first, ' +
  'then `profile`, `session`, `personalToken` (names and dates), `device`, `notification`, `webhook` (no signing secret), `twoFactor` (as GET /v1/me/mfa shows it), and for every budget you are a member of ' +
  '`budget` and `membership`, and where you are its owner or an editor also `recurringExpense`, `categorizationRule`, `report`, `settlement` (recorded settle-up payments) and `expense` (every one), then the `comment`s you wrote on its expenses, then (owner or editor) its `importProfile`s, its `income` entries and its `recurringIncome` definitions, then (any role) the `calendarFeed`s you made of it (id and date: never the URL), then (owner or editor) the `attachment` metadata of its receipts (uploaded ones, as GET .../attachments lists them, without URLs), its `deletedExpense`s and `deletedIncome` entries (restorable for 30 days, as GET .../expenses/deleted and .../income/deleted list them), last `end`. ' +
  'No password hash, token hash or secret is ever in it.';

export const startDataExport = createRoute({
  method: 'post',
  path: '/v1/me/export',
  operationId: 'startDataExport',
  tags,
  summary: 'Export all your data',
  description:
    `Starts an export of all the account's data; the answer is 202 with \`Location\` of the export (GET it until \`succeeded\`, then download it). You get an email when it is ready. ${CONTENTS} ` +
    'One export at a time (409 `export-running` while one is queued or running) and at most 5 a day, UTC (429 with `Retry-After`: seconds until the next UTC day). Retry safely with `Idempotency-Key`.',
  security: sessionSecurity,
  request: { headers: DataExportIdempotencyHeaders },
  responses: {
    202: {
      ...jsonResponse(DataExportSchema, 'Accepted: the export runs as a job (or replayed, with `Idempotent-Replayed: true`)'),
      headers: { Location: { description: 'URL of the export, GET /v1/me/exports/{exportId}.', schema: { type: 'string' } } },
    },
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    409: problemExample('An export is still queued or running (`export-running`); or an Idempotency-Key request is still running.', {
      type: problemType('export-running'),
      title: 'An export is running',
      status: 409,
      detail: `Export ${EXAMPLE_EXPORT_ID} is still queued or running; wait for it to finish (GET /v1/me/exports/${EXAMPLE_EXPORT_ID}).`,
    }),
    429: problemExample('5 exports were started today, UTC (`Retry-After`: seconds until the next UTC day); or the per-caller rate limit (see Retry-After and RateLimit).', {
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: 'At most 5 exports a day (UTC); retry after the time in Retry-After.',
    }),
    ...problemResponses(422),
  },
});

export const listDataExports = createRoute({
  method: 'get',
  path: '/v1/me/exports',
  operationId: 'listDataExports',
  tags,
  summary: 'Your recent data exports',
  description: 'The 20 newest exports not yet expired, newest first (without download URLs: GET one for its URL).',
  security: sessionSecurity,
  responses: {
    200: jsonResponse(DataExportListSchema, 'The exports'),
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
  },
});

export const getDataExport = createRoute({
  method: 'get',
  path: '/v1/me/exports/{exportId}',
  operationId: 'getDataExport',
  tags,
  summary: 'A data export, with its download URL once it succeeded',
  description: `Its status; once \`succeeded\`, \`download.url\` is a signed URL of the document valid 15 minutes (a new one on each GET) until the export expires (7 days). ${CONTENTS}`,
  security: sessionSecurity,
  request: { params: DataExportParams },
  responses: {
    200: jsonResponse(DataExportSchema, 'The export'),
    400: commonProblems.validation,
    401: commonProblems.unauthorized,
    403: personalTokenRefusedResponse,
    404: problemExample("No export of yours has this id (unknown, another account's, or expired).", {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: "No export of yours has this id (unknown, another account's, or expired).",
    }),
  },
});
