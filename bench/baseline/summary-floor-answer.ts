/**
 * What the three summary floors (summary-floor-{openapi,zod,plain}.ts) do alike once their
 * route has validated the request: verify the bearer token with jose, one GetItem, one
 * Powertools log line, the JSON answer. They differ only in routing and validation, which is
 * what they are there to tell apart.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'hono';
import { jwtVerify } from 'jose';

// SILENT as the app's logger is in the cold-start environment (COLD_START_ENV): the line is asked for, not written.
const logger = new Logger({ serviceName: 'floor', logLevel: 'SILENT' });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const key = new TextEncoder().encode(process.env.TOKEN_SIGNING_KEY);

/** The summary's answer for `budgetId`, after the bearer token is verified. */
export async function answerSummary(c: Context, budgetId: string) {
  const { payload } = await jwtVerify(c.req.header('authorization')?.slice(7) ?? '', key, { algorithms: ['HS256'] });
  const out = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'hello', sk: 'hello' } }));
  logger.info('summary', { budgetId, sub: payload.sub });
  return c.json({ budgetId, spent: out.Item ? 1 : 0, limit: 2 }, 200);
}
