import { loadConfig } from '@budgeting/platform';
import { expect } from 'vitest';
import { createSystem } from '../../packages/app/src/system';
import { call } from './http';
import { TEST_MFA_SECRETS_KEY, TEST_SIGNING_KEY, TEST_WEBHOOK_SECRETS_KEY } from './test-system';

/**
 * GET /v1/openapi.json of a whole system, as a client would fetch it. The document is built
 * from the routes' schemas alone, so no table is needed: the system gets a DynamoDB client
 * it never uses.
 */
export async function fetchOpenApiDocument(): Promise<any> {
  const system = createSystem({ config: loadConfig({ TOKEN_SIGNING_KEY: TEST_SIGNING_KEY, WEBHOOK_SECRETS_KEY: TEST_WEBHOOK_SECRETS_KEY, MFA_SECRETS_KEY: TEST_MFA_SECRETS_KEY, LOG_LEVEL: 'SILENT' }) });
  try {
    const res = await call(system.app, 'GET', '/v1/openapi.json');
    expect(res.status, res.text).toBe(200);
    return res.json;
  } finally {
    system.doc.destroy();
  }
}
