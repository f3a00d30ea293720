import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp } from '../support/actors';
import { call } from '../support/http';
import { captureLogLines, type LogCapture } from '../support/log-lines';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * The access log as an operator reads it: one JSON line per request, a refusal saying why,
 * and no constant noise (`sampling_rate`) on every line.
 */
let t: TestSystem;
let log: LogCapture;

beforeAll(async () => {
  t = await createTestSystem({ env: { LOG_LEVEL: 'INFO' } });
  log = captureLogLines();
});
afterAll(async () => {
  log.restore();
  await t.destroy();
});

const parsed = () => log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const linesOf = (requestId: string) => parsed().filter((l) => l.requestId === requestId);

describe('request logs', () => {
  it('logs a refused request once, with its status and why', async () => {
    log.clear();
    const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: 'not-an-email' }, headers: { 'x-request-id': 'refused-1' } });
    expect(res.status).toBe(400);
    const own = linesOf('refused-1');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ level: 'INFO', message: 'request refused', method: 'POST', path: '/v1/auth/login', status: 400 });
    expect(own[0]!.detail).toEqual(expect.any(String));
  });

  it('logs an accepted request once, and no line carries sampling_rate', async () => {
    log.clear();
    const res = await call(t.app, 'GET', '/health', { headers: { 'x-request-id': 'ok-1' } });
    expect(res.status).toBe(200);
    expect(linesOf('ok-1')).toEqual([expect.objectContaining({ message: 'request', status: 200, service: 'budgeting' })]);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(parsed().filter((l) => 'sampling_rate' in l)).toEqual([]);
  });

  it('names the personal access token a request was made with, never its secret', async () => {
    const owner = await signUp(t.app, 'log-pat');
    const made = await call(t.app, 'POST', '/v1/me/tokens', { token: owner.token, body: { name: 'Logged', scope: 'read' } });
    expect(made.status, made.text).toBe(201);
    log.clear();
    const res = await call(t.app, 'GET', '/v1/budgets', { token: made.json.token, headers: { 'x-request-id': 'pat-1' } });
    expect(res.status).toBe(200);
    expect(linesOf('pat-1')).toEqual([expect.objectContaining({ message: 'request', status: 200, personalTokenId: made.json.id })]);
    expect(log.lines.join('\n')).not.toContain(String(made.json.token).slice(-43));
    const bySession = await call(t.app, 'GET', '/v1/budgets', { token: owner.token, headers: { 'x-request-id': 'session-1' } });
    expect(bySession.status).toBe(200);
    expect(linesOf('session-1')[0]).not.toHaveProperty('personalTokenId');
  });

  it("never writes the email address a refused member or invitation request named into its line", async () => {
    const owner = await signUp(t.app, 'log-owner');
    const member = await signUp(t.app, 'log-member');
    const budget = await createBudget(t.app, owner, { name: 'Logged', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 1000 });
    const added = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: member.email, role: 'viewer' } });
    expect(added.status, added.text).toBe(201);
    log.clear();
    const nobody = 'nobody-logged@example.com';
    const refusals = [
      // No account uses the address: 404.
      ['email-404', `/v1/budgets/${budget.id}/members`, { email: nobody, role: 'viewer' }, 404],
      // Already a member: 409, by adding and by inviting.
      ['email-409-add', `/v1/budgets/${budget.id}/members`, { email: member.email, role: 'editor' }, 409],
      ['email-409-invite', `/v1/budgets/${budget.id}/invitations`, { email: member.email, role: 'editor' }, 409],
    ] as const;
    for (const [requestId, path, body, status] of refusals) {
      const res = await as(t.app, owner)('POST', path, { body, headers: { 'x-request-id': requestId } });
      expect(res.status, res.text).toBe(status);
      expect(linesOf(requestId)).toEqual([expect.objectContaining({ message: 'request refused', status })]);
    }
    const written = log.lines.join('\n').toLowerCase();
    expect(written).not.toContain(nobody);
    expect(written).not.toContain(member.email.toLowerCase());
  });

  it("carries the request's id on every line the request writes, not only on its access line", async () => {
    const account = await signUp(t.app, 'log-reuse');
    const first = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
    expect(first.status, first.text).toBe(200);
    const second = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: first.json.tokens.refreshToken } });
    expect(second.status, second.text).toBe(200);
    log.clear();
    // The first refresh token again, its successor spent too: a theft signal, logged as a warning by the sessions service.
    const reused = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken }, headers: { 'x-request-id': 'reuse-1' } });
    expect(reused.status, reused.text).toBe(401);
    const warning = parsed().filter((l) => String(l.message).startsWith('refresh token reuse detected'));
    expect(warning).toEqual([expect.objectContaining({ level: 'WARN', requestId: 'reuse-1', userId: account.id })]);
  });
});
