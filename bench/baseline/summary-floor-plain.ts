/**
 * summary-floor-openapi.ts without zod: the same route on a plain Hono app, its path and query
 * checked by hand. With the other two floors, what zod costs a cold summary
 * (bench/ab-cold-summary.ts --floors).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { jwtVerify } from 'jose';

// SILENT as the app's logger is in the cold-start environment (COLD_START_ENV): the line is asked for, not written.
const logger = new Logger({ serviceName: 'floor', logLevel: 'SILENT' });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const key = new TextEncoder().encode(process.env.TOKEN_SIGNING_KEY);
const app = new Hono();
app.get('/v1/budgets/:budgetId/summary', async (c) => {
  const { payload } = await jwtVerify(c.req.header('authorization')?.slice(7) ?? '', key, { algorithms: ['HS256'] });
  const budgetId = c.req.param('budgetId');
  const date = c.req.query('date');
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return c.json({ error: 'date' }, 400);
  const out = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'hello', sk: 'hello' } }));
  logger.info('summary', { budgetId, sub: payload.sub });
  return c.json({ budgetId, spent: out.Item ? 1 : 0, limit: 2 }, 200);
});
export const handler = handle(app);
