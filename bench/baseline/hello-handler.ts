/**
 * The yardstick of `npm run bench`: the smallest honest Lambda on the same stack - a Hono app
 * behind API Gateway v2 with a DynamoDB DocumentClient created at init, one health route and
 * one route that reads an item. It is bundled with the app's own esbuild options and must stay
 * this small: making it heavier would flatter every ratio the bench prints.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const app = new Hono();

app.get('/health', (c) => c.json({ status: 'ok' }));
app.get('/items/:id', async (c) => {
  const out = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: c.req.param('id'), sk: c.req.param('id') } }));
  return out.Item ? c.json(out.Item) : c.json({ error: 'not found' }, 404);
});

export const handler = handle(app);
