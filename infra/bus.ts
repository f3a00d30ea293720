/**
 * The event bus the outbox relay publishes to (component name "Bus", read by
 * packages/app/src/lambda/sst-environment.ts), and the dead-letter queue that keeps every
 * asynchronous delivery that finally failed: bus rule targets, schedule targets, the stream
 * mapping's on-failure destination and the function's own async retries all end up here,
 * so nothing is dropped silently. Messages stay 14 days (the SQS maximum) for replay.
 */
export const bus = new sst.aws.Bus('Bus');

export const deadLetters = new sst.aws.Queue('DeadLetters', {
  transform: {
    queue: { messageRetentionSeconds: 14 * 24 * 60 * 60, sqsManagedSseEnabled: true },
  },
});

const account = aws.getCallerIdentityOutput({}).accountId;

// EventBridge (rule targets whose delivery failed) may write to the queue, but only on behalf
// of rules in this account. Lambda's own destinations use the function role (linked) instead.
new aws.sqs.QueuePolicy('DeadLettersPolicy', {
  queueUrl: deadLetters.url,
  policy: aws.iam.getPolicyDocumentOutput({
    statements: [
      {
        actions: ['sqs:SendMessage'],
        resources: [deadLetters.arn],
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],
      },
    ],
  }).json,
});
