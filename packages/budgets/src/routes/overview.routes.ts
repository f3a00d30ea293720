import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { DEFAULT_OVERVIEW_PAGE, MAX_OVERVIEW_PAGE, OverviewHeaders, OverviewSchema, OverviewQuery } from '../schemas/overview.schemas';

/** What the answers say about caching: read every 15 s at most by the phone that asked. */
export const OVERVIEW_CACHE_CONTROL = 'private, max-age=15';

const cacheControl = { 'Cache-Control': { description: `Always \`${OVERVIEW_CACHE_CONTROL}\`.`, schema: { type: 'string' as const, example: OVERVIEW_CACHE_CONTROL } }, Vary: { description: 'Names `Authorization` (a cache serves this answer only to the credentials it was asked with).', schema: { type: 'string' as const, example: 'Authorization' } } };
const weakEtag = {
  ETag: {
    description: 'A weak ETag of the figures (not of `generatedAt`), for If-None-Match.',
    schema: { type: 'string' as const, example: 'W/"kq3yJ0mU0n2t0Kk7mC2Xb1v9QeZ"' },
  },
};

/** The app's home screen in one request (service/overview.service.ts). */
export const overviewRoute = createRoute({
  method: 'get',
  path: '/v1/me/overview',
  operationId: 'getOverview',
  tags: ['budgets'],
  summary: 'Home overview: every budget\'s current period, and unread notifications',
  description:
    'A page of the budgets you belong to, in the order of GET /v1/budgets (oldest first), each with its CURRENT period ' +
    "(today in the budget's time zone) read exactly as GET /v1/budgets/{budgetId}/summary answers it: `limit`, " +
    '`carriedOver`, `spent` and `remaining` are the summary\'s; `percentUsed`, `alertLevel`, `categoriesOver` and `targetsBehind` are read off it. ' +
    `\`limit\`: ${DEFAULT_OVERVIEW_PAGE} budgets by default, at most ${MAX_OVERVIEW_PAGE}. A budget deleted or left a moment ago is ` +
    'skipped, so a page may hold fewer items than `limit` and still have a `nextCursor`. With `unreadNotifications` and ' +
    '`generatedAt`. Any member, with a session or a personal access token (`read` is enough): not account management, ' +
    'although under /v1/me. Answers carry `Cache-Control: private, max-age=15` with `Vary: Authorization` and a weak ETag (If-None-Match: 304).',
  security: bearerSecurity,
  request: { query: OverviewQuery, headers: OverviewHeaders },
  responses: {
    200: { description: 'A page of the overview', headers: { ...cacheControl, ...weakEtag }, content: jsonContent(OverviewSchema) },
    304: { description: 'Not Modified: If-None-Match names these figures; no body, keep the copy you hold', headers: { ...cacheControl, ...weakEtag } },
    ...problemResponses(400, 401),
  },
});
