import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';

let t: TestSystem;
let doc: any;
beforeAll(async () => {
  t = await createTestSystem();
  // The users module's own part of the document, built by the same generator the app's
  // /v1/openapi.json uses (the whole document is checked in tests/integration/http-conventions).
  const users = t.system.modules.find((m) => m.name === 'users')!;
  doc = users.routes!.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'users', version: '1' } });
});
afterAll(() => t.destroy());

describe('users routes in the OpenAPI document', () => {
  it.each([
    ['post', '/v1/auth/signup', ['201', '400', '409', '415']],
    ['post', '/v1/auth/login', ['200', '400', '401', '415', '429']],
    ['post', '/v1/auth/refresh', ['200', '400', '401', '415']],
    ['post', '/v1/auth/logout', ['204', '400', '415']],
    ['get', '/v1/me', ['200', '401']],
    ['patch', '/v1/me', ['200', '400', '401', '415']],
    ['delete', '/v1/me', ['204', '401']],
  ])('%s %s declares its responses', (method, path, statuses) => {
    const operation = doc.paths[path]?.[method];
    expect(operation, `${method} ${path}`).toBeDefined();
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
    expect(operation.operationId).toEqual(expect.any(String));
  });

  it('marks exactly the /v1/me operations as needing a bearer token', () => {
    for (const method of ['get', 'patch', 'delete']) {
      expect(doc.paths['/v1/me'][method].security).toEqual([{ bearerAuth: [] }]);
    }
    for (const path of ['/v1/auth/signup', '/v1/auth/login', '/v1/auth/refresh', '/v1/auth/logout']) {
      expect(doc.paths[path].post.security).toEqual([]); // public, said explicitly
    }
  });

  it('publishes the request schemas as strict objects with their limits', () => {
    const signup = doc.components.schemas.SignupRequest;
    expect(signup.additionalProperties).toBe(false);
    expect(signup.required).toEqual(['email', 'password']);
    expect(signup.properties.password).toMatchObject({ minLength: 10, maxLength: 128 });
    expect(doc.components.schemas.UpdateMeRequest.additionalProperties).toBe(false);
    expect(doc.components.schemas.AuthResponse.example.tokens).toHaveProperty('refreshToken');
  });
});
