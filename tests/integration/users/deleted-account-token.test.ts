import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { everyRoute } from '../../support/every-route';
import { responseValidator } from '../../support/response-validator';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The access token of a deleted account is still validly signed until it expires; the API
 * says such a token gets 401 on every protected route (not an empty list, not a 404), an
 * answer as the document declares it: none of the headers of the answer the route made before
 * the account check failed (its ETag, its Content-Disposition, its Cache-Control...).
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
    const validator = responseValidator(routes.openapi);
    const undeclared: string[] = [];
    for (const { method, path, csv } of protectedRoutes) {
      const body = csv ? { rawBody: 'date,amount\n', headers: { 'content-type': 'text/csv' } } : { body: {} };
      const res = await as(t.app, gone)(method, path, ['POST', 'PATCH', 'PUT'].includes(method) ? body : {});
      answers.push({ method, path, status: res.status, detail: res.json?.detail });
      undeclared.push(...validator.violations({ method, url: path, status: res.status, headers: res.headers, body: res.text }));
      if (res.headers.get('cache-control') !== 'no-store') undeclared.push(`${method} ${path}: Cache-Control ${res.headers.get('cache-control')}`);
    }
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(undeclared).toEqual([]);
    expect(answers[0]!.detail).toBe('The account of this access token no longer exists, or its session was ended (signed out, or a password change or reset).');
  });
});
