import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTable, localClient } from '../../../packages/app/src/local/dynamodb-local';

/** Signs the access tokens of these tests only (at least 32 characters, as loadConfig requires). */
export const LAMBDA_TEST_SIGNING_KEY = 'lambda-bundle-test-signing-key-0123456789abcdef';

/**
 * A fresh table in the run's DynamoDB Local and the environment the bundle reads at import
 * (the same variables loadConfig reads in Lambda when SST links are absent).
 */
export async function lambdaEnvironment(extra: Record<string, string> = {}) {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `lambda-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const raw = localClient(endpoint);
  await ensureTable(raw, tableName);
  const doc = DynamoDBDocumentClient.from(raw);
  const env: Record<string, string> = {
    STAGE: 'test',
    AWS_REGION: 'us-east-1',
    TABLE_NAME: tableName,
    EVENT_BUS_NAME: 'budgeting-test-bus',
    DYNAMODB_ENDPOINT: endpoint,
    TOKEN_SIGNING_KEY: LAMBDA_TEST_SIGNING_KEY,
    WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 0x4c).toString('base64'),
    MFA_SECRETS_KEY: Buffer.alloc(32, 0x4d).toString('base64'),
    LOG_LEVEL: 'SILENT',
    ...extra,
  };
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  return {
    env,
    tableName,
    doc,
    async destroy() {
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      raw.destroy();
    },
  };
}
