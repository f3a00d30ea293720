import { SCHEDULES, SUBSCRIPTIONS } from '@budgeting/app/wiring';
import { alarm } from './alarm';
import { api } from './api';
import { bus, deadLetters } from './bus';
import { fn } from './function';
import { queueAlarm } from './queue-alarm';
import { TABLE } from '@budgeting/platform/table';
import { table } from './table';
import { componentName, ruleName, scheduleRules, subscriptionRules } from './wiring';

/**
 * The alarms on the function, its HTTP API, its table and the bus dead letters: what an
 * operator must hear about (the job queue's alarms are in infra/jobs.ts, the webhook queue's in
 * infra/webhooks.ts). Each notifies the one topic (infra/alarm.ts); the README's "Alarms" table
 * says what each means and what to do. Thresholds are set so that each one is worth waking for:
 * retried, self-healing failures stay below them.
 */

// Every asynchronous delivery that finally failed (a bus event, a schedule's run, a stream
// batch) lands here, so one visible message already means something needs a look.
export const deadLettersAlarm = queueAlarm('DeadLettersAlarm', {
  description: 'Deliveries failed for good and wait in the dead-letter queue: replay or discard them.',
  queue: deadLetters,
  metricName: 'ApproximateNumberOfMessagesVisible',
  period: 60,
  threshold: 0,
});

const ofFunction = { namespace: 'AWS/Lambda', dimensions: { FunctionName: fn.name } };

// An invocation that threw: HTTP answers 500 without throwing, so these are bus events,
// schedules or queue/stream batches, each retried; a few in five minutes are a blip, more are
// a fault (a bad deploy, a dependency down).
export const functionErrorsAlarm = alarm('FunctionErrors', {
  ...ofFunction,
  alarmDescription: 'The function threw on more than 5 invocations in 5 minutes (events, schedules, batches; each is retried, then dead-lettered): read its logs.',
  metricName: 'Errors',
  statistic: 'Sum',
  period: 300,
  threshold: 5,
});

// The account's concurrency (or the event sources' own limits) ran out: HTTP callers got 429s
// from Lambda and asynchronous work waited.
export const functionThrottlesAlarm = alarm('FunctionThrottles', {
  ...ofFunction,
  alarmDescription: 'Invocations of the function were throttled (concurrency exhausted): raise the account quota or find what floods it.',
  metricName: 'Throttles',
  statistic: 'Sum',
  period: 300,
  threshold: 0,
});

// The outbox relay reads the table's stream, whose records live 24 hours: a relay that stays
// behind delays every event (alerts, webhooks, reports) and, left alone, would lose them.
export const relayBehindAlarm = alarm('StreamRelayBehind', {
  ...ofFunction,
  alarmDescription: "The outbox relay has been more than a minute behind the table's stream for 5 minutes (records expire after 24 h): events are late.",
  metricName: 'IteratorAge',
  statistic: 'Maximum',
  period: 60,
  evaluationPeriods: 5,
  datapointsToAlarm: 5,
  threshold: 60_000,
});

// Failed work that could not even be parked: Lambda could not write a failed asynchronous
// invocation (bus events, schedules) or a failed stream batch's pointer to their on-failure
// destination, the dead-letter queue (infra/function.ts `eventInvokeConfig`, infra/triggers.ts).
// That work is gone unless someone acts. (DeadLetterErrors is not watched: it counts the
// older `deadLetterConfig` of a function, which this one does not use.)
export const lostFailuresAlarm = alarm('FunctionDestinationDeliveryFailures', {
  ...ofFunction,
  alarmDescription: 'Lambda could not park failed work in the dead-letter queue (DestinationDeliveryFailures): check the queue policy and the role; the events involved are lost.',
  metricName: 'DestinationDeliveryFailures',
  statistic: 'Sum',
  period: 60,
  threshold: 0,
});

// The same for EventBridge: a rule that gave up on the function and could not write the event
// to its dead-letter target either (a queue policy or size problem). One alarm per rule, with
// the dimensions EventBridge publishes: the bus and the rule for the bus's rules, the rule
// alone for the schedules' rules on the default bus.
const notParked = (row: string, dimensions: Record<string, $util.Input<string>>) =>
  alarm(componentName('RuleNotParked', row), {
    alarmDescription: `EventBridge rule ${row} could not send a failed delivery to the dead-letter queue (InvocationsFailedToBeSentToDlq): check the queue policy; the events involved are lost.`,
    namespace: 'AWS/Events',
    metricName: 'InvocationsFailedToBeSentToDlq',
    dimensions,
    statistic: 'Sum',
    period: 60,
    threshold: 0,
  });
export const rulesNotParkedAlarms = [
  ...subscriptionRules(SUBSCRIPTIONS).map((row) => notParked(row.name, { EventBusName: bus.name, RuleName: ruleName($app.name, $app.stage, row.name) })),
  ...scheduleRules(SCHEDULES).map((row) => notParked(row.name, { RuleName: ruleName($app.name, $app.stage, row.name) })),
];

// Server errors as a share of requests, once there are enough requests for a share to mean
// something (the HTTP API's default stage; API Gateway publishes these per minute).
const ofApi = { namespace: 'AWS/ApiGateway', dimensions: { ApiId: api.nodes.api.id, Stage: '$default' } };
export const api5xxAlarm = alarm('Api5xxRate', {
  alarmDescription: 'More than 1% of HTTP requests got a 5xx in 5 minutes (with at least 50 requests): read the function logs for the failing route.',
  metricQueries: [
    { id: 'errors', metric: { ...ofApi, metricName: '5xx', stat: 'Sum', period: 300 } },
    { id: 'requests', metric: { ...ofApi, metricName: 'Count', stat: 'Sum', period: 300 } },
    { id: 'rate', expression: 'IF(requests >= 50, 100 * errors / requests, 0)', label: '5xx, % of requests', returnData: true },
  ],
  threshold: 1,
});

// On-demand tables throttle too: one item past 1,000 WCU/s (a hot budget's totals), or a
// traffic jump past twice the previous peak. The SDK retries throttled requests, so only
// throttling that lasts (3 of 5 minutes) is an alarm; docs/capacity.md has the ceilings.
// The table's series (TableName alone) count the table only, never a global secondary index:
// each index's reads and writes are summed in too (a hot partition of a planner's due index, of
// a sparse index's one partition; an index's throttled writes hold back the table's). Four
// indexes make ten metrics, the most a metric-math alarm may hold.
const ofTable = { namespace: 'AWS/DynamoDB', dimensions: { TableName: table.name } };
const ofIndex = (index: string) => ({ namespace: 'AWS/DynamoDB', dimensions: { TableName: table.name, GlobalSecondaryIndexName: index } });
const indexThrottles = Object.keys(TABLE.indexes).flatMap((index) => [
  { id: `${index}Reads`, metric: { ...ofIndex(index), metricName: 'ReadThrottleEvents', stat: 'Sum', period: 60 } },
  { id: `${index}Writes`, metric: { ...ofIndex(index), metricName: 'WriteThrottleEvents', stat: 'Sum', period: 60 } },
]);
export const tableThrottlesAlarm = alarm('TableThrottles', {
  alarmDescription: 'The table or one of its indexes throttled reads or writes in 3 of the last 5 minutes: look for a hot partition (docs/capacity.md).',
  metricQueries: [
    { id: 'reads', metric: { ...ofTable, metricName: 'ReadThrottleEvents', stat: 'Sum', period: 60 } },
    { id: 'writes', metric: { ...ofTable, metricName: 'WriteThrottleEvents', stat: 'Sum', period: 60 } },
    ...indexThrottles,
    {
      id: 'throttles',
      expression: ['reads', 'writes', ...indexThrottles.map((q) => q.id)].map((id) => `FILL(${id}, 0)`).join(' + '),
      label: 'throttle events (table and indexes)',
      returnData: true,
    },
  ],
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  threshold: 0,
});
