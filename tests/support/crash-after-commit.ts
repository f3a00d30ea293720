import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The process dying right after a keyed request's transaction committed, before it answered (as
 * tests/integration/idempotency-crash.test.ts): while armed, every TransactWriteItems commits and
 * then throws, and every write to a key's record after the handler (the lease middleware's
 * completion, the refusal's deletion, the lease's end) fails, as if nothing ran after the commit.
 * A completion carried INSIDE the transaction (platform `idempotentCompletion`) commits with it.
 * `during(work)` runs `work` armed (one request: the client never gets its answer);
 * `during(work, n)` lets its first n transactions commit as usual and dies after the next one's
 * commit (a request of several transactions, a budget copy, dying after a later step).
 */
export function crashAfterCommit(doc: DynamoDBDocumentClient, name = 'crashAfterCommit') {
  let armed = false;
  let passing = 0;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!armed) return next(args);
      if (context.commandName === 'TransactWriteItemsCommand') {
        if (passing > 0) {
          passing -= 1;
          return next(args);
        }
        await next(args);
        throw new Error('process died right after the commit');
      }
      const input = args.input as { Key?: { pk?: string }; UpdateExpression?: string };
      const afterHandler = /^Delete(Item)?Command$/.test(String(context.commandName)) || /:completed|:ended/.test(String(input.UpdateExpression ?? ''));
      if (String(input.Key?.pk ?? '').startsWith('idempotency#') && afterHandler) throw new Error('process died');
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    async during<T>(work: () => Promise<T>, commitsFirst = 0): Promise<T> {
      armed = true;
      passing = commitsFirst;
      try {
        return await work();
      } finally {
        armed = false;
        passing = 0;
      }
    },
  };
}
