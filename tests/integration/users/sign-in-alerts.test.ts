import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, fixedClock, type EmailMessage, type FanOutJob, type LazyJob } from '@budgeting/platform';
import { createUsersModule } from '@budgeting/users';
import { SIGN_IN_ALERT_MAIL_JOB } from '../../../packages/users/src/jobs/names';
import { firstCallHeld } from '../../support/first-call-held';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/actors';
import { deliver, outboxEvents, tableItems } from '../../support/events';
import { holdingWrites } from '../../support/holding-writes';
import { call, fromAddress } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, PASSWORD, uniqueEmail } from './helpers';

/**
 * "New sign-in to your account" over HTTP on DynamoDB Local: the place a completed sign-in
 * comes from (User-Agent family + OS, IPv4 /24 or IPv6 /48) is compared with the account's
 * known ones on the profile; a new one writes user.signed_in_from_new_place with the session,
 * and its delivery mails the account once (packages/users/docs/sign-in-alerts.md, "Sign-in alerts").
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
const mails: EmailMessage[] = [];
const recordMail = async (m: EmailMessage) => void mails.push(m);
/** The mail port's send: records each message (a test may hold one back first). */
let sendMail = recordMail;

/** While set, the name of every DynamoDB command sent (the client caches its middleware: added once). */
let recording: string[] | undefined;

beforeAll(async () => {
  // budgets: a route a personal access token may use (everything under /v1/me refuses one).
  t = await createTestSystem({ clock, modules: ['users', 'budgets'], mail: { send: (m: EmailMessage) => sendMail(m) } });
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      recording?.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'signInAlertsTestLog' },
  );
});

/** The commands `run` sends. */
async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  try {
    await run();
    return recording;
  } finally {
    recording = undefined;
  }
}
afterAll(async () => {
  await t.destroy();
});

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const CHROME_WIN_UPDATED = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.60 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const HOME = '203.0.113.7';

interface Account {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

const from = (ip: string, ua: string) => ({ env: fromAddress(ip), headers: { 'user-agent': ua } });

async function signupFrom(ip: string, ua: string, extra: Record<string, unknown> = {}): Promise<Account> {
  const email = uniqueEmail('alerts');
  const res = await call(t.app, 'POST', '/v1/auth/signup', { body: { email, password: PASSWORD, ...extra }, ...from(ip, ua) });
  expect(res.status, res.text).toBe(201);
  return { id: res.json.user.id, email, accessToken: res.json.tokens.accessToken, refreshToken: res.json.tokens.refreshToken };
}

async function loginFrom(a: Account, ip: string, ua: string, password = PASSWORD) {
  return call(t.app, 'POST', '/v1/auth/login', { body: { email: a.email, password }, ...from(ip, ua) });
}

/** The per-address limits count per minute: each test of the reset and the change starts a fresh window for HOME. */
const nextMinute = () => clock.advance(61_000);

const TOKEN = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/;

/** Requests a reset (its mail job runs inline here) and returns the mailed code. */
async function resetTokenFor(a: Account): Promise<string> {
  const before = mails.length;
  expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: a.email } })).status).toBe(202);
  const mail = mails.slice(before).find((m) => m.to === a.email);
  return TOKEN.exec(mail!.text)![0];
}

const confirmResetWith = (token: string, ip: string, ua: string, newPassword: string) =>
  call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword }, ...from(ip, ua) });

async function confirmResetFrom(a: Account, ip: string, ua: string, newPassword: string) {
  return confirmResetWith(await resetTokenFor(a), ip, ua, newPassword);
}

const changePasswordFrom = (a: Account, currentPassword: string, newPassword: string, ip: string, ua: string) =>
  call(t.app, 'POST', '/v1/me/password', { body: { currentPassword, newPassword }, token: a.accessToken, ...from(ip, ua) });

/** The account's new-place events, oldest first. */
const alertEvents = async (a: Account) => (await outboxEvents(t, 'user.signed_in_from_new_place')).filter((e) => e.envelope.data.userId === a.id);
const alertMails = (a: Account) => mails.filter((m) => m.to === a.email && m.id.startsWith('sign-in-alert-'));
const profileOf = async (a: Account) => (await tableItems(t.doc, t.tableName)).find((i) => i.pk === `users#user#${a.id}` && i.sk === 'users#profile')!;

describe('sign-in alerts', () => {
  it('signup records the first place without a mail; a sign-in from it again writes nothing', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    const places = (await profileOf(a)).knownPlaces as Record<string, number>;
    expect(Object.keys(places)).toHaveLength(1);
    expect(Object.values(places)).toEqual([Math.floor(clock.now().getTime() / 1000)]);

    // Another address of the same /24, the same browser: known.
    expect((await loginFrom(a, '203.0.113.99', CHROME_WIN)).status).toBe(200);
    expect(await alertEvents(a)).toEqual([]);
    expect((await profileOf(a)).knownPlaces).toEqual(places);
    expect(alertMails(a)).toEqual([]);
  });

  it('a new network mails once, after the sign-in, and a redelivered event does not mail again', async () => {
    const a = await signupFrom(HOME, CHROME_WIN, { timezone: 'Europe/Berlin', locale: 'de-DE' });
    const res = await loginFrom(a, '198.51.100.23', CHROME_WIN);
    expect(res.status, res.text).toBe(200);
    // Nothing mailed by the request itself: the mail comes from the committed event.
    expect(alertMails(a)).toEqual([]);

    const events = await alertEvents(a);
    expect(events).toHaveLength(1);
    expect(events[0]!.envelope.data).toEqual({
      userId: a.id,
      at: clock.now().toISOString(),
      device: 'Chrome on Windows',
      deviceParts: { family: 'Chrome', os: 'Windows' },
      network: '198.51.100.x',
    });
    await deliver(t, events[0]!);
    await deliver(t, events[0]!);

    const sent = alertMails(a);
    expect(sent).toHaveLength(1);
    const mail = sent[0]!;
    expect(mail.id).toBe(`sign-in-alert-${events[0]!.envelope.id}`);
    // In the profile's locale's words (de-DE: German).
    expect(mail.subject).toBe('Neue Anmeldung bei Ihrem Konto in der Budget-App');
    // 12:00 UTC is 13:00 in Berlin in November, in the profile's locale.
    expect(mail.text).toContain('Wann: 24.11.2026, 13:00 (Europe/Berlin)');
    // The device in German too; the browser and OS names as they are.
    expect(mail.text).toContain('Gerät: Chrome unter Windows');
    expect(mail.text).toContain('Netzwerk: 198.51.100.x');
    expect(mail.text).toContain('ändern Sie sofort Ihr Passwort');
    expect(mail.text).toContain('GET /v1/me/sessions');
    expect(mail.html).toContain('<p>Gerät: Chrome unter Windows</p>');
    for (const secret of [res.json.tokens.accessToken, res.json.tokens.refreshToken, '198.51.100.23']) {
      expect(mail.text).not.toContain(secret);
      expect(mail.html).not.toContain(secret);
    }

    // Known from now on.
    expect((await loginFrom(a, '198.51.100.200', CHROME_WIN)).status).toBe(200);
    expect(await alertEvents(a)).toHaveLength(1);
  });

  it('an account suspended after a sign-in from a new place, before its alert went out: the mail job sends nothing (no mail to a suspended account)', async () => {
    // A fraud case: the thief signs in from their own network and support suspends at once;
    // the alert would warn them (the mailbox may be theirs too), and it tells the owner to
    // change a password they can no longer change (every session ended, no reset mail).
    const a = await signupFrom('192.0.2.150', CHROME_WIN);
    expect((await loginFrom(a, '198.51.100.77', FIREFOX_LINUX)).status).toBe(200);
    const events = await alertEvents(a);
    expect(events).toHaveLength(1);
    const suspend = t.system.operations.find((o) => o.name === 'users-suspend')!;
    await suspend.run({ email: a.email, reason: 'FRAUD-7', operator: 'support-bob' }, { logger: createLogger('SILENT') });
    await deliver(t, events[0]!);
    expect(alertMails(a)).toEqual([]);
  });

  it('an event written before the device parts (v1 without them) still mails, with the English device string', async () => {
    const a = await signupFrom(HOME, CHROME_WIN, { locale: 'fr-FR' });
    expect((await loginFrom(a, '192.0.2.10', CHROME_WIN)).status).toBe(200);
    const [event] = await alertEvents(a);
    const { deviceParts, ...before } = event!.envelope.data as Record<string, unknown>;
    expect(deviceParts).toEqual({ family: 'Chrome', os: 'Windows' });
    await deliver(t, { ...event!, envelope: { ...event!.envelope, data: before } });
    const sent = alertMails(a);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('Nouvelle connexion à votre compte de budget');
    expect(sent[0]!.text).toContain('\nAppareil\u00A0: Chrome on Windows\n');
  });

  it('a new device family on a known network alerts; a browser version change does not', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    expect((await loginFrom(a, HOME, CHROME_WIN_UPDATED)).status).toBe(200);
    expect(await alertEvents(a)).toEqual([]);

    expect((await loginFrom(a, HOME, FIREFOX_LINUX)).status).toBe(200);
    const events = await alertEvents(a);
    expect(events.map((e) => e.envelope.data.device)).toEqual(['Firefox on Linux']);
    await deliver(t, events[0]!);
    expect(alertMails(a)).toHaveLength(1);
    // Without a locale: the plain form, in the profile's zone (UTC by default).
    expect(alertMails(a)[0]!.text).toContain('When: 2026-11-24 12:00 (UTC)');
  });

  it('IPv6 by its /48', async () => {
    const a = await signupFrom('2001:db8:1:2::17', CHROME_WIN);
    expect((await loginFrom(a, '2001:db8:1:ffff::99', CHROME_WIN)).status).toBe(200);
    expect(await alertEvents(a)).toEqual([]);
    expect((await loginFrom(a, '2001:db8:2::1', CHROME_WIN)).status).toBe(200);
    expect((await alertEvents(a)).map((e) => e.envelope.data.network)).toEqual(['2001:db8:2::/48']);
  });

  it('no alert on a failed sign-in, on a refresh, or on a throttled one', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    expectProblem(await loginFrom(a, '192.0.2.1', FIREFOX_LINUX, 'not the password at all'), 401);
    const refreshed = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: a.refreshToken }, ...from('192.0.2.1', FIREFOX_LINUX) });
    expect(refreshed.status, refreshed.text).toBe(200);
    for (let i = 0; i < 4; i += 1) expectProblem(await loginFrom(a, '192.0.2.1', FIREFOX_LINUX, 'still not the password'), 401);
    // Five failures from this client: its 6th attempt, even with the right password, is refused (429) and alerts nothing.
    expect((await loginFrom(a, '192.0.2.1', FIREFOX_LINUX)).status).toBe(429);
    expect(await alertEvents(a)).toEqual([]);
  });

  it('a personal access token used from a new device and network never alerts (it is not a sign-in)', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    const made = await as(t.app, { token: a.accessToken })('POST', '/v1/me/tokens', { body: { name: 'sheet sync', scope: 'read' }, ...from(HOME, CHROME_WIN) });
    expect(made.status, made.text).toBe(201);
    const used = await call(t.app, 'GET', '/v1/budgets', { token: made.json.token, ...from('192.0.2.200', 'python-requests/2.31.0') });
    expect(used.status, used.text).toBe(200);
    expect(await alertEvents(a)).toEqual([]);
  });

  it('with two-factor on: nothing at the password step, one alert once the code step signs in', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    const me = as(t.app, { token: a.accessToken });
    const enrol = await me('POST', '/v1/me/mfa/totp', { body: { password: PASSWORD } });
    expect(enrol.status, enrol.text).toBe(201);
    const code = () => TOTP.generate({ secret: Secret.fromBase32(enrol.json.secret), timestamp: clock.now().getTime() });
    expect((await me('POST', '/v1/me/mfa/totp/confirm', { body: { code: code() } })).status).toBe(200);
    clock.advance(30_000);

    const step = await loginFrom(a, '198.51.100.5', FIREFOX_LINUX);
    expectProblem(step, 401);
    expect(await alertEvents(a)).toEqual([]);
    const wrong = await call(t.app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken: step.json.mfaToken, code: code() === '123456' ? '654321' : '123456' }, ...from('198.51.100.5', FIREFOX_LINUX) });
    expectProblem(wrong, 401, ['code']);
    expect(await alertEvents(a)).toEqual([]);

    const done = await call(t.app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken: step.json.mfaToken, code: code() }, ...from('198.51.100.5', FIREFOX_LINUX) });
    expect(done.status, done.text).toBe(200);
    const events = await alertEvents(a);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { userId: a.id, at: clock.now().toISOString(), device: 'Firefox on Linux', deviceParts: { family: 'Firefox', os: 'Linux' }, network: '198.51.100.x' },
    ]);
    await deliver(t, events[0]!);
    expect(alertMails(a)).toHaveLength(1);
  });

  it('keeps 20 places: the 21st forgets the least recently seen, which then alerts again', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    for (let i = 1; i <= 20; i += 1) {
      clock.advance(60_000);
      const res = await loginFrom(a, `10.0.${i}.1`, CHROME_WIN);
      expect(res.status, res.text).toBe(200);
    }
    expect(Object.keys((await profileOf(a)).knownPlaces)).toHaveLength(20);
    expect(await alertEvents(a)).toHaveLength(20);
    // The newest (10.0.20.x) is still known; the signup's place, the oldest, was forgotten.
    expect((await loginFrom(a, '10.0.20.9', CHROME_WIN)).status).toBe(200);
    expect(await alertEvents(a)).toHaveLength(20);
    clock.advance(60_000);
    expect((await loginFrom(a, HOME, CHROME_WIN)).status).toBe(200);
    expect((await alertEvents(a)).at(-1)!.envelope.data.network).toBe('203.0.113.x');
    expect(Object.keys((await profileOf(a)).knownPlaces)).toHaveLength(20);
  });

  it('two sign-ins from two new places at the same instant both stay known', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    // The first login's transaction (its event names its network) is held until the second login
    // committed: both planned their write from the same profile read.
    const { result: first } = await holdingWrites(
      t,
      '198.51.100.x',
      async () => expect((await loginFrom(a, '192.0.2.40', CHROME_WIN)).status).toBe(200),
      () => loginFrom(a, '198.51.100.40', FIREFOX_LINUX),
    );
    expect(first.status, first.text).toBe(200);
    expect((await alertEvents(a)).map((e) => e.envelope.data.network).sort()).toEqual(['192.0.2.x', '198.51.100.x']);
    expect(Object.keys((await profileOf(a)).knownPlaces)).toHaveLength(3);
    // Neither alerts again.
    expect((await loginFrom(a, '192.0.2.41', CHROME_WIN)).status).toBe(200);
    expect((await loginFrom(a, '198.51.100.41', FIREFOX_LINUX)).status).toBe(200);
    expect(await alertEvents(a)).toHaveLength(2);
  });

  it('two new places at once on a full map may leave 21 places; the next new place evicts back to 20', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    // 19 older places besides the signup's: the map is full.
    const key = { pk: `users#user#${a.id}`, sk: 'users#profile' };
    const older = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`older${String(i).padStart(2, '0')}`, Math.floor(clock.now().getTime() / 1000) - 100_000 + i]));
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: key, UpdateExpression: 'SET knownPlaces = :p', ExpressionAttributeValues: { ':p': { ...(await profileOf(a)).knownPlaces, ...older } } }));
    expect(Object.keys((await profileOf(a)).knownPlaces)).toHaveLength(20);
    clock.advance(60_000);
    await holdingWrites(
      t,
      '198.51.100.x',
      async () => expect((await loginFrom(a, '192.0.2.50', CHROME_WIN)).status).toBe(200),
      async () => expect((await loginFrom(a, '198.51.100.50', FIREFOX_LINUX)).status).toBe(200),
    );
    // Both evicted the same least recently seen place and added their own.
    const raced = Object.keys((await profileOf(a)).knownPlaces);
    expect(raced).toHaveLength(21);
    expect(raced).not.toContain('older00');
    clock.advance(60_000);
    expect((await loginFrom(a, '10.9.9.9', CHROME_WIN)).status).toBe(200);
    const after = Object.keys((await profileOf(a)).knownPlaces);
    expect(after).toHaveLength(20);
    expect(after).not.toContain('older01');
    expect(after).not.toContain('older02');
  });

  it('costs no request: a sign-in from a known place and one from a new place send the same commands', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    // The client's first sign-in also makes it a known client of the sign-in throttle: done first, so both below are alike for it.
    expect((await loginFrom(a, HOME, CHROME_WIN)).status).toBe(200);
    const known = await commandsOf(async () => expect((await loginFrom(a, HOME, CHROME_WIN_UPDATED)).status).toBe(200));
    const fresh = await commandsOf(async () => expect((await loginFrom(a, HOME, FIREFOX_LINUX)).status).toBe(200));
    expect(await alertEvents(a)).toHaveLength(1);
    expect(fresh).toEqual(known);
    expect(known.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(1);
  });

  it('a password reset confirmed from a new place alerts once, as a login; from a known place it writes nothing', async () => {
    nextMinute();
    const a = await signupFrom(HOME, CHROME_WIN);
    const fromKnown = await confirmResetFrom(a, '203.0.113.50', CHROME_WIN_UPDATED, 'a reset passphrase one');
    expect(fromKnown.status, fromKnown.text).toBe(200);
    expect(await alertEvents(a)).toEqual([]);

    const fresh = await confirmResetFrom(a, '198.51.100.23', FIREFOX_LINUX, 'a reset passphrase two');
    expect(fresh.status, fresh.text).toBe(200);
    const events = await alertEvents(a);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { userId: a.id, at: clock.now().toISOString(), device: 'Firefox on Linux', deviceParts: { family: 'Firefox', os: 'Linux' }, network: '198.51.100.x' },
    ]);
    await deliver(t, events[0]!);
    expect(alertMails(a)).toHaveLength(1);
    expect(alertMails(a)[0]!.text).toContain('Network: 198.51.100.x');
    // Known from now on, for a login too.
    expect((await loginFrom(a, '198.51.100.99', FIREFOX_LINUX, 'a reset passphrase two')).status).toBe(200);
    expect(await alertEvents(a)).toHaveLength(1);
    expect(Object.keys((await profileOf(a)).knownPlaces)).toHaveLength(2);
  });

  it('a password reset with two-factor on: nothing at the confirmation (no session), one alert at the code step', async () => {
    nextMinute();
    const a = await signupFrom(HOME, CHROME_WIN);
    const me = as(t.app, { token: a.accessToken });
    const enrol = await me('POST', '/v1/me/mfa/totp', { body: { password: PASSWORD } });
    expect(enrol.status, enrol.text).toBe(201);
    const code = () => TOTP.generate({ secret: Secret.fromBase32(enrol.json.secret), timestamp: clock.now().getTime() });
    expect((await me('POST', '/v1/me/mfa/totp/confirm', { body: { code: code() } })).status).toBe(200);
    clock.advance(30_000);

    const before = (await profileOf(a)).knownPlaces;
    const step = await confirmResetFrom(a, '198.51.100.8', FIREFOX_LINUX, 'a reset passphrase');
    expectProblem(step, 401);
    expect(await alertEvents(a)).toEqual([]);
    expect((await profileOf(a)).knownPlaces).toEqual(before);
    const done = await call(t.app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken: step.json.mfaToken, code: code() }, ...from('198.51.100.8', FIREFOX_LINUX) });
    expect(done.status, done.text).toBe(200);
    expect((await alertEvents(a)).map((e) => e.envelope.data.network)).toEqual(['198.51.100.x']);
  });

  it('a password change from a new place alerts once, as a login; from a known place it writes nothing', async () => {
    nextMinute();
    const a = await signupFrom(HOME, CHROME_WIN);
    const known = await changePasswordFrom(a, PASSWORD, 'a changed passphrase one', HOME, CHROME_WIN);
    expect(known.status, known.text).toBe(200);
    expect(await alertEvents(a)).toEqual([]);

    const fresh = await changePasswordFrom({ ...a, accessToken: known.json.tokens.accessToken }, 'a changed passphrase one', 'a changed passphrase two', '192.0.2.44', 'curl/8.5.0');
    expect(fresh.status, fresh.text).toBe(200);
    const events = await alertEvents(a);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { userId: a.id, at: clock.now().toISOString(), device: 'curl', deviceParts: { family: 'curl' }, network: '192.0.2.x' },
    ]);
    await deliver(t, events[0]!);
    expect(alertMails(a)).toHaveLength(1);
  });

  it('a refused password change or reset records no place and alerts nothing', async () => {
    nextMinute();
    const a = await signupFrom(HOME, CHROME_WIN);
    const before = (await profileOf(a)).knownPlaces;
    expectProblem(await changePasswordFrom(a, 'not the current password', 'a changed passphrase', '192.0.2.45', FIREFOX_LINUX), 422, ['currentPassword']);
    const token = await resetTokenFor(a);
    // One character changed in the middle: the last one of a base64url token may carry padding bits a
    // decoder ignores ('A' and 'B' can decode alike), so flipping it forged nothing one time in 32.
    const middle = token.length >> 1;
    const forged = `${token.slice(0, middle)}${token[middle] === 'A' ? 'B' : 'A'}${token.slice(middle + 1)}`;
    expectProblem(await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: forged, newPassword: 'a reset passphrase' }, ...from('192.0.2.46', FIREFOX_LINUX) }), 422, ['token']);
    expect(await alertEvents(a)).toEqual([]);
    expect((await profileOf(a)).knownPlaces).toEqual(before);
  });

  it('costs no request: a reset or a password change from a new place sends the commands one from a known place sends', async () => {
    nextMinute();
    const a = await signupFrom(HOME, CHROME_WIN);
    // The reset's first confirmation makes this client a known client of the sign-in throttle: done first, so both below are alike for it.
    expect((await confirmResetFrom(a, HOME, CHROME_WIN, 'a reset passphrase one')).status).toBe(200);
    const tokenKnown = await resetTokenFor(a);
    const resetKnown = await commandsOf(async () => expect((await confirmResetWith(tokenKnown, HOME, CHROME_WIN_UPDATED, 'a reset passphrase two')).status).toBe(200));
    expect(await alertEvents(a)).toEqual([]);
    const tokenFresh = await resetTokenFor(a);
    const resetFresh = await commandsOf(async () => {
      const res = await confirmResetWith(tokenFresh, HOME, FIREFOX_LINUX, 'a reset passphrase three');
      expect(res.status, res.text).toBe(200);
      // Each change below ends one earlier session (the one before it), so both mark alike.
      a.accessToken = res.json.tokens.accessToken;
    });
    expect(await alertEvents(a)).toHaveLength(1);
    expect(resetFresh).toEqual(resetKnown);
    expect(resetKnown.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(1);

    const changeKnown = await commandsOf(async () => {
      const res = await changePasswordFrom(a, 'a reset passphrase three', 'a changed passphrase one', HOME, CHROME_WIN_UPDATED);
      expect(res.status, res.text).toBe(200);
      a.accessToken = res.json.tokens.accessToken;
    });
    expect(await alertEvents(a)).toHaveLength(1);
    const changeFresh = await commandsOf(async () => expect((await changePasswordFrom(a, 'a changed passphrase one', 'a changed passphrase two', HOME, 'curl/8.5.0')).status).toBe(200));
    expect(await alertEvents(a)).toHaveLength(2);
    expect(changeFresh).toEqual(changeKnown);
    expect(changeKnown.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(1);
  });

  it('the mail job handed one unit twice at once (SQS delivers at least once) mails once; handed again after, nothing', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    expect((await loginFrom(a, '198.51.100.61', FIREFOX_LINUX)).status).toBe(200);
    const [event] = await alertEvents(a);
    // The unit the subscriber queues, handed to the job as the queue would, without the bus's inline delivery.
    const unit = { eventId: event!.envelope.id, ...event!.envelope.data };
    const { runtime } = createUsersModule(t.system.deps, { mail: { send: (m) => sendMail(m) }, storage: t.system.storage, exportSources: {} as never });
    const job = (await (runtime.jobs!.find((j) => j.name === SIGN_IN_ALERT_MAIL_JOB) as LazyJob<unknown>).load()) as FanOutJob<unknown>;
    const ctx = { logger: t.system.deps.logger, deadline: Date.now() + 60_000 };
    const held = firstCallHeld();
    sendMail = async (m) => {
      await held.pass();
      await recordMail(m);
    };
    try {
      const first = job.work(await job.parseUnit(unit), clock.now(), ctx);
      await held.firstStarted;
      await expect(job.work(await job.parseUnit(unit), clock.now(), ctx)).rejects.toThrow(/another delivery holds its claim/);
      held.release();
      expect(await first).toEqual({ done: 1 });
      expect(await job.work(await job.parseUnit(unit), clock.now(), ctx)).toEqual({ done: 0 });
    } finally {
      sendMail = recordMail;
    }
    expect(alertMails(a).map((m) => m.id)).toEqual([`sign-in-alert-${event!.envelope.id}`]);
  });

  it('stores no address or User-Agent: the profile holds only hashes and times', async () => {
    const a = await signupFrom(HOME, CHROME_WIN);
    expect((await loginFrom(a, '198.51.100.77', FIREFOX_LINUX)).status).toBe(200);
    const profile = await profileOf(a);
    const places = profile.knownPlaces as Record<string, number>;
    expect(Object.keys(places)).toHaveLength(2);
    for (const [hash, seen] of Object.entries(places)) {
      expect(hash).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(typeof seen).toBe('number');
    }
    const text = JSON.stringify(profile);
    for (const raw of [HOME, '203.0.113', '198.51.100', 'Firefox', 'Chrome', 'Linux', 'Windows']) expect(text).not.toContain(raw);
    // The event (and so its mail) carries the network, never the address.
    const events = JSON.stringify((await outboxEvents(t)).filter((e) => e.envelope.data?.userId === a.id));
    expect(events).not.toContain('198.51.100.77');
    expect(events).not.toContain(HOME);
  });
});
