import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { everyRoute } from '../../support/every-route';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The access token of a deleted account is still validly signed until it expires; the API
 * says such a token gets 401 on every protected route (not an empty list, not a 404).
 */
let t: TestSystem;
let gone: Actor;
let routes: Awaited<ReturnType<typeof everyRoute<Operation>>>;

type Operation = { security?: unknown[]; requestBody?: { content: Record<string, unknown> } };

beforeAll(async () => {
  t = await createTestSystem();
  gone = await signUp(t.app, 'gone');
  routes = await everyRoute<Operation>(t.app, gone, 'x');
  expect((await as(t.app, gone)('DELETE', '/v1/me')).status).toBe(204);
});
afterAll(() => t.destroy());

describe('the access token of a deleted account', () => {
  it('gets 401 on every protected route', async () => {
    const protectedRoutes = Object.entries(routes.openapi.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => (operation.security ?? []).length > 0)
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          path: routes.fill(path),
          csv: operation.requestBody?.content['text/csv'] !== undefined,
        })),
    );
    expect(protectedRoutes.length).toBeGreaterThan(15);
    const answers = [];
    for (const { method, path, csv } of protectedRoutes) {
      const body = csv ? { rawBody: 'date,amount\n', headers: { 'content-type': 'text/csv' } } : { body: {} };
      const res = await as(t.app, gone)(method, path, ['POST', 'PATCH', 'PUT'].includes(method) ? body : {});
      answers.push({ method, path, status: res.status, detail: res.json?.detail });
    }
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(answers[0]!.detail).toBe('The account of this access token no longer exists, or its session was ended (signed out, or a password change or reset).');
  });
});
