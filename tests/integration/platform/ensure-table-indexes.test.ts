import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE, createTableInput } from '@budgeting/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTable, localClient } from '../../../packages/app/src/local/dynamodb-local';
import { dynamoEndpoint } from '../../support/dynamo-endpoint';

/**
 * A table `npm start` created before an index was added to TABLE (its `.data/`) gets the index
 * at the next start: ensureTable adds what is missing with UpdateTable, and DynamoDB fills it
 * from the items that already carry its attributes.
 */
const dynamo = localClient(dynamoEndpoint());
const doc = DynamoDBDocumentClient.from(dynamo);
const table = `ensure-indexes-${Date.now().toString(36)}`;
afterAll(async () => {
  await dynamo.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  dynamo.destroy();
});

describe('ensureTable on a table of an earlier definition', () => {
  it('adds the missing index (gsi4), once, and it finds the items already stored', async () => {
    // The table as the definition before gsi4 created it.
    const full = createTableInput(table);
    await dynamo.send(
      new CreateTableCommand({
        ...full,
        AttributeDefinitions: full.AttributeDefinitions.filter((a) => !a.AttributeName.startsWith('gsi4')),
        GlobalSecondaryIndexes: full.GlobalSecondaryIndexes.filter((i) => i.IndexName !== 'gsi4'),
      }),
    );
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'p', sk: 's', gsi4pk: 'series', gsi4sk: 'a' } }));

    expect(await ensureTable(dynamo, table)).toBe('existing+gsi4');
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    expect(Table!.GlobalSecondaryIndexes!.map((i) => [i.IndexName, i.IndexStatus]).sort()).toEqual(
      Object.keys(TABLE.indexes).map((name) => [name, 'ACTIVE']),
    );
    const found = await doc.send(new QueryCommand({ TableName: table, IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': 'series' } }));
    expect(found.Items).toEqual([{ pk: 'p', sk: 's', gsi4pk: 'series', gsi4sk: 'a' }]);

    expect(await ensureTable(dynamo, table)).toBe('existing');
  });
});

describe('ensureTable on a new table', () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const name of made) await dynamo.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
  });
  const fresh = () => {
    const name = `ensure-stream-${made.length}-${Date.now().toString(36)}`;
    made.push(name);
    return name;
  };

  it('gives it the stream the relay reads (new and old images) and TTL, unless told `stream: false` (the tests\' tables)', async () => {
    const withStream = fresh();
    expect(await ensureTable(dynamo, withStream)).toBe('created');
    const streamed = (await dynamo.send(new DescribeTableCommand({ TableName: withStream }))).Table!;
    expect(streamed.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(streamed.LatestStreamArn).toBeTruthy();

    const without = fresh();
    expect(await ensureTable(dynamo, without, { stream: false })).toBe('created');
    const plain = (await dynamo.send(new DescribeTableCommand({ TableName: without }))).Table!;
    expect(plain.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    expect(plain.LatestStreamArn).toBeUndefined();
    // Everything else as the definition says.
    expect(plain.GlobalSecondaryIndexes!.map((i) => i.IndexName).sort()).toEqual(Object.keys(TABLE.indexes));
  });
});
