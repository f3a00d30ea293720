import { expect } from 'vitest';
import { call } from './http';
import { createTestSystem } from './test-system';

/** GET /v1/openapi.json of a whole system, as a client would fetch it. */
export async function fetchOpenApiDocument(): Promise<any> {
  const t = await createTestSystem();
  try {
    const res = await call(t.app, 'GET', '/v1/openapi.json');
    expect(res.status, res.text).toBe(200);
    return res.json;
  } finally {
    await t.destroy();
  }
}
