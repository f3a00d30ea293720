import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, outboxEvents, PASSWORD, scanTable, signup, uniqueEmail } from './helpers';

let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem({ productionPasswordHashing: true, modules: ['users'] });
});
afterAll(() => t.destroy());

describe('POST /v1/auth/signup', () => {
  it('creates an account with defaults and signs it in', async () => {
    const email = uniqueEmail('defaults');
    const res = await call(t.app, 'POST', '/v1/auth/signup', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.json.user).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      email,
      name: null,
      timezone: 'UTC',
      currency: 'USD',
      locale: null,
      // Email for budget alerts is opt-in (issue 14): off after signup.
      notifications: { email: { budgetAlerts: false, reports: true }, push: { budgetAlerts: true, comments: true, imports: true, bills: true, income: false }, quietHours: null },
      version: 1,
      createdAt: '2026-11-24T12:00:00.000Z',
      updatedAt: '2026-11-24T12:00:00.000Z',
    });
    expect(res.json.tokens).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
    });
    expect(Object.keys(res.json).sort()).toEqual(['tokens', 'user']);

    const me = await call(t.app, 'GET', '/v1/me', { token: res.json.tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.json).toEqual(res.json.user);
  });

  it('normalizes the email, keeps the optional fields and canonicalizes the time zone', async () => {
    const local = uniqueEmail('Mixed');
    const res = await call(t.app, 'POST', '/v1/auth/signup', {
      body: {
        email: `  ${local.toUpperCase()} `,
        password: 'p'.repeat(128),
        name: '  Ada Lovelace ',
        timezone: 'america/new_york',
        currency: 'JPY',
      },
    });
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({
      email: local.toLowerCase(),
      name: 'Ada Lovelace',
      timezone: 'America/New_York',
      currency: 'JPY',
    });
  });

  it('takes a locale: stored canonical on the profile, shown by GET /v1/me', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/signup', { body: { email: uniqueEmail('locale'), password: PASSWORD, locale: 'de-at' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.user.locale).toBe('de-AT');
    const me = await call(t.app, 'GET', '/v1/me', { token: res.json.tokens.accessToken });
    expect(me.json).toEqual(res.json.user);
    expect(me.json.locale).toBe('de-AT');
    const profile = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${res.json.user.id}` && i.sk === 'users#profile');
    expect(profile?.locale).toBe('de-AT');
    // Other real regions, a UN M.49 area and a script; null is none, as in PATCH /v1/me.
    for (const [sent, stored] of [['pt-br', 'pt-BR'], ['zh-Hant-TW', 'zh-Hant-TW'], ['es-419', 'es-419'], [null, null]] as const) {
      const other = await call(t.app, 'POST', '/v1/auth/signup', { body: { email: uniqueEmail('locale'), password: PASSWORD, locale: sent } });
      expect(other.status, other.text).toBe(201);
      expect(other.json.user.locale).toBe(stored);
    }
  });

  it('never stores the password in clear, only a salted scrypt hash', async () => {
    const account = await signup(t.app, { password: 'a-unique-password-4711' });
    const items = await scanTable(t.doc, t.tableName);
    const profile = items.find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile');
    expect(profile?.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[\w-]+\$[\w-]+$/);
    expect(JSON.stringify(items)).not.toContain('a-unique-password-4711');
  });

  it('writes user.registered to the outbox with the account', async () => {
    const account = await signup(t.app, { name: 'Grace' });
    const events = await outboxEvents(t.doc, t.tableName);
    const registered = events.find((e) => e.detail.data.userId === account.user.id);
    expect(registered).toMatchObject({
      source: 'budgeting.users',
      detailType: 'user.registered',
      detail: {
        type: 'user.registered',
        version: 1,
        occurredAt: '2026-11-24T12:00:00.000Z',
        data: { userId: account.user.id, email: account.email, name: 'Grace' },
      },
    });
  });

  it('refuses an email that is taken in another case, leaving nothing behind', async () => {
    const first = await signup(t.app, { email: uniqueEmail('taken') });
    const before = await scanTable(t.doc, t.tableName);
    const res = await call(t.app, 'POST', '/v1/auth/signup', {
      body: { email: ` ${first.email.toUpperCase()}`, password: 'another password 123' },
    });
    expectProblem(res, 409, ['email']);
    expect(res.json.detail).toBe('An account with this email already exists.');
    expect((await scanTable(t.doc, t.tableName)).length).toBe(before.length);
  });

  it('lets exactly one of several concurrent signups for the same email win', async () => {
    const email = uniqueEmail('race');
    const variants = [email, email.toUpperCase(), ` ${email}`, `${email} `];
    const results = await Promise.all(
      variants.map((e, i) =>
        call(t.app, 'POST', '/v1/auth/signup', { body: { email: e, password: `${PASSWORD} ${i}` } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    const items = await scanTable(t.doc, t.tableName);
    expect(items.filter((i) => i.kind === 'user' && i.email === email)).toHaveLength(1);
    expect(items.filter((i) => i.pk === `users#email#${email}`)).toHaveLength(1);
  });

  describe('refuses invalid input with a 400 naming the field', () => {
    const valid = () => ({ email: uniqueEmail('invalid'), password: PASSWORD });
    const cases: [string, Record<string, unknown>, string][] = [
      ['missing email', { password: PASSWORD }, 'email'],
      ['email not a string', { email: 42, password: PASSWORD }, 'email'],
      ['email malformed', { email: 'not-an-email', password: PASSWORD }, 'email'],
      ['email without domain', { email: 'ada@', password: PASSWORD }, 'email'],
      ['email too long', { email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, 'email'],
      ['missing password', { email: 'x@example.com' }, 'password'],
      ['password too short (9)', { email: 'x@example.com', password: '123456789' }, 'password'],
      ['password too long (129)', { email: 'x@example.com', password: 'p'.repeat(129) }, 'password'],
      ['password not a string', { email: 'x@example.com', password: 1234567890123 }, 'password'],
      ['unknown field', { ...valid(), nickname: 'ada' }, 'nickname'],
      ['name empty', { ...valid(), name: '   ' }, 'name'],
      ['name too long', { ...valid(), name: 'n'.repeat(101) }, 'name'],
      ['name not a string', { ...valid(), name: ['Ada'] }, 'name'],
      ['unknown time zone', { ...valid(), timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['offset is not a time zone', { ...valid(), timezone: '+05:00' }, 'timezone'],
      ['an ICU-only abbreviation, not an IANA name (ICU reads BST as Dhaka)', { ...valid(), timezone: 'BST' }, 'timezone'],
      ['time zone not a string', { ...valid(), timezone: 1 }, 'timezone'],
      ['lower-case currency', { ...valid(), currency: 'usd' }, 'currency'],
      ['unknown currency', { ...valid(), currency: 'ABC' }, 'currency'],
      ['currency not a string', { ...valid(), currency: 840 }, 'currency'],
      // The locale: the schema piece PATCH /v1/me takes (users.schemas.ts), so the same refusals.
      ['locale not a tag', { ...valid(), locale: 'not a locale' }, 'locale'],
      ['locale with an underscore', { ...valid(), locale: 'en_US' }, 'locale'],
      ['locale nothing formats for', { ...valid(), locale: 'xx-XX' }, 'locale'],
      ['locale with the unknown region ZZ', { ...valid(), locale: 'en-ZZ' }, 'locale'],
      ['locale with a private-use region', { ...valid(), locale: 'de-XA' }, 'locale'],
      ['locale empty', { ...valid(), locale: '' }, 'locale'],
      ['locale not a string', { ...valid(), locale: 49 }, 'locale'],
    ];
    it.each(cases)('%s', async (_label, body, path) => {
      const res = await call(t.app, 'POST', '/v1/auth/signup', { body });
      expectProblem(res, 400, [path]);
    });

    it('names every bad field at once', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/signup', {
        body: { email: 'nope', password: 'short', currency: 'XXX', extra: true },
      });
      expectProblem(res, 400, ['email', 'password', 'currency', 'extra']);
      expect(res.json.errors.find((e: { path: string }) => e.path === 'extra').message).toBe('Unknown field');
    });

    it('says "Required" for a missing field', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/signup', { body: {} });
      expectProblem(res, 400, ['email', 'password']);
      expect(res.json.errors).toContainEqual({ path: 'email', message: 'Required' });
    });

    it.each([
      ['an array', '[]'],
      ['null', 'null'],
      ['a string', '"ada@example.com"'],
    ])('body that is %s', async (_label, rawBody) => {
      const res = await call(t.app, 'POST', '/v1/auth/signup', {
        rawBody,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400, ['body']);
    });

    it('malformed JSON', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/signup', {
        rawBody: '{"email": "ada@example.com", ',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400);
    });

    it('no body at all', async () => {
      const res = await call(t.app, 'POST', '/v1/auth/signup');
      expectProblem(res, 400, ['email', 'password']);
    });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/signup', {
      rawBody: 'email=ada@example.com&password=correct+horse+battery',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 415);
  });
});
