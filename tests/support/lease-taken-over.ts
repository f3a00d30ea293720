import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A keyed request's lease taken over by its retry (after LEASE_SECONDS, platform idempotency.ts)
 * while the request still ran, just before its transaction: armed by `next()`, the next
 * TransactWriteItems that completes a key (platform keyCompletion: an Update of an
 * `idempotency#` item) first sees a later lease end written on that record, as a takeover
 * writes it, so the completion's condition (this attempt's own lease) fails in it.
 * `pending()`: still armed (no such transaction was sent).
 */
export function leaseTakenOverBeforeTransaction(doc: DynamoDBDocumentClient, name = 'leaseTakenOverBeforeTransaction') {
  let armed = false;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: { Update?: { TableName?: string; Key?: Record<string, unknown> } }[] }).TransactItems ?? [];
      const completion = items.find((i) => String(i.Update?.Key?.pk ?? '').startsWith('idempotency#'))?.Update;
      if (armed && context.commandName === 'TransactWriteItemsCommand' && completion) {
        armed = false;
        const later = { TableName: completion.TableName, Key: completion.Key, UpdateExpression: 'SET leaseUntil = leaseUntil + :later', ExpressionAttributeValues: { ':later': 61 } };
        await doc.send(new UpdateCommand(later));
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    next: () => {
      armed = true;
    },
    pending: () => armed,
  };
}

/**
 * Holds the next TransactWriteItems that completes a key (as above) before it is sent, so the
 * test can let the lease run out and the retry take it over while this attempt still runs:
 * `hold()` arms it and resolves once that transaction is reached; `release()` sends it.
 */
export function keyedTransactionHeld(doc: DynamoDBDocumentClient, name = 'keyedTransactionHeld') {
  let armed = false;
  let reached: (() => void) | undefined;
  let gate: (() => void) | undefined;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: { Update?: { Key?: Record<string, unknown> } }[] }).TransactItems ?? [];
      if (armed && context.commandName === 'TransactWriteItemsCommand' && items.some((i) => String(i.Update?.Key?.pk ?? '').startsWith('idempotency#'))) {
        armed = false;
        const released = new Promise<void>((resolve) => (gate = resolve));
        reached?.();
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    hold: () => {
      armed = true;
      return new Promise<void>((resolve) => (reached = resolve));
    },
    release: () => gate?.(),
  };
}

/**
 * A keyed request held at its transaction (`held`, above) while its lease runs out (`leaseRunsOut`:
 * the test clock moved past LEASE_SECONDS) and its retry, sent then, takes the key over and
 * commits first; then the held attempt goes on. Both answers, for the caller to compare (the
 * slower one must answer the retry's answer).
 */
export async function racedByItsRetry<A>(
  held: ReturnType<typeof keyedTransactionHeld>,
  leaseRunsOut: () => void,
  first: () => Promise<A>,
  retry: () => Promise<A> = first,
): Promise<{ first: A; retry: A }> {
  const atTransaction = held.hold();
  const slow = first();
  await atTransaction;
  leaseRunsOut();
  let retried: A;
  try {
    retried = await retry();
  } finally {
    held.release();
  }
  return { first: await slow, retry: retried };
}
