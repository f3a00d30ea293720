import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { signup } from './helpers';

let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem({ modules: ['users'] });
});
afterAll(() => t.destroy());

describe('UsersFacade (what budgets may ask)', () => {
  it('finds a user by email in any case, and by id', async () => {
    const account = await signup(t.app, { name: 'Grace Hopper', timezone: 'America/New_York', currency: 'EUR' });
    const summary = { id: account.user.id, email: account.email, name: 'Grace Hopper', version: 1, timezone: 'America/New_York', currency: 'EUR', locale: null, notifications: { email: { budgetAlerts: false, reports: true }, push: { budgetAlerts: true, comments: true, imports: true, bills: true, income: false }, quietHours: null } };
    const users = t.system.facades.users;
    expect(await users.findByEmail(` ${account.email.toUpperCase()} `)).toEqual(summary);
    expect(await users.getById(account.user.id)).toEqual(summary);
  });

  it("gives the user's locale with the rest, once set (null while none is)", async () => {
    const account = await signup(t.app);
    const users = t.system.facades.users;
    expect((await users.getById(account.user.id))?.locale).toBeNull();
    expect((await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { locale: 'de-de' } })).status).toBe(200);
    expect((await users.getById(account.user.id))?.locale).toBe('de-DE');
    expect((await users.findByEmail(account.email))?.locale).toBe('de-DE');
    // Every change of the profile raises its version (a membership's name snapshot is ordered by it).
    expect((await users.getById(account.user.id))?.version).toBe(2);
  });

  it('answers null for unknown users and for deleted ones', async () => {
    const users = t.system.facades.users;
    expect(await users.findByEmail('nobody@example.com')).toBeNull();
    expect(await users.getById('01JDQ3Z8WB6N5K7V2C4X9M0PQR')).toBeNull();

    const account = await signup(t.app);
    expect((await call(t.app, 'DELETE', '/v1/me', { token: account.accessToken })).status).toBe(204);
    expect(await users.findByEmail(account.email)).toBeNull();
    expect(await users.getById(account.user.id)).toBeNull();
  });
});
