/**
 * The floor of the HTTP throughput bench: a bare node:http server whose POST does the least a
 * recorded expense needs, one TransactWriteItems with two items (the expense, its running
 * total), through the same DocumentClient setup. Prints `{"port"}` when listening.
 *   TABLE_NAME=... DYNAMODB_ENDPOINT=... PORT=... tsx bench/lib/serve-raw.ts
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, newId } from '@budgeting/platform';
import { serveFloor } from './floor-server';

const { doc } = createDynamoClients({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
const TableName = process.env.TABLE_NAME!;
const port = Number(process.env.PORT);

serveFloor(port, async (input) => {
  const id = newId(Date.now());
  const expense = { pk: 'raw#budget#1', sk: `raw#expense#${id}`, id, amount: input.amount, occurredOn: input.occurredOn };
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName, Item: expense, ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Update: {
            TableName,
            Key: { pk: 'raw#totals#1', sk: `raw#month#${input.occurredOn.slice(0, 7)}#${id.charCodeAt(id.length - 1) % 4}` },
            UpdateExpression: 'ADD #t :a',
            ExpressionAttributeNames: { '#t': 'total' },
            ExpressionAttributeValues: { ':a': input.amount },
          },
        },
      ],
    }),
  );
  return { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, amount: input.amount }) };
});
