import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock, ModuleStore, type EmailMessage } from '@budgeting/platform';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toLambdaRecord } from '../../../packages/app/src/events/lambda-stream-record';
import { createStreamHandler } from '../../../packages/app/src/events/stream-handler';
import { RELAYED_CLAIM_LEASE_SECONDS, RELAYED_UNIT_MAX_DEFERRALS, relayedUnitGuard } from '../../../packages/app/src/jobs/relayed-units';
import { createSqsConsumer } from '../../../packages/app/src/jobs/sqs-consumer';
import { sqsTransport } from '../../../packages/app/src/jobs/sqs-transport';
import { replayAwsDeadLetters } from '../../../packages/app/src/operate/aws-dead-letters';
import { as, createBudget, signUp } from '../../support/actors';
import { withCommandMiddleware } from '../../support/command-middleware';
import { dynamoEndpoint } from '../../support/dynamo-endpoint';
import { call } from '../../support/http';
import { commandsSentDuring, writesAmong } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A job unit written with its change (the password-reset mail's) that the stream hands to the
 * relay twice is worked once: the relay sends it again (SQS has no deduplication on a standard
 * queue), and the runner drops the second send (packages/app/src/jobs/relayed-units.ts). Two
 * ways the stream hands it again: Lambda's partial batch response (every record from the first
 * one reported, also the units SQS took after a refused one), and the operator's dead-letter
 * replay of a stream batch (every record of the batch's range, also those sent before the
 * failure). SQS and Lambda are mocked; the table, its stream and the jobs are real.
 */
const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs';
const sent: EmailMessage[] = [];
let failMail: string | undefined;
/** Runs inside the mail send of its recipient, before it is sent: what happens while that attempt runs. */
let whileMailing: { to: string; run: () => Promise<void> } | undefined;
// The system's clock: a claim's lease passes when a test moves it.
const clock = fixedClock('2026-11-24T12:00:00Z');
const leasePassed = () => clock.advance(RELAYED_CLAIM_LEASE_SECONDS * 1000 + 1000);
let t: TestSystem;
/** Mail attempts per recipient running right now, and the most that ever ran at once: a unit worked twice at once shows as 2. */
const mailing = new Map<string, number>();
const mostAtOnce = new Map<string, number>();

beforeAll(async () => {
  // No inline relay: the stream handler below is the only relay, as in AWS. The runner's own
  // sends (a deferred send) go to the job queue too, as in the deployed function: the mocked SQS.
  t = await createTestSystem({
    relayUnitsInline: false,
    stream: true,
    jobs: { transport: () => sqsTransport({ queueUrl: QUEUE_URL, region: 'eu-west-1' }) },
    clock,
    // Pages of one expense: a rename of two is a unit worked in parts (a continuation).
    expenses: { merchantRename: { pageSize: 1 } },
    mail: {
      send: async (message) => {
        const running = (mailing.get(message.to) ?? 0) + 1;
        mailing.set(message.to, running);
        mostAtOnce.set(message.to, Math.max(mostAtOnce.get(message.to) ?? 0, running));
        try {
          await mailOne(message);
        } finally {
          mailing.set(message.to, (mailing.get(message.to) ?? 1) - 1);
        }
      },
    },
  });
});
/** The mail transport's send: what a test arranged to happen while it runs, then a failure or the mail. */
async function mailOne(message: EmailMessage): Promise<void> {
  if (whileMailing?.to === message.to) {
    const { run } = whileMailing;
    whileMailing = undefined;
    await run();
  }
  if (message.to === failMail) {
    failMail = undefined;
    throw new Error('SES throttled');
  }
  sent.push(message);
}
afterAll(async () => {
  sqs.restore();
  lambda.restore();
  await t?.destroy();
});
afterEach(() => {
  sqs.reset();
  lambda.reset();
});

const mailsTo = (to: string) => sent.filter((m) => m.to === to).length;
/** Sends of the reset mail's relayed units dropped so far (the runner's RelayedUnitDuplicatesDropped figure). */
const dropped = () => t.system.jobs.metrics.relayedDuplicatesDropped('users-password-reset-mail');
/** Sends of the reset mail's relayed units deferred so far (the runner's RelayedUnitsDeferred figure). */
const deferrals = () => t.system.jobs.metrics.relayedUnitsDeferred('users-password-reset-mail');

const RENAME_JOB = 'expenses-merchant-rename';

/** The job-unit INSERTs of `job` the stream holds (default: the reset mail's), read back from DynamoDB Local's stream. */
async function unitRecords(job = 'users-password-reset-mail'): Promise<{ streamArn: string; shardId: string; records: StreamRecord[] }> {
  const config = { endpoint: dynamoEndpoint(), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  try {
    const streamArn = (await dynamo.send(new DescribeTableCommand({ TableName: t.tableName }))).Table!.LatestStreamArn!;
    const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!.at(-1)!.ShardId!;
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    const records: StreamRecord[] = [];
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
    return { streamArn, shardId, records: records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.job?.S === job) };
  } finally {
    dynamo.destroy();
    streams.destroy();
  }
}

/** The Lambda stream trigger of the deployed function: bus accepted, job queue mocked. */
const streamHandler = () =>
  createStreamHandler(
    { config: { region: 'eu-west-1', tableName: t.tableName, eventBusName: 'bus', jobQueueUrl: QUEUE_URL }, deps: { ...t.system.deps, doc: t.doc } },
    { send: async (entries) => ({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'e' })) }) },
  );

/** Every message body SQS took, in order (the mock answers per entry: `refuse` decides); `entries`: the entries taken, with their DelaySeconds. */
function queueTaking(refuse: (entry: SendMessageBatchRequestEntry) => boolean, entries: SendMessageBatchRequestEntry[] = []): string[] {
  const taken: string[] = [];
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
    const failed = input.Entries.filter(refuse);
    for (const e of input.Entries) {
      if (failed.includes(e)) continue;
      taken.push(e.MessageBody!);
      entries.push(e);
    }
    return { Successful: input.Entries.filter((e) => !failed.includes(e)).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })), Failed: failed.map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })) };
  });
  return taken;
}

/** The function as the job queue's consumer, one SQS batch of these bodies (receive count 1 unless given). */
async function consume(bodies: { body: string; receives?: number }[]) {
  const consumer = createSqsConsumer({ deliver: (m, ctx, deadline) => t.system.jobs.deliver(m, ctx, deadline), logger: t.system.deps.logger });
  const event = { Records: bodies.map((b, i) => ({ messageId: `msg-${i}`, body: b.body, attributes: { ApproximateReceiveCount: String(b.receives ?? 1) } })) } as unknown as SQSEvent;
  return consumer(event);
}

/** Whether a queued entry is the unit of this stream record (its item's key, `relayed.key`). */
const isUnitOf = (record: StreamRecord) => (entry: SendMessageBatchRequestEntry) =>
  (JSON.parse(entry.MessageBody!) as { relayed?: { key: string } }).relayed?.key === record.dynamodb!.NewImage!.pk!.S;

const seen = new Set<string>();
/** Each actor asks for a password reset, in order; the stream's records of their mail units, in the same order. */
async function resetMailUnits(...actors: { email: string }[]) {
  for (const who of actors) expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: who.email } })).status).toBe(202);
  const { streamArn, shardId, records } = await unitRecords();
  const fresh = records.filter((r) => !seen.has(r.dynamodb!.SequenceNumber!));
  for (const r of fresh) seen.add(r.dynamodb!.SequenceNumber!);
  expect(fresh).toHaveLength(actors.length);
  return { streamArn, shardId, records: fresh };
}

/** A reset mail's unit the stream hands twice (e.g. a replay): two sends of one unit, both taken by SQS (`entries`: with their DelaySeconds). */
async function resetMailSentTwice(label: string, entries?: SendMessageBatchRequestEntry[]) {
  const who = await signUp(t.app, label);
  const { streamArn, records } = await resetMailUnits(who);
  const event: DynamoDBStreamEvent = { Records: records.map((r) => toLambdaRecord(r, streamArn)) };
  const taken = queueTaking(() => false, entries);
  await streamHandler()(event);
  await streamHandler()(event);
  return { who, taken };
}

describe('a relayed job unit the stream hands twice', { timeout: 60_000 }, () => {
  it("is mailed once when Lambda's partial batch response hands back a unit SQS took after a refused one", async () => {
    const alice = await signUp(t.app, 'alice-partial');
    const bob = await signUp(t.app, 'bob-partial');
    const { streamArn, records } = await resetMailUnits(alice, bob);
    const event: DynamoDBStreamEvent = { Records: records.map((r) => toLambdaRecord(r, streamArn)) };

    // First invocation: SQS refuses alice's unit (every attempt) and takes bob's, in the same request.
    const first = queueTaking(isUnitOf(records[0]!));
    expect(await streamHandler()(event)).toEqual({ batchItemFailures: records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })) });
    expect(first).toHaveLength(1);
    // Lambda hands both again (from the first reported); now SQS takes both: bob's is queued twice.
    const second = queueTaking(() => false);
    expect(await streamHandler()(event)).toEqual({ batchItemFailures: [] });
    const queued = [...first, ...second];
    expect(queued).toHaveLength(3);

    // Worked in one batch, bob's two sends side by side (the claim is one conditional write).
    // Which one claims second, and when, is the consumer's scheduling: it either meets the other's
    // attempt still running (deferred past the lease, then dropped when it comes back and finds the
    // claim done) or the claim already done (dropped at once). Either way bob is mailed once and
    // the second send is dropped exactly once.
    const droppedBefore = dropped();
    const deferred = queueTaking(() => false);
    expect(await consume(queued.map((body) => ({ body })))).toEqual({ batchItemFailures: [] });
    expect(mailsTo(alice.email)).toBe(1);
    expect(mailsTo(bob.email)).toBe(1);
    expect(deferred.length).toBeLessThanOrEqual(1);
    if (deferred.length === 1) {
      expect(JSON.parse(deferred[0]!).relayed.deferred).toBe(1);
      expect(dropped() - droppedBefore).toBe(0);
      leasePassed();
      expect(await consume([{ body: deferred[0]! }])).toEqual({ batchItemFailures: [] });
    }
    expect(mailsTo(bob.email)).toBe(1);
    expect(dropped() - droppedBefore).toBe(1); // bob's second send
    expect(deferred.length).toBeLessThanOrEqual(1);
  });

  it('is mailed once when the operator replays the dead-lettered stream batch, whose range holds a unit sent before the failure', async () => {
    const alice = await signUp(t.app, 'alice-replay');
    const bob = await signUp(t.app, 'bob-replay');
    const { streamArn, shardId, records } = await resetMailUnits(alice, bob);
    const event: DynamoDBStreamEvent = { Records: records.map((r) => toLambdaRecord(r, streamArn)) };

    // Every attempt: SQS takes alice's unit, refuses bob's; the mapping's retries run out.
    const taken = queueTaking(isUnitOf(records[1]!));
    expect(await streamHandler()(event)).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }] });
    expect(taken).toHaveLength(1);
    // The on-failure destination's record names the batch's range: alice's record is in it.
    const dead = {
      requestContext: { requestId: 'x', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:fn', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
      DDBStreamBatchInfo: { shardId, startSequenceNumber: records[0]!.dynamodb!.SequenceNumber, endSequenceNumber: records[1]!.dynamodb!.SequenceNumber, batchSize: 2, streamArn },
    };
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [{ MessageId: 'd1', ReceiptHandle: 'r1', Body: JSON.stringify(dead) }] }).resolves({ Messages: [] });
    sqs.on(DeleteMessageCommand).resolves({});
    // The deployed function, invoked by the replay: the same stream handler; SQS now takes everything.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
      taken.push(...input.Entries.map((e) => e.MessageBody!));
      return { Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })), Failed: [] };
    });
    lambda.on(InvokeCommand).callsFake(async (input: { Payload: Uint8Array }) => {
      const answer = await streamHandler()(JSON.parse(new TextDecoder().decode(input.Payload)) as DynamoDBStreamEvent);
      return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(answer)) };
    });
    const config = { endpoint: dynamoEndpoint(), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const streams = new DynamoDBStreamsClient(config);
    try {
      const summary = await replayAwsDeadLetters(
        { sqs: new SQSClient({ region: 'eu-west-1' }), lambda: new LambdaClient({ region: 'eu-west-1' }), streams },
        { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dead-letters', functionName: 'fn', listOnly: false, max: 10, report: () => {} },
      );
      expect(summary).toEqual({ seen: 1, replayed: 1, failed: 0, unknown: 0 });
    } finally {
      streams.destroy();
    }
    // Alice's unit went to the queue twice (before the failure, and by the replay); bob's once.
    expect(taken).toHaveLength(3);

    expect(await consume(taken.map((body) => ({ body })))).toEqual({ batchItemFailures: [] });
    expect(mailsTo(alice.email)).toBe(1);
    expect(mailsTo(bob.email)).toBe(1);
  });

  it('never loses the unit: a failed attempt gives its claim up, the next send works it, and the failed one is then dropped', async () => {
    // The stream hands the record twice (e.g. a replay): two sends of one unit.
    const { who: carol, taken } = await resetMailSentTwice('carol-retry');
    expect(taken).toHaveLength(2);

    const droppedBefore = dropped();
    failMail = carol.email;
    expect(await consume([{ body: taken[0]! }])).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
    expect(mailsTo(carol.email)).toBe(0);
    // The first send failed and released its claim: the other send claims the unit and mails.
    expect(await consume([{ body: taken[1]! }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(carol.email)).toBe(1);
    // Failed and worked sends are no drops.
    expect(dropped()).toBe(droppedBefore);
    // SQS redelivers the first send after its visibility timeout: it finds the other's claim and is dropped, not failed.
    expect(await consume([{ body: taken[0]!, receives: 2 }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(carol.email)).toBe(1);
    expect(dropped() - droppedBefore).toBe(1);
    // Each dropped send counts once: its next redelivery again.
    expect(await consume([{ body: taken[0]!, receives: 3 }])).toEqual({ batchItemFailures: [] });
    expect(dropped() - droppedBefore).toBe(2);
  });

  it("a claim left by an attempt that died (no release) keeps every send away within its lease, also that message's own redelivery (it cannot be told from a second delivery still running): both are deferred, and after the lease one takes the claim over and mails, the other is dropped", async () => {
    const { who: dave, taken } = await resetMailSentTwice('dave-died');
    const [first, other] = taken.map((body) => JSON.parse(body) as { relayed: { key: string; send: string } });
    // The invocation working the first send timed out after its claim: nothing released it.
    expect(await relayedUnitGuard(new ModuleStore('jobs', t.doc, t.tableName), () => clock.now().getTime()).claim(first!.relayed, 'attempt-that-died')).toEqual({ outcome: 'claimed' });
    const droppedBefore = dropped();
    expect(await consume([{ body: JSON.stringify(other) }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(dave.email)).toBe(0);
    expect(taken).toHaveLength(3); // the other send, deferred
    // SQS hands the first send back after its visibility timeout, which is the lease: in AWS it
    // comes about when the lease ends and waits a second or two; here, within it.
    expect(await consume([{ body: taken[0]!, receives: 2 }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(dave.email)).toBe(0);
    expect(taken).toHaveLength(4); // deferred too
    // After the lease the first deferred send back takes the claim over and mails; the other finds it done.
    leasePassed();
    for (const body of taken.slice(2)) expect(await consume([{ body }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(dave.email)).toBe(1);
    expect(await consume([{ body: JSON.stringify(other), receives: 2 }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(dave.email)).toBe(1);
    expect(dropped() - droppedBefore).toBe(2);
    expect(taken).toHaveLength(4);
  });

  it("a claim left by an attempt that died is taken over by another send once its lease has passed, and the dead send's redelivery is then dropped", async () => {
    const { who: gina, taken } = await resetMailSentTwice('gina-died');
    const [first] = taken.map((body) => JSON.parse(body) as { relayed: { key: string; send: string } });
    // The first send's attempt died after its claim (the inline transport or npm start's queue: no redelivery of it).
    expect(await relayedUnitGuard(new ModuleStore('jobs', t.doc, t.tableName), () => clock.now().getTime()).claim(first!.relayed, 'attempt-that-died')).toEqual({ outcome: 'claimed' });
    const droppedBefore = dropped();
    // Within the lease (a minute after the claim) the other send is deferred, not dropped: the
    // attempt may still be running. It goes back to the queue, delayed until after the lease.
    clock.advance(60_000);
    const deferredEntries: SendMessageBatchRequestEntry[] = [];
    const deferred = queueTaking(() => false, deferredEntries);
    expect(await consume([{ body: taken[1]! }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(gina.email)).toBe(0);
    expect(dropped()).toBe(droppedBefore);
    expect(deferred).toHaveLength(1);
    expect(deferredEntries[0]!.DelaySeconds).toBe(RELAYED_CLAIM_LEASE_SECONDS - 60 + 1);
    expect(JSON.parse(deferred[0]!)).toEqual({ ...JSON.parse(taken[1]!), relayed: { ...JSON.parse(taken[1]!).relayed, deferred: 1 } });
    // When it comes back the lease has passed: it takes the claim over and mails, once.
    clock.advance(deferredEntries[0]!.DelaySeconds! * 1000);
    expect(await consume([{ body: deferred[0]! }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(gina.email)).toBe(1);
    expect(deferred).toHaveLength(1);
    // The dead send, delivered again (SQS's redelivery), finds the other send's claim done: dropped.
    expect(await consume([{ body: taken[0]!, receives: 2 }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(gina.email)).toBe(1);
    expect(dropped() - droppedBefore).toBe(1);
  });

  it('defers another send that comes while the claiming attempt runs (within its lease), and drops it when it comes back and finds the claim done; the deferral costs one refused PutItem and one queue message, no read', async () => {
    const entries: SendMessageBatchRequestEntry[] = [];
    const { who: hugo, taken } = await resetMailSentTwice('hugo-running', entries);
    expect(taken).toHaveLength(2);
    const droppedBefore = dropped();
    const deferralsBefore = deferrals();
    let duringAttempt: Awaited<ReturnType<typeof consume>> | undefined;
    // While the first send's attempt is mailing, the second send is worked by another invocation.
    whileMailing = { to: hugo.email, run: async () => void (duringAttempt = await consume([{ body: taken[1]! }])) };
    const { result, sent: commands } = await commandsSentDuring(t.doc, () => consume([{ body: taken[0]! }]));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(duringAttempt).toEqual({ batchItemFailures: [] });
    expect(mailsTo(hugo.email)).toBe(1);
    // Not dropped: deferred (counted once, for its job), one queue message more, delayed until a second after the lease.
    expect(dropped()).toBe(droppedBefore);
    expect(deferrals() - deferralsBefore).toBe(1);
    expect(taken).toHaveLength(3);
    expect(entries[2]!.DelaySeconds).toBe(RELAYED_CLAIM_LEASE_SECONDS + 1);
    expect(JSON.parse(taken[2]!).relayed).toEqual({ ...JSON.parse(taken[1]!).relayed, deferred: 1 });
    // The claims' requests of both sends: the first's PutItem and done mark, the second's refused
    // PutItem, which brought the claim back (ALL_OLD): no read.
    const claimCommands = commands.filter((c) => JSON.stringify(c.input).includes('jobs#ran#'));
    expect(claimCommands.map((c) => c.name)).toEqual(['PutItemCommand', 'PutItemCommand', 'UpdateItemCommand']);
    expect(writesAmong(claimCommands.map((c) => c.name))).toHaveLength(3);
    expect(claimCommands[1]!.input).toMatchObject({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    // The done mark is the claiming attempt's (its own delivery's id, not the send's).
    const claimingAttempt = (claimCommands[0]!.input as { Item: { attempt: string } }).Item.attempt;
    expect(claimCommands[2]!.input).toMatchObject({ ConditionExpression: '#attempt = :attempt', ExpressionAttributeValues: { ':attempt': claimingAttempt } });
    // The deferred send comes back after the lease: the claim is done, so it is dropped.
    leasePassed();
    expect(await consume([{ body: taken[2]! }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(hugo.email)).toBe(1);
    expect(dropped() - droppedBefore).toBe(1);
    // Its return, dropped, is no deferral more.
    expect(deferrals() - deferralsBefore).toBe(1);
    expect(taken).toHaveLength(3);
  });

  it("a release that fails (throttled) leaves the claim with its attempt until the lease passes: the sends that come within it, the failed message's redelivery too, are deferred, and one of them then works the unit", async () => {
    const { who: erin, taken } = await resetMailSentTwice('erin-release');
    expect(taken).toHaveLength(2);
    // The mail fails, and so does the DeleteItem that would give the claim up.
    let releases = 0;
    await withCommandMiddleware(
      t.doc,
      'throttleClaimRelease',
      (next, context) => async (args) => {
        const key = (args.input as { Key?: { pk?: string } }).Key?.pk ?? '';
        if (context.commandName === 'DeleteItemCommand' && key.startsWith('jobs#ran#')) {
          releases++;
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException', $metadata: {} });
        }
        return next(args);
      },
      async () => {
        failMail = erin.email;
        expect(await consume([{ body: taken[0]! }])).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
        expect(releases).toBe(1);
      },
    );
    // The claim stayed with the first send, within its lease: the other send is deferred, not failed ...
    expect(await consume([{ body: taken[1]! }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(erin.email)).toBe(0);
    expect(taken).toHaveLength(3);
    // ... and so is SQS's redelivery of the first send, within the lease (another delivery of one message may still run) ...
    expect(await consume([{ body: taken[0]!, receives: 2 }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(erin.email)).toBe(0);
    expect(taken).toHaveLength(4);
    // ... and after the lease one of them takes the claim over and mails: not lost, not twice.
    leasePassed();
    for (const body of taken.slice(2)) expect(await consume([{ body }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(erin.email)).toBe(1);
  });

  it("a unit whose every attempt dies after its claim (Lambda's timeout, each time) is never dropped unworked: once its deferrals are spent, its redelivery fails, so SQS retries it (and dead-letters it after its receives), and the retry after the lease works it", async () => {
    const ivy = await signUp(t.app, 'ivy-timeouts');
    const { streamArn, records } = await resetMailUnits(ivy);
    const taken = queueTaking(() => false);
    await streamHandler()({ Records: records.map((r) => toLambdaRecord(r, streamArn)) });
    expect(taken).toHaveLength(1);
    const guard = relayedUnitGuard(new ModuleStore('jobs', t.doc, t.tableName), () => clock.now().getTime());
    const droppedBefore = dropped();
    let body = taken[0]!;
    for (let n = 0; n <= RELAYED_UNIT_MAX_DEFERRALS; n++) {
      // This message's first receive claims the unit, and its attempt dies: nothing releases the claim.
      expect(await guard.claim((JSON.parse(body) as { relayed: { key: string; send: string } }).relayed, `attempt-that-died-${n}`)).toEqual({ outcome: 'claimed' });
      if (n === RELAYED_UNIT_MAX_DEFERRALS) break;
      // SQS hands it back after its visibility timeout, about when the lease ends: within it here.
      // It cannot be told from a second delivery running beside the claim's attempt: deferred.
      expect(await consume([{ body, receives: 2 }])).toEqual({ batchItemFailures: [] });
      expect(taken).toHaveLength(n + 2);
      body = taken.at(-1)!;
      leasePassed();
    }
    // The last deferral's message, its attempt dead too, comes back within the lease: no deferral
    // is left, and nothing else will ever work the unit, so it must not be dropped: it fails, and
    // SQS hands it back once more after its visibility timeout (the dead letters after its receives).
    expect(await consume([{ body, receives: 2 }])).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
    expect(dropped()).toBe(droppedBefore);
    expect(mailsTo(ivy.email)).toBe(0);
    leasePassed();
    expect(await consume([{ body, receives: 3 }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(ivy.email)).toBe(1);
    expect(taken).toHaveLength(RELAYED_UNIT_MAX_DEFERRALS + 1);
  });

  it("keeps a done claim done: SQS's redelivery of the send that ran the unit, failing, does not give the claim up to another send", async () => {
    // The stream hands the record twice (e.g. a replay): two sends of one unit.
    const { who: ivan, taken } = await resetMailSentTwice('ivan-redelivered');
    expect(taken).toHaveLength(2);
    expect(await consume([{ body: taken[0]! }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(ivan.email)).toBe(1);
    // SQS delivers the first send again (its delete failed, or its batch timed out after it ran),
    // and that attempt would fail (SES throttled): the unit ran already, so it must not release the claim.
    failMail = ivan.email;
    try {
      await consume([{ body: taken[0]!, receives: 2 }]);
    } finally {
      failMail = undefined;
    }
    // The other send comes (even right away): the unit ran under the first send, so it is dropped.
    expect(await consume([{ body: taken[1]! }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(ivan.email)).toBe(1);
  });

  it("drops SQS's redelivery of a send whose work succeeded (its delete failed): its claim is done, so the reset mail goes once", async () => {
    const finn = await signUp(t.app, 'finn-redelivered');
    const { streamArn, records } = await resetMailUnits(finn);
    const taken = queueTaking(() => false);
    await streamHandler()({ Records: records.map((r) => toLambdaRecord(r, streamArn)) });
    expect(await consume([{ body: taken[0]! }])).toEqual({ batchItemFailures: [] });
    const droppedBefore = dropped();
    expect(await consume([{ body: taken[0]!, receives: 2 }])).toEqual({ batchItemFailures: [] });
    expect(mailsTo(finn.email)).toBe(1);
    expect(dropped() - droppedBefore).toBe(1);
  });

  describe('two deliveries of ONE message at once (SQS at-least-once: one message received twice, side by side)', () => {
    /**
     * Consumes the first send's message, and, while that attempt is mailing, the same message again
     * (another invocation), as the job queue's consumer does; both results once both are over.
     */
    async function deliveredTwiceAtOnce(to: string, body: string) {
      let secondOver!: (result: Awaited<ReturnType<typeof consume>>) => void;
      const second = new Promise<Awaited<ReturnType<typeof consume>>>((resolve) => (secondOver = resolve));
      whileMailing = { to, run: async () => secondOver(await consume([{ body }])) };
      return Promise.all([consume([{ body }]), second]);
    }

    /** Every other delivery still to come: the stream's other send, SQS's redelivery of the message, and (after the lease) the deferred sends. */
    async function theRestDelivered(taken: string[]) {
      expect(await consume([{ body: taken[1]! }])).toEqual({ batchItemFailures: [] });
      expect(await consume([{ body: taken[0]!, receives: 2 }])).toEqual({ batchItemFailures: [] });
      leasePassed();
      for (const body of taken.slice(2)) expect(await consume([{ body }])).toEqual({ batchItemFailures: [] });
    }

    const claimOf = async (body: string) => {
      const key = (JSON.parse(body) as { relayed: { key: string } }).relayed.key;
      return (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `jobs#ran#${key}`, sk: 'jobs#ran' } }))).Item;
    };

    it('one failing: one attempt works the unit at a time, the failed one gives up only its own claim, and the unit is mailed once with its claim done', async () => {
      const { who: kim, taken } = await resetMailSentTwice('kim-twice-at-once');
      expect(taken).toHaveLength(2);
      failMail = kim.email; // the first mail attempt that runs fails (SES throttled)
      const results = await deliveredTwiceAtOnce(kim.email, taken[0]!);
      // One attempt failed (the queue retries its message), the other did not.
      expect(results.filter((r) => r.batchItemFailures.length > 0)).toHaveLength(1);
      expect(mostAtOnce.get(kim.email)).toBe(1);
      await theRestDelivered(taken);
      expect(mailsTo(kim.email)).toBe(1);
      expect(await claimOf(taken[0]!)).toMatchObject({ doneAt: expect.any(String) });
    });

    it('both succeeding: the second is deferred while the first works the unit, then dropped; the unit is mailed once', async () => {
      const { who: lena, taken } = await resetMailSentTwice('lena-twice-at-once');
      const droppedBefore = dropped();
      expect(await deliveredTwiceAtOnce(lena.email, taken[0]!)).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
      expect(mostAtOnce.get(lena.email)).toBe(1);
      expect(mailsTo(lena.email)).toBe(1);
      await theRestDelivered(taken);
      expect(mailsTo(lena.email)).toBe(1);
      expect(await claimOf(taken[0]!)).toMatchObject({ doneAt: expect.any(String) });
      // The stream's other send, the redelivery and the deferred delivery: all dropped.
      expect(dropped() - droppedBefore).toBe(3);
    });
  });

  it('marks the claim of a unit worked in parts done at its last part only: each continuation carries its send and claims again (its lease renewed), one UpdateItem in all', async () => {
    const olga = await signUp(t.app, 'olga-rename');
    const api = as(t.app, olga);
    const b = await createBudget(t.app, olga);
    const expenses: string[] = [];
    for (const day of ['2026-11-10', '2026-11-11']) {
      const res = await api('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 900, occurredOn: day, merchant: 'AMZN MKTP' } });
      expect(res.status, res.text).toBe(201);
      expenses.push(res.json.id as string);
    }
    const started = await api('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['AMZN MKTP'], to: 'Amazon' } });
    expect(started.status, started.text).toBe(202);
    const { streamArn, records } = await unitRecords(RENAME_JOB);
    expect(records).toHaveLength(1);
    const taken = queueTaking(() => false);
    await streamHandler()({ Records: records.map((r) => toLambdaRecord(r, streamArn)) });
    expect(taken).toHaveLength(1);
    const relayed = (JSON.parse(taken[0]!) as { relayed: { key: string; send: string } }).relayed;

    // Each part is worked as SQS hands it over; the claim's requests of each part, in order.
    const parts: string[][] = [];
    for (let i = 0; i < taken.length; i++) {
      expect(i).toBeLessThan(5);
      const { result, sent: commands } = await commandsSentDuring(t.doc, () => consume([{ body: taken[i]! }]));
      expect(result).toEqual({ batchItemFailures: [] });
      parts.push(commands.filter((c) => JSON.stringify(c.input).includes(`jobs#ran#${relayed.key}`)).map((c) => c.name));
    }
    // Two expenses, a page each: at least two parts, each continuation of the same send (no deferral count).
    expect(parts.length).toBeGreaterThanOrEqual(2);
    // Each continuation names the attempt of the part that sent it (heldBy), whose claim it takes on.
    for (const body of taken.slice(1)) expect((JSON.parse(body) as { relayed: unknown }).relayed).toEqual({ key: relayed.key, send: relayed.send, heldBy: expect.any(String) });
    // Every part claims (the claim of the part before, not done: the lease renewed); only the last marks the claim done.
    expect(parts.slice(0, -1)).toEqual(parts.slice(0, -1).map(() => ['PutItemCommand']));
    expect(parts.at(-1)).toEqual(['PutItemCommand', 'UpdateItemCommand']);
    for (const id of expenses) expect((await api('GET', `/v1/budgets/${b.id}/expenses/${id}`)).json.merchant).toBe('Amazon');

    // Done: the stream's re-read of the unit, even after the lease, is dropped.
    const droppedBefore = t.system.jobs.metrics.relayedDuplicatesDropped(RENAME_JOB);
    const again = queueTaking(() => false);
    await streamHandler()({ Records: records.map((r) => toLambdaRecord(r, streamArn)) });
    leasePassed();
    expect(await consume([{ body: again[0]! }])).toEqual({ batchItemFailures: [] });
    expect(t.system.jobs.metrics.relayedDuplicatesDropped(RENAME_JOB) - droppedBefore).toBe(1);
    expect(again).toHaveLength(1);
  });
});
