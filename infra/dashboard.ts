import { GUARD_METRICS, SCHEDULES, jobMetricsNamespace } from '@budgeting/app/wiring';
import { allAlarms } from './alarm';
import { api } from './api';
import { deadLetters } from './bus';
import { fn } from './function';
import { guardMetricsNamespace } from './guard-metrics';
import { jobDeadLetters, jobQueue } from './jobs';
import { table } from './table';
import { webhookDeadLetters, webhookDeliveries } from './webhooks';

/**
 * The operators' first page: ONE CloudWatch dashboard per stage (`<app>-<stage>`, stack output
 * `dashboard`) with the state of every alarm at the top, then what each alarm watches and what
 * explains it (traffic and latency next to the 5xx, duration and concurrency next to errors and
 * throttles, capacity next to throttles, every queue's depth and age, the jobs' own figures).
 * Built from the same resources the alarms watch, so a renamed resource moves both.
 * Every alarm in the stack is listed (infra/alarm.ts registers each one it creates).
 */
const region = aws.getRegionOutput().name;

/** A CloudWatch dashboard metric row: namespace, metric name, dimension pairs, then options. */
type Metric = (string | Record<string, string>)[];
const graph = (title: string, metrics: Metric[], stat = 'Sum', extra: Record<string, unknown> = {}) => ({
  type: 'metric',
  width: 12,
  height: 6,
  properties: { title, region, metrics, stat, period: 60, view: 'timeSeries', ...extra },
});
const percentiles = (metric: Metric): Metric[] => ['p50', 'p95', 'p99'].map((stat) => [...metric, { stat, label: stat }]);

function dashboardBody(alarmArns: string[], names: { fn: string; api: string; table: string; queues: Record<string, string> }) {
  const lambda = (metricName: string): Metric => ['AWS/Lambda', metricName, 'FunctionName', names.fn];
  const apiMetric = (metricName: string): Metric => ['AWS/ApiGateway', metricName, 'ApiId', names.api, 'Stage', '$default'];
  const dynamo = (metricName: string): Metric => ['AWS/DynamoDB', metricName, 'TableName', names.table];
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
      graph('Table: throttle events', [dynamo('ReadThrottleEvents'), dynamo('WriteThrottleEvents')]),
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
      graph(
        'Jobs: units due, processed, failed',
        SCHEDULES.flatMap((row) => ['DueUnits', 'UnitsProcessed', 'UnitsFailed'].map((m): Metric => [jobMetricsNamespace($app.stage), m, 'service', 'jobs', 'job', row.name])),
      ),
      graph(
        'Jobs: oldest due unit at a tick (s)',
        SCHEDULES.map((row): Metric => [jobMetricsNamespace($app.stage), 'OldestDueAgeSeconds', 'service', 'jobs', 'job', row.name]),
        'Maximum',
        { period: 3600 },
      ),
    ],
  };
}

export const dashboard = new aws.cloudwatch.Dashboard('Operations', {
  dashboardName: `${$app.name}-${$app.stage}`,
  dashboardBody: $resolve({
    alarms: $resolve(allAlarms.map((a) => a.arn)),
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
