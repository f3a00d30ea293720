import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClients, fixedClock, loadConfig, type Clock, type EmailSender } from '@budgeting/platform';
import { inject } from 'vitest';
import { createSystem, type SystemOptions } from '../../packages/app/src/system';
import { ensureTable, localClient } from '../../packages/app/src/local/dynamodb-local';

export const TEST_SIGNING_KEY = 'test-signing-key-that-is-long-enough-0123456789';

/**
 * A whole system on its own fresh table in the run's DynamoDB Local. `clock` defaults to a
 * controllable fixed clock; pass `systemClock` for real time.
 */
/**
 * Password hashing at production cost takes ~100 ms of CPU per signup/login; suites that only
 * need users to exist use this cheaper (still real scrypt) cost. The users module's own tests
 * pass `productionPasswordHashing: true`.
 */
const TEST_SCRYPT = { logN: 10, r: 8, p: 1 };

export async function createTestSystem(
  options: { clock?: Clock; env?: Record<string, string>; productionPasswordHashing?: boolean; mail?: EmailSender; jobs?: SystemOptions['jobs'] } = {},
) {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const raw = localClient(endpoint);
  await ensureTable(raw, tableName);
  const config = loadConfig({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    TOKEN_SIGNING_KEY: TEST_SIGNING_KEY,
    LOG_LEVEL: 'SILENT',
    ...options.env,
  });
  const clock = options.clock ?? fixedClock('2026-11-24T12:00:00Z');
  const { doc } = createDynamoClients({ region: config.region, endpoint });
  const system = createSystem({
    config,
    clock,
    doc,
    users: options.productionPasswordHashing ? {} : { scrypt: TEST_SCRYPT },
    mail: options.mail,
    jobs: options.jobs,
  });
  return {
    system,
    app: system.app,
    doc,
    tableName,
    clock,
    async destroy() {
      await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      raw.destroy();
      doc.destroy();
    },
  };
}

export type TestSystem = Awaited<ReturnType<typeof createTestSystem>>;
