import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  region: string;
  endpoint?: string;
}

/**
 * How long one attempt of a call may take in AWS, connection included, before the SDK gives it
 * up and retries (TimeoutError is a transient error to its standard retry: 3 attempts). DynamoDB
 * answers in milliseconds, its slowest calls here (a 100-item transaction, a 1 MB Query or
 * BatchGetItem page) well under a second; an attempt that gets no answer at all (a lost packet,
 * a stuck connection) waited the SDK's service default of 300 s of silence, past API Gateway's
 * 29 s and the function's 30 s: the client got a 504 and a job unit was killed between two
 * writes, no failure handler run. Three such attempts and the SDK's backoff now end in about
 * 10 s, with an error the request answers and the unit's retry takes. DynamoDB Local (an
 * `endpoint`, tests and `npm start` on a busy machine) keeps the SDK's defaults.
 */
export const DYNAMO_ATTEMPT_TIMEOUT_MS = 3_000;
const DYNAMO_CONNECT_TIMEOUT_MS = 1_000;

/**
 * One DynamoDB client per process. A local endpoint (DynamoDB Local) gets dummy credentials
 * so a laptop needs no AWS account; in AWS each attempt has a deadline (DYNAMO_ATTEMPT_TIMEOUT_MS).
 */
export function createDynamoClients(opts: DynamoClientOptions) {
  const raw = new DynamoDBClient({
    region: opts.region,
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : { requestHandler: { connectionTimeout: DYNAMO_CONNECT_TIMEOUT_MS, requestTimeout: DYNAMO_ATTEMPT_TIMEOUT_MS, throwOnRequestTimeout: true } }),
  });
  // The SDK's logger middleware filters every command's input and output for a log line even
  // when no logger is configured (its NoOpLogger still has `info`): a walk of each request's
  // and answer's whole shape, for nothing. Nothing here gives the SDK a logger.
  raw.middlewareStack.remove('loggerMiddleware');
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { raw, doc };
}
