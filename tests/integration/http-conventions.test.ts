import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/actors';
import { call } from '../support/http';
import { responseValidator } from '../support/response-validator';
import { createTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t.destroy());

describe('HTTP conventions', () => {
  it('answers /health without auth', async () => {
    const res = await call(t.app, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('returns problem+json for unknown routes, with a request id', async () => {
    const res = await call(t.app, 'GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({ status: 404, title: 'Not found' });
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
  });

  it('keeps a well-formed client request id', async () => {
    const res = await call(t.app, 'GET', '/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });

  it('serves an OpenAPI 3.1 document and the docs page', async () => {
    const doc = await call(t.app, 'GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    const docs = await call(t.app, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/v1/openapi.json');
  });

  it('answers CORS preflights', async () => {
    const res = await t.app.request('/v1/me', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'PATCH' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it("lets a browser client send every request header the API documents and read every answer header it documents (CORS)", async () => {
    const doc = (await call(t.app, 'GET', '/v1/openapi.json')).json as OpenApiDoc;
    const { requestHeaders, answerHeaders } = documentedHeaders(doc);
    // Both lists are read from the document, not from the code under test; they hold what the
    // routes describe (Prefer: wait=N on the jobs, Preference-Applied and Content-Disposition back).
    expect(requestHeaders).toContain('prefer');
    expect(answerHeaders).toContain('preference-applied');
    const preflight = await t.app.request('/v1/me', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders.join(',') },
    });
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
    // A header a browser may send without asking (Fetch: CORS-safelisted request-header) needs no listing.
    expect(requestHeaders.filter((h) => !['accept', 'accept-language', 'content-language'].includes(h) && !allowed.includes(h))).toEqual([]);
    const answer = await t.app.request('/health', { headers: { origin: 'https://app.example' } });
    const exposed = (answer.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(',');
    // Fetch: CORS-safelisted response-header names are readable anyway.
    const safelisted = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'];
    expect(answerHeaders.filter((h) => !safelisted.includes(h) && !exposed.includes(h))).toEqual([]);
  });

  it('answers a wrong method with 405 problem+json and an Allow header', async () => {
    const res = await call(t.app, 'DELETE', '/health');
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('allow')).toContain('GET');
  });

  it('refuses bodies over 1 MB with 413 problem+json', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/login', {
      rawBody: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ status: 413 });
  });

  it('refuses a body that is not JSON with 415 problem+json', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/login', {
      rawBody: 'email=a@b.co',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.json.detail).toContain('application/json');
  });

  it('refuses a non-JSON body sent to a POST that takes none with 415 too, a status its operation declares', async () => {
    // Refused before authentication: the content-type gate judges every POST, PUT and PATCH body.
    const res = await call(t.app, 'POST', '/v1/notifications/read-all', { rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    const served = (await call(t.app, 'GET', '/v1/openapi.json')).json;
    expect(served.paths['/v1/notifications/read-all'].post.responses['415']?.description).toBe('Wrong Content-Type');
  });

  it('refuses a non-JSON body on a DELETE that reads one (turning off two-factor) with the unsupported-media-type problem its operation documents', async () => {
    const user = await signUp(t.app, 'delete-body');
    const path = '/v1/me/mfa/totp';
    const served = (await call(t.app, 'GET', '/v1/openapi.json')).json;
    const validator = responseValidator(served);
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }]) {
      const res = await call(t.app, 'DELETE', path, { token: user.token, rawBody: '{"password":"x","code":"123456"}', headers });
      expect(res.status, res.text).toBe(415);
      expect(res.json).toMatchObject({ type: 'https://budgeting.dev/problems/unsupported-media-type', status: 415 });
      expect(res.json.detail).toContain('application/json');
      expect(validator.violations({ method: 'DELETE', url: path, status: res.status, headers: res.headers, body: res.text })).toEqual([]);
    }
  });

  it('takes a JSON body whose Content-Type is application/json however its parameters are spelled (RFC 9110 8.3.1: whitespace before ";", an empty parameter)', async () => {
    const user = await signUp(t.app, 'json-spellings');
    for (const type of ['application/json ; charset=UTF-8', 'application/json;', 'application/json; charset=utf-8;', 'application/json;charset="utf-8" ']) {
      const renamed = await call(t.app, 'PATCH', '/v1/me', { token: user.token, rawBody: JSON.stringify({ name: 'Ada' }), headers: { 'content-type': type } });
      expect(renamed.status, `${type}: ${renamed.text}`).toBe(200);
      const wrongPassword = await call(t.app, 'POST', '/v1/auth/login', { rawBody: JSON.stringify({ email: user.email, password: 'not the password at all' }), headers: { 'content-type': type } });
      expect(wrongPassword.status, `${type}: ${wrongPassword.text}`).toBe(401);
      // The one DELETE with a body reads it too (409: two-factor sign-in is not on).
      const off = await call(t.app, 'DELETE', '/v1/me/mfa/totp', { token: user.token, rawBody: JSON.stringify({ password: user.password, code: '123456' }), headers: { 'content-type': type } });
      expect(off.status, `${type}: ${off.text}`).toBe(409);
    }
  });
});

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: ({ $ref: string } | { in: string; name: string })[]; responses?: Record<string, { $ref?: string; headers?: Record<string, unknown> }> }>>;
  components: { parameters?: Record<string, { in: string; name: string }>; responses?: Record<string, { headers?: Record<string, unknown> }> };
}

/** Every header parameter and every answer header the document names, lower-cased. */
function documentedHeaders(doc: OpenApiDoc) {
  const requestHeaders = new Set<string>();
  const answerHeaders = new Set<string>();
  for (const operations of Object.values(doc.paths)) {
    for (const operation of Object.values(operations)) {
      if (typeof operation !== 'object' || operation === null) continue;
      for (const p of operation.parameters ?? []) {
        const parameter = '$ref' in p ? doc.components.parameters?.[p.$ref.split('/').at(-1)!] : p;
        if (parameter?.in === 'header') requestHeaders.add(parameter.name.toLowerCase());
      }
      for (const r of Object.values(operation.responses ?? {})) {
        const answer = r.$ref ? doc.components.responses?.[r.$ref.split('/').at(-1)!] : r;
        for (const name of Object.keys(answer?.headers ?? {})) answerHeaders.add(name.toLowerCase());
      }
    }
  }
  return { requestHeaders: [...requestHeaders].sort(), answerHeaders: [...answerHeaders].sort() };
}
