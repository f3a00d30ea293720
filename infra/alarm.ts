/**
 * Where every alarm of the stack notifies, when it fires and when it recovers: ONE SNS topic,
 * so an operator subscribes an address, a pager or a chat hook once (stack output
 * `alarmTopic`). `alarm()` is the only way infra/ creates an alarm, so none can be left
 * without an action (tests/infra checks every alarm in the graph notifies this topic).
 */
export const alarmTopic = new sst.aws.SnsTopic('Alarms');

/**
 * A CloudWatch alarm that notifies `alarmTopic`. Unless said otherwise it fires when one
 * period's value is above its threshold (every alarm of the stack watches "too much of
 * something"), and missing data is not breaching: most metrics here are only published while
 * something happens (an idle queue, a function that was not throttled), and silence then means
 * all is well.
 */
export function alarm(
  name: string,
  args: Omit<aws.cloudwatch.MetricAlarmArgs, 'alarmActions' | 'okActions' | 'comparisonOperator' | 'evaluationPeriods'> &
    Partial<Pick<aws.cloudwatch.MetricAlarmArgs, 'comparisonOperator' | 'evaluationPeriods'>>,
): aws.cloudwatch.MetricAlarm {
  const created = new aws.cloudwatch.MetricAlarm(name, {
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    ...args,
    alarmActions: [alarmTopic.arn],
    okActions: [alarmTopic.arn],
  });
  allAlarms.push(created);
  return created;
}

/** Every alarm created so far, for the dashboard's alarm widget (infra/dashboard.ts, imported last). */
export const allAlarms: aws.cloudwatch.MetricAlarm[] = [];
