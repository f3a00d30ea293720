import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { replayAwsDeadLetters } from '../../../packages/app/src/operate/aws-dead-letters';

/**
 * Resubmitting the deployed dead-letter queue through the deployed function
 * (`npm run dead-letters -- replay --queue-url ... --function ...`). SQS and Lambda are mocked
 * (no emulator here); the stream batch is read back from a real DynamoDB Local stream, so the
 * records handed to the function are the ones the failed batch held, no more, no fewer.
 */
const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/budgeting-prod-DeadLetters';
const config = { endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamo = new DynamoDBClient(config);
const streams = new DynamoDBStreamsClient(config);
const table = `dead-letters-${Date.now()}`;

let streamArn: string;
let shardId: string;
/** The stream's sequence number of each item written, by its pk. */
const sequenceOf = new Map<string, string>();

beforeAll(async () => {
  const created = await dynamo.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  streamArn = created.TableDescription!.LatestStreamArn!;
  for (const pk of ['a', 'b', 'c', 'd', 'e']) await dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, n: { N: '1' } } }));
  const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  shardId = described.StreamDescription!.Shards![0]!.ShardId!;
  let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  while (iterator && sequenceOf.size < 5) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    for (const r of page.Records ?? []) sequenceOf.set(r.dynamodb!.Keys!.pk!.S!, r.dynamodb!.SequenceNumber!);
    if (!page.Records?.length) break;
    iterator = page.NextShardIterator;
  }
  expect(sequenceOf.size).toBe(5);
});
afterAll(() => {
  dynamo.destroy();
  streams.destroy();
  // The clients' `send` back as it was: no mock outlives this file.
  sqs.restore();
  lambda.restore();
});
beforeEach(() => {
  sqs.reset();
  lambda.reset();
});

/** The queue holds these bodies once; a second receive finds it empty. */
function queueHolds(bodies: string[]) {
  const messages: Message[] = bodies.map((Body, i) => ({ MessageId: `m${i}`, ReceiptHandle: `r${i}`, Body }));
  sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
  sqs.on(DeleteMessageCommand).resolves({});
}
const invokedWith = () => lambda.commandCalls(InvokeCommand).map((c) => JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)));
const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle);
const answer = (body: unknown, functionError?: string) => ({ StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(body)) as InvokeCommandOutput['Payload'], ...(functionError ? { FunctionError: functionError } : {}) });
let reported: string[] = [];
const replay = (listOnly = false) => {
  reported = [];
  return replayAwsDeadLetters(
    { sqs: new SQSClient({ region: 'eu-west-1' }), lambda: new LambdaClient({ region: 'eu-west-1' }), streams },
    { queueUrl: QUEUE, functionName: 'fn', listOnly, max: 100, report: (line) => reported.push(line) },
  );
};

const batchBody = (first: string, last: string, batchSize: number) =>
  JSON.stringify({
    requestContext: { requestId: 'x', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:fn', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-12-01T04:00:00.000Z',
    DDBStreamBatchInfo: { shardId, startSequenceNumber: sequenceOf.get(first), endSequenceNumber: sequenceOf.get(last), batchSize, streamArn },
  });
const ruleEvent = {
  version: '0',
  id: 'evt-1',
  'detail-type': 'expense.created',
  source: 'budgeting.expenses',
  account: '123456789012',
  time: '2026-12-01T04:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/budgeting-prod-bus/budgeting-prod-budgets-thresholds'],
  detail: { id: 'x' },
};

describe('replaying the deployed dead-letter queue', () => {
  it('hands a failed stream batch back to the function as the stream event of exactly its records, then removes it', async () => {
    queueHolds([batchBody('b', 'd', 3)]);
    lambda.on(InvokeCommand).resolves(answer({ batchItemFailures: [] }));

    const summary = await replay();

    expect(summary).toEqual({ seen: 1, replayed: 1, failed: 0, unknown: 0 });
    const [event] = invokedWith();
    expect(event.Records.map((r: { dynamodb: { Keys: { pk: { S: string } } } }) => r.dynamodb.Keys.pk.S)).toEqual(['b', 'c', 'd']);
    for (const r of event.Records) {
      expect(r.eventSource).toBe('aws:dynamodb');
      expect(r.eventSourceARN).toBe(streamArn);
      expect(r.dynamodb.NewImage.n).toEqual({ N: '1' });
    }
    expect(lambda.commandCalls(InvokeCommand)[0]!.args[0].input).toMatchObject({ FunctionName: 'fn', InvocationType: 'RequestResponse' });
    expect(deleted()).toEqual(['r0']);
  });

  it('keeps a batch whose records the relay fails on again', async () => {
    queueHolds([batchBody('a', 'a', 1)]);
    lambda.on(InvokeCommand).resolves(answer({ batchItemFailures: [{ itemIdentifier: sequenceOf.get('a') }] }));

    expect(await replay()).toEqual({ seen: 1, replayed: 0, failed: 1, unknown: 0 });
    expect(invokedWith()[0].Records).toHaveLength(1);
    expect(deleted()).toEqual([]);
  });

  it("hands an undelivered bus event back as itself (its rule's ARN in resources), and an async invocation's record as its payload", async () => {
    const record = {
      version: '1.0',
      requestContext: { requestId: 'y', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { ...ruleEvent, id: 'evt-2' },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'x is undefined' },
    };
    queueHolds([JSON.stringify(ruleEvent), JSON.stringify(record)]);
    lambda.on(InvokeCommand).resolves(answer(null));

    expect(await replay()).toEqual({ seen: 2, replayed: 2, failed: 0, unknown: 0 });
    expect(invokedWith()).toEqual([ruleEvent, { ...ruleEvent, id: 'evt-2' }]);
    // What the invocation record says about the failure is shown with it.
    expect(reported).toContain('m1: event expense.created (evt-2) from budgeting.expenses [RetriesExhausted, 3 attempts, TypeError: x is undefined]');
    expect(deleted()).toEqual(['r0', 'r1']);
  });

  it('keeps an event the function refuses (its answer, not an error: no subscription for it, a detail no longer accepted)', async () => {
    // It was deleted as replayed: the refusal comes back as a payload without FunctionError.
    queueHolds([JSON.stringify(ruleEvent)]);
    lambda.on(InvokeCommand).resolves(answer({ refused: true, reason: 'no subscription for budgeting.expenses/expense.created' }));

    expect(await replay()).toEqual({ seen: 1, replayed: 0, failed: 1, unknown: 0 });
    expect(reported).toContain('  failed again, left in the queue: the function refused it: no subscription for budgeting.expenses/expense.created');
    expect(deleted()).toEqual([]);
  });

  it('goes on past an empty answer that only sampled some of the queue\'s servers (a short poll), replaying what the queue holds', async () => {
    // SQS developer guide, "Short and long polling": a short poll (WaitTimeSeconds 0) asks a
    // sample of the servers, and with few messages in the queue it may answer none of them; a
    // long poll (WaitTimeSeconds > 0) asks every server, so its empty answer means no message is
    // visible. This queue holds one event: a short poll misses it once, a long poll finds it.
    const message: Message = { MessageId: 'm0', ReceiptHandle: 'r0', Body: JSON.stringify(ruleEvent) };
    let held = [message];
    let shortPolls = 0;
    sqs.on(ReceiveMessageCommand).callsFake((input: { WaitTimeSeconds?: number }) => ({
      Messages: (input.WaitTimeSeconds ?? 0) === 0 && shortPolls++ === 0 ? [] : held,
    }));
    sqs.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle?: string }) => {
      held = held.filter((m) => m.ReceiptHandle !== input.ReceiptHandle);
      return {};
    });
    lambda.on(InvokeCommand).resolves(answer(null));

    expect(await replay()).toEqual({ seen: 1, replayed: 1, failed: 0, unknown: 0 });
    expect(deleted()).toEqual(['r0']);
  });

  it('replays a dead letter once per run, also when it fails again and SQS hands it back once its visibility timeout has passed', async () => {
    // A long run (many letters, slow invocations) outlasts the 120 s a received letter stays
    // hidden: the one that failed again is visible again, and the next receive brings it back.
    const message: Message = { MessageId: 'm0', ReceiptHandle: 'r0', Body: JSON.stringify(ruleEvent) };
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message] }).resolvesOnce({ Messages: [{ ...message, ReceiptHandle: 'r0-again' }] }).resolves({ Messages: [] });
    sqs.on(DeleteMessageCommand).resolves({});
    lambda.on(InvokeCommand).resolves(answer({ errorType: 'Error', errorMessage: 'still broken' }, 'Unhandled'));

    expect(await replay()).toEqual({ seen: 1, replayed: 0, failed: 1, unknown: 0 });
    expect(invokedWith()).toHaveLength(1);
    expect(deleted()).toEqual([]);
  });

  it('keeps what the function fails on again, and what it cannot read, and lists without replaying', async () => {
    queueHolds([JSON.stringify(ruleEvent), 'not json', JSON.stringify({ hello: 'world' })]);
    lambda.on(InvokeCommand).resolves(answer({ errorType: 'Error', errorMessage: 'still broken' }, 'Unhandled'));
    expect(await replay()).toEqual({ seen: 3, replayed: 0, failed: 1, unknown: 2 });
    expect(invokedWith()).toHaveLength(1);
    expect(deleted()).toEqual([]);

    // Listing leaves them visible: SQS hands the same two back on every receive.
    sqs.reset();
    lambda.reset();
    const visible: Message[] = [JSON.stringify(ruleEvent), batchBody('a', 'e', 5)].map((Body, i) => ({ MessageId: `m${i}`, ReceiptHandle: `r${i}`, Body }));
    sqs.on(ReceiveMessageCommand).resolves({ Messages: visible });
    expect(await replay(true)).toEqual({ seen: 2, replayed: 0, failed: 0, unknown: 0 });
    expect(sqs.commandCalls(ReceiveMessageCommand).every((c) => c.args[0].input.VisibilityTimeout === 0)).toBe(true);
    expect(lambda.commandCalls(InvokeCommand)).toEqual([]);
    expect(deleted()).toEqual([]);
  });
  it("hands a batch whose records take more than Lambda's 6 MB invocation payload over in several invocations, in order, each under it", async () => {
    // 20 items of ~350 KB (filter-dropped records between a failed batch's first and last ones
    // are read back too, and the stream carries whole images): ~7 MB of records.
    const big = Array.from({ length: 20 }, (_, i) => `big-${String(i).padStart(2, '0')}`);
    for (const pk of big) await dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, text: { S: pk.repeat(60_000) } } }));
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: sequenceOf.get('e') }))).ShardIterator;
    while (iterator && !sequenceOf.has(big.at(-1)!)) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const r of page.Records ?? []) sequenceOf.set(r.dynamodb!.Keys!.pk!.S!, r.dynamodb!.SequenceNumber!);
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
    queueHolds([batchBody(big[0]!, big.at(-1)!, 20)]);
    // What Lambda does with a synchronous invocation's payload over 6 MB.
    lambda.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
      if (input.Payload.length > 6 * 1024 * 1024) throw Object.assign(new Error('Request must be smaller than 6291456 bytes for the InvokeFunction operation'), { name: 'RequestTooLargeException' });
      return answer({ batchItemFailures: [] });
    });

    expect(await replay()).toEqual({ seen: 1, replayed: 1, failed: 0, unknown: 0 });
    const payloads = lambda.commandCalls(InvokeCommand).map((c) => (c.args[0].input.Payload as Uint8Array).length);
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.every((n) => n <= 6 * 1024 * 1024)).toBe(true);
    expect(invokedWith().flatMap((e) => e.Records.map((r: { dynamodb: { Keys: { pk: { S: string } } } }) => r.dynamodb.Keys.pk.S))).toEqual(big);
    expect(deleted()).toEqual(['r0']);
  });
});
