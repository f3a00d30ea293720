import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { ruleName } from '../../infra/wiring';
import { PASSWORD, uniqueEmail } from '../support/actors';
import { httpResult, lambdaContext } from './support/bundle';
import { streamBatch } from './support/event-payloads';
import { apiEvent, fixture } from './support/fixtures';
import { useBundledHandlerWithBus } from './support/bundled-with-bus';

/**
 * The BUNDLED handler's other triggers with the real payloads: EventBridge schedules and bus
 * events, DynamoDB stream batches, and whatever else might reach it. Nothing here may throw
 * except a subscriber's own failure: a throw makes Lambda retry, and garbage never gets better.
 * The stream tests publish to a fake EventBridge endpoint on 127.0.0.1 (EVENTBRIDGE_ENDPOINT).
 */
const suite = useBundledHandlerWithBus();
beforeEach(() => {
  suite.eventBridge.requests.length = 0;
  suite.eventBridge.reject = () => false;
});

const invoke = (event: unknown) => suite.handler(event, lambdaContext());

// A tick pages all 16 shards of a due index (and loads the system on its first event): slower than one Query.
describe('bundled handler: EventBridge schedules', { timeout: 120_000 }, () => {
  it('refuses a schedule whose rule belongs to no job, without throwing', async () => {
    const event = fixture('scheduled-event');
    event.resources = ['arn:aws:events:us-east-1:123456789012:rule/budgeting-test-no-such-job'];
    const result = await invoke(event);
    expect(result).toMatchObject({ refused: true, reason: expect.stringContaining('budgeting-test-no-such-job') });
  });

  it.each([
    ['the fixture rule, named like its job', 'budget-reports', { job: 'budget-reports', ok: true }],
    ['a deployed rule: <app>-<stage>-<job>', 'budgeting-production-budget-reports', { job: 'budget-reports', ok: true }],
    ['a rule whose name only starts with a job', 'budgeting-production-budget-reports-old', { refused: true }],
    ['a rule whose name ends with a job without the dash', 'budgeting-productionbudget-reports', { refused: true }],
  ])('matches a schedule rule to its job by the -<job> suffix of its name: %s', async (_label, rule, expected) => {
    const event = fixture('scheduled-event');
    event.resources = [`arn:aws:events:us-east-1:123456789012:rule/${rule}`];
    const result = await invoke(event);
    if ('refused' in expected) expect(result).toEqual({ refused: true, reason: `no scheduled job for rule ${event.resources[0]}` });
    else expect(result).toEqual(expected);
  });

  it('runs the notifications-quiet-summary job (every 15 minutes) for its rule: its chunk loads and a tick with nothing due plans nothing', async () => {
    const event = fixture('scheduled-event');
    event.resources = [`arn:aws:events:us-east-1:123456789012:rule/${ruleName('budgeting', 'test', 'notifications-quiet-summary')}`];
    event.time = new Date().toISOString();
    expect(await invoke(event)).toEqual({ job: 'notifications-quiet-summary', ok: true });
  });

  it("runs the recurring-expenses job for its rule: a due occurrence becomes an expense", async () => {
    const token = (await signUp(uniqueEmail('recurring'))).tokens.accessToken;
    const budget = await http('POST', '/v1/budgets', token, { name: 'Home', currency: 'EUR', limit: 10_000 });
    // startsOn defaults to today in the budget's time zone: due now.
    const recurring = await http('POST', `/v1/budgets/${budget.id}/recurring-expenses`, token, { amount: 1_234, schedule: { frequency: 'daily' } });
    const event = fixture('scheduled-event');
    event.resources = [`arn:aws:events:us-east-1:123456789012:rule/${ruleName('budgeting', 'test', 'recurring-expenses')}`];
    event.time = new Date().toISOString();

    expect(await invoke(event)).toEqual({ job: 'recurring-expenses', ok: true });
    expect(await invoke(event)).toEqual({ job: 'recurring-expenses', ok: true }); // delivered twice: still one

    const expenses = await http('GET', `/v1/budgets/${budget.id}/expenses`, token);
    expect(expenses.items.map((e: { amount: number; occurredOn: string }) => [e.amount, e.occurredOn])).toEqual([[1_234, recurring.nextOccurrenceOn]]);
    const after = await http('GET', `/v1/budgets/${budget.id}/recurring-expenses/${recurring.id}`, token);
    expect(after.nextOccurrenceOn > recurring.nextOccurrenceOn).toBe(true);
  });
});

describe('bundled handler: the report job', { timeout: 120_000 }, () => {
  it('runs the budget-reports job on its schedule event: a budget whose period ended gets its report', async () => {
    const signup = httpResult(
      await invoke(
        apiEvent('apigw-v2-request-no-authorizer', {
          method: 'POST',
          path: '/v1/auth/signup',
          body: { email: uniqueEmail('reports'), password: PASSWORD },
        }),
      ),
    );
    expect(signup.status, signup.text).toBe(201);
    const created = httpResult(
      await invoke(
        apiEvent('apigw-v2-request-no-authorizer', {
          method: 'POST',
          path: '/v1/budgets',
          body: { name: 'Lambda home', currency: 'EUR', period: 'monthly', timezone: 'UTC', limit: 1000 },
          headers: { authorization: `Bearer ${signup.json.tokens.accessToken}` },
        }),
      ),
    );
    expect(created.status, created.text).toBe(201);

    const event = fixture('scheduled-event');
    expect(event.resources).toEqual(['arn:aws:events:us-east-1:123456789012:rule/budget-reports']);
    // The fixture's payload as EventBridge sends it, fired at 01:00 UTC on the 1st of next
    // month: the budget's first month (this one, in UTC) has just ended.
    const now = new Date();
    event.time = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 1)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(await invoke(event)).toEqual({ job: 'budget-reports', ok: true });

    const reports = await itemsOfKind('report');
    expect(reports.filter((r) => r.budgetId === created.json.id)).toHaveLength(1);
    const announced = (await outboxItems()).filter((i) => i.detailType === 'report.generated' && JSON.parse(i.detail).data.budgetId === created.json.id);
    expect(announced).toHaveLength(1);
    // Delivered twice (a retried schedule): still one report.
    expect(await invoke(event)).toEqual({ job: 'budget-reports', ok: true });
    expect((await itemsOfKind('report')).filter((r) => r.budgetId === created.json.id)).toHaveLength(1);
  });
});

describe('bundled handler: the job queue (SQS, partial batch responses)', () => {
  /** An SQS record as the event source mapping delivers it (fields per the Lambda SQS event). */
  const sqsRecord = (messageId: string, body: string) => ({
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '1700000000001' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:budgeting-test-JobQueue',
    awsRegion: 'us-east-1',
  });

  it('works the units of a batch and reports only the failed ones; a malformed message is dropped, not retried', async () => {
    const ok = JSON.stringify({ type: 'unit', job: 'budget-reports', tick: '2026-10-01T01:00:00Z', unit: { budgetId: 'gone-budget' } });
    const failing = JSON.stringify({ type: 'unit', job: 'budget-reports', tick: '2026-10-01T01:00:00Z', unit: {} });
    const result = await invoke({ Records: [sqsRecord('m-ok', ok), sqsRecord('m-bad-unit', failing), sqsRecord('m-garbage', 'not json')] });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad-unit' }] });
  });
});

describe('bundled handler: EventBridge bus events', () => {
  it('refuses the CodePipeline event: nobody subscribes to aws.codepipeline', async () => {
    const result = await invoke(fixture('codepipeline-execution-state-change-event'));
    expect(result).toMatchObject({ refused: true, reason: expect.stringContaining('aws.codepipeline') });
  });

  it('refuses one of our own event types whose detail is not a valid envelope', async () => {
    const event = fixture('codepipeline-execution-state-change-event');
    event.source = 'budgeting.users';
    event['detail-type'] = 'user.deleted';
    event.detail = { id: 'evt-1', type: 'user.deleted', version: 1, occurredAt: 'yesterday', data: {} };
    // Refused either way: invalid detail if someone subscribes to user.deleted, else no subscriber.
    expect(await invoke(event)).toMatchObject({ refused: true });
  });
});

describe('bundled handler: DynamoDB stream batches', () => {
  it('acknowledges the fixture batch (items that are not outbox events) with no failures', async () => {
    const result = await invoke(fixture('dynamodb-event'));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(suite.eventBridge.requests).toHaveLength(0);
  });

  it('relays an outbox item written by a signup to the bus and writes nothing back', async () => {
    const email = uniqueEmail('stream');
    const userId = await signUpThroughApi(email);
    const outbox = await outboxItems();
    const registered = outbox.find((item) => item.detailType === 'user.registered' && JSON.parse(item.detail).data.userId === userId);
    expect(registered, JSON.stringify(outbox)).toBeDefined();

    const batch = streamBatch([registered!]);
    const result = await invoke(batch);

    expect(result).toEqual({ batchItemFailures: [] });
    const sent = suite.eventBridge.requests.flatMap((r) => r.Entries);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ Source: 'budgeting.users', DetailType: 'user.registered', EventBusName: suite.env.env.EVENT_BUS_NAME });
    expect(JSON.parse(sent[0]!.Detail!)).toMatchObject({ type: 'user.registered', version: 1, data: { userId, email } });
    // The item was born with its expiry; relaying it costs no write.
    const after = (await outboxItems()).find((item) => item.pk === registered!.pk);
    expect(after).toEqual(registered);
    expect(after!.expiresAt).toBe(Math.floor(Date.parse(String(registered!.createdAt)) / 1000) + 24 * 60 * 60);
  });

  it('reports the records it could not publish as batch item failures, from the first failure on', async () => {
    const [first, second] = await twoOutboxItems();
    suite.eventBridge.reject = (entry) => entry.Detail === second.detail;
    const batch = streamBatch([first, second]);

    const result = await invoke(batch);

    const sequenceOfSecond = batch.Records[batch.Records.length - 1].dynamodb.SequenceNumber;
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceOfSecond }] });
    // Retries resend only the entry that failed.
    const [initial, ...retries] = suite.eventBridge.requests;
    expect(initial!.Entries).toHaveLength(2);
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) expect(retry.Entries.map((e) => e.Detail)).toEqual([second.detail]);
  });
});

describe('bundled handler: events of unknown shape', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'GET /health'],
    ['an array', [{ version: '2.0' }]],
    ['an empty object', {}],
    ['an empty stream batch', { Records: [] }],
    ['a batch from an unknown source', { Records: [{ eventSource: 'aws:kinesis', body: '{}' }] }],
    ['an HTTP event without requestContext', { version: '2.0', rawPath: '/health' }],
    ['a REST API (v1) event', { httpMethod: 'GET', path: '/health', requestContext: {} }],
    ['a bus event without detail', { source: 'budgeting.users', 'detail-type': 'user.deleted' }],
  ])('refuses %s instead of crashing', async (_label, event) => {
    const result = await invoke(event);
    expect(result).toMatchObject({ refused: true, reason: expect.any(String) });
  });
});

describe('bundled handler: the webhook delivery queue (SQS)', () => {
  it('drops malformed messages and messages of webhooks that do not exist, reporting no failure (retrying cannot help)', async () => {
    const result = await invoke({
      Records: [
        { messageId: 'm1', eventSource: 'aws:sqs', body: '{}' },
        { messageId: 'm2', eventSource: 'aws:sqs', body: 'not json' },
        { messageId: 'm3', eventSource: 'aws:sqs', body: JSON.stringify({ kind: 'webhook-delivery', webhookId: 'W1', ownerId: 'U1', deliveryId: 'msg_1' }) },
      ],
    });
    expect(result).toEqual({ batchItemFailures: [] });
  });
});

/** The items of one kind in the test's table (a test may scan; modules never do). */
async function itemsOfKind(kind: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const out = await suite.env.doc.send(
      new ScanCommand({
        TableName: suite.env.tableName,
        FilterExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': kind },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A request as API Gateway delivers it to the bundle; the parsed body of a 2xx. */
async function http(method: string, path: string, token?: string, body?: unknown) {
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  const res = httpResult(await invoke(apiEvent('apigw-v2-request-no-authorizer', { method, path, body, headers })));
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.json;
}

const signUp = (email: string) => http('POST', '/v1/auth/signup', undefined, { email, password: PASSWORD });
const outboxItems = () => itemsOfKind('outbox');

/** POST /v1/auth/signup as API Gateway delivers it to the bundle; the new user's id. */
async function signUpThroughApi(email: string): Promise<string> {
  const res = httpResult(
    await invoke(apiEvent('apigw-v2-request-no-authorizer', { method: 'POST', path: '/v1/auth/signup', body: { email, password: PASSWORD } })),
  );
  expect(res.status, res.text).toBe(201);
  return res.json.user.id;
}

async function twoOutboxItems() {
  const ids = [await signUpThroughApi(uniqueEmail('stream')), await signUpThroughApi(uniqueEmail('stream'))];
  const outbox = await outboxItems();
  return ids.map((id) => {
    const item = outbox.find((i) => i.detailType === 'user.registered' && JSON.parse(i.detail).data.userId === id);
    if (!item) throw new Error(`no outbox item for user ${id}`);
    return item;
  }) as [Record<string, any>, Record<string, any>];
}

