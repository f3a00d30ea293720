import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/actors';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, signup, type Account } from './helpers';

/**
 * Security notices over HTTP on DynamoDB Local (packages/users/docs/security-notices.md): each
 * change that decides who can get into an account mails the account's address once, after the
 * change committed, and a refused change mails nothing. The test system relays job units inline,
 * so the mail is sent before the request answers.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-07T21:30:00Z');
const mails: EmailMessage[] = [];

beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'], mail: { send: async (m: EmailMessage) => void mails.push(m) } });
});
afterAll(async () => {
  await t.destroy();
});

const noticesTo = (a: Pick<Account, 'email'>) => mails.filter((m) => m.to === a.email && m.id.startsWith('security-'));
const me = (a: Pick<Account, 'accessToken'>) => as(t.app, { token: a.accessToken });
const codeFor = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() });

/** Two-factor turned on for `account`: its secret (the clock moved to the next step, so the next code is new). */
async function turnMfaOn(account: Account): Promise<string> {
  const enrol = await me(account)('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
  expect(enrol.status, enrol.text).toBe(201);
  const confirm = await me(account)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(enrol.json.secret) } });
  expect(confirm.status, confirm.text).toBe(200);
  clock.advance(30_000);
  return enrol.json.secret;
}

describe('security notices', () => {
  it('a password change mails the account once, in its zone; a refused change mails nothing', async () => {
    const account = await signup(t.app, { timezone: 'Pacific/Auckland' });
    const wrong = await me(account)('POST', '/v1/me/password', { body: { currentPassword: 'not the password at all', newPassword: 'a brand new passphrase' } });
    expectProblem(wrong, 422);
    expect(noticesTo(account)).toEqual([]);

    const res = await me(account)('POST', '/v1/me/password', { body: { currentPassword: account.password, newPassword: 'a brand new passphrase' } });
    expect(res.status, res.text).toBe(200);
    const notices = noticesTo(account);
    expect(notices.map((m) => m.subject)).toEqual(['Your budgeting account password was changed']);
    // 21:30 UTC on 7 December is 10:30 on the 8th in Auckland (NZDT, UTC+13).
    expect(notices[0]!.text).toContain('was changed on 2026-12-08 10:30 (Pacific/Auckland)');
    expect(notices[0]!.text).toContain('If this was not you');
  });

  it('a password reset mails the notice besides the code, with two-factor on too', async () => {
    const account = await signup(t.app);
    await turnMfaOn(account);
    const before = noticesTo(account).length;
    const asked = await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: account.email } });
    expect(asked.status, asked.text).toBe(202);
    const token = mails.filter((m) => m.to === account.email && !m.id.startsWith('security-')).at(-1)?.text.match(/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/)?.[0];
    expect(token).toBeDefined();
    const confirmed = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'another fresh passphrase' } });
    // Two-factor on: the password is set, and the sign-in waits for a code.
    expectProblem(confirmed, 401);
    expect(noticesTo(account).slice(before).map((m) => m.subject)).toEqual(['Your budgeting account password was reset']);
  });

  it('two-factor on, new recovery codes and two-factor off each mail once, in the profile locale', async () => {
    const account = await signup(t.app, { locale: 'de-DE', timezone: 'Europe/Berlin' });
    const secret = await turnMfaOn(account);
    const renewed = await me(account)('POST', '/v1/me/mfa/recovery-codes', { body: { password: account.password, code: codeFor(secret) } });
    expect(renewed.status, renewed.text).toBe(200);
    clock.advance(30_000);
    const off = await me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: codeFor(secret) } });
    expect(off.status, off.text).toBe(204);
    expect(noticesTo(account).map((m) => m.subject)).toEqual([
      'Die Zwei-Faktor-Anmeldung wurde aktiviert',
      'Neue Wiederherstellungscodes für die Zwei-Faktor-Anmeldung wurden erstellt',
      'Die Zwei-Faktor-Anmeldung wurde deaktiviert',
    ]);
    // Every notice is its own message (its own id): none is taken for a resend of another.
    expect(new Set(noticesTo(account).map((m) => m.id)).size).toBe(3);
  });

  it('a new personal access token is named in its notice; a retry of the keyed create mails nothing more', async () => {
    const account = await signup(t.app);
    const create = () => me(account)('POST', '/v1/me/tokens', { body: { name: 'Spreadsheet sync', scope: 'read' }, headers: { 'idempotency-key': 'security-notice-token-1' } });
    const first = await create();
    expect(first.status, first.text).toBe(201);
    const again = await create();
    expect(again.status, again.text).toBe(201);
    const notices = noticesTo(account);
    expect(notices.map((m) => m.subject)).toEqual(['A personal access token was created']);
    expect(notices[0]!.text).toContain('A personal access token named “Spreadsheet sync” was created');
  });

  it('a refused turn-off (wrong code) mails nothing', async () => {
    const account = await signup(t.app);
    const secret = await turnMfaOn(account);
    const accepted = new Set([-1, 0, 1].map((s) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() + s * 30_000 })));
    const wrongCode = ['111111', '222222', '333333'].find((c) => !accepted.has(c))!;
    const off = await me(account)('DELETE', '/v1/me/mfa/totp', { body: { password: account.password, code: wrongCode } });
    expectProblem(off, 422);
    expect(noticesTo(account).map((m) => m.subject)).toEqual(['Two-factor sign-in was turned on']);
  });
});
