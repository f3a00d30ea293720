import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RELAY_FILTER_PATTERNS, type FilterPattern } from '../../../packages/app/src/events/relay-filter';
import { createLocalStreamRelay } from '../../../packages/app/src/local/events-stream-relay';
import { recordingLogger } from './recording-logger';

/**
 * Shard handling of the local relay, which DynamoDB Local rarely exercises: splits (a child
 * waits for its parent), closed shards, vanished shards, a checkpoint of another stream, and
 * resuming at the first failed record, the mapping's event filter. The streams API is mocked;
 * iterators encode "shard:position" so the fake can serve records from any position.
 */
const STREAM = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-11-24T00:00:00.000';
const dynamo = mockClient(DynamoDBClient);
const streams = mockClient(DynamoDBStreamsClient);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-unit-'));
  file = join(dir, 'checkpoint.json');
  dynamo.reset();
  streams.reset();
  dynamo.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: STREAM } });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  outboxRecords.clear();
});
// The unit project shares a process between files (isolate: false): a class mock left installed
// answers every later file's DynamoDB call (outbox-relay.test.ts's EventBridge one did so), so it is taken off.
afterAll(() => {
  dynamo.restore();
  streams.restore();
});

/** Records that are an outbox item's INSERT or its TTL expiry; every other one is a plain INSERT. */
const outboxRecords = new Map<number, 'INSERT' | 'REMOVE'>();
const rec = (seq: number): _Record => {
  const SequenceNumber = String(seq).padStart(21, '0');
  const outbox = outboxRecords.get(seq);
  if (outbox === 'REMOVE') return { eventName: 'REMOVE', eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber, OldImage: { pk: { S: `p${seq}` }, kind: { S: 'outbox' } } } };
  const NewImage: Record<string, AttributeValue> = outbox ? { pk: { S: `p${seq}` }, kind: { S: 'outbox' } } : { pk: { S: `p${seq}` } };
  return { eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber, NewImage } };
};

/** A fake stream: shards with their records; `closed` shards end (no NextShardIterator). */
function fakeStream(shards: { id: string; parent?: string; start: number; records: number[]; closed?: boolean }[]) {
  streams.on(DescribeStreamCommand).callsFake(() => ({
    StreamDescription: {
      StreamArn: STREAM,
      Shards: shards.map(
        (s): Shard => ({ ShardId: s.id, ParentShardId: s.parent, SequenceNumberRange: { StartingSequenceNumber: String(s.start).padStart(21, '0') } }),
      ),
    },
  }));
  const iteratorCalls: { shard: string; type: string; seq?: string }[] = [];
  streams.on(GetShardIteratorCommand).callsFake((input) => {
    const shard = shards.find((s) => s.id === input.ShardId)!;
    iteratorCalls.push({ shard: shard.id, type: input.ShardIteratorType, seq: input.SequenceNumber });
    const pos = input.ShardIteratorType === 'TRIM_HORIZON' ? 0 : shard.records.findIndex((r) => r > Number(input.SequenceNumber));
    return { ShardIterator: `${shard.id}:${pos < 0 ? shard.records.length : pos}` };
  });
  streams.on(GetRecordsCommand).callsFake((input) => {
    const [id, posText] = input.ShardIterator!.split(':');
    const shard = shards.find((s) => s.id === id)!;
    const pos = Number(posText);
    const records = shard.records.slice(pos, pos + (input.Limit ?? 100));
    const end = pos + records.length;
    const done = shard.closed && end >= shard.records.length;
    return { Records: records.map(rec), NextShardIterator: done ? undefined : `${id}:${end}` };
  });
  return { iteratorCalls };
}

function relayWith(handle: (records: DynamoDBRecord[]) => DynamoDBBatchResponse = () => ({ batchItemFailures: [] }), filters?: readonly FilterPattern[]) {
  const seen: number[] = [];
  /** The sequence numbers of each call's batch. */
  const calls: number[][] = [];
  const relay = createLocalStreamRelay({
    endpoint: 'http://127.0.0.1:1',
    tableName: 't',
    checkpointFile: file,
    logger: recordingLogger(),
    batchSize: 2,
    filters,
    relay: async (records) => {
      calls.push(records.map((r) => Number(r.dynamodb!.SequenceNumber)));
      const result = handle(records);
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      for (const r of records) if (!failed.has(r.dynamodb!.SequenceNumber!)) seen.push(Number(r.dynamodb!.SequenceNumber));
      return result;
    },
  });
  return { relay, seen, calls };
}

const checkpoint = () => JSON.parse(readFileSync(file, 'utf8'));

describe('local stream relay: shards and checkpoints', () => {
  it('reads a split parent to its end before its children, and records the parent as finished', async () => {
    fakeStream([
      { id: 'child-b', parent: 'parent', start: 200, records: [201] },
      { id: 'parent', start: 100, records: [101, 102, 103], closed: true },
      { id: 'child-a', parent: 'parent', start: 300, records: [301, 302] },
    ]);
    const { relay, seen } = relayWith();
    expect(await relay.pollOnce()).toBe(6);
    expect(seen).toEqual([101, 102, 103, 201, 301, 302]);
    expect(checkpoint()).toEqual({
      streamArn: STREAM,
      shards: {
        parent: { sequenceNumber: '000000000000000000103', finished: true },
        'child-b': { sequenceNumber: '000000000000000000201' },
        'child-a': { sequenceNumber: '000000000000000000302' },
      },
    });
    await relay.stop();
  });

  it('resumes after its checkpoint in a new process, skips finished shards, drops vanished ones', async () => {
    writeFileSync(
      file,
      JSON.stringify({
        streamArn: STREAM,
        shards: {
          old: { sequenceNumber: '000000000000000000050', finished: true },
          parent: { sequenceNumber: '000000000000000000103', finished: true },
          child: { sequenceNumber: '000000000000000000201' },
        },
      }),
    );
    const { iteratorCalls } = fakeStream([
      { id: 'parent', start: 100, records: [101, 102, 103], closed: true },
      { id: 'child', parent: 'parent', start: 200, records: [201, 202, 203] },
    ]);
    const { relay, seen } = relayWith();
    await relay.pollOnce();
    expect(seen).toEqual([202, 203]);
    expect(iteratorCalls).toEqual([{ shard: 'child', type: 'AFTER_SEQUENCE_NUMBER', seq: '000000000000000000201' }]);
    expect(Object.keys(checkpoint().shards).sort()).toEqual(['child', 'parent']);
    await relay.stop();
  });

  it('ignores a checkpoint of another stream (the table was recreated)', async () => {
    writeFileSync(file, JSON.stringify({ streamArn: `${STREAM}-old`, shards: { s: { sequenceNumber: '000000000000000000105' } } }));
    fakeStream([{ id: 's', start: 100, records: [101, 102] }]);
    const { relay, seen } = relayWith();
    await relay.pollOnce();
    expect(seen).toEqual([101, 102]);
    expect(checkpoint().streamArn).toBe(STREAM);
    await relay.stop();
  });

  it('checkpoints just before the first failed record and reads again from there', async () => {
    const { iteratorCalls } = fakeStream([{ id: 's', start: 100, records: [101, 102, 103, 104] }]);
    let failOnce = true;
    const { relay, seen } = relayWith((records) => {
      const bad = records.find((r) => r.dynamodb!.SequenceNumber!.endsWith('104'));
      if (bad && failOnce) {
        failOnce = false;
        return { batchItemFailures: [{ itemIdentifier: bad.dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    });
    await relay.pollOnce(); // batches of 2: [101, 102] ok, [103, 104] fails at 104
    expect(seen).toEqual([101, 102, 103]);
    expect(checkpoint().shards.s).toEqual({ sequenceNumber: '000000000000000000103' });

    await new Promise((r) => setTimeout(r, 600)); // the shard's retry backoff
    await relay.pollOnce();
    expect(seen).toEqual([101, 102, 103, 104]);
    expect(iteratorCalls.at(-1)).toEqual({ shard: 's', type: 'AFTER_SEQUENCE_NUMBER', seq: '000000000000000000103' });
    expect(checkpoint().shards.s).toEqual({ sequenceNumber: '000000000000000000104' });
    await relay.stop();
  });

  it('does not move the checkpoint when the relay itself dies mid-batch', async () => {
    fakeStream([{ id: 's', start: 100, records: [101, 102] }]);
    const { relay } = relayWith(() => {
      throw new Error('process died');
    });
    await expect(relay.pollOnce()).rejects.toThrow('process died');
    expect(() => readFileSync(file)).toThrow(); // nothing was ever checkpointed
    await relay.stop();
  });
});

describe('local stream relay: the event filter of the deployed mapping', () => {
  it('hands the relay only what the filter keeps, makes no call for an emptied batch, checkpoints past dropped records', async () => {
    outboxRecords.set(102, 'INSERT').set(105, 'INSERT').set(106, 'REMOVE');
    fakeStream([{ id: 's', start: 100, records: [101, 102, 103, 104, 105, 106] }]);
    const { relay, calls } = relayWith(undefined, RELAY_FILTER_PATTERNS);
    expect(await relay.pollOnce()).toBe(6); // every record read and moved past
    // Batches of 2: [101, 102] -> [102]; [103, 104] -> no call at all; [105, 106 (a TTL expiry)] -> [105].
    expect(calls).toEqual([[102], [105]]);
    expect(relay.stats()).toEqual({ read: 6, delivered: 2 });
    expect(checkpoint().shards.s).toEqual({ sequenceNumber: '000000000000000000106' });
    expect(await relay.pollOnce()).toBe(0);
    expect(calls).toHaveLength(2);
    await relay.stop();
  });

  it('without filters (a mapping without FilterCriteria) hands over every record', async () => {
    outboxRecords.set(102, 'INSERT');
    fakeStream([{ id: 's', start: 100, records: [101, 102, 103] }]);
    const { relay, calls } = relayWith();
    await relay.pollOnce();
    expect(calls).toEqual([[101, 102], [103]]);
    expect(relay.stats()).toEqual({ read: 3, delivered: 3 });
    await relay.stop();
  });

  it('resumes at the first failed record, reading the dropped records before it again', async () => {
    outboxRecords.set(101, 'INSERT').set(103, 'INSERT');
    const { iteratorCalls } = fakeStream([{ id: 's', start: 100, records: [101, 102, 103, 104] }]);
    let failOnce = true;
    const { relay, calls } = relayWith((records) => {
      const bad = records.find((r) => r.dynamodb!.SequenceNumber!.endsWith('103'));
      if (bad && failOnce) {
        failOnce = false;
        return { batchItemFailures: [{ itemIdentifier: bad.dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    }, RELAY_FILTER_PATTERNS);
    await relay.pollOnce(); // [101, 102] -> [101] ok; [103, 104] -> [103] fails
    expect(calls).toEqual([[101], [103]]);
    expect(checkpoint().shards.s).toEqual({ sequenceNumber: '000000000000000000102' });

    await new Promise((r) => setTimeout(r, 600)); // the shard's retry backoff
    await relay.pollOnce();
    expect(calls).toEqual([[101], [103], [103]]);
    expect(iteratorCalls.at(-1)).toEqual({ shard: 's', type: 'AFTER_SEQUENCE_NUMBER', seq: '000000000000000000102' });
    expect(checkpoint().shards.s).toEqual({ sequenceNumber: '000000000000000000104' });
    await relay.stop();
  });

  it('refuses a filter it would evaluate differently from Lambda', () => {
    const prefix = { dynamodb: { NewImage: { pk: { S: [{ prefix: 'expenses#' }] } } } } as unknown as FilterPattern;
    expect(() => relayWith(undefined, [prefix])).toThrow(/filters\[0\]\.dynamodb\.NewImage\.pk\.S: \{"prefix":"expenses#"\} is not supported/);
  });
});
