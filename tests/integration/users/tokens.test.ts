import { fixedClock } from '@budgeting/platform';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { createTestSystem, TEST_SIGNING_KEY, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, type Account } from './helpers';

let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
let account: Account;
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
  account = await signup(t.app);
});
afterAll(() => t.destroy());

const me = (token?: string, headers?: Record<string, string>) => call(t.app, 'GET', '/v1/me', { token, headers });
const refresh = (refreshToken: unknown) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
const logout = (refreshToken: unknown) => call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken } });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function sign(key: string, claims: { sub: string; iat?: number; exp?: number }) {
  const now = Math.floor(t.clock.now().getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer('budgeting')
    .setAudience('budgeting-api')
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 900)
    .sign(new TextEncoder().encode(key));
}

describe('access tokens', () => {
  it('accepts a valid token; a token signed like ours with our key passes too (control)', async () => {
    expect((await me(account.accessToken)).status).toBe(200);
    expect((await me(await sign(TEST_SIGNING_KEY, { sub: account.user.id }))).status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined, undefined],
    ['another scheme', undefined, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['an empty bearer', undefined, { authorization: 'Bearer ' }],
    ['garbage', 'not-a-jwt', undefined],
  ])('refuses %s with 401', async (_label, token, headers) => {
    const res = await me(token, headers);
    expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a token signed with another key', async () => {
    const forged = await sign('some-other-signing-key-that-is-long-enough-000', { sub: account.user.id });
    expectProblem(await me(forged), 401);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      sub: account.user.id,
      iss: 'budgeting',
      aud: 'budgeting-api',
      iat: now,
      exp: now + 900,
    })}.`;
    expectProblem(await me(unsigned), 401);
  });

  it('refuses a token whose payload was tampered with', async () => {
    const other = await signup(t.app);
    const [header, payload, signature] = account.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = `${header}.${b64({ ...claims, sub: other.user.id })}.${signature}`;
    expectProblem(await me(tampered), 401);
    // Extending the expiry is tampering too.
    const extended = `${header}.${b64({ ...claims, exp: claims.exp + 86_400 })}.${signature}`;
    expectProblem(await me(extended), 401);
  });

  it('refuses an expired token once 15 minutes have passed, and says so', async () => {
    const fresh = await refresh(account.refreshToken);
    expect(fresh.status).toBe(200);
    account.refreshToken = fresh.json.tokens.refreshToken;
    clock.advance(14 * 60_000);
    expect((await me(fresh.json.tokens.accessToken)).status).toBe(200);
    clock.advance(60_000 + 1000);
    const res = await me(fresh.json.tokens.accessToken);
    expectProblem(res, 401);
    expect(res.json.detail).toBe('The access token has expired.');
  });
});

describe('POST /v1/auth/refresh', () => {
  it('rotates the pair: the new access token works, the new refresh token differs', async () => {
    const user = await signup(t.app);
    const res = await refresh(user.refreshToken);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      tokens: { accessToken: expect.any(String), refreshToken: expect.stringMatching(/^[\w-]{43}$/), expiresIn: 900 },
    });
    expect(res.json.tokens.refreshToken).not.toBe(user.refreshToken);
    expect((await me(res.json.tokens.accessToken)).json.id).toBe(user.user.id);
    // And the rotated one can be rotated again.
    expect((await refresh(res.json.tokens.refreshToken)).status).toBe(200);
  });

  it('treats reuse of a rotated token as theft: 401 and the whole family is revoked', async () => {
    const user = await signup(t.app);
    const otherSession = await call(t.app, 'POST', '/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    const second = await refresh(user.refreshToken);
    const third = await refresh(second.json.tokens.refreshToken);
    expect(third.status).toBe(200);

    const reuse = await refresh(user.refreshToken);
    expectProblem(reuse, 401);
    expect(reuse.json.detail).toContain('already used');

    // The newest token of that family is dead too...
    const newest = await refresh(third.json.tokens.refreshToken);
    expectProblem(newest, 401);
    // ...but a separate sign-in (another family) is untouched.
    expect((await refresh(otherSession.json.tokens.refreshToken)).status).toBe(200);
  });

  it('lets only one of two concurrent refreshes with the same token succeed', async () => {
    const user = await signup(t.app);
    const results = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken), refresh(user.refreshToken)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401, 401]);
    for (const r of results) expect(r.status).toBeLessThan(500);
  });

  it('refuses an unknown token', async () => {
    const res = await refresh('x'.repeat(43));
    expectProblem(res, 401);
    expect(res.json.detail).toBe('The refresh token is invalid, expired or revoked; sign in again.');
  });

  it('refuses a refresh token after its 30 days', async () => {
    const user = await signup(t.app);
    clock.advance(30 * 24 * 3600_000 + 1000);
    expectProblem(await refresh(user.refreshToken), 401);
  });

  it('stores only hashes of refresh tokens, each item with a TTL', async () => {
    const user = await signup(t.app);
    const rotated = await refresh(user.refreshToken);
    const items = await scanTable(t.doc, t.tableName);
    const dump = JSON.stringify(items);
    expect(dump).not.toContain(user.refreshToken);
    expect(dump).not.toContain(rotated.json.tokens.refreshToken);
    const sessionItems = items.filter(
      (i) => i.kind === 'refresh-token' || (i.kind === 'session' && i.userId === user.user.id),
    );
    expect(sessionItems.length).toBeGreaterThanOrEqual(3);
    for (const item of sessionItems) expect(item.expiresAt).toEqual(expect.any(Number));
  });

  describe('refuses invalid input with a 400 naming the field', () => {
    it.each([
      ['missing', {}, 'refreshToken'],
      ['empty', { refreshToken: '' }, 'refreshToken'],
      ['not a string', { refreshToken: 12345 }, 'refreshToken'],
      ['too long', { refreshToken: 'r'.repeat(513) }, 'refreshToken'],
      ['unknown field', { refreshToken: 'abc', userId: 'x' }, 'userId'],
    ])('%s', async (_label, body, path) => {
      expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body }), 400, [path]);
    });

    it('malformed JSON', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/refresh', {
        rawBody: '{refreshToken: abc}',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400);
    });

    it('wrong content type (415)', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/refresh', {
        rawBody: 'refreshToken=abc',
        headers: { 'content-type': 'text/plain' },
      });
      expectProblem(res, 415);
    });
  });
});

describe('POST /v1/auth/logout', () => {
  it('ends the session: 204, then that refresh token no longer works', async () => {
    const user = await signup(t.app);
    const res = await logout(user.refreshToken);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectProblem(await refresh(user.refreshToken), 401);
  });

  it('ends the whole family even when given an already rotated token', async () => {
    const user = await signup(t.app);
    const rotated = await refresh(user.refreshToken);
    expect((await logout(user.refreshToken)).status).toBe(204);
    expectProblem(await refresh(rotated.json.tokens.refreshToken), 401);
  });

  it('is idempotent and reveals nothing about unknown tokens', async () => {
    const user = await signup(t.app);
    expect((await logout(user.refreshToken)).status).toBe(204);
    expect((await logout(user.refreshToken)).status).toBe(204);
    expect((await logout('y'.repeat(43))).status).toBe(204);
  });

  it.each([
    ['missing', {}, 'refreshToken'],
    ['not a string', { refreshToken: ['a'] }, 'refreshToken'],
    ['unknown field', { refreshToken: 'abc', all: true }, 'all'],
  ])('refuses invalid input (%s) with 400', async (_label, body, path) => {
    expectProblem(await call(t.app, 'POST', '/v1/auth/logout', { body }), 400, [path]);
  });

  it('refuses malformed JSON (400) and a wrong content type (415)', async () => {
    expectProblem(
      await call(t.app, 'POST', '/v1/auth/logout', { rawBody: '{', headers: { 'content-type': 'application/json' } }),
      400,
    );
    expectProblem(
      await call(t.app, 'POST', '/v1/auth/logout', { rawBody: 'abc', headers: { 'content-type': 'text/plain' } }),
      415,
    );
  });
});
