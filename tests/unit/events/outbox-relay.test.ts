import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStreamHandler } from '../../../packages/app/src/events/stream-handler';
import { MAX_ENTRIES_PER_REQUEST, MAX_REQUEST_BYTES, entrySize } from '../../../packages/app/src/events/put-events';
import { recordingLogger } from './recording-logger';
import { outboxItem, sampleStreamEvent, streamRecord } from './stream-records';

/**
 * The Lambda stream trigger against a mocked EventBridge: batching limits, retrying only the
 * failed entries, throttling, and what comes back as batchItemFailures.
 */
const eventBridge = mockClient(EventBridgeClient);
const dynamo = mockClient(DynamoDBDocumentClient);
let sleeps: number[];

function handler() {
  const logger = recordingLogger();
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const handle = createStreamHandler(
    {
      config: { region: 'us-east-1', tableName: 'table', eventBusName: 'bus' },
      deps: { doc, clock: fixedClock('2026-11-24T12:00:00Z'), logger },
    },
    {
      eventBridgeClient: new EventBridgeClient({ region: 'us-east-1' }),
      retry: { maxAttempts: 4, sleep: async (ms) => void sleeps.push(ms), random: () => 1 },
    },
  );
  return { handle, logger };
}

const sentEntries = () => eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
const detailIds = (entries: PutEventsRequestEntry[]) => entries.map((e) => JSON.parse(e.Detail!).id as string);
const accepted = (entries: PutEventsRequestEntry[] | undefined) => ({
  FailedEntryCount: 0,
  Entries: (entries ?? []).map((_, i) => ({ EventId: `ev-${i}` })),
});

beforeEach(() => {
  eventBridge.reset();
  dynamo.reset();
  sleeps = [];
});
afterEach(() => {
  eventBridge.reset();
  dynamo.reset();
});
// The unit project shares a process between files (isolate: false): a mock left installed answers
// every later file's EventBridge or DocumentClient call (aws-unanswered.test.ts got an answer from
// it in 11 ms), so it is taken off.
afterAll(() => {
  eventBridge.restore();
  dynamo.restore();
});

describe('outbox relay (stream -> PutEvents)', () => {
  it('ignores records that are not outbox inserts (the AWS sample batch, modifies, removes)', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries));
    const sample = sampleStreamEvent();
    sample.Records.push(streamRecord(outboxItem('budgets', 'm1'), 'MODIFY'), streamRecord(outboxItem('budgets', 'r1'), 'REMOVE'));
    const { handle } = handler();
    expect(await handle(sample)).toEqual({ batchItemFailures: [] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('publishes outbox items with source, detail-type, detail and time, and writes nothing back', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries));
    const item = outboxItem('expenses', 'e1', { amount: 1250 }, 'expense.recorded');
    const { handle } = handler();
    const result = await handle({ Records: [streamRecord({ pk: 'expenses#expense#1', sk: 'expenses#expense' }), streamRecord(item)] });
    expect(result.batchItemFailures).toEqual([]);
    expect(sentEntries()).toEqual([
      [
        {
          EventBusName: 'bus',
          Source: 'budgeting.expenses',
          DetailType: 'expense.recorded',
          Detail: item.detail,
          Time: new Date('2026-11-24T12:00:00.000Z'),
        },
      ],
    ]);
    // The item was written with its TTL: relaying it costs no DynamoDB request.
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('publishes an item of another kind that is marked as carrying an event (a change-log entry)', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries));
    const { pk: _pk, sk: _sk, kind: _kind, ...event } = outboxItem('expenses', 'c1', { amount: 5 }, 'expense.recorded');
    const entry = { pk: 'expenses#changes#b1', sk: 'expenses#change#03#0000000007', kind: 'expense-change', seq: 7, publishes: true, ...event };
    const unmarked = { ...entry, sk: 'expenses#change#03#0000000008', publishes: undefined };
    const { handle } = handler();
    expect(await handle({ Records: [streamRecord(entry), streamRecord(unmarked)] })).toEqual({ batchItemFailures: [] });
    expect(sentEntries().map(detailIds)).toEqual([['c1']]);
  });

  it('never sends more than 10 entries or 256 KB in one request', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries));
    const big = 'x'.repeat(60 * 1024);
    const records = [
      ...Array.from({ length: 23 }, (_, i) => streamRecord(outboxItem('budgets', `s${i}`))),
      ...Array.from({ length: 9 }, (_, i) => streamRecord(outboxItem('budgets', `b${i}`, { big }))),
    ];
    const { handle } = handler();
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    const requests = sentEntries();
    for (const entries of requests) {
      expect(entries.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_REQUEST);
      expect(entries.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    }
    expect(requests.map((r) => r.length)).toEqual([10, 10, 7, 4, 1]); // 3 small + 4 of ~60 KB, then 4 more of ~60 KB, then the last
    expect(requests.flat()).toHaveLength(32); // each event exactly once
  });

  it('retries only the entries PutEvents rejected, with growing backoff', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'b' }, { ErrorCode: 'InternalFailure' }] })
      .callsFake((input) => accepted(input.Entries));
    const { handle } = handler();
    const records = ['p1', 'p2', 'p3', 'p4'].map((id) => streamRecord(outboxItem('users', id)));
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(sentEntries().map(detailIds)).toEqual([['p1', 'p2', 'p3', 'p4'], ['p2', 'p4'], ['p4']]);
    expect(sleeps).toEqual([100, 200]); // full jitter with random() = 1: the exponential ceiling
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('retries a throttled PutEvents call', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    eventBridge.on(PutEventsCommand).rejectsOnce(throttled).callsFake((input) => accepted(input.Entries));
    const { handle } = handler();
    const records = ['t1', 't2'].map((id) => streamRecord(outboxItem('users', id)));
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(sentEntries().map(detailIds)).toEqual([['t1', 't2'], ['t1', 't2']]);
  });

  it('reports the first record it could not publish and every record after it', async () => {
    // Entry of f2 always fails; the stream must resume at f2 (Lambda checkpoints at the lowest).
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries as PutEventsRequestEntry[]).map((e) =>
        JSON.parse(e.Detail!).id === 'f2' ? { ErrorCode: 'InternalFailure', ErrorMessage: 'down' } : { EventId: 'ok' },
      ),
    }));
    const records = [
      streamRecord(outboxItem('budgets', 'f1')),
      streamRecord({ pk: 'budgets#budget#1', sk: 'budgets#budget' }),
      streamRecord(outboxItem('budgets', 'f2')),
      streamRecord({ pk: 'budgets#budget#2', sk: 'budgets#budget' }),
      streamRecord(outboxItem('budgets', 'f3')),
    ];
    const { handle, logger } = handler();
    const result = await handle({ Records: records });
    expect(result.batchItemFailures).toEqual(records.slice(2).map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })));
    expect(sentEntries().map(detailIds)).toEqual([['f1', 'f2', 'f3'], ['f2'], ['f2'], ['f2']]); // 4 attempts
    expect(logger.entries.find((e) => e.message === 'outbox event not published')?.attributes).toMatchObject({
      eventKey: 'budgets#outbox#f2',
      errorCode: 'InternalFailure',
    });
  });

  it('never reports an empty itemIdentifier (AWS: a complete failure): a record without a sequence number is left out, or the checkpoint moves before it', async () => {
    // f2 always fails. A record without dynamodb.SequenceNumber is never one Lambda built (a hand-made event).
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries as PutEventsRequestEntry[]).map((e) => (JSON.parse(e.Detail!).id === 'f2' ? { ErrorCode: 'InternalFailure', ErrorMessage: 'down' } : { EventId: 'ok' })),
    }));
    const unnumbered = (item: Record<string, unknown>) => {
      const r = streamRecord(item);
      delete r.dynamodb!.SequenceNumber;
      return r;
    };
    const { handle } = handler();
    // After the first failed record: left out (the lowest reported number is the checkpoint anyway).
    const after = [streamRecord(outboxItem('budgets', 'f1')), streamRecord(outboxItem('budgets', 'f2')), unnumbered(outboxItem('budgets', 'f3')), streamRecord(outboxItem('budgets', 'f4'))];
    expect((await handle({ Records: after })).batchItemFailures).toEqual([after[1], after[3]].map((r) => ({ itemIdentifier: r!.dynamodb!.SequenceNumber })));
    // The failed record itself: the nearest numbered record before it is the checkpoint (handed again, nothing skipped).
    const at = [streamRecord(outboxItem('budgets', 'f1')), unnumbered(outboxItem('budgets', 'f2')), streamRecord(outboxItem('budgets', 'f3'))];
    expect((await handle({ Records: at })).batchItemFailures).toEqual([at[0], at[2]].map((r) => ({ itemIdentifier: r!.dynamodb!.SequenceNumber })));
    // Nothing numbered at or before it: the invocation fails, which Lambda retries as the whole batch.
    const none = [unnumbered(outboxItem('budgets', 'f2')), streamRecord(outboxItem('budgets', 'f3'))];
    await expect(handle({ Records: none })).rejects.toThrow(/no dynamodb.SequenceNumber/);
  });

  it('does not retry a call that cannot succeed, and reports it', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    eventBridge.on(PutEventsCommand).rejects(denied);
    const records = [streamRecord(outboxItem('users', 'x1'))];
    const { handle } = handler();
    expect(await handle({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: records[0]!.dynamodb!.SequenceNumber }],
    });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('skips (and logs) an outbox item EventBridge could never accept instead of blocking the shard', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => accepted(input.Entries));
    const huge = outboxItem('budgets', 'h1', { blob: 'y'.repeat(MAX_REQUEST_BYTES) });
    const notJson = { ...outboxItem('budgets', 'j1'), detail: 'not json' };
    const fine = outboxItem('budgets', 'ok1');
    const { handle, logger } = handler();
    const result = await handle({ Records: [streamRecord(huge), streamRecord(notJson), streamRecord(fine)] });
    expect(result.batchItemFailures).toEqual([]);
    expect(sentEntries().map(detailIds)).toEqual([['ok1']]);
    expect(logger.entries.filter((e) => e.message === 'outbox event can never be published: skipped')).toHaveLength(2);
  });

  it('skips (and logs) an outbox item without a detail-type or source, which EventBridge (and the local bus) refuse every time, instead of blocking the shard', async () => {
    // As EventBridge answers such an entry: refused in the 200 response, every time.
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: (input.Entries ?? []).filter((e) => !e.Source || !e.DetailType).length,
      Entries: (input.Entries ?? []).map((e, i) => (e.Source && e.DetailType ? { EventId: `ev-${i}` } : { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid.' })),
    }));
    const { detailType: _type, ...noType } = outboxItem('budgets', 'nt1');
    const emptySource = { ...outboxItem('budgets', 'es1'), source: '' };
    const fine = outboxItem('budgets', 'ok2');
    const { handle, logger } = handler();
    const result = await handle({ Records: [streamRecord(noType), streamRecord(emptySource), streamRecord(fine)] });
    // Reported, the mapping retried it 10 times (holding back the shard), then dead-lettered it; the local relay retried it for good.
    expect(result.batchItemFailures).toEqual([]);
    expect(sentEntries().flatMap(detailIds)).toEqual(['ok2']);
    expect(logger.entries.filter((e) => e.message === 'outbox event can never be published: skipped')).toHaveLength(2);
  });
});

describe('entrySize', () => {
  it('counts UTF-8 bytes of source, detail-type, detail and resources, plus 14 for a time', () => {
    expect(entrySize({ Source: 'abc', DetailType: 'de', Detail: '{"a":"é"}' })).toBe(3 + 2 + 10);
    expect(entrySize({ Source: 'abc', DetailType: 'de', Time: new Date(), Resources: ['r1', '€'] })).toBe(14 + 3 + 2 + 2 + 3);
  });
});
