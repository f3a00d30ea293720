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

export function awsErrorToProblem(err: unknown): ProblemError | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const transactionThrottled = e.name === 'TransactionCanceledException' && cancelledByLoad(err);
  if ((e.name && RETRYABLE_NAMES.has(e.name)) || transactionThrottled || e.$metadata?.httpStatusCode === 503) {
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
