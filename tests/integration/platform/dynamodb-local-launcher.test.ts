import { DeleteTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureTable, localClient } from '../../../packages/app/src/local/dynamodb-local';
import { dynamoEndpoint } from '../../support/dynamo-endpoint';

/**
 * The launcher (packages/app/src/local/LoopbackDynamoDbLocal.java) adds an index to DynamoDB
 * Local's store of stream records, so a request does not pay for the stream records of every
 * table created before its own (the test run creates one table per file). The index must be
 * there, and a stream must still give its own records, and only those, after an older table's.
 */
const endpoint = dynamoEndpoint();
const dynamo = localClient(endpoint);
const streams = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
afterAll(() => {
  dynamo.destroy();
  streams.destroy();
});

const suffix = Date.now().toString(36);

/** The command line (arguments) of the process serving `port` with `-port <port>`, read from /proc (Linux). */
function commandLineServing(port: string): string[] | undefined {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // ended meanwhile, or not ours to read
    }
    const at = args.indexOf('-port');
    if (at >= 0 && args[at + 1] === port) return args;
  }
  return undefined;
}
const put = (table: string, pk: string) => dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 'item' } } }));

describe('the DynamoDB Local of the test run', () => {
  it.skipIf(inject('dynamoStreamRecordsIndexed') === undefined)('has its stream records indexed by stream (the launcher said so)', () => {
    expect(inject('dynamoStreamRecordsIndexed')).toBe(true);
  });

  // The main project's instance: C1 only and the serial collector (dynamodb-local.ts TEST_RUN_JVM_FLAGS; not the heavy project's).
  it.skipIf(inject('dynamoStreamRecordsIndexed') === undefined || process.platform !== 'linux')('runs with the JVM flags of a test run', () => {
    const args = commandLineServing(new URL(endpoint).port);
    expect(args?.[0]).toBe('java');
    expect(args).toEqual(expect.arrayContaining(['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']));
  });

  it("reads a table's stream from its first record to its last, after an older, deleted table's records", async () => {
    const older = `launcher-older-${suffix}`;
    await ensureTable(dynamo, older);
    for (const pk of ['o1', 'o2', 'o3']) await put(older, pk);
    await dynamo.send(new DeleteTableCommand({ TableName: older }));

    const table = `launcher-${suffix}`;
    await ensureTable(dynamo, table);
    for (const pk of ['n1', 'n2']) await put(table, pk);
    try {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
      const streamArn = Table!.LatestStreamArn!;
      const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0]!;
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      const records: _Record[] = [];
      // A read may come back empty before the records (as in AWS): a few reads at most.
      for (let read = 0; read < 10 && iterator && records.length < 2; read++) {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(out.Records ?? []));
        iterator = out.NextShardIterator;
      }
      expect(records.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['n1', 'n2']);
    } finally {
      await dynamo.send(new DeleteTableCommand({ TableName: table }));
    }
  });
});
