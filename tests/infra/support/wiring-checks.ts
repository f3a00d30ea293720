import { expect } from 'vitest';
import { lambdaNodejsOptions } from '../../../infra/bundle';
import { ruleName } from '../../../infra/wiring';
import { targetedRows } from '../../../packages/app/src/events/bus-delivery';
import { GUARD_METRICS, GUARDS, guardFilterPattern, JOB_METRIC_NAMES, RELAY_FILTER_PATTERNS, SCHEDULES, SCHEDULES_WITHOUT_DUE_AGE, SUBSCRIPTION_RULE_INPUT, SUBSCRIPTIONS, type Guard } from '../../../packages/app/src/wiring';
import { matchesFilterPatterns, type FilterPattern } from '../../../packages/app/src/events/relay-filter';
import { classifyEvent, jobForRule } from '../../../packages/app/src/lambda/dispatch';
import type { AwsCall } from './aws-calls';
import { list, type Graph, type RecordedResource } from './graph';
import { isAllowed } from './iam';
import { matchesLogFilter } from './log-filter';
import { JOB_QUEUE_MAX_RECEIVES } from '../../../packages/app/src/jobs/sqs-consumer';
import { ASYNC_INVOCATION_RETRIES, WEBHOOK_QUEUE_MAX_RECEIVES, WORK_QUEUE_BACKLOG_ALARM_SECONDS, WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS } from '../../../packages/platform/src/jobs/work-queue-limits';
import { TABLE } from '../../../packages/platform/src/dynamo/table-definition';

/**
 * The assertions of the infrastructure rehearsal, one function per wired concern, so the test
 * (tests/infra/rehearsal.test.ts) and the mutant check (tests/infra/mutants.test.ts) run the
 * very same code. Each throws (vitest `expect`) on the first violation.
 */

export const TYPE = {
  function: 'aws:lambda/function:Function',
  role: 'aws:iam/role:Role',
  table: 'aws:dynamodb/table:Table',
  queue: 'aws:sqs/queue:Queue',
  queuePolicy: 'aws:sqs/queuePolicy:QueuePolicy',
  bus: 'aws:cloudwatch/eventBus:EventBus',
  rule: 'aws:cloudwatch/eventRule:EventRule',
  target: 'aws:cloudwatch/eventTarget:EventTarget',
  permission: 'aws:lambda/permission:Permission',
  mapping: 'aws:lambda/eventSourceMapping:EventSourceMapping',
  invokeConfig: 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
  route: 'aws:apigatewayv2/route:Route',
  integration: 'aws:apigatewayv2/integration:Integration',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  metricFilter: 'aws:cloudwatch/logMetricFilter:LogMetricFilter',
  bucket: 'aws:s3/bucket:Bucket',
  publicAccessBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
} as const;

/** The app's main pieces, found through their SST components (names are the config's, suffixes random). */
export function pieces(graph: Graph) {
  const fnComponent = graph.component('sst:aws:Function', 'Handler');
  const fn = graph.inside(fnComponent, TYPE.function);
  const table = graph.inside(graph.component('sst:aws:Dynamo', 'Table'), TYPE.table);
  const bus = graph.inside(graph.component('sst:aws:Bus', 'Bus'), TYPE.bus);
  const deadLetters = graph.inside(graph.component('sst:aws:Queue', 'DeadLetters'), TYPE.queue);
  // The fan-out jobs' work queue and its own dead letters (infra/jobs.ts).
  const jobQueue = graph.inside(graph.component('sst:aws:Queue', 'JobQueue'), TYPE.queue);
  const jobDeadLetters = graph.inside(graph.component('sst:aws:Queue', 'JobDeadLetters'), TYPE.queue);
  // The receipts bucket (infra/attachments.ts).
  const bucket = graph.inside(graph.component('sst:aws:Bucket', 'Attachments'), TYPE.bucket);
  return { fnComponent, fn, role: graph.target(fn.inputs.role), table, bus, deadLetters, jobQueue, jobDeadLetters, bucket };
}

/** Event source mappings feeding the function from one source (a stream ARN, a queue ARN). */
export function mappingsFrom(graph: Graph, sourceArn: string): RecordedResource[] {
  return graph.all(TYPE.mapping).filter((m) => m.inputs.eventSourceArn === sourceArn);
}

/** CloudWatch alarms on one metric, e.g. ('AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName }). */
export function alarmsOn(graph: Graph, namespace: string, metricName: string, dimensions: Record<string, string>): RecordedResource[] {
  return graph
    .all(TYPE.alarm)
    .filter((a) => a.inputs.namespace === namespace && a.inputs.metricName === metricName)
    .filter((a) => Object.entries(dimensions).every(([k, v]) => a.inputs.dimensions?.[k] === v));
}

// ---------------------------------------------------------------------------------------------
// Nothing skipped: the rehearsal only asked the CLI and the providers what this check knows.

export function checkRehearsalWasComplete(graph: Graph) {
  const { rpc, calls, builds } = graph.rehearsal;
  expect(new Set(rpc)).toEqual(new Set(['Provider.Aws.Bootstrap', 'Runtime.Build']));
  expect(new Set(calls.map((c) => c.token))).toEqual(
    new Set([
      'aws:index/getRegion:getRegion',
      'aws:index/getPartition:getPartition',
      'aws:index/getCallerIdentity:getCallerIdentity',
      'aws:iam/getPolicyDocument:getPolicyDocument',
    ]),
  );
  // The one function, bundled from the one handler with the project's esbuild settings.
  expect(builds.map((b) => b.functionID)).toEqual(['Handler']);
  const [build] = builds;
  expect(build.handler).toBe('packages/app/src/lambda/handler.handler');
  expect(build.properties).toEqual({ ...lambdaNodejsOptions, architecture: 'arm64' });
  expect(Object.keys(build.links).sort()).toEqual(['Attachments', 'Bus', 'JobQueue', 'MfaSecretsKey', 'MfaSecretsKeyPrevious', 'Table', 'TokenSigningKey', 'TokenSigningKeyPrevious', 'WebhookDeliveries', 'WebhookSecretsKey']);
}

// ---------------------------------------------------------------------------------------------
// 1. The function's role.

/** An SES identity of the kind MAIL_FROM names (domain or address), in the stack's account and region. */
const sesIdentity = (arn: string) => {
  const [, partition, , region, account] = arn.split(':');
  return `arn:${partition}:ses:${region}:${account}:identity/example.com`;
};

/** An SNS platform application (SNS_APNS/FCM_APPLICATION_ARN) and one of its device endpoints, in the stack's account and region. */
const snsPushTargets = (arn: string) => {
  const [, partition, , region, account] = arn.split(':');
  return [`arn:${partition}:sns:${region}:${account}:app/APNS/budgeting`, `arn:${partition}:sns:${region}:${account}:endpoint/APNS/budgeting/0a1b2c3d`];
};

/** The mail and push resource patterns of the role: this stack's account and region only (read from an ARN of the stack). */
function mailAndPushPatterns(arn: string): string[] {
  const [, partition, , region, account] = arn.split(':');
  const here = (service: string, rest: string) => `arn:${partition}:${service}:${region}:${account}:${rest}`;
  return [here('ses', 'identity/*'), here('ses', 'configuration-set/*'), here('sns', 'app/*'), here('sns', 'endpoint/*')];
}

/** Which resources each service's calls must be allowed on, from the graph. */
function resourcesFor(graph: Graph, call: AwsCall): string[] {
  const { table, bus, deadLetters } = pieces(graph);
  const tableArn: string = table.outputs.arn;
  switch (call.service) {
    case 'dynamodb': {
      const indexes = (table.inputs.globalSecondaryIndexes ?? []).map((i: { name: string }) => `${tableArn}/index/${i.name}`);
      return call.action === 'dynamodb:Query' ? [tableArn, ...indexes] : [tableArn];
    }
    case 'events':
      return [bus.outputs.arn];
    case 'ses':
      return [sesIdentity(tableArn)];
    case 'sns':
      return snsPushTargets(tableArn);
    case 's3': {
      // ListBucket is a bucket action; every other call the code makes is on its objects.
      const bucketArn: string = pieces(graph).bucket.outputs.arn;
      return call.action === 's3:ListBucket' ? [bucketArn] : [`${bucketArn}/budgets/b/expenses/e/a`];
    }
    case 'sqs': {
      // The code sends to a work queue: every queue except the dead letters (the bus's, and
      // any queue another queue redrives to).
      const redriveTargets = new Set(graph.all(TYPE.queue).map((q) => redriveTarget(q)).filter(Boolean));
      const queues = graph.all(TYPE.queue).filter((q) => q.urn !== deadLetters.urn && !redriveTargets.has(q.outputs.arn));
      if (queues.length === 0) throw new Error(`the code calls ${call.action} (${call.files.join(', ')}) but infra has no queue besides the dead letters`);
      return queues.map((q) => q.outputs.arn);
    }
    default:
      throw new Error(
        `the code calls ${call.action} (${call.files.join(', ')}): say in tests/infra/support/wiring-checks.ts (resourcesFor) which resources the role must allow it on`,
      );
  }
}

/** The dead-letter queue a queue's redrive policy names, if any. */
function redriveTarget(queue: RecordedResource): string | undefined {
  const policy = queue.inputs.redrivePolicy;
  if (!policy) return undefined;
  const parsed = typeof policy === 'string' ? (JSON.parse(policy) as { deadLetterTargetArn?: string }) : (policy as { deadLetterTargetArn?: string });
  return parsed.deadLetterTargetArn;
}

// ---------------------------------------------------------------------------------------------
// 5. The webhook delivery queue (packages/webhooks; infra/webhooks.ts, infra/webhook-triggers.ts).

/**
 * The function consumes the delivery queue in batches, reporting partial failures, with a
 * concurrency cap; messages our worker keeps failing go to the webhook dead letters, which
 * are alarmed on like the bus's.
 */
export function checkWebhookQueue(graph: Graph) {
  const { fn } = pieces(graph);
  const queue = graph.inside(graph.component('sst:aws:Queue', 'WebhookDeliveries'), TYPE.queue);
  const deadLetters = graph.inside(graph.component('sst:aws:Queue', 'WebhookDeadLetters'), TYPE.queue);
  expect(fn.inputs.timeout).toBe(30);
  expect(queue.inputs.visibilityTimeoutSeconds, 'visibility: six times the 30 s function timeout').toBe(180);
  expect(queue.inputs.visibilityTimeoutSeconds, "the job queue's visibility timeout (one derivation)").toBe(WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS);
  expect(queue.inputs.messageRetentionSeconds, 'kept longer than the 24 h of retries').toBeGreaterThan(24 * 60 * 60);
  expect(redriveTarget(queue), 'redrive to the webhook dead letters').toBe(deadLetters.outputs.arn);
  // The local stand-in (packages/app/src/local/delivery-queue.ts) receives a message as often before it dead-letters it.
  expect(JSON.parse(queue.inputs.redrivePolicy).maxReceiveCount, "the local stand-in's receives").toBe(WEBHOOK_QUEUE_MAX_RECEIVES);
  expect(deadLetters.inputs.messageRetentionSeconds).toBe(14 * 24 * 60 * 60);
  const [mapping, ...more] = mappingsFrom(graph, queue.outputs.arn);
  expect(more, 'one mapping from the delivery queue').toEqual([]);
  expect(mapping, 'the function consumes the delivery queue').toBeDefined();
  expect(graph.target(mapping!.inputs.functionName, 'arn').urn).toBe(fn.urn);
  expect(mapping!.inputs.functionResponseTypes).toEqual(['ReportBatchItemFailures']);
  expect(mapping!.inputs.batchSize).toBe(10);
  expect(mapping!.inputs.scalingConfig?.maximumConcurrency).toBeGreaterThanOrEqual(2);
  const [alarm] = alarmsOn(graph, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: deadLetters.outputs.name });
  expect(alarm, 'an alarm on messages in the webhook dead letters').toBeDefined();
  expect(alarm!.inputs.comparisonOperator).toBe('GreaterThanThreshold');
  expect(alarm!.inputs.threshold).toBe(0);
  // A backlog: the oldest delivery message over an hour old (a healthy one is at most a 900 s
  // backoff step plus its receives) means the workers do not keep up and every delivery is late.
  backlogAlarm(graph, queue, 'delivery');
}

/** The one alarm on a queue's oldest message over an hour old (`what`: the queue's messages, for the failure's text). */
function backlogAlarm(graph: Graph, queue: RecordedResource, what: string): RecordedResource {
  const [backlog, ...moreBacklog] = alarmsOn(graph, 'AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: queue.outputs.name });
  expect(moreBacklog, `one backlog-age alarm on the ${what} queue`).toEqual([]);
  expect(backlog, `an alarm on the age of the oldest ${what} message`).toBeDefined();
  expect(backlog!.inputs.comparisonOperator).toBe('GreaterThanThreshold');
  expect(backlog!.inputs.threshold).toBe(3600);
  expect(backlog!.inputs.statistic).toBe('Maximum');
  return backlog!;
}

export function checkRoleAllowsEveryCall(graph: Graph, calls: AwsCall[]) {
  const { role } = pieces(graph);
  const policies = graph.inlinePolicies(role);
  const denied: string[] = [];
  for (const call of calls) {
    for (const resource of resourcesFor(graph, call)) {
      if (!isAllowed(policies, call.action, resource)) denied.push(`${call.action} on ${resource} (used in ${call.files.join(', ')})`);
    }
  }
  if (denied.length > 0) throw new Error(`calls the function makes that its role does not allow:\n${denied.join('\n')}`);
}

/**
 * What AWS authorizes with the function's role besides the code's own calls: the items inside a
 * TransactWriteItems (each is authorized as its own action), Lambda reading the table's stream
 * for the relay, Lambda's SQS event source mappings receiving and deleting (the actions of
 * AWSLambdaSQSQueueExecutionRole), and failed async invocations sent to the dead-letter queue.
 */
const TRANSACTION_ITEM_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
const PLATFORM_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:SendMessage',
];

/**
 * The other half of "exactly what the code needs": every action the role grants is one the
 * code calls or AWS makes for it (above), spelled out (no service wildcard such as SST's
 * default `dynamodb:*` link).
 */
export function checkRoleGrantsOnlyWhatIsNeeded(graph: Graph, calls: AwsCall[]) {
  const { role } = pieces(graph);
  const actions = new Set(calls.map((c) => c.action));
  const needed = new Set([...actions, ...(actions.has('dynamodb:TransactWriteItems') ? TRANSACTION_ITEM_ACTIONS : []), ...PLATFORM_ACTIONS]);
  const granted = graph.inlinePolicies(role).flatMap((p) => p.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)));
  const surplus = [...new Set(granted)].filter((action) => !needed.has(action)).sort();
  if (surplus.length > 0) throw new Error(`the role grants actions nothing needs:\n${surplus.join('\n')}`);
}

/** Only the Lambda service may assume the function's role (no account principal). */
export function checkRoleTrust(graph: Graph) {
  const { role } = pieces(graph);
  const trust = JSON.parse(role.inputs.assumeRolePolicy) as { Statement: { Effect: string; Principal?: Record<string, string | string[]> }[] };
  const principals = trust.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    Object.entries(s.Principal ?? {}).flatMap(([kind, ids]) => list(ids).map((id) => `${kind}:${id}`)),
  );
  expect(principals, 'who may assume the function role').toEqual(['Service:lambda.amazonaws.com']);
}

/** What Lambda itself does with the function's role: read the stream, write failures to the DLQ, log. */
export function checkRoleAllowsThePlatformCalls(graph: Graph) {
  const { role, table, deadLetters } = pieces(graph);
  const policies = graph.inlinePolicies(role);
  const streamArn: string = table.outputs.streamArn;
  for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
    expect(isAllowed(policies, action, streamArn), `${action} on the table's stream`).toBe(true);
  }
  expect(isAllowed(policies, 'dynamodb:ListStreams', `${table.outputs.arn}/stream/*`), 'ListStreams').toBe(true);
  // Failed async invocations and failed stream batches are sent to the DLQ with the role.
  expect(isAllowed(policies, 'sqs:SendMessage', deadLetters.outputs.arn), 'sqs:SendMessage on the DLQ').toBe(true);
  expect(role.inputs.managedPolicyArns).toContain('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
}

/** Tables, buses and queues that are not the app's, including names that merely start like its own. */
export function checkRoleGrantsNothingElsewhere(graph: Graph) {
  const { role, table, bus, deadLetters, jobQueue, jobDeadLetters, bucket } = pieces(graph);
  const policies = graph.inlinePolicies(role);
  const [, partition, , region, account] = (table.outputs.arn as string).split(':');
  const arn = (service: string, rest: string) => `arn:${partition}:${service}:${region}:${account}:${rest}`;
  const probes: [string, string][] = [
    ['dynamodb:*', arn('dynamodb', 'table/other-table')],
    ['dynamodb:*', arn('dynamodb', 'table/other-table/index/gsi1')],
    ['dynamodb:*', arn('dynamodb', 'table/other-table/stream/2026-01-01T00:00:00.000')],
    ['dynamodb:*', `${table.outputs.arn}-copy`],
    ['events:*', arn('events', 'event-bus/default')],
    ['events:*', arn('events', 'event-bus/other-bus')],
    ['events:*', `${bus.outputs.arn}-copy`],
    ['sqs:*', arn('sqs', 'other-queue')],
    ['sqs:*', `${deadLetters.outputs.arn}-copy`],
    ['sqs:*', `${jobQueue.outputs.arn}-copy`],
    // The code only sends to the job queue; what lands in its dead letters is read by an operator.
    ['sqs:*', jobDeadLetters.outputs.arn],
    ['sns:*', arn('sns', 'some-topic')],
    // Mail and push go through clients of the function's own region (config.region), from this
    // account's SES identities and SNS platform applications: none of another account or region.
    ['ses:*', `arn:${partition}:ses:${region}:210987654321:identity/example.com`],
    ['ses:*', `arn:${partition}:ses:us-east-1:${account}:identity/example.com`],
    ['sns:*', `arn:${partition}:sns:${region}:210987654321:endpoint/APNS/budgeting/0a1b2c3d`],
    ['sns:*', `arn:${partition}:sns:us-east-1:${account}:app/APNS/budgeting`],
    ['s3:*', 'arn:aws:s3:::other-bucket'],
    ['s3:*', 'arn:aws:s3:::other-bucket/budgets/b/expenses/e/a'],
    ['s3:*', `${bucket.outputs.arn}-copy/budgets/b/expenses/e/a`],
  ];
  const actions: Record<string, string[]> = {
    'dynamodb:*': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:TransactWriteItems', 'dynamodb:DeleteTable', 'dynamodb:GetRecords'],
    'events:*': ['events:PutEvents', 'events:PutRule', 'events:DeleteEventBus'],
    'sqs:*': ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:PurgeQueue', 'sqs:DeleteQueue'],
    'sns:*': ['sns:Publish', 'sns:Subscribe', 'sns:DeleteTopic', 'sns:CreatePlatformEndpoint'],
    'ses:*': ['ses:SendEmail'],
    's3:*': ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:DeleteBucket'],
  };
  const leaks = probes.flatMap(([group, resource]) =>
    actions[group]!.filter((action) => isAllowed(policies, action, resource)).map((action) => `${action} on ${resource}`),
  );
  if (leaks.length > 0) throw new Error(`grants on resources that are not the app's:\n${leaks.join('\n')}`);

  // And every resource the role names at all is one of the app's (or an SES identity MAIL_FROM sends from).
  const ours = graph.all(TYPE.table).concat(graph.all(TYPE.bus), graph.all(TYPE.queue), graph.all(TYPE.bucket)).map((r) => r.outputs.arn as string);
  const mailAndPush = mailAndPushPatterns(table.outputs.arn as string);
  const named = policies.flatMap((p) => p.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Resource)));
  const foreign = named.filter((pattern) => !mailAndPush.includes(pattern) && !ours.some((a) => [a, `${a}/*`, `${a}/index/*`, `${a}/stream/*`].includes(pattern)));
  if (foreign.length > 0) throw new Error(`resource patterns in the role that are not the app's table, bus or queues: ${foreign.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// 2. The outbox relay: the table's stream mapping, and the dead-letter queue behind it.

export function checkStreamMapping(graph: Graph) {
  const { fn, table, deadLetters } = pieces(graph);
  const [mapping, ...others] = mappingsFrom(graph, table.outputs.streamArn);
  expect(others, 'one mapping from the table stream').toEqual([]);
  expect(mapping, 'a mapping from the table stream').toBeDefined();
  expect(graph.target(mapping!.inputs.functionName).urn).toBe(fn.urn);
  expect(mapping!.inputs.startingPosition).toBe('TRIM_HORIZON');
  expect(mapping!.inputs.functionResponseTypes).toEqual(['ReportBatchItemFailures']);
  expect(mapping!.inputs.bisectBatchOnFunctionError).toBe(true);
  expect(graph.target(mapping!.inputs.destinationConfig?.onFailure?.destinationArn).urn).toBe(deadLetters.urn);
  expect(table.inputs.streamEnabled).toBe(true);
  expect(table.inputs.streamViewType).toBe('NEW_AND_OLD_IMAGES');
}

/**
 * The mapping's event filter is RELAY_FILTER_PATTERNS, the patterns the local stream poller
 * applies, so only outbox INSERTs invoke the function, in AWS as locally; and the deployed
 * patterns are ones the local matcher evaluates (it throws on any other syntax).
 */
export function checkStreamFilter(graph: Graph) {
  const { table } = pieces(graph);
  const [mapping] = mappingsFrom(graph, table.outputs.streamArn);
  const filters: { pattern: string }[] = mapping?.inputs.filterCriteria?.filters ?? [];
  const deployed = filters.map((f) => JSON.parse(f.pattern) as FilterPattern);
  expect(deployed, "the relay mapping's FilterCriteria are RELAY_FILTER_PATTERNS").toEqual(RELAY_FILTER_PATTERNS);
  const outbox = { pk: { S: 'expenses#outbox#e1' }, sk: { S: 'expenses#outbox' }, kind: { S: 'outbox' } };
  const record = (eventName: string, image: Record<string, unknown>) => ({
    eventName,
    dynamodb: eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image },
  });
  expect(matchesFilterPatterns(record('INSERT', outbox), deployed), 'an outbox item inserted invokes the relay').toBe(true);
  expect(matchesFilterPatterns(record('INSERT', { ...outbox, kind: { S: 'expense-change' }, publishes: { BOOL: true } }), deployed)).toBe(true);
  expect(matchesFilterPatterns(record('REMOVE', outbox), deployed), 'its TTL expiry does not').toBe(false);
  expect(matchesFilterPatterns(record('INSERT', { ...outbox, kind: { S: 'totals' } }), deployed), 'nor another item').toBe(false);
}

export function checkDeadLetters(graph: Graph) {
  const { fn, deadLetters } = pieces(graph);
  expect(deadLetters.inputs.messageRetentionSeconds).toBe(14 * 24 * 60 * 60);
  expect(deadLetters.inputs.sqsManagedSseEnabled).toBe(true);

  // EventBridge may send to it, for rules of this account only.
  const policy = graph.all(TYPE.queuePolicy).find((p) => p.inputs.queueUrl === deadLetters.outputs.url);
  expect(policy, 'a queue policy on the dead-letter queue').toBeDefined();
  const statements = JSON.parse(policy!.inputs.policy).Statement;
  expect(statements, 'DLQ policy: EventBridge may send, for rules of this account only (aws:SourceAccount)').toEqual([
    {
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: [deadLetters.outputs.arn],
      Principal: { Service: ['events.amazonaws.com'] },
      Condition: { StringEquals: { 'aws:SourceAccount': [deadLetters.outputs.arn.split(':')[4]] } },
    },
  ]);

  // The function's failed asynchronous invocations end there too.
  const invokeConfig = graph.one(TYPE.invokeConfig);
  expect(graph.target(invokeConfig.inputs.functionName, 'name').urn).toBe(fn.urn);
  expect(graph.target(invokeConfig.inputs.destinationConfig?.onFailure?.destination).urn).toBe(deadLetters.urn);
  expect(invokeConfig.inputs.maximumRetryAttempts).toBe(2);
  // The local bus makes as many attempts before it dead-letters an event (local/retrying-delivery.ts).
  expect(invokeConfig.inputs.maximumRetryAttempts, "the local bus's attempts").toBe(ASYNC_INVOCATION_RETRIES);
}

/**
 * The fan-out jobs' queue: the function consumes it in batches, reports only the failed
 * messages, and a message failing five receives moves to the job dead letters.
 */
export function checkJobQueueMapping(graph: Graph) {
  const { fn, jobQueue, jobDeadLetters } = pieces(graph);
  const [mapping, ...others] = mappingsFrom(graph, jobQueue.outputs.arn);
  expect(others, 'one mapping from the job queue').toEqual([]);
  expect(mapping, 'a mapping from the job queue').toBeDefined();
  expect(graph.target(mapping!.inputs.functionName).urn).toBe(fn.urn);
  expect(mapping!.inputs.functionResponseTypes, 'partial batch responses').toEqual(['ReportBatchItemFailures']);
  expect(mapping!.inputs.batchSize).toBe(10);
  expect(mapping!.inputs.scalingConfig?.maximumConcurrency, 'queue concurrency capped (docs/capacity.md)').toBe(200);
  // Not redelivered while a batch still runs: at least six times the function's 30 s timeout.
  expect(fn.inputs.timeout).toBe(30);
  expect(jobQueue.inputs.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * 30);
  // The CSV import's stall window is computed from these figures (platform jobs/work-queue-limits.ts).
  expect(jobQueue.inputs.visibilityTimeoutSeconds, 'the visibility timeout the import stall window assumes').toBe(WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS);
  const redrive = JSON.parse(jobQueue.inputs.redrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number };
  // The consumer knows a message's last attempt by its receive count (it marks an import failed
  // then): the queue's maxReceiveCount must be the consumer's number.
  expect(redrive).toEqual({ deadLetterTargetArn: jobDeadLetters.outputs.arn, maxReceiveCount: JOB_QUEUE_MAX_RECEIVES });
  expect(jobDeadLetters.inputs.messageRetentionSeconds).toBe(14 * 24 * 60 * 60);
  for (const q of [jobQueue, jobDeadLetters]) expect(q.inputs.sqsManagedSseEnabled).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// 3. Bus rules, schedules and routes.

/** EventBridge's input transformer applied to an event: `<var>` becomes the JSON of its path. */
export function transformInput(transformer: { inputPaths: Record<string, string>; inputTemplate: string }, event: Record<string, unknown>, ruleArn: string) {
  const valueAt = (path: string) => path.replace(/^\$\./, '').split('.').reduce<any>((v, key) => v?.[key], event);
  const rendered = transformer.inputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (_m, name: string) => {
    if (name === 'aws.events.rule-arn') return JSON.stringify(ruleArn);
    const path = transformer.inputPaths[name];
    if (path === undefined) throw new Error(`input template variable <${name}> has no input path`);
    return JSON.stringify(valueAt(path));
  });
  return JSON.parse(rendered) as Record<string, unknown>;
}

const targetsOf = (graph: Graph, rule: RecordedResource) =>
  graph.all(TYPE.target).filter((t) => t.inputs.rule === rule.outputs.name && (t.inputs.eventBusName ?? 'default') === (rule.inputs.eventBusName ?? 'default'));

function checkTargetIsTheFunction(graph: Graph, rule: RecordedResource) {
  const { fn, deadLetters } = pieces(graph);
  const targets = targetsOf(graph, rule);
  expect(targets, `targets of rule ${rule.outputs.name}`).toHaveLength(1);
  const target = targets[0]!;
  expect(graph.target(target.inputs.arn).urn).toBe(fn.urn);
  expect(graph.target(target.inputs.deadLetterConfig?.arn).urn).toBe(deadLetters.urn);
  // EventBridge may invoke the function for this rule.
  const permissions = graph.all(TYPE.permission).filter((p) => p.inputs.sourceArn === rule.outputs.arn);
  expect(permissions.map((p) => [p.inputs.principal, p.inputs.action, graph.target(p.inputs.function).urn])).toEqual([
    ['events.amazonaws.com', 'lambda:InvokeFunction', fn.urn],
  ]);
  return target;
}

export function checkSubscriptionRules(graph: Graph) {
  const { app } = graph.rehearsal;
  const { bus } = pieces(graph);
  const busRules = graph.all(TYPE.rule).filter((r) => r.inputs.eventBusName !== undefined);
  expect(busRules.map((r) => r.outputs.name).sort(), 'one bus rule per subscription row, no other').toEqual(
    SUBSCRIPTIONS.map((row) => ruleName(app.name, app.stage, row.name)).sort(),
  );
  for (const row of SUBSCRIPTIONS) {
    const rule = busRules.find((r) => r.outputs.name === ruleName(app.name, app.stage, row.name))!;
    expect(rule.inputs.eventBusName).toBe(bus.outputs.name);
    expect(rule.inputs.state).toBe('ENABLED');
    expect(JSON.parse(rule.inputs.eventPattern), `pattern of ${row.name}`).toEqual({ source: [row.source], 'detail-type': row.detailTypes });

    const target = checkTargetIsTheFunction(graph, rule);
    expect(target.inputs.input, 'a bus target passes the event, not a constant').toBeUndefined();
    expect(target.inputs.inputTransformer, `input transformer of ${row.name}`).toEqual({
      inputPaths: SUBSCRIPTION_RULE_INPUT.inputPathsMap,
      inputTemplate: SUBSCRIPTION_RULE_INPUT.inputTemplate,
    });
    // What the function receives for an event of this row: a bus event that runs this row only.
    for (const detailType of row.detailTypes) {
      const event = {
        version: '0',
        id: 'e-1',
        'detail-type': detailType,
        source: row.source,
        account: '123456789012',
        time: '2026-01-01T00:00:00Z',
        region: 'eu-west-1',
        resources: [],
        detail: { id: 'x' },
      };
      const input = transformInput(target.inputs.inputTransformer, event, rule.outputs.arn);
      expect(classifyEvent(input)).toBe('bus');
      expect(input).toMatchObject({ source: row.source, 'detail-type': detailType, detail: { id: 'x' } });
      expect(targetedRows(SUBSCRIPTIONS, input.resources as string[]).map((r) => r.name)).toEqual([row.name]);
    }
  }
}

export function checkSchedules(graph: Graph) {
  const { app } = graph.rehearsal;
  const scheduleRules = graph.all(TYPE.rule).filter((r) => r.inputs.scheduleExpression !== undefined);
  expect(scheduleRules.map((r) => r.outputs.name).sort(), 'one schedule per job row, no other').toEqual(
    SCHEDULES.map((row) => ruleName(app.name, app.stage, row.name)).sort(),
  );
  const jobs = SCHEDULES.map((row) => ({ name: row.name, schedule: row.schedule, run: async () => undefined }));
  for (const row of SCHEDULES) {
    const rule = scheduleRules.find((r) => r.outputs.name === ruleName(app.name, app.stage, row.name))!;
    expect(rule.inputs.scheduleExpression).toBe(row.schedule);
    expect(rule.inputs.eventBusName ?? 'default').toBe('default');
    expect(rule.inputs.state).toBe('ENABLED');
    const target = checkTargetIsTheFunction(graph, rule);
    // No constant input and no transformer: the function gets EventBridge's Scheduled Event.
    expect(target.inputs.input, `constant input of schedule ${row.name}`).toBeUndefined();
    expect(target.inputs.inputPath).toBeUndefined();
    expect(target.inputs.inputTransformer).toBeUndefined();
    const scheduled = { version: '0', id: 's-1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'eu-west-1', resources: [rule.outputs.arn], detail: {} };
    expect(classifyEvent(scheduled)).toBe('schedule');
    expect(jobForRule(jobs, scheduled.resources)?.name).toBe(row.name);
  }
}

export function checkRoutes(graph: Graph) {
  const { fn } = pieces(graph);
  const api = graph.inside(graph.component('sst:aws:ApiGatewayV2', 'Api'), 'aws:apigatewayv2/api:Api');
  const routes = graph.all(TYPE.route);
  expect(routes.map((r) => r.inputs.routeKey).sort()).toEqual(['$default', 'GET /health']);
  for (const route of routes) {
    expect(route.inputs.apiId).toBe(api.outputs.id);
    const integrationId = /^integrations\/(.+)$/.exec(route.inputs.target)?.[1];
    const integration = graph.target(integrationId, 'id');
    expect(integration.type).toBe(TYPE.integration);
    expect(graph.target(integration.inputs.integrationUri).urn, `${route.inputs.routeKey} goes to the one function`).toBe(fn.urn);
    expect(integration.inputs.integrationType).toBe('AWS_PROXY');
    expect(integration.inputs.payloadFormatVersion).toBe('2.0');
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Production settings and alarms.

export function checkTableDurability(graph: Graph, production: boolean) {
  const { table } = pieces(graph);
  expect(table.options.retainOnDelete, 'table retained on delete').toBe(production);
  expect(table.inputs.deletionProtectionEnabled, 'deletion protection').toBe(production);
  expect(table.inputs.pointInTimeRecovery?.enabled, 'point-in-time recovery').toBe(production);
  expect(table.inputs.billingMode).toBe('PAY_PER_REQUEST');
  expect(graph.rehearsal.outputs._protect, 'stage protected against sst remove').toBe(production);
}

export function checkAlarms(graph: Graph) {
  const { deadLetters } = pieces(graph);
  const [alarm, ...more] = alarmsOn(graph, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: deadLetters.outputs.name });
  expect(more).toEqual([]);
  expect(alarm, 'an alarm on messages in the dead-letter queue').toBeDefined();
  expect(alarm!.inputs.comparisonOperator).toBe('GreaterThanThreshold');
  expect(alarm!.inputs.threshold).toBe(0);
  expect(alarm!.inputs.treatMissingData).toBe('notBreaching');
}

/** The job queue: one alarm on its oldest message over an hour, one on anything in its dead letters. */
export function checkJobAlarms(graph: Graph, emittedNamespace: string) {
  const { jobQueue, jobDeadLetters } = pieces(graph);
  const backlog = backlogAlarm(graph, jobQueue, 'job');
  expect(backlog.inputs.threshold, 'the backlog the import stall window allows for').toBe(WORK_QUEUE_BACKLOG_ALARM_SECONDS);

  const [dead, ...moreDead] = alarmsOn(graph, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: jobDeadLetters.outputs.name });
  expect(moreDead, 'one alarm on the job dead letters').toEqual([]);
  expect(dead, 'an alarm on messages in the job dead-letter queue').toBeDefined();
  expect(dead!.inputs.comparisonOperator).toBe('GreaterThanThreshold');
  expect(dead!.inputs.threshold).toBe(0);
  expect(dead!.inputs.treatMissingData).toBe('notBreaching');

  // Per scheduled job, the planners' own figure (EMF, packages/app/src/jobs/metrics.ts): the
  // oldest due unit a tick found, over an hour, even when the queue itself is empty. Watched
  // in the namespace the code emits for this stage (`emittedNamespace`: support/job-emf.ts).
  const dueAlarms: RecordedResource[] = [];
  for (const row of SCHEDULES) {
    const [due, ...moreDue] = alarmsOn(graph, emittedNamespace, 'OldestDueAgeSeconds', { service: 'jobs', job: row.name });
    if (SCHEDULES_WITHOUT_DUE_AGE.includes(row.name)) {
      // Its planner finds no "due" work (a daily sample): no figure, so an alarm that could never fire.
      expect(due, `no due-age alarm for ${row.name}`).toBeUndefined();
      continue;
    }
    expect(moreDue, `one due-age alarm for ${row.name}`).toEqual([]);
    expect(due, `an alarm on the age of ${row.name}'s oldest due unit`).toBeDefined();
    expect(due!.inputs.comparisonOperator).toBe('GreaterThanThreshold');
    expect(due!.inputs.threshold).toBe(3600);
    expect(due!.inputs.statistic).toBe('Maximum');
    dueAlarms.push(due!);
  }
  // Like every alarm, each notifies the operators' topic (checkOperatorAlarms).
}

/** The operators' one SNS topic (infra/alarm.ts): every alarm notifies it, firing and recovering. */
export function checkEveryAlarmNotifiesTheTopic(graph: Graph) {
  const topic = graph.inside(graph.component('sst:aws:SnsTopic', 'Alarms'), 'aws:sns/topic:Topic');
  const alarms = graph.all(TYPE.alarm);
  expect(alarms.length, 'the stack has alarms').toBeGreaterThan(0);
  for (const alarm of alarms) {
    expect(list(alarm.inputs.alarmActions), `${alarm.name} notifies the Alarms topic`).toEqual([topic.outputs.arn]);
    expect(alarm.inputs.okActions, `${alarm.name} notifies its recovery`).toEqual([topic.outputs.arn]);
  }
  expect(graph.rehearsal.outputs.alarmTopic, 'the topic is a stack output').toBe(topic.outputs.arn);
}

/**
 * The alarms on the function, the HTTP API and the table (infra/alarms.ts): each on the right
 * resource, with a threshold that says "someone must look".
 */
export function checkOperatorAlarms(graph: Graph) {
  const { fn, table } = pieces(graph);
  const api = graph.inside(graph.component('sst:aws:ApiGatewayV2', 'Api'), 'aws:apigatewayv2/api:Api');
  const one = (namespace: string, metricName: string, dimensions: Record<string, string>) => {
    const [alarm, ...more] = alarmsOn(graph, namespace, metricName, dimensions);
    expect(more, `one alarm on ${metricName}`).toEqual([]);
    expect(alarm, `an alarm on ${namespace} ${metricName}`).toBeDefined();
    expect(alarm!.inputs.comparisonOperator).toBe('GreaterThanThreshold');
    return alarm!;
  };
  const ofFunction = { FunctionName: fn.outputs.name };

  const errors = one('AWS/Lambda', 'Errors', ofFunction);
  expect([errors.inputs.statistic, errors.inputs.period, errors.inputs.threshold]).toEqual(['Sum', 300, 5]);
  const throttles = one('AWS/Lambda', 'Throttles', ofFunction);
  expect([throttles.inputs.statistic, throttles.inputs.threshold]).toEqual(['Sum', 0]);
  // The relay behind the stream for 5 minutes in a row (stream records expire after 24 h).
  const behind = one('AWS/Lambda', 'IteratorAge', ofFunction);
  expect([behind.inputs.statistic, behind.inputs.period, behind.inputs.threshold]).toEqual(['Maximum', 60, 60_000]);
  expect([behind.inputs.evaluationPeriods, behind.inputs.datapointsToAlarm]).toEqual([5, 5]);
  // The function parks failed work through destinations (eventInvokeConfig, the stream
  // mapping's onFailure), whose write failures are DestinationDeliveryFailures.
  const lost = one('AWS/Lambda', 'DestinationDeliveryFailures', ofFunction);
  expect([lost.inputs.statistic, lost.inputs.threshold], 'DestinationDeliveryFailures: any is an alarm').toEqual(['Sum', 0]);
  // Every EventBridge rule (the bus's subscriptions, the schedules) alarmed when it cannot park
  // a failed delivery, with exactly the dimensions EventBridge publishes for it.
  const { bus } = pieces(graph);
  const rules = graph.all(TYPE.rule);
  expect(rules.length).toBeGreaterThan(0);
  const notParked = graph.all(TYPE.alarm).filter((a) => a.inputs.metricName === 'InvocationsFailedToBeSentToDlq');
  expect(notParked, 'one alarm per rule').toHaveLength(rules.length);
  for (const rule of rules) {
    const onBus = rule.inputs.eventBusName !== undefined;
    const dimensions = onBus ? { EventBusName: bus.outputs.name, RuleName: rule.outputs.name } : { RuleName: rule.outputs.name };
    const matching = notParked.filter(
      (a) => Object.keys(a.inputs.dimensions ?? {}).length === Object.keys(dimensions).length && Object.entries(dimensions).every(([k, v]) => a.inputs.dimensions?.[k] === v),
    );
    expect(matching, `rule ${rule.outputs.name}: one InvocationsFailedToBeSentToDlq alarm on ${JSON.stringify(dimensions)}`).toHaveLength(1);
    expect([matching[0]!.inputs.namespace, matching[0]!.inputs.statistic, matching[0]!.inputs.threshold]).toEqual(['AWS/Events', 'Sum', 0]);
  }

  type MetricQuery = { id: string; expression?: string; metric?: { namespace: string; metricName: string; dimensions: Record<string, string> } };
  const queries = (alarm: RecordedResource): MetricQuery[] => alarm.inputs.metricQueries ?? [];
  const queried = (alarm: RecordedResource, id: string) => queries(alarm).find((q) => q.id === id);
  const withQuery = (namespace: string, metricName: string, dimensions: Record<string, string>) =>
    graph
      .all(TYPE.alarm)
      .filter((a) =>
        queries(a).some(
          (q) => q.metric?.namespace === namespace && q.metric.metricName === metricName && Object.entries(dimensions).every(([k, v]) => q.metric!.dimensions[k] === v),
        ),
      );

  // 5xx as a share of the default stage's requests, once there are 50 of them.
  const [rate, ...moreRate] = withQuery('AWS/ApiGateway', '5xx', { ApiId: api.outputs.id, Stage: '$default' });
  expect(moreRate, 'one alarm on the API 5xx').toEqual([]);
  expect(rate, 'an alarm on the HTTP API 5xx rate').toBeDefined();
  expect(queried(rate!, 'requests')?.metric).toMatchObject({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiId: api.outputs.id, Stage: '$default' } });
  expect(queried(rate!, 'rate')?.expression).toBe('IF(requests >= 50, 100 * errors / requests, 0)');
  expect([rate!.inputs.comparisonOperator, rate!.inputs.threshold]).toEqual(['GreaterThanThreshold', 1]);

  // Lasting throttles of the table's reads or writes.
  const [throttled, ...moreThrottled] = withQuery('AWS/DynamoDB', 'WriteThrottleEvents', { TableName: table.outputs.name });
  expect(moreThrottled, 'one alarm on the table throttles').toEqual([]);
  expect(throttled, 'an alarm on the table throttling').toBeDefined();
  expect(queried(throttled!, 'reads')?.metric).toMatchObject({ metricName: 'ReadThrottleEvents', dimensions: { TableName: table.outputs.name } });
  expect([throttled!.inputs.evaluationPeriods, throttled!.inputs.datapointsToAlarm, throttled!.inputs.threshold]).toEqual([5, 3, 0]);
  // CloudWatch's TableName-only series leave out every global secondary index ("To view
  // ReadThrottleEvents for a global secondary index, you must specify both TableName and
  // GlobalSecondaryIndexName"): a hot index partition (a planner's due index, a sparse index's
  // one partition) throttles reads, and index writes back-pressure the table's, unseen by them.
  // Each index's reads and writes are in the alarm's sum.
  expect(queries(throttled!).filter((q) => q.metric).length, 'at most 10 metrics in a metric-math alarm').toBeLessThanOrEqual(10);
  const summed = queries(throttled!).find((q) => q.expression !== undefined && (q as { returnData?: boolean }).returnData)?.expression ?? '';
  for (const index of Object.keys(TABLE.indexes)) {
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      const onIndex = queries(throttled!).find(
        (q) => q.metric?.metricName === metricName && q.metric.dimensions.TableName === table.outputs.name && q.metric.dimensions.GlobalSecondaryIndexName === index,
      );
      expect(onIndex, `the table throttles alarm queries ${metricName} of index ${index}`).toBeDefined();
      expect(summed, `the alarm's sum takes ${index}'s ${metricName}`).toContain(`FILL(${onIndex!.id}, 0)`);
    }
  }
}

/**
 * The operators' dashboard (infra/dashboard.ts): one per stage, its alarm widget listing every
 * alarm of the stack, its graphs on this stack's function, API, table and every queue.
 */
export function checkDashboard(graph: Graph, emittedJobNamespace: string) {
  const { app } = graph.rehearsal;
  const { fn, table, deadLetters, jobQueue, jobDeadLetters } = pieces(graph);
  const api = graph.inside(graph.component('sst:aws:ApiGatewayV2', 'Api'), 'aws:apigatewayv2/api:Api');
  const webhookQueues = ['WebhookDeliveries', 'WebhookDeadLetters'].map((name) => graph.inside(graph.component('sst:aws:Queue', name), TYPE.queue));
  const [dashboard, ...more] = graph.all('aws:cloudwatch/dashboard:Dashboard');
  expect(more, 'one dashboard').toEqual([]);
  expect(dashboard, 'an operations dashboard').toBeDefined();
  expect(dashboard!.inputs.dashboardName).toBe(`${app.name}-${app.stage}`);
  expect(graph.rehearsal.outputs.dashboard).toBe(`${app.name}-${app.stage}`);

  type Widget = { type: string; properties: { alarms?: string[]; metrics?: (string | object)[][]; region?: unknown; title?: string } };
  const widgets = (JSON.parse(dashboard!.inputs.dashboardBody) as { widgets: Widget[] }).widgets;
  // Each graph reads the stack's own region (the table's ARN names it), not an unresolved Output's text.
  const region = String(table.outputs.arn).split(':')[3];
  for (const w of widgets.filter((x) => x.type === 'metric')) expect(w.properties.region, `graph "${w.properties.title}" reads the stack's region`).toBe(region);
  // An Output anywhere in the body (a title, a label, not only the region) is serialized as
  // Pulumi's "Calling [toJSON] (or [toString]) on an [Output<T>]" text, which AWS stores as given.
  expect(dashboard!.inputs.dashboardBody, 'the dashboard body holds no unresolved Output').not.toContain('[Output<T>]');
  const alarmWidget = widgets.find((w) => w.type === 'alarm');
  expect(new Set(alarmWidget?.properties.alarms), 'the alarm widget lists every alarm of the stack').toEqual(new Set(graph.all(TYPE.alarm).map((a) => a.outputs.arn)));

  // Which (namespace, dimension value) pairs the graphs plot.
  const plotted = new Set(widgets.flatMap((w) => (w.properties.metrics ?? []).map((m) => `${String(m[0])} ${m.slice(2).filter((x) => typeof x === 'string').join(' ')}`)));
  expect(plotted).toContain(`AWS/Lambda FunctionName ${fn.outputs.name}`);
  expect(plotted).toContain(`AWS/ApiGateway ApiId ${api.outputs.id} Stage $default`);
  expect(plotted).toContain(`AWS/DynamoDB TableName ${table.outputs.name}`);
  for (const queue of [deadLetters, jobQueue, jobDeadLetters, ...webhookQueues]) expect(plotted, `queue ${queue.name} is plotted`).toContain(`AWS/SQS QueueName ${queue.outputs.name}`);
  // Every metric the jobs emit (JOB_METRIC_NAMES: the only names their `emit` takes), in the
  // namespace the code emits for this stage (support/job-emf.ts), for every job: one SEARCH over
  // the jobs' dimensions per metric (graphing the scheduled jobs alone would leave out the jobs
  // that events and the relay start).
  const searched = jobMetricsSearched(widgets.flatMap((w) => w.properties.metrics ?? []), emittedJobNamespace);
  for (const name of JOB_METRIC_NAMES) expect(searched, `the jobs' ${name} is plotted for every job`).toContain(name);
}

/**
 * The metric names that dashboard rows plot for every job of the jobs' namespace: a row
 * `[{ expression: "SEARCH('{\"<namespace>\",service,job} MetricName=\"<name>\"', '<stat>', <period>)" }]`
 * (quoted namespace: it holds slashes), with exactly the dimensions the jobs' EMF lines carry.
 */
export function jobMetricsSearched(rows: (string | object)[][], namespace: string): string[] {
  const schema = `{"${namespace}",service,job}`;
  return rows.flatMap((row) => {
    const expression = row.length === 1 ? (row[0] as { expression?: unknown }).expression : undefined;
    if (typeof expression !== 'string') return [];
    const found = /^SEARCH\('(\{[^}]*\}) MetricName="([A-Za-z]+)"', '(Sum|Maximum)', (\d+)\)$/.exec(expression);
    return found && found[1] === schema ? [found[2]!] : [];
  });
}

/**
 * The stage throttle holds the projected peak (docs/capacity.md, "HTTP at 1 M users": about
 * 2,900 requests/s) and stays inside the account's default API Gateway quota (10,000/s, a
 * bucket of 5,000, shared by every API of the account).
 */
export function checkStageThrottle(graph: Graph) {
  const [stage, ...more] = graph.all('aws:apigatewayv2/stage:Stage');
  expect(more, 'one stage').toEqual([]);
  const { throttlingRateLimit: rate, throttlingBurstLimit: burst } = stage!.inputs.defaultRouteSettings ?? {};
  expect(rate, 'the stage takes the peak hour of 1 M users').toBeGreaterThanOrEqual(2_900);
  expect(rate, 'the stage leaves room in the account quota').toBeLessThanOrEqual(5_000);
  expect(burst, 'the burst fits the account bucket with room for other APIs').toBeLessThanOrEqual(2_500);
  expect(burst, 'a burst of at least a second at the peak rate').toBeGreaterThanOrEqual(rate / 2);
}

/**
 * API Gateway's access log (infra/api.ts): kept a month, it must not hold a calendar feed's
 * secret, which is in the feed URL's path. So no field of its format reads `$context.path`;
 * the request id, route key and status stay, to join it with the function's own access line.
 */
export function checkAccessLogKeepsNoPath(graph: Graph) {
  const [stage] = graph.all('aws:apigatewayv2/stage:Stage');
  const format = stage!.inputs.accessLogSettings?.format as string | undefined;
  expect(format, 'the stage writes an access log').toBeTypeOf('string');
  const fields = JSON.parse(format!) as Record<string, string>;
  expect(Object.values(fields).filter((v) => v.includes('$context.path')), 'no access log field holds the path').toEqual([]);
  expect(Object.values(fields)).toEqual(expect.arrayContaining(['"$context.requestId"', '"$context.routeKey"', '$context.status']));
}

/**
 * The guards' refusals as metrics (infra/guard-metrics.ts): one metric filter per guard metric
 * on the function's own log group, whose pattern matches the real access line of each guard it
 * counts and no other guard's (`lines`: tests/infra/support/refused-lines.ts), so every guard is
 * counted exactly once; the dashboard graphs every metric; one alarm, on the per-account rate
 * limit's refusals lasting 15 minutes (it notifies the topic like every alarm:
 * checkEveryAlarmNotifiesTheTopic).
 */
export function checkGuardMetrics(graph: Graph, lines: Record<Guard, string>) {
  const { app } = graph.rehearsal;
  const { fnComponent } = pieces(graph);
  const logGroup = graph.inside(fnComponent, TYPE.logGroup);
  const namespace = `Budgeting/Guards/${app.stage}`;
  const filters = graph.all(TYPE.metricFilter);
  expect(filters.map((f) => f.inputs.logGroupName), "every metric filter is on the function's log group").toEqual(filters.map(() => logGroup.outputs.name));

  const countedBy = new Map<Guard, string[]>(Object.values(GUARDS).map((g) => [g, []]));
  for (const metric of GUARD_METRICS) {
    const mine = filters.filter((f) => f.inputs.metricTransformation?.name === metric.metricName);
    expect(mine, `one metric filter counts ${metric.metricName}`).toHaveLength(1);
    const filter = mine[0]!;
    expect(filter.inputs.metricTransformation).toMatchObject({ namespace, value: '1' });
    for (const guard of Object.values(GUARDS)) {
      if (matchesLogFilter(filter.inputs.pattern, lines[guard])) countedBy.get(guard)!.push(metric.metricName);
    }
    for (const guard of metric.guards) expect(countedBy.get(guard), `${metric.metricName} counts the access line of ${guard}`).toContain(metric.metricName);
    // The one pattern, so what the app names and what infra counts cannot drift apart.
    expect(filter.inputs.pattern, `${metric.metricName}: the pattern of packages/platform/src/http/guards.ts`).toBe(guardFilterPattern(metric));
  }
  for (const [guard, metrics] of countedBy) expect(metrics, `the refusals of ${guard} are counted by exactly one metric`).toHaveLength(1);
  // A line that is not a guard's refusal counts nowhere.
  const other = JSON.stringify({ ...JSON.parse(lines[GUARDS.accountRateLimit]), refusedBy: undefined, status: 400 });
  for (const filter of filters) expect(matchesLogFilter(filter.inputs.pattern, other), `${filter.name} ignores a line without refusedBy`).toBe(false);

  const [dashboard] = graph.all('aws:cloudwatch/dashboard:Dashboard');
  type Widget = { properties: { metrics?: (string | object)[][] } };
  const plotted = (JSON.parse(dashboard!.inputs.dashboardBody) as { widgets: Widget[] }).widgets.flatMap((w) => (w.properties.metrics ?? []).map((m) => `${String(m[0])} ${String(m[1])}`));
  for (const metric of GUARD_METRICS) expect(plotted, `the dashboard graphs ${metric.metricName}`).toContain(`${namespace} ${metric.metricName}`);

  const alarms = graph.all(TYPE.alarm).filter((a) => a.inputs.namespace === namespace);
  expect(alarms.map((a) => a.inputs.metricName), 'one guard alarm: the per-account rate limit').toEqual(['RefusedByAccountRateLimit']);
  const [alarm] = alarms;
  expect([alarm!.inputs.statistic, alarm!.inputs.period, alarm!.inputs.evaluationPeriods, alarm!.inputs.datapointsToAlarm, alarm!.inputs.comparisonOperator]).toEqual(['Sum', 300, 3, 3, 'GreaterThanThreshold']);
  expect(alarm!.inputs.threshold).toBeGreaterThan(0);
  expect(alarm!.inputs.alarmDescription).toMatch(/refusedBy = "account-rate-limit"/);
}

// ---------------------------------------------------------------------------------------------
// Receipts: the attachments bucket.

/**
 * The receipts bucket is private (every public access blocked), linked to the function (its
 * name reaches the code as ATTACHMENTS_BUCKET through the link: sst-environment.ts reads
 * Resource.Attachments.name), and the role may sign and delete its objects and list it, on it only.
 */
export function checkAttachmentsBucket(graph: Graph) {
  const { role, bucket } = pieces(graph);
  const blocks = graph.all(TYPE.publicAccessBlock).filter((b) => b.inputs.bucket === bucket.outputs.bucket || b.inputs.bucket === bucket.outputs.id);
  expect(blocks, 'a public access block on the attachments bucket').toHaveLength(1);
  expect(blocks[0]!.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  // Linked: the bundle's build carries the link, with the bucket's name as its one property.
  const [build] = graph.rehearsal.builds;
  expect(build.links.Attachments, 'the function is linked to the Attachments bucket').toBeDefined();
  expect(JSON.stringify(build.links.Attachments)).toContain(String(bucket.outputs.bucket ?? bucket.outputs.id));
  const policies = graph.inlinePolicies(role);
  const arn: string = bucket.outputs.arn;
  for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(isAllowed(policies, action, `${arn}/budgets/b/expenses/e/a`), action).toBe(true);
  expect(isAllowed(policies, 's3:ListBucket', arn), 's3:ListBucket').toBe(true);
  expect(isAllowed(policies, 's3:DeleteBucket', arn), 's3:DeleteBucket').toBe(false);
  expect(isAllowed(policies, 's3:GetObject', `${arn}-copy/x`), 'another bucket').toBe(false);
}
