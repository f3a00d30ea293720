import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../packages/app/src/local/dynamodb-local';

/**
 * One DynamoDB Local (in memory) for the whole test run; each test file creates its own
 * table in it (see createTestSystem), so files never see each other's data.
 * DYNAMODB_ENDPOINT set by the caller reuses an existing instance instead.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** The launcher's word on the stream-records index (undefined: an instance not started here). */
    dynamoStreamRecordsIndexed: boolean | undefined;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DYNAMODB_ENDPOINT) {
    project.provide('dynamoEndpoint', process.env.DYNAMODB_ENDPOINT);
    project.provide('dynamoStreamRecordsIndexed', undefined);
    return;
  }
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('dynamoStreamRecordsIndexed', dynamo.streamRecordsIndexed);
  return async () => {
    await dynamo.stop();
  };
}
