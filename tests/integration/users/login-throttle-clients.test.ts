import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE } from '../../../packages/users/src/service/login-throttle';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { withCommandMiddleware } from '../../support/command-middleware';
import { call, fromAddress } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, throttleKeysOf } from './helpers';

/**
 * Sign-in throttling per client address: a guesser on one network must not lock the owner
 * out on another, and guesses spread over many addresses still meet a cap per email.
 * Addresses come from API Gateway's sourceIp (what the Lambda receives), never from headers.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
});
afterAll(() => t.destroy());

const login = (body: { email: string; password: string }, sourceIp: string, headers?: Record<string, string>) =>
  call(t.app, 'POST', '/v1/auth/login', { body, env: fromAddress(sourceIp), headers });

async function failFrom(email: string, addresses: string[]) {
  const results = await Promise.all(addresses.map((ip, i) => login({ email, password: `wrong password ${i}` }, ip)));
  return results.map((r) => r.status);
}

describe('login throttling per client address', () => {
  it('stops a guesser on one address without locking the owner out elsewhere', async () => {
    const owner = await signup(t.app);
    const attacker = '203.0.113.7';
    expect(await failFrom(owner.email, Array(5).fill(attacker))).toEqual([401, 401, 401, 401, 401]);
    const blocked = await login({ email: owner.email, password: owner.password }, attacker);
    expectProblem(blocked, 429);
    expect(blocked.headers.get('retry-after')).toBe(String(15 * 60));

    // The owner, at home, signs in; the attacker is still refused.
    expect((await login({ email: owner.email, password: owner.password }, '198.51.100.20')).status).toBe(200);
    expectProblem(await login({ email: owner.email, password: 'one more guess!' }, attacker), 429);
  });

  it('ignores X-Forwarded-For: a client cannot pick the address it is counted under', async () => {
    const owner = await signup(t.app);
    const attacker = '203.0.113.8';
    const spoofed = (i: number) =>
      login({ email: owner.email, password: `wrong password ${i}` }, attacker, { 'x-forwarded-for': `192.0.2.${i}` });
    for (let i = 1; i <= 5; i++) expectProblem(await spoofed(i), 401);
    expectProblem(await spoofed(6), 429);
  });

  it('counts an IPv6 client by its /64 network, so rotating addresses inside it does not help', async () => {
    const owner = await signup(t.app);
    const sameNetwork = ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:DB8:1:2:0:0:0:c', '2001:db8:1:2:ffff::d', '2001:0db8:0001:0002::e'];
    expect(await failFrom(owner.email, sameNetwork)).toEqual([401, 401, 401, 401, 401]);
    expectProblem(await login({ email: owner.email, password: 'wrong password!' }, '2001:db8:1:2::f'), 429);
    // The neighbouring /64 is another client.
    expectProblem(await login({ email: owner.email, password: 'wrong password!' }, '2001:db8:1:3::1'), 401);
  });

  it('caps the attempts for one email from all addresses together, even with the right password', async () => {
    const owner = await signup(t.app);
    const cap = LOGIN_THROTTLE.maxAttemptsPerEmail;
    const spread = Array.from({ length: cap }, (_, i) => `192.0.2.${i + 1}`);
    expect(new Set(await failFrom(owner.email, spread))).toEqual(new Set([401]));

    const fresh = await login({ email: owner.email, password: owner.password }, '198.51.100.99');
    expectProblem(fresh, 429);
    expect(Number(fresh.headers.get('retry-after'))).toBe(15 * 60);

    // The window ends: the owner signs in again.
    clock.advance(15 * 60_000);
    expect((await login({ email: owner.email, password: owner.password }, '198.51.100.99')).status).toBe(200);
  });

  it('does not let a refused client use up the email-wide allowance', async () => {
    const owner = await signup(t.app);
    const attacker = '203.0.113.10';
    const results = await failFrom(owner.email, Array(40).fill(attacker));
    expect(results.filter((s) => s === 401)).toHaveLength(LOGIN_THROTTLE.maxFailuresPerClient);
    const emailWide = (await scanTable(t.doc, t.tableName)).find(
      (i) => i.pk === throttleKeysOf(owner.email).pk && i.sk === 'users#throttle',
    );
    expect(emailWide?.attempts).toBe(LOGIN_THROTTLE.maxFailuresPerClient);
    expect((await login({ email: owner.email, password: owner.password }, '198.51.100.21')).status).toBe(200);
  });

  it('never refuses the owner on an address they signed in from before, while guesses from many addresses meet the cap', async () => {
    const owner = await signup(t.app);
    const home = '198.51.100.30';
    expect((await login({ email: owner.email, password: owner.password }, home)).status).toBe(200);

    // Five guessers, five guesses each: the email-wide cap is used up.
    const guessers = Array.from({ length: LOGIN_THROTTLE.maxAttemptsPerEmail / LOGIN_THROTTLE.maxFailuresPerClient }, (_, i) => `192.0.2.${100 + i}`);
    for (const ip of guessers) expect(await failFrom(owner.email, Array(LOGIN_THROTTLE.maxFailuresPerClient).fill(ip))).toEqual([401, 401, 401, 401, 401]);
    expectProblem(await login({ email: owner.email, password: owner.password }, '198.51.100.31'), 429);

    // At home the owner still signs in, again and again; a wrong password there is a 401, not a 429.
    expect((await login({ email: owner.email, password: owner.password }, home)).status).toBe(200);
    expectProblem(await login({ email: owner.email, password: 'a typo in it' }, home), 401);
    expect((await login({ email: owner.email, password: owner.password }, home)).status).toBe(200);
  });

  it('does not count the owner\'s successful sign-ins toward the email-wide cap', async () => {
    const owner = await signup(t.app);
    const phone = '198.51.100.40';
    for (let i = 0; i <= LOGIN_THROTTLE.maxAttemptsPerEmail; i++) {
      expect((await login({ email: owner.email, password: owner.password }, phone)).status).toBe(200);
      clock.advance(10_000); // spread over a few minutes, inside one 15-minute window
    }
    // A first sign-in from a new address counts while it is checked and is refunded when it succeeds.
    expect((await login({ email: owner.email, password: owner.password }, '198.51.100.41')).status).toBe(200);
    const emailWide = (await scanTable(t.doc, t.tableName)).find(
      (i) => i.pk === throttleKeysOf(owner.email).pk && i.sk === 'users#throttle',
    );
    expect(emailWide?.attempts ?? 0).toBe(0);
    expectProblem(await login({ email: owner.email, password: 'wrong password!' }, '192.0.2.200'), 401);
  });

  it('a sign-in whose email-wide window ends while its password is checked gives back its attempt to that window, not a guess of the next', async () => {
    const owner = await signup(t.app);
    const reservation = `users#email#${owner.email}`;
    let guess: Awaited<ReturnType<typeof login>> | undefined;
    let guessed = false;
    // The owner's sign-in from a new address is counted (the window's first attempt); while its
    // account is looked up, the window ends and a guess from elsewhere opens the next one.
    const signedIn = await withCommandMiddleware(
      t.doc,
      'guessInTheNextWindow',
      (next) => async (args) => {
        if (!guessed && JSON.stringify(args.input).includes(reservation)) {
          guessed = true;
          clock.advance(LOGIN_THROTTLE.windowSeconds * 1000);
          guess = await login({ email: owner.email, password: 'a guess in the next window' }, '192.0.2.210');
        }
        return next(args);
      },
      () => login({ email: owner.email, password: owner.password }, '198.51.100.50'),
    );
    expect(signedIn.status, signedIn.text).toBe(200);
    expectProblem(guess!, 401);
    const { Item: emailWide } = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: throttleKeysOf(owner.email).pk, sk: 'users#throttle' }, ConsistentRead: true }));
    // The guess still counts in its window: the success's refund was for the window it was counted in.
    expect(emailWide?.attempts).toBe(1);
  });
  /**
   * A failed sign-in of `owner` from `address` with the first sending of the write `lost` matches
   * answered as lost (the SDK sends it again and meets it): it must count once, so the client
   * still has exactly its other four tries before the 429.
   */
  async function countedOnceWithAnswerLost(owner: { email: string }, address: string, lost: (name: string, input: string) => boolean) {
    const clientSk = throttleKeysOf(owner.email).clientSk(address);
    const { result: first, resent } = await withFirstAnswerLost(t.doc, lost, () => login({ email: owner.email, password: 'wrong password 0' }, address));
    expect(resent).toBe(true);
    expectProblem(first, 401);
    const { Item: counter } = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: throttleKeysOf(owner.email).pk, sk: clientSk }, ConsistentRead: true }));
    expect(counter?.attempts).toBe(1);
    expect(await failFrom(owner.email, Array(4).fill(address))).toEqual([401, 401, 401, 401]);
    expectProblem(await login({ email: owner.email, password: 'one guess too many' }, address), 429);
  }

  it('a failed sign-in whose count committed but whose answer was lost (the SDK sent the ADD again) is counted once: the client still has its five tries', async () => {
    const owner = await signup(t.app);
    const clientSk = throttleKeysOf(owner.email).clientSk('203.0.113.41');
    await countedOnceWithAnswerLost(owner, '203.0.113.41', (name, input) => name === 'UpdateItemCommand' && input.includes(clientSk) && input.includes('ADD #count') && input.includes('"#count":"attempts"'));
  });

  it('a failed sign-in whose new window committed but whose answer was lost (the SDK sent the PutItem again) is counted once', async () => {
    const owner = await signup(t.app);
    const address = '203.0.113.42';
    const clientSk = throttleKeysOf(owner.email).clientSk(address);
    expect(await failFrom(owner.email, Array(5).fill(address))).toEqual([401, 401, 401, 401, 401]);
    clock.advance(LOGIN_THROTTLE.windowSeconds * 1000);
    await countedOnceWithAnswerLost(owner, address, (name, input) => name === 'PutItemCommand' && input.includes(clientSk));
  });

  it('a success whose refund committed but whose answer was lost (the SDK sent the ADD -1 again) gives back its own attempt only, not a guesser\'s', async () => {
    const owner = await signup(t.app);
    const emailKey = { pk: throttleKeysOf(owner.email).pk, sk: 'users#throttle' };
    expect(await failFrom(owner.email, ['192.0.2.51', '192.0.2.52', '192.0.2.53'])).toEqual([401, 401, 401]);
    const refund = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(emailKey.pk) && !input.includes('users#throttle#client') && input.includes(':minusOne');
    const { result: signedIn, resent } = await withFirstAnswerLost(t.doc, refund, () => login({ email: owner.email, password: owner.password }, '198.51.100.77'));
    expect(resent).toBe(true);
    expect(signedIn.status).toBe(200);
    const { Item: emailWide } = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: emailKey, ConsistentRead: true }));
    // The three guesses still count; only the success's own attempt was given back.
    expect(emailWide?.attempts).toBe(3);
  });
});
