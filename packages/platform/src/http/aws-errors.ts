import { cancellationCodes } from '../dynamo/condition-failed';
import { problems, type ProblemError } from './problem';

/**
 * AWS errors that mean "try again later" (throttling, capacity, transient service faults).
 * The SDK already retried them with backoff; if they still surface, the client gets a 503
 * with Retry-After instead of a 500, because nothing is wrong with its request.
 */
const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionInProgressException',
  // A plain write to an item an ongoing transaction holds (e.g. a step-up spending a code while
  // a sign-in's transaction spends one on the same item): the SDK does not retry it.
  'TransactionConflictException',
  // A batch's keys or items DynamoDB kept leaving unprocessed through our own retries (dynamo/unprocessed.ts).
  'UnprocessedAfterRetriesError',
]);

/**
 * The network's faults on the way to an AWS service, as the SDK's own retry strategy reads them
 * (@smithy/core retry: its transient error names and Node's timeout and network codes): a
 * request that timed out or whose connection was reset or refused, after the SDK's retries.
 * Nothing is wrong with the client's request; it may have committed (a TransactWriteItems' retry
 * with the same ClientRequestToken finds it), and a keyed request's retry finds what did (the
 * lease ended, idempotency.ts). Until 2026-12-07 these were a 500.
 */
const NETWORK_FAULT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_FAULT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Only an error that came out of an AWS client's retries: the SDK's retry middleware gives every
 * error it throws `$metadata.attempts`, so a timeout of our own code (another library's) is not read
 * as the service's.
 */
function networkFault(e: { name?: string; code?: string; $metadata?: { attempts?: number } }): boolean {
  if (typeof e.$metadata?.attempts !== 'number') return false;
  return (e.name !== undefined && NETWORK_FAULT_NAMES.has(e.name)) || (e.code !== undefined && NETWORK_FAULT_CODES.has(e.code));
}

export function awsErrorToProblem(err: unknown): ProblemError | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const transactionThrottled = e.name === 'TransactionCanceledException' && cancelledByLoad(err);
  if ((e.name && RETRYABLE_NAMES.has(e.name)) || transactionThrottled || e.$metadata?.httpStatusCode === 503 || networkFault(e)) {
    return problems.serviceUnavailable(1);
  }
  return undefined;
}

const LOAD_CODES = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict', 'RequestLimitExceeded']);

/**
 * A transaction cancelled by load (throttling, capacity, a conflict with another transaction),
 * read from its reasons' codes: no failed condition among them (that is a lost race its caller
 * answers, a 500 when none did) and at least one load code. An error without reasons is read
 * from its message, where DynamoDB lists the same codes: "... reasons [None, ThrottlingError]".
 */
function cancelledByLoad(err: unknown): boolean {
  const reasons = cancellationCodes(err);
  const codes = reasons.length > 0 ? reasons : codesInMessage(String((err as Error).message));
  return !codes.includes('ConditionalCheckFailed') && codes.some((code) => code !== undefined && LOAD_CODES.has(code));
}

const codesInMessage = (message: string): string[] => /\[([^\]]*)\]\s*$/.exec(message)?.[1]?.split(',').map((code) => code.trim()) ?? [];
