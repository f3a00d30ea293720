import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/actors';
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
});
