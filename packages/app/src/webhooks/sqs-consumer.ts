import type { HandlerContext, Logger } from '@budgeting/platform';
import { parseDeliveryMessage, type DeliveryMessage } from '@budgeting/webhooks';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * The function as the delivery queue's consumer (event source mapping with
 * ReportBatchItemFailures), shaped like the job queue's consumer: the batch's messages are
 * worked concurrently and only the failed ones reported, so SQS redelivers those alone after
 * the visibility timeout (then the dead-letter queue). A failed webhook ATTEMPT is not a
 * failure here (the worker records it and queues the retry itself); only an error of ours is.
 * A malformed message is logged and dropped.
 */
export function createDeliveryConsumer(options: { deliver: (m: DeliveryMessage, ctx: HandlerContext) => Promise<void>; logger: Logger }) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    await Promise.all(
      event.Records.map(async (record) => {
        const logger = options.logger.createChild({ persistentKeys: { messageId: record.messageId } });
        const message = parseDeliveryMessage(record.body);
        if (!message) {
          logger.error('webhook delivery message dropped: malformed');
          return;
        }
        try {
          await options.deliver(message, { logger });
        } catch (err) {
          logger.error('webhook delivery failed, SQS will redeliver', { error: (err as Error).message, stack: (err as Error).stack });
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    );
    return { batchItemFailures: failures };
  };
}
