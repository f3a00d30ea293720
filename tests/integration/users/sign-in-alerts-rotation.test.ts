import { createHmac, hkdfSync } from 'node:crypto';
import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents, tableItems } from '../../support/events';
import { call, fromAddress } from '../../support/http';
import { createTestSystem, TEST_SIGNING_KEY, type TestSystem } from '../../support/test-system';
import { PASSWORD, uniqueEmail } from './helpers';

/**
 * Sign-in alerts across a rotation of the token signing key (packages/users/docs/sign-in-alerts.md, "Sign-in alerts";
 * root README, "Rotating the token signing key"), on DynamoDB Local: three systems on ONE table,
 * as three deployments of one stage:
 * - `before`: key A only, where the places are recorded;
 * - `rotated`: key B with A as TOKEN_SIGNING_KEY_PREVIOUS: a place stored under A is known (no
 *   event, no mail) and its entry re-keyed under B in the sign-in's own write;
 * - `after`: B only: a place nobody signed in from during the rotation mails once, a re-keyed
 *   one does not.
 */
const KEY_B = 'the-new-signing-key-after-rotation-0123456789abcdef';
const clock = fixedClock('2026-11-24T12:00:00Z');
const mails: EmailMessage[] = [];
let before: TestSystem;
let rotated: TestSystem;
let after: TestSystem;

/** While set, the name of every DynamoDB command `rotated` sends. */
let recording: string[] | undefined;

beforeAll(async () => {
  const mail = { send: async (m: EmailMessage) => void mails.push(m) };
  before = await createTestSystem({ clock, modules: ['users'], mail });
  const sameTable = { clock, modules: ['users' as const], mail, tableName: before.tableName };
  rotated = await createTestSystem({ ...sameTable, env: { TOKEN_SIGNING_KEY: KEY_B, TOKEN_SIGNING_KEY_PREVIOUS: TEST_SIGNING_KEY } });
  after = await createTestSystem({ ...sameTable, env: { TOKEN_SIGNING_KEY: KEY_B } });
  rotated.doc.middlewareStack.add(
    (next, context) => async (args) => {
      // The sign-in throttle's counters (users#throttle#, users#address#) are left out: whether a
      // window item is created or renewed depends on the windows' ages, not on the place.
      const pk = String((args.input as { Key?: { pk?: unknown }; Item?: { pk?: unknown } }).Key?.pk ?? (args.input as { Item?: { pk?: unknown } }).Item?.pk ?? '');
      if (!/^users#(throttle|address)#/.test(pk)) recording?.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'rotationAlertsTestLog' },
  );
});
afterAll(async () => {
  await Promise.all([after, rotated, before].map((s) => s?.destroy()));
});

async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  try {
    await run();
    return recording;
  } finally {
    recording = undefined;
  }
}

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const SAFARI_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15';

/** A place's stored hash as the README defines it, computed here (not with the module's code). */
function placeHash(signingKey: string, userId: string, device: string, network: string): string {
  const key = Buffer.from(hkdfSync('sha256', signingKey, '', 'users-sign-in-place-hmac-sha256', 32));
  return createHmac('sha256', key).update(`${userId}\n${device}\n${network}`, 'utf8').digest().subarray(0, 12).toString('base64url');
}

const from = (ip: string, ua: string) => ({ env: fromAddress(ip), headers: { 'user-agent': ua } });
const login = (system: TestSystem, email: string, ip: string, ua: string) => call(system.app, 'POST', '/v1/auth/login', { body: { email, password: PASSWORD }, ...from(ip, ua) });

/** The account's alert events so far, each delivered (idempotent: a redelivery mails nothing), and the mails they made. */
async function alertsOf(userId: string, email: string) {
  const events = (await outboxEvents(rotated, 'user.signed_in_from_new_place')).filter((e) => e.envelope.data.userId === userId);
  await deliver(rotated, ...events);
  return { events: events.map((e) => e.envelope.data as { network: string; device: string }), mails: mails.filter((m) => m.to === email && m.id.startsWith('sign-in-alert-')) };
}

const placesOf = async (userId: string) =>
  (await tableItems(rotated.doc, rotated.tableName)).find((i) => i.pk === `users#user#${userId}` && i.sk === 'users#profile')!.knownPlaces as Record<string, number>;

describe('sign-in alerts across a signing key rotation', () => {
  it('a place recorded under the previous key is known during the rotation (re-keyed, no mail); after it, only places not re-keyed mail, once', async () => {
    const email = uniqueEmail('rotation-places');
    // Under key A: home (signup) and the office (a login from a new place: one alert, before the rotation).
    const signup = await call(before.app, 'POST', '/v1/auth/signup', { body: { email, password: PASSWORD }, ...from('203.0.113.7', CHROME_WIN) });
    expect(signup.status, signup.text).toBe(201);
    const userId = signup.json.user.id as string;
    expect((await login(before, email, '198.51.100.20', FIREFOX_LINUX)).status).toBe(200);
    const homeA = placeHash(TEST_SIGNING_KEY, userId, 'Chrome on Windows', '203.0.113.x');
    const officeA = placeHash(TEST_SIGNING_KEY, userId, 'Firefox on Linux', '198.51.100.x');
    const signedUpAt = Math.floor(clock.now().getTime() / 1000);
    expect(await placesOf(userId)).toEqual({ [homeA]: signedUpAt, [officeA]: signedUpAt });
    expect((await alertsOf(userId, email)).mails).toHaveLength(1);

    // The rotation's deploy (B, A previous), an hour later: home signs in.
    clock.advance(3_600_000);
    const rekeying = await commandsOf(async () => expect((await login(rotated, email, '203.0.113.8', CHROME_WIN)).status).toBe(200));
    const homeB = placeHash(KEY_B, userId, 'Chrome on Windows', '203.0.113.x');
    const rekeyedAt = Math.floor(clock.now().getTime() / 1000);
    expect(await placesOf(userId)).toEqual({ [homeB]: rekeyedAt, [officeA]: signedUpAt });
    expect((await alertsOf(userId, email)).mails).toHaveLength(1);
    // No request added: the re-keying login sends what a login from a place known under B sends
    // (the throttle's counters aside: the first login under B creates B's email window, the
    // second renews an expired one, a Put more whatever the place).
    clock.advance(16 * 60_000);
    const known = await commandsOf(async () => expect((await login(rotated, email, '203.0.113.9', CHROME_WIN)).status).toBe(200));
    expect(rekeying).toEqual(known);
    expect(known.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(1);
    expect(await placesOf(userId)).toEqual({ [homeB]: rekeyedAt, [officeA]: signedUpAt });

    // A place known under neither key still mails, once.
    expect((await login(rotated, email, '192.0.2.40', SAFARI_MAC)).status).toBe(200);
    const duringRotation = await alertsOf(userId, email);
    expect(duringRotation.events.map((e) => e.network)).toEqual(['198.51.100.x', '192.0.2.x']);
    expect(duringRotation.mails).toHaveLength(2);

    // The previous key removed: home (re-keyed) is known; the office (never signed in from during
    // the rotation) is new under B: one mail, and known from then on.
    clock.advance(86_400_000);
    expect((await login(after, email, '203.0.113.7', CHROME_WIN)).status).toBe(200);
    expect((await alertsOf(userId, email)).mails).toHaveLength(2);
    expect((await login(after, email, '198.51.100.20', FIREFOX_LINUX)).status).toBe(200);
    expect((await login(after, email, '198.51.100.21', FIREFOX_LINUX)).status).toBe(200);
    const afterRotation = await alertsOf(userId, email);
    expect(afterRotation.events.map((e) => e.network)).toEqual(['198.51.100.x', '192.0.2.x', '198.51.100.x']);
    expect(afterRotation.mails).toHaveLength(3);
  });

  it('a sign-in during the rotation from a place known under the previous key alerts nothing on a password change either', async () => {
    clock.advance(61_000);
    const email = uniqueEmail('rotation-change');
    const signup = await call(before.app, 'POST', '/v1/auth/signup', { body: { email, password: PASSWORD }, ...from('203.0.113.70', CHROME_WIN) });
    expect(signup.status, signup.text).toBe(201);
    const change = await call(rotated.app, 'POST', '/v1/me/password', {
      body: { currentPassword: PASSWORD, newPassword: 'a changed passphrase one' },
      token: signup.json.tokens.accessToken,
      ...from('203.0.113.71', CHROME_WIN),
    });
    expect(change.status, change.text).toBe(200);
    const userId = signup.json.user.id as string;
    expect(Object.keys(await placesOf(userId))).toEqual([placeHash(KEY_B, userId, 'Chrome on Windows', '203.0.113.x')]);
    expect(await alertsOf(userId, email)).toEqual({ events: [], mails: [] });
  });
});
