/**
 * The "stack floor" of `npm run bench`: the hello-world baseline plus the smallest real use of
 * every library the app is required to carry, and none of the app's own code. Its size against
 * the baseline is the least any implementation of issue 2 on this stack can reach, so the bench
 * prints it next to the app to tell "our code is heavy" apart from "the stack is heavy".
 *
 * Required, and why each is here (keep it to one honest use of each; adding features would
 * flatter the app's ratio, leaving one out would hide a cost the app cannot avoid):
 * - zod + @hono/zod-openapi: requests validated by zod schemas that also generate OpenAPI 3.1
 *   at /v1/openapi.json (issue 2, item 5); `import * as z` as the app's build rewrites it to.
 * - the interactive docs at /docs (issue 2, item 5): a static page that loads Scalar's pinned
 *   script (issue 13, item 7), so no library in the bundle.
 * - @aws-lambda-powertools/logger: structured JSON logs (issue 2, item 5; "prefer a library").
 * - jose: access JWTs verified without a database read (SPEC, users module).
 * - ulid: ids sortable by creation time (SPEC, conventions).
 * - @aws-sdk/client-eventbridge, PutEvents only: domain events on EventBridge (issue 4).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { handle } from 'hono/aws-lambda';
import { jwtVerify } from 'jose';
import { ulid } from 'ulid';
import * as z from 'zod';

const logger = new Logger({ serviceName: 'stack-floor' });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const bus = new EventBridgeClient({});
const key = new TextEncoder().encode(process.env.TOKEN_SIGNING_KEY);
const app = new OpenAPIHono();

const Item = z.object({ name: z.string().min(1), amount: z.number().int().positive() }).openapi('Item');
const createItem = createRoute({
  method: 'post',
  path: '/items',
  request: { body: { content: { 'application/json': { schema: Item } }, required: true } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: Item } } } },
});

app.get('/health', (c) => c.json({ status: 'ok' }));
app.openapi(createItem, async (c) => {
  const { payload } = await jwtVerify(c.req.header('authorization')?.slice(7) ?? '', key);
  const item = { ...c.req.valid('json'), id: ulid(), owner: payload.sub };
  await doc.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk: item.id, ...item } }));
  await bus.send(new PutEventsCommand({ Entries: [{ Source: 'floor', DetailType: 'item.created', Detail: JSON.stringify(item) }] }));
  logger.info('item created', { id: item.id });
  return c.json(item, 201);
});
app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'stack floor', version: '1' } });
app.get('/docs', (c) => c.html('<!doctype html><div id="app"></div><script src="/scalar.js"></script>'));

export const handler = handle(app);
