import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withCommandMiddleware } from './command-middleware';

/**
 * Runs `work` while every transaction `doc` sends that names `id` is refused as a throttled
 * request (DynamoDB Local never throttles). The middleware sits at the finalizeRequest step,
 * after the SDK's retry middleware, so each of its retries is refused too; removed afterwards.
 * `attempts`: how many were refused (more than 1: the SDK retried, and every retry failed).
 * `commands`: which commands are refused (by default transactions only; e.g. `UpdateItemCommand`).
 * `refusal`: what each is refused with (by default the throttle; e.g. a TypeError, a bug of ours).
 */
export async function withWritesThrottled<T>(
  doc: DynamoDBDocumentClient,
  id: string,
  work: () => Promise<T>,
  commands: readonly string[] = ['TransactWriteItemsCommand'],
  refusal: () => Error = () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: {} }),
): Promise<{ result: T; attempts: number }> {
  let attempts = 0;
  const refused = new WeakSet<object>();
  const result = await withoutBackoffAfter(doc, refused, () =>
    withCommandMiddleware(
      doc,
      'throttleWritesNaming',
      (next, context) => async (args) => {
        if (context.commandName !== undefined && commands.includes(context.commandName) && JSON.stringify(args.input).includes(id)) {
          attempts++;
          const error = refusal();
          refused.add(error);
          throw error;
        }
        return next(args);
      },
      work,
      { step: 'finalizeRequest', priority: 'low' },
    ),
  );
  return { result, attempts };
}

/** What of the SDK's retry strategy (StandardRetryStrategy) withoutBackoffAfter touches. */
interface RetryStrategyInternals {
  refreshRetryTokenForRetry(token: unknown, errorInfo: { error?: unknown }): Promise<unknown>;
  retryBackoffStrategy?: { computeNextBackoffDelay(retries: number): number; setDelayBase(delay: number): void };
}
const NO_BACKOFF = { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined };

/**
 * Runs `work` with no wait before the SDK's retry of an attempt that failed with one of
 * `refused`. The SDK waits before each retry (a throttle: 500 ms, doubling, at random); the
 * retries still happen, as many as the client allows, and take the same retry capacity, but
 * here every attempt is refused whatever the wait, so the wait proved nothing and cost these
 * tests about 25 s of CI. Other errors' retries keep their wait. The client's own strategy
 * object (memoized by the SDK, read by its retry middleware for each command) is patched for
 * the window only. While a refusal's retry is being prepared (a few microtasks), another
 * command's retry prepared at that very moment would also go without its wait: none of the
 * tests that throttle runs such a race.
 */
async function withoutBackoffAfter<T>(doc: DynamoDBDocumentClient, refused: WeakSet<object>, work: () => Promise<T>): Promise<T> {
  const strategy = (await (doc.config.retryStrategy as () => Promise<unknown>)()) as RetryStrategyInternals;
  const refresh = strategy.refreshRetryTokenForRetry;
  if (!strategy.retryBackoffStrategy) return work();
  strategy.refreshRetryTokenForRetry = async function (this: RetryStrategyInternals, token, errorInfo) {
    const error = errorInfo.error;
    if (typeof error !== 'object' || error === null || !refused.has(error)) return refresh.call(this, token, errorInfo);
    const backoff = this.retryBackoffStrategy!;
    this.retryBackoffStrategy = NO_BACKOFF;
    try {
      return await refresh.call(this, token, errorInfo);
    } finally {
      this.retryBackoffStrategy = backoff;
    }
  };
  try {
    return await work();
  } finally {
    strategy.refreshRetryTokenForRetry = refresh;
  }
}
