import { createLogger, fixedClock, OperatorInputError } from '@budgeting/platform';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../../support/actors';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { scanTable, signup, type Account } from './helpers';

/**
 * Support looks an account up (the read-only operator operation users-show, docs/support.md
 * "Looking an account up"), through the in-process system on DynamoDB Local: its state after a
 * suspension, its lift and a two-factor reset, the audit trail newest first, and nothing secret
 * anywhere in what it prints; it reads and never writes.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-06T09:00:10Z');
/** While set, every DynamoDB command's name (the client caches its middleware: added once, here). */
let recording: string[] | undefined;

beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      recording?.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'accountShowTestLog' },
  );
});
afterAll(async () => {
  await t.destroy();
});

const operation = (name: string) => t.system.operations.find((o) => o.name === name)!;
const quiet = { logger: createLogger('SILENT') };
const show = (email: string) => operation('users-show').run({ email, operator: 'support-carol' }, quiet);
const me = (accessToken: string) => as(t.app, { token: accessToken });
const login = (a: Pick<Account, 'email' | 'password'>) => call(t.app, 'POST', '/v1/auth/login', { body: { email: a.email, password: a.password } });
const codeFor = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() });
const partitionOf = async (userId: string) => (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${userId}`);

/** Every key and every string value anywhere in `value` (the printed summary). */
function keysAndStrings(value: unknown, keys = new Set<string>(), strings = new Set<string>()) {
  if (typeof value === 'string') strings.add(value);
  else if (Array.isArray(value)) value.forEach((v) => keysAndStrings(v, keys, strings));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      keys.add(k);
      keysAndStrings(v, keys, strings);
    }
  return { keys, strings };
}

/** The attributes that hold a secret, or what stands in for one, on the account's items. */
const FORBIDDEN_ATTRIBUTES = ['passwordHash', 'sealedSecret', 'recoveryHashes', 'secretHash', 'currentHash', 'tokenHash', 'knownPlaces', 'revokedSessions0', 'revokedSessions1', 'revokedWindow0', 'revokedWindow1', 'sessionEpoch', 'token', 'detail'];

/** Fails when the summary holds any forbidden attribute name, or any secret value of the account's stored items or of the tokens it was given. */
async function expectNothingSecret(summary: unknown, userId: string, tokens: string[]) {
  const text = JSON.stringify(summary);
  const { keys } = keysAndStrings(summary);
  expect([...keys].filter((k) => FORBIDDEN_ATTRIBUTES.includes(k))).toEqual([]);
  const items = await partitionOf(userId);
  const secrets: string[] = [...tokens];
  for (const item of items) {
    for (const name of ['passwordHash', 'sealedSecret', 'secretHash', 'currentHash']) if (typeof item[name] === 'string') secrets.push(item[name]);
    if (item.recoveryHashes instanceof Set) secrets.push(...(item.recoveryHashes as Set<string>));
    if (item.knownPlaces && typeof item.knownPlaces === 'object') secrets.push(...Object.keys(item.knownPlaces as object));
    for (const slot of ['revokedSessions0', 'revokedSessions1']) if (item[slot] instanceof Set) secrets.push(...(item[slot] as Set<string>));
  }
  // Each refresh token's hash is its own item's key (found by the user through gsi1).
  const refreshHashes = (await scanTable(t.doc, t.tableName)).filter((i) => i.gsi1pk === `users#user#${userId}` && String(i.pk).startsWith('users#refresh#')).map((i) => String(i.pk).slice('users#refresh#'.length));
  expect(refreshHashes.length).toBeGreaterThan(0);
  secrets.push(...refreshHashes);
  expect(secrets.some((s) => s.startsWith('$scrypt$'))).toBe(true);
  expect(secrets.filter((s) => s.length >= 8 && text.includes(s))).toEqual([]);
}

describe('users-show', () => {
  it('after a suspension, its lift and a two-factor reset: the state, the live sessions and tokens, the three audit records newest first; nothing secret; reads only', async () => {
    const account = await signup(t.app, { name: 'Dana Support-Case', locale: 'de-DE', timezone: 'Europe/Berlin' });
    const pat = await me(account.accessToken)('POST', '/v1/me/tokens', { body: { name: 'script', scope: 'read' } });
    expect(pat.status, pat.text).toBe(201);
    const enrol = await me(account.accessToken)('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
    const confirmed = await me(account.accessToken)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(enrol.json.secret) } });
    expect(confirmed.status, confirmed.text).toBe(200);
    clock.advance(30_000);
    const given = [account.accessToken, account.refreshToken, pat.json.token as string, enrol.json.secret as string, ...(confirmed.json.recoveryCodes as string[])];

    // Before anything: two-factor on, not suspended, one session (the signup's), one token, no audit.
    const before = await show(account.email.toUpperCase());
    expect(before).toMatchObject({
      ok: true,
      summary: {
        operation: 'users-show',
        userId: account.user.id,
        email: account.email,
        name: 'Dana Support-Case',
        locale: 'de-DE',
        timezone: 'Europe/Berlin',
        createdAt: expect.any(String),
        mfaOn: true,
        suspendedAt: null,
        passwordChangedAt: null,
        sessions: { active: 1, more: false },
        personalTokens: { listed: 1, usable: 1 },
        audit: { records: [], more: false },
      },
    });
    await expectNothingSecret(before, account.user.id, given);

    const suspended = (await operation('users-suspend').run({ email: account.email, reason: 'TICKET-12: spam', operator: 'support-alice' }, quiet)).summary as { at: string; eventId: string };
    const whileSuspended = (await show(account.email)).summary;
    expect(whileSuspended).toMatchObject({ suspendedAt: suspended.at, sessions: { active: 0 }, personalTokens: { listed: 1, usable: 0 } });

    clock.advance(60_000);
    const lifted = (await operation('users-unsuspend').run({ email: account.email, reason: 'TICKET-12: owner verified', operator: 'support-bob' }, quiet)).summary as { at: string; eventId: string };
    clock.advance(60_000);
    const reset = (await operation('users-mfa-reset').run({ email: account.email, reason: 'TICKET-13: lost phone', operator: 'support-alice' }, quiet)).summary as { at: string; eventId: string };
    clock.advance(60_000);
    const back = await login(account);
    expect(back.status, back.text).toBe(200);
    given.push(back.json.tokens.accessToken, back.json.tokens.refreshToken);

    recording = [];
    let result;
    try {
      result = await show(account.email);
    } finally {
      const commands = recording;
      recording = undefined;
      // Reads only: the email, the profile, then the sessions, the tokens and the audit trail.
      expect(commands.filter((c) => /Put|Update|Delete|Write/.test(c))).toEqual([]);
      expect(commands.sort()).toEqual(['GetItemCommand', 'GetItemCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']);
    }
    expect(result).toEqual({
      ok: true,
      summary: {
        operation: 'users-show',
        userId: account.user.id,
        email: account.email,
        name: 'Dana Support-Case',
        locale: 'de-DE',
        timezone: 'Europe/Berlin',
        currency: account.user.currency,
        createdAt: expect.any(String),
        mfaOn: false,
        suspendedAt: null,
        passwordChangedAt: null,
        sessions: { active: 1, more: false },
        // The token made before the suspension is still listed (GET /v1/me/tokens lists it) but its epoch is over.
        personalTokens: { listed: 1, usable: 0 },
        audit: {
          records: [
            { action: 'mfa-reset-by-operator', operator: 'support-alice', reason: 'TICKET-13: lost phone', at: reset.at, eventId: reset.eventId },
            { action: 'unsuspended-by-operator', operator: 'support-bob', reason: 'TICKET-12: owner verified', at: lifted.at, eventId: lifted.eventId },
            { action: 'suspended-by-operator', operator: 'support-alice', reason: 'TICKET-12: spam', at: suspended.at, eventId: suspended.eventId },
          ],
          more: false,
        },
      },
    });
    await expectNothingSecret(result, account.user.id, given);
  });

  it('a two-factor reset made while the account was suspended says its notice was withheld', async () => {
    const account = await signup(t.app);
    const enrol = await me(account.accessToken)('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
    expect((await me(account.accessToken)('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(enrol.json.secret) } })).status).toBe(200);
    await operation('users-suspend').run({ email: account.email, reason: 'TICKET-21: fraud', operator: 'support-alice' }, quiet);
    clock.advance(60_000);
    const reset = (await operation('users-mfa-reset').run({ email: account.email, reason: 'TICKET-21: attacker enrolled', operator: 'support-alice' }, quiet)).summary as { at: string; eventId: string };
    const records = ((await show(account.email)).summary as { audit: { records: Record<string, unknown>[] } }).audit.records;
    // Support sees why the owner got no mail (the reset's notice goes to no suspended account).
    expect(records[0]).toEqual({ action: 'mfa-reset-by-operator', operator: 'support-alice', reason: 'TICKET-21: attacker enrolled', at: reset.at, eventId: reset.eventId, noticeWithheld: 'account-suspended' });
    expect(records[1]).toMatchObject({ action: 'suspended-by-operator' });
    expect(records[1]).not.toHaveProperty('noticeWithheld');
  });

  it("shows when the password was last changed or reset (support checks the owner reset it after a lift)", async () => {
    const account = await signup(t.app);
    clock.advance(60_000);
    const changedAt = clock.now().toISOString();
    const changed = await me(account.accessToken)('POST', '/v1/me/password', { body: { currentPassword: account.password, newPassword: 'a brand new passphrase' } });
    expect(changed.status, changed.text).toBe(200);
    clock.advance(60_000);
    expect((await show(account.email)).summary).toMatchObject({ userId: account.user.id, passwordChangedAt: changedAt, sessions: { active: 1 } });
  });

  it('shows the newest 50 audit records and says more exist', async () => {
    const account = await signup(t.app);
    for (let n = 0; n < 52; n++) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
      const Item = { pk: `users#user#${account.user.id}`, sk: `users#audit#${at}#evt-${n}`, kind: 'audit', action: 'suspended-by-operator', userId: account.user.id, operator: 'support-x', reason: `T-${n}`, at };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    const summary = (await show(account.email)).summary as { audit: { records: { reason: string; eventId: string }[]; more: boolean } };
    expect(summary.audit.more).toBe(true);
    expect(summary.audit.records).toHaveLength(50);
    expect(summary.audit.records[0]).toMatchObject({ reason: 'T-51', eventId: 'evt-51' });
    expect(summary.audit.records.at(-1)).toMatchObject({ reason: 'T-2', eventId: 'evt-2' });
  });

  it('an unknown email or no email is the operator\'s input error', async () => {
    await expect(show('nobody-here@example.com')).rejects.toThrow(OperatorInputError);
    await expect(show('nobody-here@example.com')).rejects.toThrow(/no account has the email nobody-here@example.com/);
    await expect(operation('users-show').run({ operator: 'support-carol' }, quiet)).rejects.toThrow(/--email/);
  });
});
