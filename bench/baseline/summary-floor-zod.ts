/**
 * summary-floor-openapi.ts without @hono/zod-openapi and zod-to-openapi: the same route on a
 * plain Hono app, its path and query validated by zod through @hono/zod-validator. What a
 * summary would cost if the OpenAPI document were only a build-time product and zod still
 * validated at run time (bench/ab-cold-summary.ts --floors).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { jwtVerify } from 'jose';
import * as z from 'zod';

// SILENT as the app's logger is in the cold-start environment (COLD_START_ENV): the line is asked for, not written.
const logger = new Logger({ serviceName: 'floor', logLevel: 'SILENT' });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const key = new TextEncoder().encode(process.env.TOKEN_SIGNING_KEY);
const app = new Hono();
const Params = z.object({ budgetId: z.string().min(1).max(64) });
const Query = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() });
app.get('/v1/budgets/:budgetId/summary', zValidator('param', Params), zValidator('query', Query), async (c) => {
  const { payload } = await jwtVerify(c.req.header('authorization')?.slice(7) ?? '', key, { algorithms: ['HS256'] });
  const { budgetId } = c.req.valid('param');
  const out = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'hello', sk: 'hello' } }));
  logger.info('summary', { budgetId, sub: payload.sub });
  return c.json({ budgetId, spent: out.Item ? 1 : 0, limit: 2 }, 200);
});
export const handler = handle(app);
