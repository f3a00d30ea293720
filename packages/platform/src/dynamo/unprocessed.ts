/**
 * A BatchGetItem or BatchWriteItem whose keys or items DynamoDB still left unprocessed after
 * every retry (ModuleStore.batchGet and batchDelete, request-reads.ts). DynamoDB answers a batch
 * it lacks the capacity for with a 200 and `UnprocessedKeys` / `UnprocessedItems`, not with an
 * error the SDK retries: when they stay unprocessed, the table is throttled, as when a
 * ProvisionedThroughputExceededException outlasts the SDK's retries. So it is answered the same
 * (http/aws-errors.ts: 503 with Retry-After): the client's request was fine. Until 2026-12-07 it
 * was a plain Error, a 500.
 */
export class UnprocessedAfterRetriesError extends Error {
  constructor(what: 'keys' | 'items', operation: 'BatchGet' | 'BatchWrite') {
    super(`${operation} left unprocessed ${what} after retries`);
    this.name = 'UnprocessedAfterRetriesError';
  }
}
