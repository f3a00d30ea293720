import { afterAll, beforeAll } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../packages/app/src/local/dynamodb-local';
import { OWN_ENDPOINT_VARIABLE } from './dynamo-endpoint';

/**
 * Setup file of the heavy projects (vitest.config.ts): their DynamoDB Local starts when their
 * file starts and stops when it ends. Started by global-setup.ts instead, every heavy project's
 * JVM came up at the start of the run (vitest runs every project's global setup first) and
 * idled through the main project: a dozen JVM starts fighting the first files for the two
 * cores, then a dozen idle JVMs' timers.
 */
let dynamo: DynamoDbLocal | undefined;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  process.env[OWN_ENDPOINT_VARIABLE] = dynamo.endpoint;
}, 120_000);

afterAll(async () => {
  await dynamo?.stop();
});
