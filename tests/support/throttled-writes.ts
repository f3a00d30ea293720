import { ProvisionedThroughputExceededException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
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

/** What of the SDK's retry strategy (its StandardRetryStrategy) withoutBackoffAfter touches. */
interface RetryStrategyInternals {
  retryCode?(token: unknown, errorInfo: { error?: unknown }, maxAttempts: number): number;
  retryBackoffStrategy?: { computeNextBackoffDelay(retries: number): number; setDelayBase(delay: number): void };
}

/**
 * Runs `work` with no wait before the SDK's retry of an attempt that failed with one of
 * `refused`. The SDK waits before each retry (a throttle: 500 ms, doubling, at random); the
 * retries still happen, as many as the client allows, and take the same retry capacity, but
 * here every attempt is refused whatever the wait, so the wait proved nothing and cost the
 * throttled tests about 40 s of CI. Other errors' retries (a transaction conflict beside it)
 * keep their wait. The client's own strategy object (memoized by the SDK, read by its retry
 * middleware for each command) is patched for the window only: the strategy asks retryCode
 * about the error, then computes the delay, with no await between them, so the error the delay
 * is for is the one retryCode saw last. Should a later SDK change those internals, nothing is
 * patched and the tests only wait again.
 */
async function withoutBackoffAfter<T>(doc: DynamoDBDocumentClient, refused: WeakSet<object>, work: () => Promise<T>): Promise<T> {
  const strategy = (await (doc.config.retryStrategy as () => Promise<unknown>)()) as RetryStrategyInternals;
  const { retryCode, retryBackoffStrategy: backoff } = strategy;
  if (!retryCode || !backoff || Object.hasOwn(strategy, 'retryCode')) return work();
  let seen: unknown;
  strategy.retryCode = function (this: RetryStrategyInternals, token, errorInfo, maxAttempts) {
    seen = errorInfo.error;
    return retryCode.call(this, token, errorInfo, maxAttempts);
  };
  strategy.retryBackoffStrategy = {
    setDelayBase: (delay) => backoff.setDelayBase(delay),
    computeNextBackoffDelay: (retries) => (typeof seen === 'object' && seen !== null && refused.has(seen) ? 0 : backoff.computeNextBackoffDelay(retries)),
  };
  try {
    return await work();
  } finally {
    delete strategy.retryCode;
    strategy.retryBackoffStrategy = backoff;
  }
}

/**
 * Runs `work` while every BatchGetItem `doc` sends that names `id` is answered with each of its
 * keys unprocessed (DynamoDB's answer to a batch it could not read for lack of capacity, partly or
 * wholly: a 200 with `UnprocessedKeys`, nothing thrown, nothing the SDK retries). The answer is
 * made after the real request (finalizeRequest, as withWritesThrottled), so the test's keys exist;
 * removed afterwards. `attempts`: how many batches were answered so.
 */
export async function withKeysUnprocessed<T>(doc: DynamoDBDocumentClient, id: string, work: () => Promise<T>): Promise<{ result: T; attempts: number }> {
  let attempts = 0;
  const result = await withCommandMiddleware(
    doc,
    'leaveKeysUnprocessed',
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchGetItemCommand' || !JSON.stringify(args.input).includes(id)) return next(args);
      const answered = await next(args);
      attempts++;
      // The output is the document client's by now (plain values): so are the keys given back.
      const requested = (args.input as { RequestItems?: Record<string, { Keys: Record<string, AttributeValue>[] }> }).RequestItems ?? {};
      const unprocessed = Object.fromEntries(Object.entries(requested).map(([table, read]) => [table, { ...read, Keys: read.Keys.map((key) => unmarshall(key)) }]));
      return { ...answered, output: { ...(answered.output as object), Responses: {}, UnprocessedKeys: unprocessed } as typeof answered.output };
    },
    work,
    { step: 'finalizeRequest', priority: 'low' },
  );
  return { result, attempts };
}
