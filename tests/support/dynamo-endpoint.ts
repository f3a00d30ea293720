import { inject } from 'vitest';

/** The DynamoDB Local of this test run (global-setup.ts: one per project, or DYNAMODB_ENDPOINT). */
export function dynamoEndpoint(): string {
  return inject('dynamoEndpoint');
}
