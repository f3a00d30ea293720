import { alarm } from './alarm';

/**
 * One CloudWatch alarm on an SQS queue metric: the shape every queue alarm of infra/ shares
 * (the worst value of a period above a threshold; missing data, an idle queue, is no alarm).
 * Like every alarm it notifies the operators' topic (infra/alarm.ts).
 */
export interface QueueAlarm {
  description: string;
  queue: sst.aws.Queue;
  metricName: 'ApproximateNumberOfMessagesVisible' | 'ApproximateAgeOfOldestMessage';
  period: number;
  threshold: number;
}

export function queueAlarm(name: string, queueAlarm: QueueAlarm): aws.cloudwatch.MetricAlarm {
  return alarm(name, {
    alarmDescription: queueAlarm.description,
    namespace: 'AWS/SQS',
    metricName: queueAlarm.metricName,
    dimensions: { QueueName: queueAlarm.queue.nodes.queue.name },
    statistic: 'Maximum',
    period: queueAlarm.period,
    threshold: queueAlarm.threshold,
  });
}
