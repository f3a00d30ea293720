import { GUARD_METRICS, JOB_METRICS, jobMetricsNamespace } from '@budgeting/app/wiring';
import { allAlarms } from './alarm';
import { api } from './api';
import { deadLetters } from './bus';
import { fn } from './function';
import { guardMetricsNamespace } from './guard-metrics';
import { jobDeadLetters, jobQueue } from './jobs';
import { TABLE } from '@budgeting/platform/table';
import { table } from './table';
import { webhookDeadLetters, webhookDeliveries } from './webhooks';

/**
 * The operators' first page: ONE CloudWatch dashboard per stage (`<app>-<stage>`, stack output
 * `dashboard`) with the state of every alarm at the top, then what each alarm watches and what
 * explains it (traffic and latency next to the 5xx, duration and concurrency next to errors and
 * throttles, capacity next to throttles, every queue's depth and age, every figure the jobs emit).
 * Built from the same resources the alarms watch, so a renamed resource moves both.
 * Every alarm in the stack is listed (infra/alarm.ts registers each one it creates).
 */

/** A CloudWatch dashboard metric row: namespace, metric name, dimension pairs, then options. */
type Metric = (string | Record<string, string>)[];
// The region is resolved with the resources' names: an Output left inside the body would be
// serialized as Pulumi's "Calling [toJSON] on an [Output<T>]" text, not as the region.
const graphIn = (region: string) => (title: string, metrics: Metric[], stat = 'Sum', extra: Record<string, unknown> = {}) => ({
  type: 'metric',
  width: 12,
  height: 6,
  properties: { title, region, metrics, stat, period: 60, view: 'timeSeries', ...extra },
});
const percentiles = (metric: Metric): Metric[] => ['p50', 'p95', 'p99'].map((stat) => [...metric, { stat, label: stat }]);

/**
 * The jobs' figures (packages/app/src/jobs/metric-names.ts: every metric the jobs emit is in one
 * graph here, and tests/infra checks that none is left out). Each is a SEARCH over the stage's
 * jobs namespace, one line per job that emitted it: a job has its figures whether a schedule, an
 * event or the outbox relay started its units, and a job added later shows up without a change here.
 */
const JOB_GRAPHS: { title: string; metrics: (keyof typeof JOB_METRICS)[]; stat?: string; period?: number }[] = [
  { title: 'Jobs, each job: failed attempts of units (retried, then dead-lettered)', metrics: ['unitsFailed'] },
  { title: 'Jobs, each job: units processed, continued', metrics: ['unitsProcessed', 'unitsContinued'] },
  { title: 'Planned jobs: planner pages, due units; not-due reads', metrics: ['plannerPages', 'dueUnits', 'notDueReads'] },
  // Hourly, as its alarms (infra/jobs.ts) read it.
  { title: 'Planned jobs: oldest due unit at a tick (s)', metrics: ['oldestDueAgeSeconds'], stat: 'Maximum', period: 3600 },
  // Not alarmed: a drop is the relayed-unit claim doing its job (README "How to operate").
  { title: "Jobs, each job: relayed units' second sends dropped", metrics: ['relayedUnitDuplicatesDropped'] },
  // Not alarmed either: a deferral is the claim waiting out a lease that may still be worked (README "How to operate").
  { title: "Jobs, each job: relayed units' sends deferred past a running claim's lease", metrics: ['relayedUnitsDeferred'] },
  // The daily totals verification (expenses-totals-verify), a day per point; BudgetsDrifted is alarmed (infra/jobs.ts).
  { title: 'Totals verification: budgets verified, drifted, busy, skipped (per day)', metrics: ['budgetsVerified', 'budgetsDrifted', 'budgetsBusy', 'budgetsSkipped'], period: 86400 },
];

/**
 * One line per job of one of the jobs' metrics, labelled with the job. The namespace is quoted:
 * it holds slashes, and a stage name may hold a dash.
 */
function everyJob(key: keyof typeof JOB_METRICS, stat: string, period: number): Metric {
  const metricName = JOB_METRICS[key];
  const search = `SEARCH('{"${jobMetricsNamespace($app.stage)}",service,job} MetricName="${metricName}"', '${stat}', ${period})`;
  return [{ id: key, expression: search, label: `\${PROP('Dim.job')} ${metricName}` }];
}

function dashboardBody(alarmArns: string[], names: { region: string; fn: string; api: string; table: string; queues: Record<string, string> }) {
  const graph = graphIn(names.region);
  const lambda = (metricName: string): Metric => ['AWS/Lambda', metricName, 'FunctionName', names.fn];
  const apiMetric = (metricName: string): Metric => ['AWS/ApiGateway', metricName, 'ApiId', names.api, 'Stage', '$default'];
  const dynamo = (metricName: string): Metric => ['AWS/DynamoDB', metricName, 'TableName', names.table];
  // An index's throttles are its own series: the table's (TableName alone) leave them out (infra/alarms.ts TableThrottles).
  const dynamoIndex = (metricName: string, index: string): Metric => ['AWS/DynamoDB', metricName, 'TableName', names.table, 'GlobalSecondaryIndexName', index, { label: `${index} ${metricName}` }];
  const queue = (metricName: string, queueName: string): Metric => ['AWS/SQS', metricName, 'QueueName', queueName];
  return {
    widgets: [
      { type: 'alarm', width: 24, height: 4, properties: { title: 'Alarms (each notifies the Alarms topic)', alarms: alarmArns, sortBy: 'stateUpdatedTimestamp' } },
      graph('HTTP API: requests, 4xx, 5xx', [apiMetric('Count'), apiMetric('4xx'), apiMetric('5xx')]),
      graph('HTTP API: latency (ms)', percentiles(apiMetric('Latency'))),
      // Which guard the 4xx above were 429s of (infra/guard-metrics.ts).
      graph(
        'Guards: requests refused (429)',
        GUARD_METRICS.map((m): Metric => [guardMetricsNamespace, m.metricName]),
      ),
      graph('Function: invocations, errors, throttles', [lambda('Invocations'), lambda('Errors'), lambda('Throttles')]),
      graph('Function: duration (ms)', percentiles(lambda('Duration'))),
      graph('Function: concurrency; outbox relay behind the stream (ms)', [lambda('ConcurrentExecutions'), [...lambda('IteratorAge'), { yAxis: 'right' }]], 'Maximum'),
      graph('Function: failed work that could not be parked', [lambda('DestinationDeliveryFailures')]),
      graph('Table: consumed capacity units', [dynamo('ConsumedReadCapacityUnits'), dynamo('ConsumedWriteCapacityUnits')]),
      graph('Table and indexes: throttle events', [
        dynamo('ReadThrottleEvents'),
        dynamo('WriteThrottleEvents'),
        ...Object.keys(TABLE.indexes).flatMap((index) => [dynamoIndex('ReadThrottleEvents', index), dynamoIndex('WriteThrottleEvents', index)]),
      ]),
      graph(
        'Queues: messages waiting',
        Object.values(names.queues).map((q) => queue('ApproximateNumberOfMessagesVisible', q)),
        'Maximum',
      ),
      graph(
        'Queues: oldest message (s)',
        Object.values(names.queues).map((q) => queue('ApproximateAgeOfOldestMessage', q)),
        'Maximum',
      ),
      ...JOB_GRAPHS.map(({ title, metrics, stat = 'Sum', period = 60 }) =>
        graph(title, metrics.map((key) => everyJob(key, stat, period)), stat, { period }),
      ),
    ],
  };
}

export const dashboard = new aws.cloudwatch.Dashboard('Operations', {
  dashboardName: `${$app.name}-${$app.stage}`,
  dashboardBody: $resolve({
    alarms: $resolve(allAlarms.map((a) => a.arn)),
    region: aws.getRegionOutput().region,
    fn: fn.name,
    api: api.nodes.api.id,
    table: table.name,
    queues: $resolve({
      deadLetters: deadLetters.nodes.queue.name,
      jobQueue: jobQueue.nodes.queue.name,
      jobDeadLetters: jobDeadLetters.nodes.queue.name,
      webhookDeliveries: webhookDeliveries.nodes.queue.name,
      webhookDeadLetters: webhookDeadLetters.nodes.queue.name,
    }),
  }).apply(({ alarms, ...names }) => JSON.stringify(dashboardBody(alarms, names))),
});
