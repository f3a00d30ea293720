import { fn } from './function';
import { jobQueue } from './jobs';

/**
 * The function consumes the job queue: batches of up to 10 units, worked concurrently in one
 * invocation; the handler reports only the failed ones (ReportBatchItemFailures), so SQS
 * redelivers those alone. maximumConcurrency caps how many invocations the queue may run at
 * once, so a month-end burst cannot take all of the account's Lambda concurrency from the API
 * (see docs/capacity.md).
 */
export const jobConsumer = jobQueue.subscribe(fn.arn, {
  batch: { size: 10, window: '1 second', partialResponses: true },
  transform: {
    eventSourceMapping: { scalingConfig: { maximumConcurrency: 200 } },
  },
});
