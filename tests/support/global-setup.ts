import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startOf, stopOthers } from './dynamodb-local-starts';

/**
 * One DynamoDB Local (in memory) per project that lists this file as its global setup; each
 * test file creates its own table in it (see createTestSystem), so files never see each other's
 * data. The first project's setup starts every project's instance at once (dynamodb-local-starts.ts);
 * each setup waits for its own. DYNAMODB_ENDPOINT set by the caller reuses an existing instance
 * for all instead.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** The launcher's word on the stream-records index (undefined: an instance not started here). */
    dynamoStreamRecordsIndexed: boolean | undefined;
  }
}

const THIS_FILE = fileURLToPath(import.meta.url);

export default async function setup(project: TestProject) {
  if (process.env.DYNAMODB_ENDPOINT) {
    project.provide('dynamoEndpoint', process.env.DYNAMODB_ENDPOINT);
    project.provide('dynamoStreamRecordsIndexed', undefined);
    return;
  }
  let dynamo;
  try {
    dynamo = await startOf(project, THIS_FILE);
  } catch (err) {
    // The run ends here: no later project's setup (nor teardown) runs to stop its instance.
    await stopOthers(project);
    throw err;
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('dynamoStreamRecordsIndexed', dynamo.streamRecordsIndexed);
  return async () => {
    await dynamo.stop();
  };
}
