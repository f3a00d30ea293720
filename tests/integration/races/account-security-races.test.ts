import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableItems } from '../../support/events';
import { call, fromAddress } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { signup, uniqueEmail, type Account } from '../users/helpers';

/**
 * The users module's own races, each driven with Promise.all over several rounds (no sleeps):
 * an email change against another change or a signup of the same address, two-factor enrolled
 * or confirmed twice at once, recovery codes regenerated while one signs in, a password change
 * while a session refreshes. Each asserts what must hold whatever the order.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:10Z');
const mails: EmailMessage[] = [];
const ROUNDS = 5;

beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'], mail: { send: async (m) => void mails.push(m) } });
});
afterAll(() => t.destroy());

let ip = 0;
/** A fresh source address per call: the address throttles are not what these tests race. */
const fresh = () => fromAddress(`198.51.${100 + Math.floor(++ip / 250)}.${ip % 250}`);
const api = (who: { accessToken: string }) => (method: string, path: string, body?: unknown) => call(t.app, method, path, { token: who.accessToken, body, env: fresh() });
const login = (email: string, password: string) => call(t.app, 'POST', '/v1/auth/login', { body: { email, password }, env: fresh() });
const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken }, env: fresh() });

const CODE = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/;
/** Requests the change; the code mail's job runs inline: the code mailed to `newEmail`. */
async function emailCode(who: Account, newEmail: string): Promise<string> {
  const res = await api(who)('POST', '/v1/me/email', { newEmail, password: who.password });
  expect(res.status, res.text).toBe(202);
  const mail = mails.filter((m) => m.to === newEmail && CODE.test(m.text)).at(-1);
  expect(mail, `a code mailed to ${newEmail}`).toBeDefined();
  return CODE.exec(mail!.text)![0];
}
const confirmEmail = (who: Account, token: string) => api(who)('POST', '/v1/me/email/confirm', { token });
const reservationsOf = async (email: string) => (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `users#email#${email}`).map((i) => i.userId);

describe('email change races', { timeout: 180_000 }, () => {
  it('two accounts confirming one address at once: one owns it, the other a 409 naming newEmail and its old address still signs in', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = [await signup(t.app), await signup(t.app)];
      const wanted = uniqueEmail(`both${round}`);
      const [codeA, codeB] = [await emailCode(a, wanted), await emailCode(b, wanted)];
      const answers = await Promise.all([confirmEmail(a, codeA), confirmEmail(b, codeB)]);
      expect(answers.map((r) => r.status).sort(), answers.map((r) => r.text).join('\n')).toEqual([200, 409]);
      const [winner, loser] = answers[0]!.status === 200 ? [a, b] : [b, a];
      expectProblem(answers.find((r) => r.status === 409)!, 409, ['newEmail']);
      expect(await reservationsOf(wanted)).toEqual([winner.user.id]);
      expect(await reservationsOf(loser.email)).toEqual([loser.user.id]);
      expect((await login(loser.email, loser.password)).status).toBe(200);
      expect((await login(wanted, winner.password)).status).toBe(200);
      expect((await login(winner.email, winner.password)).status).toBe(401);
    }
  });

  it('a confirmation while another account signs up with the address: exactly one has it, the other a 409 naming the field', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await signup(t.app);
      const wanted = uniqueEmail(`signup${round}`);
      const code = await emailCode(a, wanted);
      const [confirmed, signedUp] = await Promise.all([
        confirmEmail(a, code),
        call(t.app, 'POST', '/v1/auth/signup', { body: { email: wanted, password: 'another long passphrase', timezone: 'UTC', currency: 'USD' }, env: fresh() }),
      ]);
      const statuses = [confirmed.status, signedUp.status];
      expect(statuses.filter((s) => s === 200 || s === 201), `${confirmed.text}\n${signedUp.text}`).toHaveLength(1);
      const owners = await reservationsOf(wanted);
      expect(owners).toHaveLength(1);
      if (confirmed.status === 200) {
        expect(owners).toEqual([a.user.id]);
        expectProblem(signedUp, 409, ['email']);
      } else {
        expectProblem(confirmed, 409, ['newEmail']);
        expect(owners).toEqual([signedUp.json.user.id]);
        // The loser keeps its old address.
        expect(await reservationsOf(a.email)).toEqual([a.user.id]);
        expect((await login(a.email, a.password)).status).toBe(200);
      }
    }
  });
});

/** The code the authenticator shows now. */
const totp = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() });
const mfaItem = async (userId: string) => (await tableItems(t.doc, t.tableName)).find((i) => i.pk === `users#user#${userId}` && i.sk === 'users#mfa');
async function signInWithCode(who: Account, code: string) {
  const first = await login(who.email, who.password);
  expectProblem(first, 401);
  return call(t.app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken: first.json.mfaToken, code }, env: fresh() });
}

describe('two-factor races', { timeout: 180_000 }, () => {
  it('two enrolments at once: only the secret stored works, a code of the replaced one confirms nothing (409 or 422)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await signup(t.app);
      const enrolments = await Promise.all([0, 1].map(() => api(a)('POST', '/v1/me/mfa/totp', { password: a.password })));
      expect(enrolments.map((r) => r.status)).toEqual([201, 201]);
      const confirms = await Promise.all(enrolments.map((e) => api(a)('POST', '/v1/me/mfa/totp/confirm', { code: totp(e.json.secret) })));
      // The replaced secret's code is checked against the stored secret: a wrong code (422 naming
      // code), or 409 not-pending when the other confirmation committed first.
      const statuses = confirms.map((r) => r.status).sort();
      expect([[200, 409], [200, 422]], confirms.map((r) => r.text).join('\n')).toContainEqual(statuses);
      const won = confirms.findIndex((r) => r.status === 200);
      if (statuses[1] === 422) expectProblem(confirms[1 - won]!, 422, ['code']);
      // The recovery codes answered are the ones stored, with the secret that was confirmed.
      clock.advance(30_000);
      expect((await signInWithCode(a, totp(enrolments[1 - won]!.json.secret))).status).toBe(401);
      expect((await signInWithCode(a, confirms[won]!.json.recoveryCodes[0])).status).toBe(200);
      expect((await signInWithCode(a, totp(enrolments[won]!.json.secret))).status).toBe(200);
      expect((await mfaItem(a.user.id))!.recoveryHashes.size).toBe(9);
    }
  });

  it('one enrolment confirmed twice at once: one answer has the recovery codes, the other 409, and those codes are the stored ones', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await signup(t.app);
      const enrol = await api(a)('POST', '/v1/me/mfa/totp', { password: a.password });
      const code = totp(enrol.json.secret);
      const confirms = await Promise.all([0, 1].map(() => api(a)('POST', '/v1/me/mfa/totp/confirm', { code })));
      expect(confirms.map((r) => r.status).sort(), confirms.map((r) => r.text).join('\n')).toEqual([200, 409]);
      const won = confirms.find((r) => r.status === 200)!;
      clock.advance(30_000);
      for (const recovery of won.json.recoveryCodes.slice(0, 2)) expect((await signInWithCode(a, recovery)).status).toBe(200);
    }
  });

  it('turned off twice at once (two recovery codes): one 204, the other a 409, never a 500', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await signup(t.app);
      const enrol = await api(a)('POST', '/v1/me/mfa/totp', { password: a.password });
      const confirmed = await api(a)('POST', '/v1/me/mfa/totp/confirm', { code: totp(enrol.json.secret) });
      const codes = (confirmed.json.recoveryCodes as string[]).slice(0, 2);
      const answers = await Promise.all(codes.map((code) => api(a)('DELETE', '/v1/me/mfa/totp', { password: a.password, code })));
      expect(answers.map((r) => r.status).sort(), answers.map((r) => r.text).join('\n')).toEqual([204, 409]);
      expect(await mfaItem(a.user.id)).toBeUndefined();
      expect((await login(a.email, a.password)).status).toBe(200);
    }
  });

  it('recovery codes regenerated while one of the old ones signs in: the old one works at most before, the new ones all work after', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await signup(t.app);
      const enrol = await api(a)('POST', '/v1/me/mfa/totp', { password: a.password });
      const confirmed = await api(a)('POST', '/v1/me/mfa/totp/confirm', { code: totp(enrol.json.secret) });
      clock.advance(30_000);
      const [oldOne, forRegeneration] = confirmed.json.recoveryCodes as string[];
      const [signedIn, regenerated] = await Promise.all([
        signInWithCode(a, oldOne!),
        api(a)('POST', '/v1/me/mfa/recovery-codes', { password: a.password, code: forRegeneration }),
      ]);
      expect(regenerated.status, regenerated.text).toBe(200);
      expect([200, 401], signedIn.text).toContain(signedIn.status);
      // Whatever the order: exactly the new ten are stored, every old one is void.
      expect((await mfaItem(a.user.id))!.recoveryHashes.size).toBe(10);
      expect((await signInWithCode(a, confirmed.json.recoveryCodes[2])).status).toBe(401);
      expect((await signInWithCode(a, regenerated.json.recoveryCodes[0])).status).toBe(200);
    }
  });
});

describe('password races', { timeout: 180_000 }, () => {
  it('a password change while another session refreshes: no session of the old password survives the change', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await signup(t.app);
      const other = (await login(a.email, a.password)).json.tokens;
      const newPassword = `a brand new passphrase ${round}`;
      const [changed, refreshed] = await Promise.all([
        api(a)('POST', '/v1/me/password', { currentPassword: a.password, newPassword }),
        refresh(other.refreshToken),
      ]);
      expect(changed.status, changed.text).toBe(200);
      expect([200, 401], refreshed.text).toContain(refreshed.status);
      const survivors = [other, ...(refreshed.status === 200 ? [refreshed.json.tokens] : [])];
      for (const tokens of survivors) {
        expect((await call(t.app, 'GET', '/v1/me', { token: tokens.accessToken })).status).toBe(401);
        expect((await refresh(tokens.refreshToken)).status).toBe(401);
      }
      // The session of the change itself lives on.
      expect((await call(t.app, 'GET', '/v1/me', { token: changed.json.tokens.accessToken })).status).toBe(200);
    }
  });
});
