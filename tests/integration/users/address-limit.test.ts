import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_LIMIT, REFRESH_ADDRESS_LIMIT } from '../../../packages/users/src/service/address-limit';
import { call, fromAddress } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, PASSWORD, uniqueEmail } from './helpers';

/**
 * Password hashing is the expensive part of signup and sign-in, so each client address (an
 * IPv6 client by its /64) may start only a few of them per window, counted across all emails
 * and refused with 429 + Retry-After BEFORE any hash is computed. The address is API Gateway's
 * sourceIp (the local server's socket), never a header.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
});
afterAll(() => t.destroy());

const login = (email: string, sourceIp: string, headers?: Record<string, string>) =>
  call(t.app, 'POST', '/v1/auth/login', { body: { email, password: 'a guessed password' }, env: fromAddress(sourceIp), headers });
const signupFrom = (email: string, sourceIp: string) =>
  call(t.app, 'POST', '/v1/auth/signup', { body: { email, password: PASSWORD }, env: fromAddress(sourceIp) });

describe('attempts per client address (login and signup)', () => {
  it('refuses the attempt after the limit, whatever the email, with 429 + Retry-After, and only for that address', async () => {
    const attacker = '203.0.113.50';
    for (let i = 0; i < ADDRESS_LIMIT.maxAttempts; i++) expectProblem(await login(uniqueEmail('random'), attacker), 401);
    clock.advance(20_000);
    const refused = await login(uniqueEmail('random'), attacker);
    expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBe(ADDRESS_LIMIT.windowSeconds - 20);
    // Signing up from there is refused too: the limit is on hashing, not on one route.
    expectProblem(await signupFrom(uniqueEmail('blocked'), attacker), 429);
    // X-Forwarded-For does not move the attacker to another bucket.
    expectProblem(await login(uniqueEmail('random'), attacker, { 'x-forwarded-for': '198.51.100.1' }), 429);
    // Another address is not affected.
    expectProblem(await login(uniqueEmail('random'), '203.0.113.51'), 401);
    // When the window is over, the address may try again.
    clock.advance((ADDRESS_LIMIT.windowSeconds - 20) * 1000);
    expectProblem(await login(uniqueEmail('random'), attacker), 401);
  });

  it('refuses a burst of concurrent logins with random emails before hashing: only the allowance is hashed', async () => {
    const attacker = '203.0.113.60';
    const burst = await Promise.all(Array.from({ length: 40 }, () => login(uniqueEmail('burst'), attacker)));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ADDRESS_LIMIT.maxAttempts);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - ADDRESS_LIMIT.maxAttempts);
    for (const res of burst.filter((r) => r.status === 429)) expect(res.headers.get('retry-after')).toBe(String(ADDRESS_LIMIT.windowSeconds));
    // The owner of a real account, elsewhere, is served while the attacker is refused.
    const owner = await signupFrom(uniqueEmail('owner'), '198.51.100.70');
    expect(owner.status, owner.text).toBe(201);
  });

  it('limits signups per address and creates nothing for a refused one', async () => {
    const address = '203.0.113.70';
    for (let i = 0; i < ADDRESS_LIMIT.maxAttempts; i++) expect((await signupFrom(uniqueEmail('farm'), address)).status).toBe(201);
    const email = uniqueEmail('refused');
    expectProblem(await signupFrom(email, address), 429);
    // The refused signup made no account: signing up with that email elsewhere works.
    expect((await signupFrom(email, '198.51.100.71')).status).toBe(201);
  });

  it('counts an IPv6 client by its /64 network', async () => {
    const inNetwork = (i: number) => `2001:db8:aa:bb::${(i + 1).toString(16)}`;
    for (let i = 0; i < ADDRESS_LIMIT.maxAttempts; i++) expectProblem(await login(uniqueEmail('v6'), inNetwork(i)), 401);
    expectProblem(await login(uniqueEmail('v6'), '2001:db8:aa:bb:1:2:3:4'), 429);
    expectProblem(await login(uniqueEmail('v6'), '2001:db8:aa:bc::1'), 401);
  });
});

describe('token refreshes per client address', () => {
  const refreshFrom = (refreshToken: string, sourceIp: string) =>
    call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken }, env: fromAddress(sourceIp) });
  const madeUp = (i: number) => `made-up-token-${String(i).padStart(29, '0')}`;

  it('refuses the refresh after the limit with 429 + Retry-After, before the token is looked up', async () => {
    const address = '203.0.113.90';
    const burst = await Promise.all(Array.from({ length: REFRESH_ADDRESS_LIMIT.maxAttempts }, (_, i) => refreshFrom(madeUp(i), address)));
    expect(new Set(burst.map((r) => r.status))).toEqual(new Set([401]));
    const refused = await refreshFrom(madeUp(999), address);
    expectProblem(refused, 429);
    expect(refused.headers.get('retry-after')).toBe(String(REFRESH_ADDRESS_LIMIT.windowSeconds));
    // Sign-up and sign-in from there are counted separately and still allowed.
    expect((await signupFrom(uniqueEmail('refresher'), address)).status).toBe(201);
    expectProblem(await refreshFrom(madeUp(1000), '203.0.113.91'), 401);
  });

  it('counts logouts with the refreshes: a flood of made-up tokens on logout is refused too, before the token is looked up', async () => {
    const logoutFrom = (refreshToken: string, sourceIp: string) =>
      call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken }, env: fromAddress(sourceIp) });
    const address = '203.0.113.92';
    const burst = await Promise.all(Array.from({ length: REFRESH_ADDRESS_LIMIT.maxAttempts }, (_, i) => logoutFrom(madeUp(i), address)));
    expect(new Set(burst.map((r) => r.status))).toEqual(new Set([204]));
    const refused = await logoutFrom(madeUp(999), address);
    expectProblem(refused, 429);
    expect(refused.headers.get('retry-after')).toBe(String(REFRESH_ADDRESS_LIMIT.windowSeconds));
    // One allowance for both: a refresh from there is refused as well.
    expectProblem(await refreshFrom(madeUp(1000), address), 429);
    expect((await logoutFrom(madeUp(1001), '203.0.113.93')).status).toBe(204);
  });
});
