/**
 * A floor for `coldStart.firstSummary` (bench/ab-cold-summary.ts --floors): the shape of the
 * app's cold GET /v1/budgets/{budgetId}/summary with none of the app's code - an OpenAPIHono
 * route whose path and query are validated by zod schemas carrying `.openapi()` metadata (as
 * the app's routes are), the bearer token verified with jose, one GetItem, one Powertools log
 * line. What the required libraries cost a first summary before any code of ours runs; its
 * siblings summary-floor-zod.ts (zod without the OpenAPI libraries) and summary-floor-plain.ts
 * (no zod) tell the libraries' shares apart. Keep each to one honest use of each library.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { handle } from 'hono/aws-lambda';
import * as z from 'zod';
import { answerSummary } from './summary-floor-answer';

const app = new OpenAPIHono();
const Params = z.object({ budgetId: z.string().min(1).max(64) }).openapi('Params');
const Query = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).openapi('Query');
const Out = z.object({ budgetId: z.string(), spent: z.number().int(), limit: z.number().int() }).openapi('Summary');
const route = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/summary',
  request: { params: Params, query: Query },
  responses: { 200: { description: 'ok', content: { 'application/json': { schema: Out } } } },
});
app.openapi(route, async (c) => {
  return answerSummary(c, c.req.valid('param').budgetId);
});
export const handler = handle(app);
