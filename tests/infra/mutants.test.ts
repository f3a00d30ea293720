import { describe, it } from 'vitest';
import { awsCallsOfLambda } from './support/aws-calls';
import { rehearse, type Graph, type Mutation } from './support/graph';
import { refusedAccessLines } from './support/refused-lines';
import { emittedJobNamespace } from './support/job-emf';
import * as checks from './support/wiring-checks';

/**
 * The mutant check of the infrastructure rehearsal: each check of tests/infra/rehearsal.test.ts
 * must fail on a copy of infra/ broken in exactly the way it guards against. A mutation is a
 * text replacement applied while the rehearsal bundles the file (rehearse.mjs fails if the text
 * is no longer there, so a mutant cannot go stale silently).
 *
 * Each mutant is a full rehearsal (a few seconds of CPU), so this file is not part of `npm test`:
 * run `npm run test:infra-mutants` after changing infra/ or the checks.
 */
interface Mutant {
  name: string;
  stage: 'rehearsal' | 'production';
  mutations: Mutation[];
  check: (graph: Graph) => void | Promise<void>;
  /** What the failure must say, so a mutant is not "caught" by an unrelated error. */
  because: RegExp;
}

const fnFile = 'infra/function.ts';
const triggers = 'infra/triggers.ts';
const extraPermission = (statement: string): Mutation => ({ file: fnFile, find: '  permissions: [\n', replace: `  permissions: [\n    ${statement},\n` });

/** Rehearsal-stage mutants that each make one edit of `file` and must each fail `check`. */
function editsOf(file: string, check: Mutant['check'], edits: { name: string; find: string; replace: string; because: RegExp }[]): Mutant[] {
  return edits.map(({ name, find, replace, because }) => ({ name, stage: 'rehearsal', mutations: [{ file, find, replace }], check, because }));
}

// A table: one row a mutant, each with its own file, edit, check and expected failure; rows
// look alike to `duplicates` because the table is uniform on purpose.
/** The dashboard judged against the job metrics' namespace the code emits for the graph's stage. */
const checkDashboardOfStage: Mutant['check'] = async (graph) => checks.checkDashboard(graph, await emittedJobNamespace(graph.rehearsal.stage));

const MUTANTS: Mutant[] = [
  {
    name: 'the function is no longer linked to the table (no DynamoDB grant)',
    stage: 'rehearsal',
    mutations: [{ file: fnFile, find: 'link: [table, bus, ', replace: 'link: [bus, ' }],
    check: async (graph) => checks.checkRoleAllowsEveryCall(graph, await awsCallsOfLambda()),
    because: /dynamodb:TransactWriteItems on arn:aws:dynamodb/,
  },
  {
    name: 'the function is no longer linked to the receipts bucket (no S3 grant)',
    stage: 'rehearsal',
    mutations: [{ file: fnFile, find: ', webhookDeliveries, attachments]', replace: ', webhookDeliveries]' }],
    check: async (graph) => checks.checkRoleAllowsEveryCall(graph, await awsCallsOfLambda()),
    because: /s3:(DeleteObject|GetObject|ListBucket|PutObject) on arn:aws:s3/,
  },
  {
    name: 'the receipts bucket allows public access',
    stage: 'rehearsal',
    mutations: [{ file: 'infra/attachments.ts', find: 'transform: {\n', replace: 'transform: {\n    publicAccessBlock: false,\n' }],
    check: checks.checkAttachmentsBucket,
    because: /a public access block on the attachments bucket/,
  },
  {
    name: 'SES SendEmail (API v2, used by the report mail) is not granted',
    stage: 'rehearsal',
    mutations: [{ file: fnFile, find: "actions: ['ses:SendEmail']", replace: "actions: ['ses:SendRawEmail']" }],
    check: async (graph) => checks.checkRoleAllowsEveryCall(graph, await awsCallsOfLambda()),
    because: /ses:SendEmail on arn:aws:ses/,
  },
  {
    name: 'the role may send mail from SES identities of any account and region',
    stage: 'rehearsal',
    mutations: [{ file: fnFile, find: "resources: [$interpolate`${here('ses')}identity/*`", replace: "resources: ['arn:aws:ses:*:*:identity/*'" }],
    check: checks.checkRoleGrantsNothingElsewhere,
    because: /ses:SendEmail on arn:aws:ses:eu-west-1:210987654321:identity\/example.com/,
  },
  {
    name: 'the role may query every table of the account',
    stage: 'rehearsal',
    mutations: [extraPermission("{ actions: ['dynamodb:Query'], resources: ['arn:aws:dynamodb:*:*:table/*'] }")],
    check: checks.checkRoleGrantsNothingElsewhere,
    because: /dynamodb:Query on arn:aws:dynamodb:eu-west-1:123456789012:table\/other-table/,
  },
  {
    name: 'the role may publish to the default bus',
    stage: 'rehearsal',
    mutations: [extraPermission("{ actions: ['events:PutEvents'], resources: ['arn:aws:events:*:*:event-bus/default'] }")],
    check: checks.checkRoleGrantsNothingElsewhere,
    because: /events:PutEvents on arn:aws:events:eu-west-1:123456789012:event-bus\/default/,
  },
  {
    name: "links keep SST's default grants (dynamodb:*, events:*, sqs:*)",
    stage: 'rehearsal',
    mutations: [{ file: 'sst.config.ts', find: "await import('./infra/links');", replace: '' }],
    check: async (graph) => checks.checkRoleGrantsOnlyWhatIsNeeded(graph, await awsCallsOfLambda()),
    because: /the role grants actions nothing needs:\n(.|\n)*dynamodb:\*/,
  },
  {
    // (Was Scan until the reseal job made Scan a needed action: infra/links.ts.)
    name: 'the role may also delete the table',
    stage: 'rehearsal',
    mutations: [extraPermission("{ actions: ['dynamodb:DeleteTable'], resources: [table.arn] }")],
    check: async (graph) => checks.checkRoleGrantsOnlyWhatIsNeeded(graph, await awsCallsOfLambda()),
    because: /dynamodb:DeleteTable/,
  },
  {
    name: "the role trusts the account root (SST's default outside sst dev)",
    stage: 'rehearsal',
    mutations: [{ file: fnFile, find: 'if (!$dev) args.assumeRolePolicy', replace: 'if ($dev) args.assumeRolePolicy' }],
    check: checks.checkRoleTrust,
    because: /who may assume the function role/,
  },
  ...editsOf(triggers, checks.checkStreamMapping, [
    { name: 'the stream mapping starts at LATEST', find: "startingPosition: 'TRIM_HORIZON'", replace: "startingPosition: 'LATEST'", because: /'LATEST' to be 'TRIM_HORIZON'/ },
    { name: 'the stream mapping does not bisect failing batches', find: 'bisectBatchOnFunctionError: true', replace: 'bisectBatchOnFunctionError: false', because: /false to be true/ },
    { name: 'the stream mapping ignores batchItemFailures', find: "functionResponseTypes: ['ReportBatchItemFailures'],", replace: '', because: /ReportBatchItemFailures/ },
    {
      name: 'failed stream batches are not sent to the DLQ',
      find: 'destinationConfig: { onFailure: { destinationArn: deadLetters.arn } },',
      replace: '',
      because: /nothing in the graph has arn = undefined/,
    },
  ]),
  ...editsOf(triggers, checks.checkStreamFilter, [
    {
      name: 'the stream mapping has no event filter (every record invokes the relay)',
      find: '  filters: [...RELAY_FILTER_PATTERNS],\n',
      replace: '',
      because: /FilterCriteria are RELAY_FILTER_PATTERNS/,
    },
    {
      name: 'the stream mapping filters on the outbox kind only (items marked publishes never relayed)',
      find: 'filters: [...RELAY_FILTER_PATTERNS],',
      replace: 'filters: RELAY_FILTER_PATTERNS.slice(0, 1),',
      because: /FilterCriteria are RELAY_FILTER_PATTERNS/,
    },
    {
      name: 'the stream mapping filters with a prefix the local poller cannot evaluate',
      find: 'filters: [...RELAY_FILTER_PATTERNS],',
      replace: "filters: [{ dynamodb: { Keys: { pk: { S: [{ prefix: 'expenses#' }] } } } }, ...RELAY_FILTER_PATTERNS],",
      because: /FilterCriteria are RELAY_FILTER_PATTERNS/,
    },
  ]),
  {
    name: 'the DLQ accepts EventBridge deliveries from any account',
    stage: 'rehearsal',
    mutations: [{ file: 'infra/bus.ts', find: "conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],", replace: '' }],
    check: checks.checkDeadLetters,
    because: /aws:SourceAccount/,
  },
  {
    name: "a bus rule's pattern drops detail-types of its row",
    stage: 'rehearsal',
    mutations: [{ file: triggers, find: 'detailType: row.detailTypes', replace: 'detailType: row.detailTypes.slice(0, 1)' }],
    check: checks.checkSubscriptionRules,
    because: /pattern of budgets-on-expenses/,
  },
  {
    name: 'bus targets no longer pass the rule ARN (every matching row would run)',
    stage: 'rehearsal',
    mutations: [
      {
        file: triggers,
        find: 'inputTemplate: SUBSCRIPTION_RULE_INPUT.inputTemplate,',
        replace: "inputTemplate: SUBSCRIPTION_RULE_INPUT.inputTemplate.replace('[<aws.events.rule-arn>]', '[]'),",
      },
    ],
    check: checks.checkSubscriptionRules,
    // Every row's target is broken: the check names the first it meets (the rows' order, not this mutant's concern).
    because: /input transformer of [a-z][a-z0-9-]*: expected/,
  },
  ...editsOf(triggers, checks.checkSchedules, [
    { name: "schedules keep SST's constant {} input", find: 'delete args.input;', replace: '', because: /constant input of schedule/ },
    {
      name: 'a schedule rule is not named after its job',
      find: 'ruleName($app.name, $app.stage, job.name)',
      replace: "ruleName($app.name, $app.stage, job.name + '-v2')",
      because: /one schedule per job row/,
    },
  ]),
  {
    name: 'a route uses payload format 1.0',
    stage: 'rehearsal',
    mutations: [
      { file: 'infra/api.ts', find: "api.route('$default', fn.arn);", replace: "api.route('$default', fn.arn, { transform: { integration: { payloadFormatVersion: '1.0' } } });" },
    ],
    check: checks.checkRoutes,
    because: /'1\.0' to be '2\.0'/,
  },
  {
    name: "API Gateway's access log keeps the path (a calendar feed's secret)",
    stage: 'rehearsal',
    mutations: [{ file: 'infra/api.ts', find: 'if (log) args.accessLogSettings', replace: 'if (!log) args.accessLogSettings' }],
    check: checks.checkAccessLogKeepsNoPath,
    because: /no access log field holds the path/,
  },
  {
    name: 'production has no point-in-time recovery',
    stage: 'production',
    mutations: [{ file: 'infra/table.ts', find: "pointInTimeRecovery: { enabled: $app.stage === 'production' }", replace: 'pointInTimeRecovery: { enabled: false }' }],
    check: (graph) => checks.checkTableDurability(graph, true),
    because: /point-in-time recovery/,
  },
  {
    name: 'production has no deletion protection',
    stage: 'production',
    mutations: [{ file: 'infra/table.ts', find: "deletionProtection: $app.stage === 'production',", replace: 'deletionProtection: false,' }],
    check: (graph) => checks.checkTableDurability(graph, true),
    because: /deletion protection/,
  },
  {
    name: 'production removes the table with the stage',
    stage: 'production',
    mutations: [{ file: 'sst.config.ts', find: "removal: input?.stage === 'production' ? 'retain' : 'remove'", replace: "removal: 'remove'" }],
    check: (graph) => checks.checkTableDurability(graph, true),
    because: /table retained on delete/,
  },
  {
    name: 'the dead-letter alarm is gone',
    stage: 'production',
    mutations: [{ file: 'sst.config.ts', find: "await import('./infra/alarms');", replace: '' }],
    check: checks.checkAlarms,
    because: /an alarm on messages in the dead-letter queue/,
  },
  {
    name: 'alarms notify nobody when they fire',
    stage: 'production',
    mutations: [{ file: 'infra/alarm.ts', find: 'alarmActions: [alarmTopic.arn],', replace: 'alarmActions: [],' }],
    check: checks.checkEveryAlarmNotifiesTheTopic,
    because: /notifies the Alarms topic/,
  },
  {
    name: "nothing watches the relay's lag behind the stream",
    stage: 'production',
    mutations: [{ file: 'infra/alarms.ts', find: "metricName: 'IteratorAge',", replace: "metricName: 'Duration'," }],
    check: checks.checkOperatorAlarms,
    because: /an alarm on AWS\/Lambda IteratorAge/,
  },
  {
    name: 'the 5xx alarm watches a stage that does not exist',
    stage: 'production',
    mutations: [{ file: 'infra/alarms.ts', find: "Stage: '$default' }", replace: "Stage: 'prod' }" }],
    check: checks.checkOperatorAlarms,
    because: /an alarm on the HTTP API 5xx rate/,
  },
  {
    name: "the table throttles alarm watches the table's own series only, blind to its indexes",
    stage: 'production',
    mutations: [{ file: 'infra/alarms.ts', find: '    ...indexThrottles,\n', replace: '' }],
    check: checks.checkOperatorAlarms,
    because: /the table throttles alarm queries ReadThrottleEvents of index gsi1/,
  },
  {
    name: 'the dashboard forgets the alarms made after it',
    stage: 'production',
    mutations: [{ file: 'infra/dashboard.ts', find: 'alarms: $resolve(allAlarms.map((a) => a.arn)),', replace: 'alarms: $resolve(allAlarms.slice(0, 3).map((a) => a.arn)),' }],
    check: checkDashboardOfStage,
    because: /the alarm widget lists every alarm of the stack/,
  },
  {
    name: 'the webhook backlog alarm watches the dead letters, not the delivery queue',
    stage: 'rehearsal',
    mutations: [{ file: 'infra/webhooks.ts', find: "  queue: webhookDeliveries,\n  metricName: 'ApproximateAgeOfOldestMessage',", replace: "  queue: webhookDeadLetters,\n  metricName: 'ApproximateAgeOfOldestMessage'," }],
    check: checks.checkWebhookQueue,
    because: /an alarm on the age of the oldest delivery message/,
  },
  {
    name: "the job alarms watch a namespace shared by every stage, not the one the code emits",
    stage: 'production',
    mutations: [{ file: 'infra/jobs.ts', find: 'namespace: jobMetricsNamespace($app.stage),', replace: "namespace: 'budgeting'," }],
    check: async (graph) => checks.checkJobAlarms(graph, await emittedJobNamespace(graph.rehearsal.stage)),
    because: /an alarm on the age of/,
  },
  ...editsOf('infra/dashboard.ts', checkDashboardOfStage, [
    { name: "the dashboard's graphs read an unresolved Output as their region", find: '  const graph = graphIn(names.region);', replace: '  const graph = graphIn(aws.getRegionOutput().region as unknown as string);', because: /reads the stack's region/ },
    // The region check above sees only `region`: an Output anywhere else in the body (a title, a
    // label) is serialized as Pulumi's "Calling [toJSON] on an [Output<T>]" text just the same.
    { name: 'a dashboard graph is titled with an unresolved Output', find: "graph('Function: failed work that could not be parked',", replace: 'graph(fn.name as unknown as string,', because: /holds no unresolved Output/ },
    { name: "the dashboard plots the jobs' figures of another stage", find: 'SEARCH(\'{"${jobMetricsNamespace($app.stage)}"', replace: 'SEARCH(\'{"${jobMetricsNamespace(\'production\')}"', because: /is plotted for every job/ },
    { name: "the dashboard leaves out the relayed units' dropped sends", find: "metrics: ['relayedUnitDuplicatesDropped'] },", replace: 'metrics: [] },', because: /RelayedUnitDuplicatesDropped is plotted for every job/ },
    { name: "the dashboard leaves out the relayed units' deferred sends", find: "metrics: ['relayedUnitsDeferred'] },", replace: 'metrics: [] },', because: /RelayedUnitsDeferred is plotted for every job/ },
  ]),
  {
    name: "the dashboard plots the jobs' figures of the scheduled jobs only (one row a schedule, not a SEARCH)",
    stage: 'rehearsal',
    mutations: [
      { file: 'infra/dashboard.ts', find: "import { GUARD_METRICS, JOB_METRICS, jobMetricsNamespace } from '@budgeting/app/wiring';", replace: "import { GUARD_METRICS, JOB_METRICS, SCHEDULES, jobMetricsNamespace } from '@budgeting/app/wiring';" },
      { file: 'infra/dashboard.ts', find: 'graph(title, metrics.map((key) => everyJob(key, stat, period)), stat, { period }),', replace: "graph(title, metrics.flatMap((key) => SCHEDULES.map((row): Metric => [jobMetricsNamespace($app.stage), JOB_METRICS[key], 'service', 'jobs', 'job', row.name])), stat, { period })," },
    ],
    check: checkDashboardOfStage,
    because: /DueUnits is plotted for every job/,
  },
  {
    name: "a guard metric's filter pattern looks for a field the access line does not have",
    stage: 'production',
    mutations: [{ file: 'infra/guard-metrics.ts', find: 'pattern: guardFilterPattern(metric),', replace: "pattern: guardFilterPattern(metric).replace('refusedBy', 'guard')," }],
    check: async (graph) => checks.checkGuardMetrics(graph, await refusedAccessLines()),
    because: /counts the access line of account-rate-limit/,
  },
  {
    name: 'the shared pattern of the guard metrics names the guards wrongly',
    stage: 'production',
    mutations: [{ file: 'packages/platform/src/http/guards.ts', find: '`$.${GUARD_FIELD} = "${guard}"`', replace: '`$.${GUARD_FIELD} = "${guard}s"`' }],
    check: async (graph) => checks.checkGuardMetrics(graph, await refusedAccessLines()),
    because: /counts the access line of account-rate-limit/,
  },
  {
    name: 'the password-reset refusals have no metric filter',
    stage: 'production',
    mutations: [{ file: 'infra/guard-metrics.ts', find: 'export const guardMetricFilters = GUARD_METRICS.map(', replace: 'export const guardMetricFilters = GUARD_METRICS.slice(0, 2).map(' }],
    check: async (graph) => checks.checkGuardMetrics(graph, await refusedAccessLines()),
    because: /one metric filter counts RefusedByPasswordResetLimits/,
  },
  {
    name: 'the guard metrics filter the log group of another function',
    stage: 'production',
    mutations: [{ file: 'infra/guard-metrics.ts', find: '      logGroupName,\n', replace: "      logGroupName: '/aws/lambda/other',\n" }],
    check: async (graph) => checks.checkGuardMetrics(graph, await refusedAccessLines()),
    because: /every metric filter is on the function's log group/,
  },
  {
    name: 'the account rate-limit alarm is made without alarm() and notifies nobody',
    stage: 'production',
    mutations: [{ file: 'infra/guard-metrics.ts', find: "alarm('AccountRateLimitRefusals', {", replace: "new aws.cloudwatch.MetricAlarm('AccountRateLimitRefusals', { comparisonOperator: 'GreaterThanThreshold'," }],
    check: checks.checkEveryAlarmNotifiesTheTopic,
    because: /AccountRateLimitRefusals notifies the Alarms topic/,
  },
  {
    name: 'the dashboard leaves out the guard metrics',
    stage: 'production',
    mutations: [{ file: 'infra/dashboard.ts', find: 'GUARD_METRICS.map((m): Metric => [guardMetricsNamespace, m.metricName]),', replace: 'GUARD_METRICS.slice(1).map((m): Metric => [guardMetricsNamespace, m.metricName]),' }],
    check: async (graph) => checks.checkGuardMetrics(graph, await refusedAccessLines()),
    because: /the dashboard graphs RefusedByAccountRateLimit/,
  },
  {
    name: "the schedules' not-parked alarms name a bus their metrics do not carry",
    stage: 'production',
    mutations: [{ file: 'infra/alarms.ts', find: '...scheduleRules(SCHEDULES).map((row) => notParked(row.name, { RuleName:', replace: '...scheduleRules(SCHEDULES).map((row) => notParked(row.name, { EventBusName: bus.name, RuleName:' }],
    check: checks.checkOperatorAlarms,
    because: /one InvocationsFailedToBeSentToDlq alarm/,
  },
];

/** At most two rehearsals at a time: each is a Node process loading Pulumi's AWS provider. */
function limit(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const slot = limit(2);

describe.skipIf(process.env.INFRA_MUTANTS !== '1')('the rehearsal checks fail on broken infra (npm run test:infra-mutants)', () => {
  // Concurrent tests assert with their own context's `expect` (vitest.config.ts: requireAssertions).
  it.concurrent.for(MUTANTS)('$name', { timeout: 900_000 }, async ({ stage, mutations, check, because }, { expect }) => {
    const graph = await slot(() => rehearse(stage, { mutations }));
    await expect(Promise.resolve().then(() => check(graph))).rejects.toThrow(because);
  });

  it.concurrent('a provider function the rehearsal does not know fails the run (never a silent pass)', async ({ expect }) => {
    const mutations = [{ file: 'infra/bus.ts', find: 'export const bus = ', replace: "aws.getAvailabilityZonesOutput({}).names.apply((n) => n);\nexport const bus = " }];
    await expect(slot(() => rehearse('rehearsal', { mutations }))).rejects.toThrow(/unexpected provider function call: aws:index\/getAvailabilityZones/);
  }, 600_000);

  it.concurrent('a mutation whose text is gone fails the run instead of passing unchanged', async ({ expect }) => {
    const mutations = [{ file: triggers, find: 'no such text', replace: '' }];
    await expect(slot(() => rehearse('rehearsal', { mutations }))).rejects.toThrow(/mutation not applied/);
  }, 600_000);
});
