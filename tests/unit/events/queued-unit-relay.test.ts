import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock, MAX_QUEUED_UNIT_BYTES, ModuleStore, queuedUnitPut } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxRelay } from '../../../packages/app/src/events/outbox-relay';
import { matchesRelayFilter } from '../../../packages/app/src/events/relay-filter';
import { createStreamHandler } from '../../../packages/app/src/events/stream-handler';
import { parseWorkMessage, type WorkMessage } from '../../../packages/app/src/jobs/messages';
import type { LocalEventsHost } from '../../../packages/app/src/local/events-runtime';
import type { System } from '../../../packages/app/src/system';
import { recordingLogger } from './recording-logger';
import { outboxItem, streamRecord } from './stream-records';

/**
 * Job units written in a change's transaction (platform queuedUnitPut) and the relay that hands
 * them to the work queue: the stream filter lets them through, the relay sends each INSERT as a
 * unit message of its job as of its tick, ignores their expiry, and reports a unit the queue did
 * not take (or that no queue could take) for the stream to hand again, never dropping it.
 */
const store = new ModuleStore('budgets', undefined as never, 'table');
const tick = new Date('2026-11-24T12:00:00.000Z');
const unitItem = (id: string, unit: unknown = { budgetId: 'b1', nonce: id }) => queuedUnitPut(store, 'budgets-invitation-mail', unit, tick, id).Put.Item;

/** The Lambda stream trigger with the work queue linked (JOB_QUEUE_URL) and a bus that must not be called (units only). */
const streamHandlerWithQueue = (logger: ReturnType<typeof recordingLogger>) =>
  createStreamHandler(
    {
      config: { region: 'us-east-1', tableName: 'table', eventBusName: 'bus', jobQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs' },
      deps: { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), clock: fixedClock('2026-11-24T12:00:00Z'), logger },
    },
    {
      send: async () => {
        throw new Error('no event in this batch');
      },
    },
  );

function relay(work?: (messages: WorkMessage[]) => Promise<void>) {
  const published: unknown[] = [];
  const logger = recordingLogger();
  const run = createOutboxRelay({ send: async (entries) => {
      published.push(...entries);
      return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'e' })) };
    }, eventBusName: 'bus', logger, work });
  return { run, published, logger };
}

describe('a job unit written in a transaction', () => {
  it('is an item under the module\'s prefix with the outbox\'s retention; a unit over the limit is refused before it can commit', () => {
    expect(unitItem('u1')).toEqual({
      pk: 'budgets#unit#u1',
      sk: 'budgets#unit',
      kind: 'job-unit',
      job: 'budgets-invitation-mail',
      unit: '{"budgetId":"b1","nonce":"u1"}',
      tick: '2026-11-24T12:00:00.000Z',
      createdAt: '2026-11-24T12:00:00.000Z',
      expiresAt: Date.parse('2026-11-25T12:00:00.000Z') / 1000,
    });
    expect(() => unitItem('big', { text: 'x'.repeat(MAX_QUEUED_UNIT_BYTES) })).toThrow(/at most/);
  });

  it('passes the stream filter as an INSERT; its expiry (REMOVE) does not', () => {
    expect(matchesRelayFilter(streamRecord(unitItem('u1')))).toBe(true);
    expect(matchesRelayFilter(streamRecord(unitItem('u1'), 'REMOVE'))).toBe(false);
  });

  it('is sent to the work queue as a unit of its job as of its tick, beside the events of the same batch', async () => {
    const sent: WorkMessage[] = [];
    const { run, published } = relay(async (m) => void sent.push(...m));
    const result = await run([streamRecord(outboxItem('budgets', 'e1')), streamRecord(unitItem('u1')), streamRecord(unitItem('u2'), 'REMOVE'), streamRecord(unitItem('u3'), 'MODIFY')]);
    expect(result).toEqual({ batchItemFailures: [] });
    // `relayed`: the item's key and this send, which the runner claims (jobs/relayed-units.ts).
    expect(sent).toEqual([{ type: 'unit', job: 'budgets-invitation-mail', tick: '2026-11-24T12:00:00.000Z', unit: { budgetId: 'b1', nonce: 'u1' }, relayed: { key: 'budgets#unit#u1', send: expect.any(String) } }]);
    expect(published).toHaveLength(1);
  });

  it('a unit the queue refused is reported with every record after it (the stream hands them again)', async () => {
    const { run, logger } = relay(async () => {
      throw new Error('queue down');
    });
    const records = [streamRecord(outboxItem('budgets', 'e1')), streamRecord(unitItem('u1')), streamRecord(outboxItem('budgets', 'e2'))];
    const result = await run(records);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(1).map((r) => r.dynamodb!.SequenceNumber));
    expect(logger.entries.some((l) => l.message === 'job units not queued')).toBe(true);
  });

  it('queues no unit the stream hands again anyway: one after an event the bus refused is reported, not sent (no second mail)', async () => {
    const sent: WorkMessage[] = [];
    const run = createOutboxRelay({
      send: async (entries) => ({ FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'down' })) }),
      eventBusName: 'bus',
      logger: recordingLogger(),
      retry: { maxAttempts: 1, sleep: async () => {} },
      work: async (m) => void sent.push(...m),
    });
    const records = [streamRecord(unitItem('u1')), streamRecord(outboxItem('budgets', 'e1')), streamRecord(unitItem('u2'))];
    const result = await run(records);
    // Lambda resumes at e1 and hands u2 again: sending it now too would mail it twice.
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(1).map((r) => r.dynamodb!.SequenceNumber));
    expect(sent.map((m) => (m.type === 'unit' ? (m.unit as { nonce: string }).nonce : m.type))).toEqual(['u1']);
  });

  it('a relay without a work queue reports the unit rather than dropping it', async () => {
    const { run } = relay(undefined);
    const record = streamRecord(unitItem('u1'));
    expect(await run([record])).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber }] });
  });

  it('a malformed unit item is skipped and logged (it can never become a unit)', async () => {
    const sent: WorkMessage[] = [];
    const { run, logger } = relay(async (m) => void sent.push(...m));
    expect(await run([streamRecord({ ...unitItem('u1'), unit: '{not json' }), streamRecord({ ...unitItem('u2'), job: '' })])).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([]);
    expect(logger.entries.filter((l) => /job unit item/.test(String(l.message)))).toHaveLength(2);
  });
});

describe('the Lambda stream trigger with the work queue linked (JOB_QUEUE_URL)', () => {
  // Created and restored here: the unit project shares its module graph (no isolation).
  let sqs: ReturnType<typeof mockClient> | undefined;
  afterEach(() => sqs?.restore());

  it('sends the unit to the queue as the worker reads it, and publishes nothing for it', async () => {
    sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm1', MD5OfMessageBody: 'x' }], Failed: [] });
    const logger = recordingLogger();
    const handle = streamHandlerWithQueue(logger);
    expect(await handle({ Records: [streamRecord(unitItem('u1'))] })).toEqual({ batchItemFailures: [] });
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.QueueUrl).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/jobs');
    const body = calls[0]!.args[0].input.Entries!.map((e) => parseWorkMessage(e.MessageBody));
    expect(body).toEqual([{ type: 'unit', job: 'budgets-invitation-mail', tick: '2026-11-24T12:00:00.000Z', unit: { budgetId: 'b1', nonce: 'u1' }, relayed: { key: 'budgets#unit#u1', send: expect.any(String) } }]);
  });
});

describe('a batch of job units the queue takes only in part (SendMessageBatch: Failed entries)', () => {
  // Created and restored here: the unit project shares its module graph (no isolation).
  let sqs: ReturnType<typeof mockClient> | undefined;
  afterEach(() => sqs?.restore());

  it('reports only from the unit the queue refused: the ten it took before are not handed again (not mailed twice)', async () => {
    sqs = mockClient(SQSClient);
    // SQS refuses, every time, the entry holding unit u11; it takes every other one.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => ({
      Successful: input.Entries.filter((e) => !e.MessageBody.includes('"u11"')).map((e) => ({ Id: e.Id, MessageId: `m${e.Id}`, MD5OfMessageBody: 'x' })),
      Failed: input.Entries.filter((e) => e.MessageBody.includes('"u11"')).map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })),
    }));
    const handle = streamHandlerWithQueue(recordingLogger());
    const records = Array.from({ length: 11 }, (_, n) => streamRecord(unitItem(`u${n + 1}`)));
    const result = await handle({ Records: records });
    // Lambda resumes at the lowest reported record: u1..u10 were queued and must not be reported.
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([records[10]!.dynamodb!.SequenceNumber]);
  });

  it('inside one SendMessageBatch of ten, reports from the entry SQS refused (its Failed list) on: the three it took before are not handed again', async () => {
    sqs = mockClient(SQSClient);
    // SQS refuses, every time, the entry holding unit u4, the fourth of one request of ten.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => ({
      Successful: input.Entries.filter((e) => !e.MessageBody.includes('"u4"')).map((e) => ({ Id: e.Id, MessageId: `m${e.Id}`, MD5OfMessageBody: 'x' })),
      Failed: input.Entries.filter((e) => e.MessageBody.includes('"u4"')).map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })),
    }));
    const logger = recordingLogger();
    const handle = streamHandlerWithQueue(logger);
    const records = Array.from({ length: 10 }, (_, n) => streamRecord(unitItem(`u${n + 1}`)));
    const result = await handle({ Records: records });
    // u1..u3 were taken and come before the refused one: not reported. u4 and everything after
    // it in stream order are (Lambda resumes at the lowest reported record; u5..u10 go again).
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(3).map((r) => r.dynamodb!.SequenceNumber));
    expect(logger.entries.find((l) => l.message === 'outbox relayed')?.attributes).toMatchObject({ queued: 3, failed: 1 });
  });
});

/** True when K is a required key of T (absent is not allowed). */
type RequiredKey<T, K extends keyof T> = object extends Pick<T, K> ? false : true;

describe('the local event runtime (npm start) and its work queue', () => {
  it('needs the system\'s jobs: a host without them is a type error (its units would never be worked), and the system it starts with is such a host', () => {
    // Checked by `tsc` (npx tsc -p tsconfig.json): with `jobs` optional, as before, this does not compile.
    const jobsRequired: RequiredKey<LocalEventsHost, 'jobs'> = true;
    // A system is such a host (packages/app/src/local/start.ts hands it over with `jobs` its local
    // work queue itself, whose sendWorked the relay waits on): it must carry jobs.
    const hostOf = (system: System): LocalEventsHost => system;
    expect([jobsRequired, typeof hostOf]).toEqual([true, 'function']);
  });
});
