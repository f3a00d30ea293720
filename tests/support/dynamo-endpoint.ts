import { inject } from 'vitest';

/** What global-setup.ts provides to a project whose test file starts its own DynamoDB Local (own-dynamodb.ts). */
export const OWN_PER_FILE = 'own-per-file';
/** Where own-dynamodb.ts leaves that instance's endpoint (the setup file and the test file share the process). */
export const OWN_ENDPOINT_VARIABLE = 'TEST_OWN_DYNAMODB_ENDPOINT';

/** The DynamoDB Local of this test file: the run's (global-setup.ts) or the file's own (heavy projects). */
export function dynamoEndpoint(): string {
  const provided = inject('dynamoEndpoint');
  if (provided !== OWN_PER_FILE) return provided;
  const own = process.env[OWN_ENDPOINT_VARIABLE];
  if (!own) throw new Error('this project starts its DynamoDB Local per file, but tests/support/own-dynamodb.ts has not run (setupFiles)');
  return own;
}
