import { fixedClock } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PasswordHasher } from '../../../packages/users/src/service/passwords';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, throttleKeysOf, uniqueEmail, type Account } from './helpers';

let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
let account: Account;
beforeAll(async () => {
  t = await createTestSystem({ clock, productionPasswordHashing: true, modules: ['users'] });
  account = await signup(t.app, { name: 'Ada' });
});
afterAll(() => t.destroy());
afterEach(() => vi.restoreAllMocks());

const login = (body: unknown) => call(t.app, 'POST', '/v1/auth/login', { body });

describe('POST /v1/auth/login', () => {
  it('signs in with the email in any case and returns the account and a new pair', async () => {
    const res = await login({ email: ` ${account.email.toUpperCase()} `, password: account.password });
    expect(res.status).toBe(200);
    expect(res.json.user).toEqual(account.user);
    expect(res.json.tokens).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
    });
    expect(res.json.tokens.refreshToken).not.toBe(account.refreshToken);
    const me = await call(t.app, 'GET', '/v1/me', { token: res.json.tokens.accessToken });
    expect(me.json.id).toBe(account.user.id);
  });

  it('answers a wrong password and an unknown email identically, after the same hashing work', async () => {
    const burn = vi.spyOn(PasswordHasher.prototype, 'burn');
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    const wrong = await login({ email: account.email, password: 'wrong password 123' });
    const unknown = await login({ email: uniqueEmail('nobody'), password: 'wrong password 123' });
    expectProblem(wrong, 401);
    expectProblem(unknown, 401);
    expect(unknown.json).toEqual(wrong.json);
    expect(wrong.json.detail).toBe('The email or password is incorrect.');
    // One scrypt derivation each: a real verification for the account, a burn for nobody.
    expect(verify).toHaveBeenCalledTimes(1);
    expect(burn).toHaveBeenCalledTimes(1);
    await clearThrottle(account.email);
  });

  describe('refuses invalid input with a 400 naming the field', () => {
    const cases: [string, unknown, string][] = [
      ['missing email', { password: 'whatever password' }, 'email'],
      ['malformed email', { email: 'ada.example.com', password: 'whatever password' }, 'email'],
      ['email not a string', { email: true, password: 'whatever password' }, 'email'],
      ['missing password', { email: 'ada@example.com' }, 'password'],
      ['empty password', { email: 'ada@example.com', password: '' }, 'password'],
      ['password longer than any allowed one', { email: 'ada@example.com', password: 'p'.repeat(129) }, 'password'],
      ['password not a string', { email: 'ada@example.com', password: { value: 'x' } }, 'password'],
      ['unknown field', { email: 'ada@example.com', password: 'whatever password', remember: true }, 'remember'],
    ];
    it.each(cases)('%s', async (_label, body, path) => {
      expectProblem(await login(body), 400, [path]);
    });

    it('malformed JSON', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/login', {
        rawBody: '{"email":',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400);
    });

    it('wrong content type (415)', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/login', {
        rawBody: JSON.stringify({ email: account.email, password: account.password }),
        headers: { 'content-type': 'text/plain' },
      });
      expectProblem(res, 415);
    });
  });
});

describe('login throttling', () => {
  it('refuses the 6th attempt within 15 minutes with 429 + Retry-After, even with the right password', async () => {
    const victim = await signup(t.app);
    const wrong = (i: number) => login({ email: victim.email, password: `wrong password ${i}` });
    expectProblem(await wrong(1), 401);
    clock.advance(4 * 60_000);
    for (const res of await Promise.all([wrong(2), wrong(3), wrong(4), wrong(5)])) expectProblem(res, 401);
    // The window opened at the first attempt, 4 minutes ago: 11 minutes remain.
    const blocked = await login({ email: victim.email, password: victim.password });
    expectProblem(blocked, 429);
    expect(blocked.headers.get('retry-after')).toBe(String(11 * 60));
    expect(blocked.json.detail).toContain('Too many failed sign-in attempts');

    // The email is throttled in any spelling.
    expectProblem(await login({ email: victim.email.toUpperCase(), password: victim.password }), 429);

    // Once the window is over, the right password works again.
    clock.advance(11 * 60_000);
    expect((await login({ email: victim.email, password: victim.password })).status).toBe(200);
  });

  it('resets the count after a successful sign-in', async () => {
    const user = await signup(t.app);
    const wrong = () => login({ email: user.email, password: 'wrong password!!' });
    for (const res of await Promise.all([wrong(), wrong(), wrong(), wrong()])) expectProblem(res, 401);
    expect((await login({ email: user.email, password: user.password })).status).toBe(200);
    for (const res of await Promise.all([wrong(), wrong(), wrong(), wrong(), wrong()])) expectProblem(res, 401);
    expectProblem(await wrong(), 429);
  });

  it('counts a concurrent burst exactly: 5 attempts are checked, the rest get 429', async () => {
    // An unknown email: a 429 must not reveal whether an account exists, so it is throttled too.
    const email = uniqueEmail('ghost');
    const burst = await Promise.all(Array.from({ length: 8 }, () => login({ email, password: 'some password 1' })));
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const blocked = burst.find((r) => r.status === 429)!;
    expectProblem(blocked, 429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(15 * 60);
  });

  it('keeps its counters in the table with a TTL: the email-wide one and the client\'s', async () => {
    const email = uniqueEmail('counted');
    const windowEnd = Math.floor(t.clock.now().getTime() / 1000) + 15 * 60;
    await login({ email, password: 'some password 1' });
    await login({ email, password: 'some password 1' });
    const counters = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === throttleKeysOf(email).pk);
    expect(counters.map(({ sk, attempts, expiresAt }) => ({ sk, attempts, expiresAt })).sort((a, b) => a.sk.localeCompare(b.sk))).toEqual([
      { sk: 'users#throttle', attempts: 2, expiresAt: windowEnd },
      // In-process requests have no network address: they share the "unknown" client.
      { sk: 'users#throttle#client#unknown', attempts: 2, expiresAt: windowEnd },
    ]);
  });
});

async function clearThrottle(email: string) {
  // A successful sign-in resets the counter, so earlier tests' failures do not leak into later ones.
  expect((await login({ email, password: account.password })).status).toBe(200);
}
