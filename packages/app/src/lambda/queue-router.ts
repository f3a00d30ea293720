import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

type Consumer = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * The function consumes two queues (the fan-out jobs' work queue and the webhook delivery
 * queue) through two event source mappings; a batch comes from one of them. Records are
 * routed by their body's `kind` (webhook deliveries carry `kind: "webhook-delivery"`, work
 * messages have none), so a record is worked by the consumer that owns its shape whichever
 * mapping brought it, and the partial batch failures of both are reported together.
 */
export function routeQueueBatches(consumers: { webhooks: Consumer; jobs: Consumer }): Consumer {
  return async (event, context) => {
    const webhooks: SQSRecord[] = [];
    const jobs: SQSRecord[] = [];
    for (const record of event.Records) (isWebhookDelivery(record.body) ? webhooks : jobs).push(record);
    const answers = await Promise.all([
      webhooks.length > 0 ? consumers.webhooks({ Records: webhooks }, context) : { batchItemFailures: [] },
      jobs.length > 0 ? consumers.jobs({ Records: jobs }, context) : { batchItemFailures: [] },
    ]);
    return { batchItemFailures: answers.flatMap((a) => a.batchItemFailures) };
  };
}

function isWebhookDelivery(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && (parsed as { kind?: unknown }).kind === 'webhook-delivery';
  } catch {
    return false;
  }
}
