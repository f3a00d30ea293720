import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http';
import { createTestSystem, type TestSystem } from '../support/test-system';

/** createTestSystem({ modules }) wires only the chosen modules (tests/support/test-system.ts). */
let users: TestSystem;
beforeAll(async () => {
  users = await createTestSystem({ modules: ['users'] });
});
afterAll(() => users.destroy());

describe('a test system of a subset of the modules', () => {
  it('serves only their routes', async () => {
    expect((await call(users.app, 'POST', '/v1/auth/login', { body: { email: 'nobody@example.com', password: 'x'.repeat(12) } })).status).toBe(401);
    const budgets = await call(users.app, 'GET', '/v1/budgets');
    expect(budgets.status).toBe(404);
    expect(budgets.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const doc = await call(users.app, 'GET', '/v1/openapi.json');
    expect(Object.keys(doc.json.paths).sort()).toEqual([
      '/health',
      // The app's own, as /health: the problem catalogue lists every module's types whatever is loaded.
      '/problems',
      '/problems/{slug}',
      '/v1/auth/login',
      '/v1/auth/login/mfa',
      '/v1/auth/logout',
      '/v1/auth/password-reset',
      '/v1/auth/password-reset/confirm',
      '/v1/auth/refresh',
      '/v1/auth/signup',
      '/v1/me',
      '/v1/me/email',
      '/v1/me/email/confirm',
      '/v1/me/export',
      '/v1/me/exports',
      '/v1/me/exports/{exportId}',
      '/v1/me/mfa',
      '/v1/me/mfa/recovery-codes',
      '/v1/me/mfa/totp',
      '/v1/me/mfa/totp/confirm',
      '/v1/me/password',
      '/v1/me/sessions',
      '/v1/me/sessions/{sessionId}',
      '/v1/me/tokens',
      '/v1/me/tokens/{tokenId}',
      '/v1/unsubscribe/{token}',
    ]);
  });

  it('delivers events only to their subscriptions and runs only their jobs', () => {
    expect(users.system.modules.map((m) => m.name)).toEqual(['users']);
    // The users module's own subscribers (the email change's notice to the old address, a support
    // reset's notice, the new-place sign-in mail), and no other module's.
    expect(users.system.subscriptions.map((s) => s.name)).toEqual(['users-email-changed-notice', 'users-mfa-reset-notice', 'users-sign-in-alert']);
    expect(users.system.schedules).toEqual([]);
  });
});
