/**
 * One CloudWatch alarm on an SQS queue metric: the shape every queue alarm of infra/ shares
 * (the worst value of a period above a threshold; missing data, an idle queue, is no alarm).
 * `notify`, when given, receives both the alarm and its return to OK.
 */
export interface QueueAlarm {
  description: string;
  queue: sst.aws.Queue;
  metricName: 'ApproximateNumberOfMessagesVisible' | 'ApproximateAgeOfOldestMessage';
  period: number;
  threshold: number;
  notify?: sst.aws.SnsTopic;
}

export function queueAlarm(name: string, alarm: QueueAlarm): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(name, {
    alarmDescription: alarm.description,
    namespace: 'AWS/SQS',
    metricName: alarm.metricName,
    dimensions: { QueueName: alarm.queue.nodes.queue.name },
    statistic: 'Maximum',
    period: alarm.period,
    evaluationPeriods: 1,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: alarm.threshold,
    treatMissingData: 'notBreaching',
    ...(alarm.notify ? { alarmActions: [alarm.notify.arn], okActions: [alarm.notify.arn] } : {}),
  });
}
