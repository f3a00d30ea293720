import { deadLetters } from './bus';

/**
 * Alarms on what must never pile up unseen. Every asynchronous delivery that finally failed
 * lands in the dead-letter queue (infra/bus.ts), so one visible message there already means
 * an event, a job run or a stream batch needs a look (replay or discard it). The alarm has no
 * action yet: subscribe a notification (SNS, chat) to it per account.
 *
 * ApproximateNumberOfMessagesVisible is published every minute while the queue is active;
 * missing data (an idle, empty queue) is not an alarm.
 */
export const deadLettersAlarm = new aws.cloudwatch.MetricAlarm('DeadLettersAlarm', {
  alarmDescription: 'Deliveries failed for good and wait in the dead-letter queue: replay or discard them.',
  namespace: 'AWS/SQS',
  metricName: 'ApproximateNumberOfMessagesVisible',
  dimensions: { QueueName: deadLetters.nodes.queue.name },
  statistic: 'Maximum',
  period: 60,
  evaluationPeriods: 1,
  comparisonOperator: 'GreaterThanThreshold',
  threshold: 0,
  treatMissingData: 'notBreaching',
});
