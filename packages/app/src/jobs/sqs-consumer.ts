import { WORK_QUEUE_MAX_RECEIVES, type HandlerContext, type Logger } from '@budgeting/platform';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { wasLogged } from './logged-failure';
import { MalformedWorkMessageError, parseWorkMessage, type WorkMessage } from './messages';

/** Receives before SQS moves a message to the job dead-letter queue; infra/jobs.ts sets the queue's redrive policy from the same constant. */
export const JOB_QUEUE_MAX_RECEIVES = WORK_QUEUE_MAX_RECEIVES;

/**
 * The function as the work queue's consumer (event source mapping with
 * ReportBatchItemFailures): the batch's messages are worked concurrently, and only the
 * failed ones are reported, so SQS redelivers those alone (after the visibility timeout) and
 * moves them to the job dead-letter queue after maxReceiveCount. Each failed message leaves one
 * error line (the runner's, or this consumer's): the dead letters' runbook starts from them.
 * A malformed message is logged and dropped: redelivering it cannot make it valid.
 */
export function createSqsConsumer(options: {
  deliver: (m: WorkMessage, ctx: HandlerContext, deadline: number) => Promise<void>;
  logger: Logger;
  /** Time kept back from the invocation's remaining time for reporting the batch. */
  reserveMs?: number;
  maxUnitMs?: number;
  /** The queue's maxReceiveCount (infra/jobs.ts JOB_QUEUE_MAX_RECEIVES): the receive that is a message's last attempt. */
  maxReceives?: number;
}) {
  const maxReceives = options.maxReceives ?? JOB_QUEUE_MAX_RECEIVES;
  const reserve = options.reserveMs ?? 8_000;
  const maxUnit = options.maxUnitMs ?? 20_000;
  return async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const remaining = context?.getRemainingTimeInMillis?.() ?? 30_000;
    const deadline = Date.now() + Math.max(1_000, Math.min(maxUnit, remaining - reserve));
    const failures: { itemIdentifier: string }[] = [];
    await Promise.all(
      event.Records.map(async (record) => {
        const logger = options.logger.createChild({ persistentKeys: { messageId: record.messageId } });
        let message: WorkMessage;
        try {
          message = parseWorkMessage(record.body);
        } catch (err) {
          if (err instanceof MalformedWorkMessageError) {
            logger.error('work message dropped', { error: err.message });
            return;
          }
          throw err;
        }
        try {
          const lastAttempt = Number(record.attributes?.ApproximateReceiveCount ?? 1) >= maxReceives;
          await options.deliver(message, { logger, ...(lastAttempt ? { lastAttempt } : {}) }, deadline);
        } catch (err) {
          // Reported to SQS, not thrown: Lambda logs nothing of it, so its line is ours, once (logged-failure.ts).
          if (!wasLogged(err)) logger.error('job message failed, SQS will redeliver', { job: message.job, type: message.type, error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    );
    return { batchItemFailures: failures };
  };
}
