import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withCommandMiddleware } from './command-middleware';

/**
 * A TransactWriteItems cancellation as DynamoDB sends it and the SDK builds it: one reason per
 * item, in the transaction's order (`None` for an item that passed), and the codes listed in the
 * message. DynamoDB Local never throttles, and its conflicts are hard to time, so a test that
 * needs one makes it with this.
 */
export function cancellation(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => (Code === 'None' ? { Code } : { Code, Message: Code === 'ThrottlingError' ? 'Throughput exceeds the current capacity of your table or index.' : Code })),
  });
}

/**
 * Runs `work` while the transactions `doc` sends whose input names `naming` are cancelled by
 * `code` on their first item (the others `None`), the first `times` of them only (all, by
 * default); removed afterwards. After the SDK's retry middleware (finalizeRequest), as
 * throttled-writes.ts. `cancelled`: how many were.
 */
export async function withTransactionsCancelled<T>(
  doc: DynamoDBDocumentClient,
  naming: string,
  work: () => Promise<T>,
  options: { code?: 'ThrottlingError' | 'TransactionConflict'; times?: number } = {},
): Promise<{ result: T; cancelled: number }> {
  const { code = 'ThrottlingError', times = Number.POSITIVE_INFINITY } = options;
  let cancelled = 0;
  const result = await withCommandMiddleware(
    doc,
    'cancelTransactionsNaming',
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: unknown[] };
      if (context.commandName === 'TransactWriteItemsCommand' && cancelled < times && JSON.stringify(input).includes(naming)) {
        cancelled++;
        throw cancellation((input.TransactItems ?? [undefined]).map((_, i) => (i === 0 ? code : 'None')));
      }
      return next(args);
    },
    work,
    { step: 'finalizeRequest', priority: 'low' },
  );
  return { result, cancelled };
}
