import type { SQSClient } from '@aws-sdk/client-sqs';
import { AWS_ATTEMPT_HANDLER } from '../aws-attempts';
import { deliveryMessageBody, MAX_QUEUE_DELAY_MS, type DeliveryQueue } from '@budgeting/webhooks';

/**
 * The webhook delivery queue in AWS: one SendMessage per attempt, its wait as DelaySeconds
 * (at most 900 s, SQS's maximum; the module re-queues longer waits with `notBefore`). The SDK
 * client is loaded on the first send, so invocations that queue nothing never pay for it.
 * Mirrors the job queue's transport (feat/scale-out, packages/app/src/jobs/sqs-transport.ts).
 */
export function sqsDeliveryQueue(options: { queueUrl: string; region: string; client?: SQSClient }): DeliveryQueue {
  let loaded: Promise<{ sqs: SQSClient; SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand }> | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-sqs').then((m) => ({
      sqs: options.client ?? new m.SQSClient({ region: options.region, requestHandler: AWS_ATTEMPT_HANDLER }),
      SendMessageCommand: m.SendMessageCommand,
    })));
  return {
    async send(message, delayMs) {
      const { sqs, SendMessageCommand } = await load();
      const delaySeconds = Math.max(0, Math.min(MAX_QUEUE_DELAY_MS, Math.ceil(delayMs / 1000) * 1000)) / 1000;
      await sqs.send(new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: deliveryMessageBody(message), DelaySeconds: delaySeconds }));
    },
  };
}
