import { beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../support/openapi';

/** What issue 13 found missing from /v1/openapi.json (items 1, 3, 4, 5), held in place. */
let doc: any;
beforeAll(async () => {
  doc = await fetchOpenApiDocument();
});

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, method, path, op })),
  );

describe('the OpenAPI document', () => {
  it('gives every operation a unique camelCase operationId', () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(ids.every((id) => /^[a-z][A-Za-z0-9]+$/.test(id)), ids.join(' ')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/v1/budgets'].post.operationId).toBe('createBudget');
    expect(doc.paths['/v1/budgets/{budgetId}/changes'].get.operationId).toBe('getChanges');
  });

  it('documents 413 on the eight operations with a JSON body that lacked it, and on every other body', () => {
    for (const [method, path] of [
      ['post', '/v1/auth/signup'], ['post', '/v1/auth/login'], ['post', '/v1/auth/refresh'], ['post', '/v1/auth/logout'],
      ['patch', '/v1/me'], ['patch', '/v1/budgets/{budgetId}'], ['post', '/v1/budgets/{budgetId}/members'],
      ['patch', '/v1/budgets/{budgetId}/members/{userId}'],
    ] as const) {
      expect(doc.paths[path][method].responses['413'], `${method} ${path}`).toBeDefined();
    }
    expect(operations().filter((o) => o.op.requestBody && !o.op.responses['413']).map((o) => o.where)).toEqual([]);
  });

  it('documents the 406 answer-too-large problem on every operation: any answer is checked against what Lambda can send', () => {
    expect(operations().filter((o) => !o.op.responses['406']?.content?.['application/problem+json']).map((o) => o.where)).toEqual([]);
    expect(doc.paths['/v1/budgets/{budgetId}/expenses'].get.responses['406'].description).toContain('Accept-Encoding: gzip');
  });

  it('documents X-Request-Id on every response, Retry-After on 429/503, Idempotent-Replayed and ETag where they are sent', () => {
    for (const { where, op } of operations()) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        expect(response.headers?.['X-Request-Id'], `${where} ${status}`).toBeDefined();
        if (status === '429' || status === '503') expect(response.headers['Retry-After'], `${where} ${status}`).toBeDefined();
      }
    }
    expect(doc.paths['/v1/budgets'].post.responses['201'].headers['Idempotent-Replayed']).toBeDefined();
    expect(doc.components.headers['X-Request-Id'].schema.type).toBe('string');
    const etag = (r: any) => Object.keys(r.headers ?? {}).map((h) => h.toLowerCase()).includes('etag');
    expect(etag(doc.paths['/v1/budgets/{budgetId}'].get.responses['200'])).toBe(true);
    expect(etag(doc.paths['/v1/budgets/{budgetId}/expenses/{expenseId}'].get.responses['200'])).toBe(true);
  });

  /** A 413/415 the route answers itself too, past requireAuth (the import's row cap, a charset it does not read; a DELETE's body). */
  const ROUTE_REFUSALS_AFTER_AUTH = [
    'POST /v1/budgets/{budgetId}/expenses/import 413', 'POST /v1/budgets/{budgetId}/expenses/import 415',
    // The one DELETE with a body: the router judges its Content-Type, after requireAuth.
    'DELETE /v1/me/mfa/totp 415',
  ];

  it('documents the per-caller rate limit on every operation with a bearer token: a 429, and RateLimit fields on the answers past authentication', () => {
    const bearer = operations().filter((o) => o.op.security?.length > 0);
    expect(bearer.length).toBeGreaterThan(30);
    for (const { where, op } of bearer) {
      expect(op.responses['429']?.headers?.['Retry-After'], where).toBeDefined();
      for (const [status, response] of Object.entries<any>(op.responses)) {
        // The 401/405/413/415 the app answers before requireAuth carry none; a route that refuses
        // with one of those itself, after it, declares them (platform afterRateLimit).
        const beforeAuth = ['401', '405', '413', '415'].includes(status) && !ROUTE_REFUSALS_AFTER_AUTH.includes(`${where} ${status}`);
        const expected = beforeAuth ? undefined : { $ref: '#/components/headers/RateLimit' };
        expect(response.headers.RateLimit, `${where} ${status}`).toEqual(expected);
      }
    }
    expect(doc.paths['/health'].get.responses['429']).toBeUndefined();
    expect(doc.components.headers['RateLimit-Policy'].example).toBe('"user";q=1200;w=60');
  });

  it('marks the public operations with security: [] and every other one with the bearer token', () => {
    const publicOps = operations().filter((o) => Array.isArray(o.op.security) && o.op.security.length === 0).map((o) => o.where);
    expect(publicOps.sort()).toEqual([
      'GET /health',
      // The catalogue of problem types: where a problem's `type` URI leads (RFC 9457 3.1.1), for anyone.
      'GET /problems',
      'GET /problems/{slug}',
      // The calendar feed: the token in its URL is the credential (calendar apps send no Authorization).
      'GET /v1/calendar/{token}.ics',
      // The page of the unsubscribe link below, opened in a browser (its button POSTs): the token is the credential too.
      'GET /v1/unsubscribe/{token}',
      'POST /v1/auth/login',
      'POST /v1/auth/login/mfa',
      'POST /v1/auth/logout',
      'POST /v1/auth/password-reset',
      'POST /v1/auth/password-reset/confirm',
      'POST /v1/auth/refresh',
      'POST /v1/auth/signup',
      // The one-click unsubscribe (RFC 8058): the signed token in its URL is the credential (a mailbox provider POSTs it).
      'POST /v1/unsubscribe/{token}',
    ]);
    // Account management (/v1/me and below) takes a session's token only; the rest a personal access token too.
    for (const o of operations().filter((x) => !publicOps.includes(x.where))) {
      // The home overview is under /v1/me but reads only budgets and notifications, as GET /v1/budgets does.
      const account = (o.path === '/v1/me' || o.path.startsWith('/v1/me/')) && o.path !== '/v1/me/overview';
      expect(o.op.security, o.where).toEqual(account ? [{ bearerAuth: [] }] : [{ bearerAuth: [] }, { personalAccessToken: [] }]);
    }
  });

  it('has a license, a real server, /health, and date-time timestamps on budgets and reports', () => {
    expect(doc.info.license.name).toEqual(expect.any(String));
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'http://localhost' })]);
    expect(doc.paths['/health'].get.responses['200']).toBeDefined();
    const S = doc.components.schemas;
    for (const [schema, field] of [['Budget', 'createdAt'], ['Budget', 'updatedAt'], ['Report', 'generatedAt'], ['Member', 'addedAt']] as const) {
      expect(S[schema].properties[field].format, `${schema}.${field}`).toBe('date-time');
    }
  });

  it('documents Accept on the report GETs, and a discriminated union of changes with a plain budget ref', () => {
    for (const path of ['/v1/budgets/{budgetId}/reports', '/v1/budgets/{budgetId}/reports/{reportId}']) {
      expect(doc.paths[path].get.parameters.map((p: any) => p.name)).toContain('accept');
    }
    const changes = doc.components.schemas.ExpenseChanges;
    expect(changes.properties.budget).toEqual({ $ref: '#/components/schemas/Budget' });
    expect(changes.properties.expenses.items.discriminator.propertyName).toBe('kind');
    expect(changes.properties.expenses.items.oneOf).toHaveLength(2);
  });
});
