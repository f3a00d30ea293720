import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fromAddress } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, outboxEvents, scanTable, signup, throttleKeysOf, type Account } from './helpers';

let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
let account: Account;
beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
  account = await signup(t.app, { name: 'Ada' });
});
afterAll(() => t.destroy());

const patch = (body: unknown, token = account.accessToken) => call(t.app, 'PATCH', '/v1/me', { token, body });

describe('GET /v1/me', () => {
  it('returns the caller', async () => {
    const res = await call(t.app, 'GET', '/v1/me', { token: account.accessToken });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(account.user);
    expect(res.json).not.toHaveProperty('passwordHash');
  });

  it('needs a token', async () => {
    expectProblem(await call(t.app, 'GET', '/v1/me'), 401);
  });
});

describe('PATCH /v1/me', () => {
  it('changes name, time zone and currency, and bumps updatedAt and the version only', async () => {
    clock.advance(60_000);
    const res = await patch({ name: 'Ada King', timezone: 'europe/berlin', currency: 'EUR' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      ...account.user,
      name: 'Ada King',
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      version: 2,
      updatedAt: '2026-11-24T12:01:00.000Z',
    });
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json).toEqual(res.json);
  });

  it('changes one field and leaves the others', async () => {
    const res = await patch({ currency: 'KWD' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'Ada King', timezone: 'Europe/Berlin', currency: 'KWD' });
  });

  it('clears the name with null', async () => {
    const res = await patch({ name: null });
    expect(res.status).toBe(200);
    expect(res.json.name).toBeNull();
  });

  const allPushes = { budgetAlerts: true, comments: true, imports: true, bills: true, income: false };

  it('turns email for budget alerts on and off (off after signup) and leaves the rest', async () => {
    expect(account.user.notifications).toEqual({ email: { budgetAlerts: false, reports: true }, push: allPushes, quietHours: null });
    const on = await patch({ notifications: { email: { budgetAlerts: true } } });
    expect(on.status, on.text).toBe(200);
    expect(on.json).toMatchObject({ name: null, currency: 'KWD', notifications: { email: { budgetAlerts: true, reports: true }, push: allPushes } });
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications).toEqual({ email: { budgetAlerts: true, reports: true }, push: allPushes, quietHours: null });
    // Only the kinds sent change: an empty email object changes nothing.
    expect((await patch({ notifications: { email: {} } })).json.notifications).toEqual({ email: { budgetAlerts: true, reports: true }, push: allPushes, quietHours: null });
    expect((await patch({ notifications: { email: { budgetAlerts: false } } })).json.notifications).toEqual({ email: { budgetAlerts: false, reports: true }, push: allPushes, quietHours: null });
    expectProblem(await patch({ notifications: { email: { budgetAlerts: 'yes' } } }), 400, ['notifications.email.budgetAlerts']);
    // The period reports' mail: on after signup (the spec mails each report to its owner), off when asked, on again.
    expect((await patch({ notifications: { email: { reports: false } } })).json.notifications.email).toEqual({ budgetAlerts: false, reports: false });
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications.email).toEqual({ budgetAlerts: false, reports: false });
    expect((await patch({ notifications: { email: { budgetAlerts: true } } })).json.notifications.email).toEqual({ budgetAlerts: true, reports: false });
    expect((await patch({ notifications: { email: { reports: true, budgetAlerts: false } } })).json.notifications.email).toEqual({ budgetAlerts: false, reports: true });
    expectProblem(await patch({ notifications: { email: { reports: 'no' } } }), 400, ['notifications.email.reports']);
    expectProblem(await patch({ notifications: { sms: { budgetAlerts: true } } }), 400);
  });

  it('turns push per kind on and off (on after signup: the stored profile has no push attribute), merging partial objects', async () => {
    const before = (await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications.email;
    const muted = await patch({ notifications: { push: { comments: false } } });
    expect(muted.status, muted.text).toBe(200);
    expect(muted.json.notifications).toEqual({ email: before, push: { budgetAlerts: true, comments: false, imports: true, bills: true, income: false }, quietHours: null });
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications.push).toEqual({ budgetAlerts: true, comments: false, imports: true, bills: true, income: false });
    // The other kind alone: comments stay muted; an empty push object and an email-only patch change no push.
    expect((await patch({ notifications: { push: { budgetAlerts: false } } })).json.notifications.push).toEqual({ budgetAlerts: false, comments: false, imports: true, bills: true, income: false });
    expect((await patch({ notifications: { push: {} } })).json.notifications.push).toEqual({ budgetAlerts: false, comments: false, imports: true, bills: true, income: false });
    expect((await patch({ notifications: { email: { budgetAlerts: !before.budgetAlerts } } })).json.notifications).toEqual({
      email: { budgetAlerts: !before.budgetAlerts, reports: true },
      push: { budgetAlerts: false, comments: false, imports: true, bills: true, income: false },
      quietHours: null,
    });
    expect((await patch({ notifications: { push: { imports: false } } })).json.notifications.push).toEqual({ budgetAlerts: false, comments: false, imports: false, bills: true, income: false });
    expect((await patch({ notifications: { push: { bills: false } } })).json.notifications.push).toEqual({ budgetAlerts: false, comments: false, imports: false, bills: false, income: false });
    // Income is the opt-in one: off after signup, on when asked, off again.
    expect((await patch({ notifications: { push: { income: true } } })).json.notifications.push).toEqual({ budgetAlerts: false, comments: false, imports: false, bills: false, income: true });
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications.push.income).toBe(true);
    expect((await patch({ notifications: { push: { budgetAlerts: true, comments: true, imports: true, bills: true, income: false } } })).json.notifications.push).toEqual(allPushes);
    expectProblem(await patch({ notifications: { push: { income: 'yes' } } }), 400, ['notifications.push.income']);
    expectProblem(await patch({ notifications: { push: { imports: 1 } } }), 400, ['notifications.push.imports']);
    expectProblem(await patch({ notifications: { push: { bills: 'yes' } } }), 400, ['notifications.push.bills']);
    expectProblem(await patch({ notifications: { push: { comments: 'no' } } }), 400, ['notifications.push.comments']);
    expectProblem(await patch({ notifications: { push: { budgetAlerts: 0 } } }), 400, ['notifications.push.budgetAlerts']);
    expectProblem(await patch({ notifications: { push: { dataExports: false } } }), 400);
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications.push).toEqual(allPushes);
  });

  it('sets push quiet hours (none after signup), shows them in GET /v1/me, raises the version, clears them with null, and leaves the switches', async () => {
    const before = (await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json;
    expect(before.notifications.quietHours).toBeNull();
    const set = await patch({ notifications: { quietHours: { from: '22:00', to: '07:00' } } });
    expect(set.status, set.text).toBe(200);
    expect(set.json.notifications).toEqual({ ...before.notifications, quietHours: { from: '22:00', to: '07:00', summary: false } });
    expect(set.json.version).toBe(before.version + 1);
    expect(set.headers.get('etag')).toBe(`"${before.version + 1}"`);
    const read = await call(t.app, 'GET', '/v1/me', { token: account.accessToken });
    expect(read.json.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: false });
    // A push switch alone leaves them; a new window replaces them whole (also within one day).
    expect((await patch({ notifications: { push: { comments: false } } })).json.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: false });
    expect((await patch({ notifications: { quietHours: { from: '00:00', to: '23:59' } } })).json.notifications).toEqual({
      ...before.notifications,
      push: { ...before.notifications.push, comments: false },
      quietHours: { from: '00:00', to: '23:59', summary: false },
    });
    // The summary is opt-in, and replaced with the window: a window sent without it has none.
    const summary = await patch({ notifications: { quietHours: { from: '22:00', to: '07:00', summary: true } } });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: true });
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: true });
    expect((await patch({ notifications: { quietHours: { from: '22:00', to: '07:00' } } })).json.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: false });
    const cleared = await patch({ notifications: { quietHours: null, push: { comments: before.notifications.push.comments } } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.notifications).toEqual(before.notifications);
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.notifications.quietHours).toBeNull();
  });

  it.each([
    ['a time past 23:59', { from: '24:00', to: '07:00' }, 'notifications.quietHours.from'],
    ['minutes past 59', { from: '22:00', to: '07:60' }, 'notifications.quietHours.to'],
    ['no leading zero', { from: '7:00', to: '22:00' }, 'notifications.quietHours.from'],
    ['seconds', { from: '22:00:00', to: '07:00' }, 'notifications.quietHours.from'],
    ['a number', { from: 2200, to: '07:00' }, 'notifications.quietHours.from'],
    ['a missing to', { from: '22:00' }, 'notifications.quietHours.to'],
    ['the same from and to', { from: '22:00', to: '22:00' }, 'notifications.quietHours.to'],
    ['an unknown field', { from: '22:00', to: '07:00', days: ['mon'] }, 'notifications.quietHours.days'],
    ['a summary that is not a boolean', { from: '22:00', to: '07:00', summary: 'yes' }, 'notifications.quietHours.summary'],
    ['a summary without a window', { summary: true }, 'notifications.quietHours.from'],
    ['a string', '22:00-07:00', 'notifications.quietHours'],
  ])('refuses quiet hours with %s (400 naming the field), changing nothing', async (_label, quietHours, field) => {
    const before = (await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json;
    expectProblem(await patch({ notifications: { quietHours } }), 400, [field]);
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json).toEqual(before);
  });

  it('sets the report locale (none after signup) in its canonical spelling, shows it in GET /v1/me, raises the version, clears it with null', async () => {
    const before = (await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json;
    expect(before.locale).toBeNull();
    const set = await patch({ locale: 'de-de' });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toEqual({ ...before, locale: 'de-DE', version: before.version + 1, updatedAt: set.json.updatedAt });
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.locale).toBe('de-DE');
    // Stored canonical, on the profile item.
    const stored = (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${account.user.id}` && i.sk === 'users#profile');
    expect(stored?.locale).toBe('de-DE');
    for (const [sent, canonical] of [['en-GB', 'en-GB'], ['fr', 'fr'], ['zh-hant-tw', 'zh-Hant-TW'], ['de-at', 'de-AT'], ['pt-BR', 'pt-BR'], ['es-419', 'es-419'], ['ja-JP', 'ja-JP']]) {
      expect((await patch({ locale: sent })).json.locale).toBe(canonical);
    }
    // Another field alone leaves it.
    expect((await patch({ currency: 'EUR' })).json.locale).toBe('ja-JP');
    const cleared = await patch({ locale: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.locale).toBeNull();
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json.locale).toBeNull();
  });

  it.each([
    ['not a tag', 'not a locale'],
    ['an underscore', 'en_US'],
    ['a tag nothing formats for', 'xx-XX'],
    ['the undetermined language', 'und'],
    ['a tag with the unknown region ZZ (Intl would fall back to en)', 'en-ZZ'],
    ['a tag with a private-use region (AA)', 'de-AA'],
    ['a tag with a private-use region (QM)', 'fr-QM'],
    ['a tag with a private-use region (XA)', 'en-XA'],
    ['a tag with a region nobody has', 'en-YY'],
    ['an empty string', ''],
    ['a number', 49],
    ['an object', { language: 'de' }],
    ['too long', `de-${'x'.repeat(80)}`],
  ])('refuses a locale that is %s (400 naming locale), changing nothing', async (_label, locale) => {
    const before = (await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json;
    expectProblem(await patch({ locale }), 400, ['locale']);
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).json).toEqual(before);
  });

  describe('refuses invalid input with a 400 naming the field', () => {
    it.each([
      ['unknown time zone', { timezone: 'Europe/Atlantis' }, 'timezone'],
      ['abbreviation-like garbage', { timezone: 'Not a zone' }, 'timezone'],
      ['an ICU-only abbreviation, not an IANA name (ICU reads AST as Anchorage)', { timezone: 'AST' }, 'timezone'],
      ['time zone not a string', { timezone: 3600 }, 'timezone'],
      ['unknown currency', { currency: 'EURO' }, 'currency'],
      ['currency not a string', { currency: null }, 'currency'],
      ['empty name', { name: '' }, 'name'],
      ['name too long', { name: 'x'.repeat(101) }, 'name'],
      ['name not a string', { name: 7 }, 'name'],
      ['email cannot be changed here', { email: 'new@example.com' }, 'email'],
      ['unknown field', { name: 'Ada', avatar: 'x.png' }, 'avatar'],
      ['nothing to change', {}, 'body'],
    ])('%s', async (_label, body, path) => {
      expectProblem(await patch(body), 400, [path]);
    });

    it.each([
      ['malformed JSON', '{"name": "Ada"', 'application/json', 400],
      ['wrong content type (415)', '<name>Ada</name>', 'application/xml', 415],
    ] as const)('%s', async (_label, rawBody, contentType, status) => {
      const res = await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, rawBody, headers: { 'content-type': contentType } });
      expectProblem(res, status);
    });
  });

  it('checks the token before the body', async () => {
    expectProblem(await call(t.app, 'PATCH', '/v1/me', { body: { bogus: 1 } }), 401);
  });
});

describe('DELETE /v1/me', () => {
  it('removes every users# item of the account (its sessions by the job its unit queues), and only those', async () => {
    const bystander = await signup(t.app);
    const doomed = await signup(t.app, { name: 'Doomed' });
    // Leave traces: a second session, a rotated token, throttle counters (the email's, and one
    // per client address that failed).
    const second = await call(t.app, 'POST', '/v1/auth/login', { body: { email: doomed.email, password: doomed.password } });
    expect(second.status).toBe(200);
    const rotated = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: doomed.refreshToken } });
    expect(rotated.status).toBe(200);
    for (const env of [undefined, fromAddress('203.0.113.9')]) {
      expectProblem(
        await call(t.app, 'POST', '/v1/auth/login', { body: { email: doomed.email, password: 'wrong password!' }, env }),
        401,
      );
    }
    // Every users# item that mentions the account, or is in its email's throttle partition (a
    // keyed hash of the email: the counters name neither it nor an address), except events and
    // job units (the outbox's: the relay hands them on, their TTL expires them in a day).
    const mine = (items: Record<string, any>[]) =>
      items.filter((i) => {
        const text = JSON.stringify(i);
        return (
          String(i.pk).startsWith('users#') &&
          i.kind !== 'outbox' &&
          i.kind !== 'job-unit' &&
          (text.includes(doomed.user.id) || text.includes(doomed.email) || i.pk === throttleKeysOf(doomed.email).pk)
        );
      });
    const before = mine(await scanTable(t.doc, t.tableName));
    expect(before.map((i) => i.kind).sort()).toEqual(
      [
        'email',
        ...['login-throttle', 'login-throttle', 'login-throttle'],
        ...['refresh-token', 'refresh-token', 'refresh-token'],
        ...['session', 'session', 'user'],
      ].sort(),
    );

    const res = await call(t.app, 'DELETE', '/v1/me', { token: doomed.accessToken });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    const after = await scanTable(t.doc, t.tableName);
    expect(mine(after)).toEqual([]);
    // The job units the deletion wrote with itself (each names the id only): its exports' cleanup,
    // and its sessions' and sign-in counters' (which the test system works inline, before the answer: the sessions above
    // are gone by then; tests/integration/users/sessions-cleanup-steps.test.ts holds it back).
    const units = after.filter((i) => i.kind === 'job-unit' && JSON.stringify(i).includes(doomed.user.id));
    expect(units.map((u) => [u.job, JSON.parse(u.unit)]).sort()).toEqual([
      ['users-exports-cleanup', { userId: doomed.user.id, pass: 1 }],
      ['users-sessions-cleanup', { kind: 'account-deleted', userId: doomed.user.id }],
      // The address's sign-in counters, by their keyed partition (never the address).
      ['users-sessions-cleanup', { kind: 'sign-in-counters', userId: doomed.user.id, partitions: [throttleKeysOf(doomed.email).pk] }],
    ]);
    expect(JSON.stringify(units)).not.toContain(doomed.email);
    expect(after.some((i) => i.kind === 'user' && i.id === bystander.user.id)).toBe(true);
    expect((await call(t.app, 'GET', '/v1/me', { token: bystander.accessToken })).status).toBe(200);

    const deleted = (await outboxEvents(t.doc, t.tableName)).filter((e) => e.detailType === 'user.deleted');
    expect(deleted.map((e) => e.detail.data)).toEqual([{ userId: doomed.user.id }]);
  });

  it('answers 401 to a still-valid access token of a deleted account, and the account is gone everywhere', async () => {
    const doomed = await signup(t.app);
    expect((await call(t.app, 'DELETE', '/v1/me', { token: doomed.accessToken })).status).toBe(204);

    const get = await call(t.app, 'GET', '/v1/me', { token: doomed.accessToken });
    expectProblem(get, 401);
    expect(get.json.detail).toBe('The account of this access token no longer exists, or its session was ended (signed out, or a password change or reset).');
    expectProblem(await patch({ name: 'Zombie' }, doomed.accessToken), 401);
    expectProblem(await call(t.app, 'DELETE', '/v1/me', { token: doomed.accessToken }), 401);
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: doomed.refreshToken } }), 401);
    expectProblem(
      await call(t.app, 'POST', '/v1/auth/login', { body: { email: doomed.email, password: doomed.password } }),
      401,
    );
    // The email is free again.
    const again = await signup(t.app, { email: doomed.email });
    expect(again.user.id).not.toBe(doomed.user.id);
  });

  it('needs a token', async () => {
    expectProblem(await call(t.app, 'DELETE', '/v1/me'), 401);
  });
});
