import { WEBHOOK_QUEUE_MAX_RECEIVES, WORK_QUEUE_BACKLOG_ALARM_SECONDS, WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS } from '@budgeting/platform/work-queue';
import { queueAlarm } from './queue-alarm';

/**
 * Webhook deliveries (packages/webhooks): every attempt waits in this queue, its backoff as
 * the message's DelaySeconds (at most 900 s; longer waits are re-queued by the worker until
 * their time), and the one function consumes it (infra/webhook-triggers.ts). Attempts and
 * their outcomes live in DynamoDB; the queue only says "try this delivery now". Component
 * name "WebhookDeliveries" is what packages/app/src/lambda/sst-environment.ts reads.
 *
 * - Visibility timeout: the job queue's, six times the function's timeout, as AWS advises for
 *   a Lambda event source, so a message is not redelivered while its batch still runs (both
 *   derived in packages/platform/src/jobs/work-queue-limits.ts).
 * - A message the worker failed on 5 receives (an error of ours, not a failed webhook: those
 *   are recorded and retried by the worker itself) moves to WebhookDeadLetters (14 days).
 */
export const webhookDeadLetters = new sst.aws.Queue('WebhookDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60, sqsManagedSseEnabled: true } },
});

export const webhookDeliveries = new sst.aws.Queue('WebhookDeliveries', {
  visibilityTimeout: `${WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS} seconds`,
  // The local stand-in receives a message as often (platform jobs/work-queue-limits.ts).
  dlq: { queue: webhookDeadLetters.arn, retry: WEBHOOK_QUEUE_MAX_RECEIVES },
  // Longer than the 24 h of retries, so a waiting attempt is never dropped by the queue.
  transform: { queue: { messageRetentionSeconds: 4 * 24 * 60 * 60, sqsManagedSseEnabled: true } },
});

// Anything in the dead-letter queue is a delivery our worker could not handle: someone must look.
export const webhookDeadLettersAlarm = queueAlarm('WebhookDeadLettersAlarm', {
  description: 'Webhook delivery messages failed every receive and wait in the webhook dead-letter queue: replay (redrive) or discard them.',
  queue: webhookDeadLetters,
  metricName: 'ApproximateNumberOfMessagesVisible',
  period: 60,
  threshold: 0,
});

// The delivery backlog: the oldest message has waited over an hour. A healthy message is at most
// one backoff step old (DelaySeconds caps at 900 s; a longer wait is re-queued as a new message)
// plus its receives (5 x the visibility timeout), about half an hour: past the hour the workers
// do not keep up (throttled, or the queue's concurrency cap too low) and every receiver's
// deliveries are late.
export const webhookBacklogAgeAlarm = queueAlarm('WebhookBacklogAge', {
  description: 'The oldest webhook delivery message is more than an hour old: the workers do not keep up, deliveries are late.',
  queue: webhookDeliveries,
  metricName: 'ApproximateAgeOfOldestMessage',
  period: 300,
  threshold: WORK_QUEUE_BACKLOG_ALARM_SECONDS,
});
