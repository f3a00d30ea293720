import { beforeAll, describe, expect, it } from 'vitest';
import { awsCallsIn, awsCallsOfLambda, type AwsCall } from './support/aws-calls';
import { rehearse, type Graph } from './support/graph';
import { isAllowed, wildcardMatch } from './support/iam';
import { emittedJobNamespace } from './support/job-emf';
import { matchesLogFilter } from './support/log-filter';
import { refusedAccessLines } from './support/refused-lines';
import {
  checkAlarms,
  checkAttachmentsBucket,
  checkDeadLetters,
  checkWebhookQueue,
  checkJobAlarms,
  checkEveryAlarmNotifiesTheTopic,
  checkOperatorAlarms,
  checkDashboard,
  checkGuardMetrics,
  checkStageThrottle,
  checkAccessLogKeepsNoPath,
  checkJobQueueMapping,
  checkRehearsalWasComplete,
  checkRoleAllowsEveryCall,
  checkRoleAllowsThePlatformCalls,
  checkRoleGrantsNothingElsewhere,
  checkRoleGrantsOnlyWhatIsNeeded,
  checkRoleTrust,
  checkRoutes,
  checkSchedules,
  checkStreamFilter,
  checkStreamMapping,
  checkSubscriptionRules,
  checkTableDurability,
  pieces,
  transformInput,
} from './support/wiring-checks';

/**
 * The infrastructure rehearsal: sst.config.ts and infra/ run for real, offline, under Pulumi's
 * mocks (tests/infra/support/rehearse.mjs), once for a throwaway stage and once for
 * `production`, and the recorded resource graph is checked against what the function's code
 * expects. What it cannot show (AWS-side validation) is listed in docs/architecture.md.
 * tests/infra/mutants.test.ts shows each check failing on a deliberately broken infra/.
 */
let test: Graph;
let production: Graph;
let calls: AwsCall[];
let refusedLines: Awaited<ReturnType<typeof refusedAccessLines>>;

beforeAll(async () => {
  [test, production, calls, refusedLines] = await Promise.all([rehearse('rehearsal'), rehearse('production'), awsCallsOfLambda(), refusedAccessLines()]);
}, 180_000);

describe.each([
  ['a test stage', () => test],
  ['production', () => production],
])('the rehearsed stack of %s', (_label, graph) => {
  it('ran the whole program, asking the CLI and the providers only what the rehearsal answers', () => {
    checkRehearsalWasComplete(graph());
  });

  it('1. lets the function make every AWS call its code makes, and the calls Lambda makes for it', () => {
    checkRoleAllowsEveryCall(graph(), calls);
    checkRoleAllowsThePlatformCalls(graph());
  });

  // These two checks throw, naming what is wrong (the mutants match their messages): not throwing is the assertion.
  it('1. grants nothing on other tables, buses or queues', () => {
    expect(() => checkRoleGrantsNothingElsewhere(graph())).not.toThrow();
  });

  it('1. grants no action that neither the code nor Lambda for it makes (no service wildcards)', () => {
    expect(() => checkRoleGrantsOnlyWhatIsNeeded(graph(), calls)).not.toThrow();
  });

  it('1. keeps the receipts bucket private, linked to the function, its objects signed, deleted and listed by the role only', () => {
    checkAttachmentsBucket(graph());
  });

  it('1. lets only Lambda assume the role', () => {
    checkRoleTrust(graph());
  });

  it('2. relays the table stream from TRIM_HORIZON, batch item failures reported, bisected, failures to the DLQ', () => {
    checkStreamMapping(graph());
    checkDeadLetters(graph());
  });

  it('2. invokes the relay only for outbox INSERTs: the mapping filters with RELAY_FILTER_PATTERNS, as the local poller does', () => {
    checkStreamFilter(graph());
  });

  it('2. feeds the function from the job queue in batches with partial failures, failures to the job dead letters', () => {
    checkJobQueueMapping(graph());
  });

  it('3. has one bus rule per subscription row, matching the row and handing the function what it dispatches on', () => {
    checkSubscriptionRules(graph());
  });

  it('3. has one schedule per job row, named for its job, passing the Scheduled Event itself', () => {
    checkSchedules(graph());
  });

  it('3. sends every API route to the one function with payload 2.0', () => {
    checkRoutes(graph());
  });

  it('3. throttles the stage above the projected peak of 1 M users and inside the account quota', () => {
    checkStageThrottle(graph());
  });

  it("1. keeps calendar feed secrets out of API Gateway's access log (no path in its format)", () => {
    checkAccessLogKeepsNoPath(graph());
  });

  it('5. consumes the webhook delivery queue (batches, partial failures, concurrency cap, redrive to its dead letters, alarmed)', () => {
    checkWebhookQueue(graph());
  });

  it('4. alarms when a delivery lands in the dead-letter queue', () => {
    checkAlarms(graph());
  });

  it('4. alarms on job backlog older than an hour and on job dead letters', async () => {
    checkJobAlarms(graph(), await emittedJobNamespace(graph().rehearsal.stage));
  });

  it('4. alarms on function errors and throttles, a relay behind its stream, lost failures, API 5xx and table throttles', () => {
    checkOperatorAlarms(graph());
  });

  it('4. every alarm notifies the one Alarms topic, firing and recovering', () => {
    checkEveryAlarmNotifiesTheTopic(graph());
  });

  it('4. has one operations dashboard: every alarm, and graphs of the function, API, table and every queue', async () => {
    checkDashboard(graph(), await emittedJobNamespace(graph().rehearsal.stage));
  });

  it("4. counts each guard's 429s from the access log (metric filters on the function's log group), graphs them, alarms on a lasting account rate limit", () => {
    checkGuardMetrics(graph(), refusedLines);
  });
});

describe('stage settings', () => {
  it('4. production retains the table on delete, with deletion protection and point-in-time recovery', () => {
    checkTableDurability(production, true);
  });

  it('a test stage can be removed completely', () => {
    checkTableDurability(test, false);
  });

  it('names physical resources per stage (two stages never share a table, bus or queue)', () => {
    for (const piece of ['table', 'bus', 'deadLetters', 'jobQueue', 'jobDeadLetters', 'fn'] as const) {
      expect(pieces(test)[piece].outputs.name).toMatch(/^budgeting-rehearsal-/);
      expect(pieces(production)[piece].outputs.name).toMatch(/^budgeting-production-/);
    }
  });
});

describe('the AWS calls derived from the code', () => {
  it('include the calls of the write path, the relay and the mail (so the IAM check is not vacuous)', () => {
    const actions = calls.map((c) => c.action);
    for (const action of ['dynamodb:TransactWriteItems', 'dynamodb:Query', 'dynamodb:GetItem', 'events:PutEvents', 'ses:SendEmail', 'sqs:SendMessage', 'sns:Publish']) {
      expect(actions).toContain(action);
    }
    // Local-only code (DynamoDB Local setup, the local stream poller) is not in the Lambda bundle.
    expect(actions).not.toContain('dynamodb:CreateTable');
    expect(actions).not.toContain('dynamodb:GetRecords');
  });

  it('turn a new SDK command into a new call, and refuse an SDK package they cannot map', () => {
    const source = [
      "import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';",
      "import type { PutRuleCommandInput } from '@aws-sdk/client-eventbridge';",
      "const { PutRuleCommand } = await import('@aws-sdk/client-eventbridge');",
      'class RetryCommand {}', // a local name ending in Command is not an AWS call
    ].join('\n');
    expect(awsCallsIn([{ path: 'packages/x/src/a.ts', source }]).map((c) => c.action)).toEqual(['dynamodb:DescribeTable', 'events:PutRule']);
    const unmapped = "import { InvokeCommand } from '@aws-sdk/client-lambda';";
    expect(() => awsCallsIn([{ path: 'packages/x/src/b.ts', source: unmapped }])).toThrow(/@aws-sdk\/client-lambda/);
  });

  it('are checked for every one of them: a call the role does not allow fails the check', () => {
    const extra: AwsCall = { action: 'events:PutRule', service: 'events', command: 'PutRuleCommand', sdkPackage: '@aws-sdk/client-eventbridge', files: ['x.ts'] };
    // events:* on the bus allows PutRule too, so use a service the role has nothing for.
    const foreign: AwsCall = { ...extra, action: 'cloudwatch:PutMetricData', service: 'cloudwatch' };
    expect(() => checkRoleAllowsEveryCall(test, [foreign])).toThrow(/cloudwatch:PutMetricData/);
    // SNS is granted for push endpoints only: a topic action the role does not allow fails.
    const topic: AwsCall = { ...extra, action: 'sns:CreateTopic', service: 'sns' };
    expect(() => checkRoleAllowsEveryCall(test, [topic])).toThrow(/sns:CreateTopic/);
    // An SQS call must be allowed on the work queues, and is: the check found them.
    const sqs: AwsCall = { ...extra, action: 'sqs:SendMessage', service: 'sqs' };
    expect(() => checkRoleAllowsEveryCall(test, [sqs])).not.toThrow();
  });
});

describe('the rehearsal tools', () => {
  it('match IAM wildcards as IAM does', () => {
    expect(wildcardMatch('dynamodb:*', 'dynamodb:Query', true)).toBe(true);
    expect(wildcardMatch('DynamoDB:query', 'dynamodb:Query', true)).toBe(true);
    expect(wildcardMatch('arn:aws:dynamodb:*:*:table/t', 'arn:aws:dynamodb:eu-west-1:1:table/t')).toBe(true);
    expect(wildcardMatch('arn:aws:dynamodb:*:*:table/t', 'arn:aws:dynamodb:eu-west-1:1:table/t2')).toBe(false);
    expect(wildcardMatch('arn:aws:dynamodb:*:*:table/T', 'arn:aws:dynamodb:eu-west-1:1:table/t')).toBe(false);
    expect(wildcardMatch('table/t?', 'table/t2')).toBe(true);
    const allow = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: ['s3:*'], Resource: ['*'] }] };
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny' as const, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' }] };
    expect(isAllowed([allow], 's3:DeleteObject', 'arn:aws:s3:::b/k')).toBe(true);
    expect(isAllowed([allow, deny], 's3:DeleteObject', 'arn:aws:s3:::b/k')).toBe(false);
    expect(isAllowed([allow, deny], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe(true);
  });

  it('evaluate CloudWatch JSON filter patterns as CloudWatch does, refusing what they cannot read', () => {
    const line = JSON.stringify({ message: 'request refused', status: 429, refusedBy: 'account-rate-limit', nested: { a: 'b' } });
    expect(matchesLogFilter('{ $.refusedBy = "account-rate-limit" }', line)).toBe(true);
    expect(matchesLogFilter('{ $.refusedBy = "sign-in-failures" }', line)).toBe(false);
    expect(matchesLogFilter('{ ($.refusedBy = "x") || ($.refusedBy = "account-rate-limit") }', line)).toBe(true);
    expect(matchesLogFilter('{ ($.refusedBy = "x") || ($.refusedBy = "y") }', line)).toBe(false);
    expect(matchesLogFilter('{ $.refusedBy = "account-*" && $.nested.a = "b" }', line)).toBe(true);
    expect(matchesLogFilter('{ $.refusedBy = "account-*" && $.nested.a != "b" }', line)).toBe(false);
    expect(matchesLogFilter('{ $.refusedby = "account-rate-limit" }', line)).toBe(false);
    expect(matchesLogFilter('{ $.refusedBy = "account-rate-limit" }', 'not json')).toBe(false);
    expect(() => matchesLogFilter('{ $.status > 400 }', line)).toThrow(/unsupported operator/);
    expect(() => matchesLogFilter('[ip, user]', line)).toThrow(/not a JSON filter pattern/);
  });

  it('render an input transformer the way EventBridge does (JSON values, the rule ARN)', () => {
    const input = transformInput(
      { inputPaths: { s: '$.source', d: '$.detail', n: '$.detail.n' }, inputTemplate: '{"source":<s>,"detail":<d>,"n":<n>,"r":[<aws.events.rule-arn>]}' },
      { source: 'a', detail: { n: 2 } },
      'arn:rule',
    );
    expect(input).toEqual({ source: 'a', detail: { n: 2 }, n: 2, r: ['arn:rule'] });
  });
});
