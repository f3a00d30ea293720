import { fn } from './function';
import { webhookDeliveries } from './webhooks';

/**
 * The function consumes the webhook delivery queue: batches of up to 10 messages, worked
 * concurrently in one invocation; the handler reports only the failed ones
 * (ReportBatchItemFailures), so SQS redelivers those alone. maximumConcurrency caps the
 * invocations the queue may run at once, so a burst of deliveries (or a slow endpoint) cannot
 * take the account's Lambda concurrency from the API.
 */
export const webhookConsumer = webhookDeliveries.subscribe(fn.arn, {
  batch: { size: 10, window: '1 second', partialResponses: true },
  transform: {
    eventSourceMapping: { scalingConfig: { maximumConcurrency: 20 } },
  },
});
