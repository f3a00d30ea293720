/**
 * summary-floor-openapi.ts without @hono/zod-openapi and zod-to-openapi: the same route on a
 * plain Hono app, its path and query validated by zod through @hono/zod-validator. What a
 * summary would cost if the OpenAPI document were only a build-time product and zod still
 * validated at run time (bench/ab-cold-summary.ts --floors).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import * as z from 'zod';
import { answerSummary } from './summary-floor-answer';

const app = new Hono();
const Params = z.object({ budgetId: z.string().min(1).max(64) });
const Query = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() });
app.get('/v1/budgets/:budgetId/summary', zValidator('param', Params), zValidator('query', Query), async (c) => {
  return answerSummary(c, c.req.valid('param').budgetId);
});
export const handler = handle(app);
