import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  region: string;
  endpoint?: string;
}

/**
 * One DynamoDB client per process. A local endpoint (DynamoDB Local) gets dummy credentials
 * so a laptop needs no AWS account.
 */
export function createDynamoClients(opts: DynamoClientOptions) {
  const raw = new DynamoDBClient({
    region: opts.region,
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
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
