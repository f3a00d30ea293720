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
  const result = await withCommandMiddleware(
    doc,
    'throttleWritesNaming',
    (next, context) => async (args) => {
      if (context.commandName !== undefined && commands.includes(context.commandName) && JSON.stringify(args.input).includes(id)) {
        attempts++;
        throw refusal();
      }
      return next(args);
    },
    work,
    { step: 'finalizeRequest', priority: 'low' },
  );
  return { result, attempts };
}
