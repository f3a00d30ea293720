import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call } from '../support/http';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * The access log as an operator reads it: one JSON line per request, a refusal saying why,
 * and no constant noise (`sampling_rate`) on every line.
 */
let t: TestSystem;
let lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  t = await createTestSystem({ env: { LOG_LEVEL: 'INFO' } });
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) {
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t.destroy();
});

const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);

describe('request logs', () => {
  it('logs a refused request once, with its status and why', async () => {
    lines = [];
    const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: 'not-an-email' }, headers: { 'x-request-id': 'refused-1' } });
    expect(res.status).toBe(400);
    const own = linesOf('refused-1');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ level: 'INFO', message: 'request refused', method: 'POST', path: '/v1/auth/login', status: 400 });
    expect(own[0]!.detail).toEqual(expect.any(String));
  });

  it('logs an accepted request once, and no line carries sampling_rate', async () => {
    lines = [];
    const res = await call(t.app, 'GET', '/health', { headers: { 'x-request-id': 'ok-1' } });
    expect(res.status).toBe(200);
    expect(linesOf('ok-1')).toEqual([expect.objectContaining({ message: 'request', status: 200, service: 'budgeting' })]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => 'sampling_rate' in l)).toEqual([]);
  });
});
