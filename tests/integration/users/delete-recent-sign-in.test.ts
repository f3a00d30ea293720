import { fixedClock } from '@budgeting/platform';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, outboxEvents, scanTable, signup, type Account } from './helpers';

/**
 * DELETE /v1/me requires a sign-in within the last 10 minutes ("sudo mode"): the access token's
 * `auth_time` (set at login, carried unchanged by refreshes) must be at most 10 minutes old.
 * On DynamoDB Local, with the test system's clock moved forward.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-01T09:00:10Z');
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
});
afterAll(() => t.destroy());

const MINUTE = 60_000;
const REAUTH_TYPE = 'https://budgeting.dev/problems/reauthentication-required';

const deleteMe = (accessToken: string) => call(t.app, 'DELETE', '/v1/me', { token: accessToken });

/** POST /v1/auth/login with the account's password: the token pair (two-factor off). */
async function login(a: Pick<Account, 'email' | 'password'>): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: a.email, password: a.password } });
  expect(res.status, res.text).toBe(200);
  return res.json.tokens;
}

async function refresh(refreshToken: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
  expect(res.status, res.text).toBe(200);
  return res.json.tokens;
}

/** The access token's claims, read without verifying (the app verified it when it made it). */
const claimsOf = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8'));

const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

/** The refusal, and that nothing of the account went: the profile answers, no user.deleted. */
async function expectRefusedAndKept(res: Awaited<ReturnType<typeof deleteMe>>, account: Account, stillValidToken: string) {
  expectProblem(res, 403);
  expect(res.json.type).toBe(REAUTH_TYPE);
  expect(res.json.title).toBe('Recent sign-in required');
  expect(res.json.detail).toContain('within the last 10 minutes');
  expect(res.json.detail).toContain('POST /v1/auth/login');
  const me = await call(t.app, 'GET', '/v1/me', { token: stillValidToken });
  expect(me.status, me.text).toBe(200);
  expect(me.json.id).toBe(account.user.id);
  const deleted = (await outboxEvents(t.doc, t.tableName)).filter((e) => e.detailType === 'user.deleted' && e.detail.data.userId === account.user.id);
  expect(deleted).toEqual([]);
  const items = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}`);
  expect(items.map((i) => i.sk)).toContain('users#profile');
}

describe('DELETE /v1/me needs a sign-in within the last 10 minutes', () => {
  it('a fresh login deletes the account (204)', async () => {
    const account = await signup(t.app);
    clock.advance(20 * MINUTE); // the signup's own session is old now: the login is what counts
    const fresh = await login(account);
    expect(claimsOf(fresh.accessToken).auth_time).toBe(nowSeconds());
    clock.advance(9 * MINUTE);
    const res = await deleteMe(fresh.accessToken);
    expect(res.status, res.text).toBe(204);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: fresh.accessToken }), 401);
  });

  it('a login 11 minutes old gets 403 reauthentication-required and nothing is deleted; a new login then deletes', async () => {
    const account = await signup(t.app);
    const old = await login(account);
    clock.advance(11 * MINUTE);
    await expectRefusedAndKept(await deleteMe(old.accessToken), account, old.accessToken);

    const again = await login(account);
    expect((await deleteMe(again.accessToken)).status).toBe(204);
  });

  it('refreshing does not renew the sign-in: the token refreshed at minute 9 is refused at minute 11, until a new login', async () => {
    const account = await signup(t.app);
    const first = await login(account);
    const signedInAt = nowSeconds();
    clock.advance(9 * MINUTE);
    const refreshed = await refresh(first.refreshToken);
    // The original sign-in time goes forward, not the refresh's.
    expect(claimsOf(refreshed.accessToken).auth_time).toBe(signedInAt);
    expect(claimsOf(refreshed.accessToken).iat).toBe(nowSeconds());
    clock.advance(2 * MINUTE);
    await expectRefusedAndKept(await deleteMe(refreshed.accessToken), account, refreshed.accessToken);
    // And through a second rotation too.
    const twice = await refresh(refreshed.refreshToken);
    expect(claimsOf(twice.accessToken).auth_time).toBe(signedInAt);
    await expectRefusedAndKept(await deleteMe(twice.accessToken), account, twice.accessToken);

    const again = await login(account);
    expect((await deleteMe(again.accessToken)).status).toBe(204);
  });

  it('a session whose refresh token was written before sign-in times were kept must sign in again', async () => {
    const account = await signup(t.app);
    const tokens = await login(account);
    // As a refresh-token item stored before this change: no authTime.
    const items = await scanTable(t.doc, t.tableName);
    const stored = items.filter((i) => i.kind === 'refresh-token' && i.userId === account.user.id && i.status === 'active');
    expect(stored.length).toBeGreaterThan(0);
    for (const item of stored) {
      expect(typeof item.authTime).toBe('number');
      await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'REMOVE authTime' }));
    }
    const refreshed = await refresh(tokens.refreshToken);
    expect(claimsOf(refreshed.accessToken)).not.toHaveProperty('auth_time');
    // Right after the refresh (and the login), still refused: the sign-in time is unknown, so not recent.
    await expectRefusedAndKept(await deleteMe(refreshed.accessToken), account, refreshed.accessToken);
    expect((await deleteMe((await login(account)).accessToken)).status).toBe(204);
  });

  it('with two-factor on, the login + code token counts as a sign-in, and goes stale like any other', async () => {
    const account = await signup(t.app);
    const enrol = await call(t.app, 'POST', '/v1/me/mfa/totp', { token: account.accessToken, body: { password: account.password } });
    expect(enrol.status, enrol.text).toBe(201);
    const secret: string = enrol.json.secret;
    const codeNow = () => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() });
    const confirm = await call(t.app, 'POST', '/v1/me/mfa/totp/confirm', { token: account.accessToken, body: { code: codeNow() } });
    expect(confirm.status, confirm.text).toBe(200);

    const signIn = async () => {
      clock.advance(30_000); // a new TOTP step: each code works once
      const first = await call(t.app, 'POST', '/v1/auth/login', { body: { email: account.email, password: account.password } });
      expectProblem(first, 401);
      expect(first.json.type).toBe('https://budgeting.dev/problems/mfa-required');
      const second = await call(t.app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken: first.json.mfaToken, code: codeNow() } });
      expect(second.status, second.text).toBe(200);
      expect(claimsOf(second.json.tokens.accessToken).auth_time).toBe(nowSeconds());
      return second.json.tokens.accessToken as string;
    };

    const stale = await signIn();
    clock.advance(11 * MINUTE);
    await expectRefusedAndKept(await deleteMe(stale), account, stale);

    const fresh = await signIn();
    const res = await deleteMe(fresh);
    expect(res.status, res.text).toBe(204);
    const left = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}`);
    expect(left.map((i) => i.sk)).not.toContain('users#profile');
  });
});
