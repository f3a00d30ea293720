import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withCommandMiddleware } from './command-middleware';

/**
 * Runs `work` while the first command `doc` sends that `matches` (by its command's name and
 * input, as sent) is committed and its answer lost on the way back: the SDK sends the same
 * request again (a timeout or a reset connection is retried), and what DynamoDB answers that
 * second sending is the answer the caller gets. A conditional write then meets its own
 * committed write (ConditionalCheckFailedException); DynamoDB Local never loses an answer.
 * After the SDK's retry middleware (finalizeRequest), as throttled-writes.ts; removed afterwards.
 * `resent`: whether a command matched.
 */
export async function withFirstAnswerLost<T>(
  doc: DynamoDBDocumentClient,
  matches: (commandName: string, input: string) => boolean,
  work: () => Promise<T>,
): Promise<{ result: T; resent: boolean }> {
  let resent = false;
  const result = await withCommandMiddleware(
    doc,
    'loseFirstAnswer',
    (next, context) => async (args) => {
      if (resent || context.commandName === undefined || !matches(context.commandName, JSON.stringify(args.input))) return next(args);
      resent = true;
      await next(args);
      return next(args);
    },
    work,
    { step: 'finalizeRequest', priority: 'low' },
  );
  return { result, resent };
}
