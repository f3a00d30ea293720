import { fixedClock, GUARD_METRICS, GUARDS, guardFilterPattern } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_LIMIT } from '../../packages/users/src/service/address-limit';
import { matchesLogFilter } from '../infra/support/log-filter';
import { as, signUp } from '../support/actors';
import { call, fromAddress } from '../support/http';
import { captureLogLines, type LogCapture } from '../support/log-lines';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * A refused request's one access line names the guard that refused it (`refusedBy`), and the
 * line as written is what infra's metric filter of that guard counts, and no other filter
 * (infra/guard-metrics.ts, patterns from packages/platform/src/http/guards.ts, evaluated as
 * CloudWatch does by tests/infra/support/log-filter.ts). Real requests on DynamoDB Local,
 * stdout captured (tests/support/log-lines.ts).
 */
let t: TestSystem;
let log: LogCapture;
const clock = fixedClock('2026-11-24T12:00:15Z');

beforeAll(async () => {
  t = await createTestSystem({ clock, env: { LOG_LEVEL: 'INFO', API_RATE_LIMIT_PER_MINUTE: '2' } });
  log = captureLogLines();
});
afterAll(async () => {
  log.restore();
  await t.destroy();
});

/** The one line of a request, raw (as CloudWatch would receive it). */
function lineOf(requestId: string): string {
  const own = log.lines.filter((l) => (JSON.parse(l) as { requestId?: string }).requestId === requestId);
  expect(own, `one access line for ${requestId}`).toHaveLength(1);
  return own[0]!;
}
const countedBy = (line: string) => GUARD_METRICS.filter((m) => matchesLogFilter(guardFilterPattern(m), line)).map((m) => m.metricName);

describe('the access line of a refused request', () => {
  it('names the per-account rate limit, and only RefusedByAccountRateLimit counts it', async () => {
    const ada = await signUp(t.app, 'ada');
    expect((await as(t.app, ada)('GET', '/v1/me')).status).toBe(200);
    expect((await as(t.app, ada)('GET', '/v1/me')).status).toBe(200);
    log.clear();
    const refused = await as(t.app, ada)('GET', '/v1/me', { headers: { 'x-request-id': 'rate-limited-1' } });
    expect(refused.status).toBe(429);
    // The guard's name is for the operators' log only, not part of the problem+json answer.
    expect(refused.json).not.toHaveProperty('refusedBy');
    const line = lineOf('rate-limited-1');
    expect(JSON.parse(line)).toMatchObject({ level: 'INFO', message: 'request refused', status: 429, path: '/v1/me', refusedBy: GUARDS.accountRateLimit });
    expect(countedBy(line)).toEqual(['RefusedByAccountRateLimit']);
  });

  it('names the sign-in address limit, counted by RefusedBySignInLimits', async () => {
    // A new email each time: the failures per email (the login throttle) stay below their limit.
    const login = (requestId: string) =>
      call(t.app, 'POST', '/v1/auth/login', { body: { email: `${requestId}@example.com`, password: 'a guessed password' }, env: fromAddress('203.0.113.90'), headers: { 'x-request-id': requestId } });
    for (let i = 0; i < ADDRESS_LIMIT.maxAttempts; i++) expect((await login(`guess-${i}`)).status).toBe(401);
    log.clear();
    expect((await login('guess-refused')).status).toBe(429);
    const line = lineOf('guess-refused');
    expect(JSON.parse(line)).toMatchObject({ message: 'request refused', status: 429, refusedBy: GUARDS.signInAddress });
    expect(countedBy(line)).toEqual(['RefusedBySignInLimits']);
  });

  it('names the password-reset confirmation limit, counted by RefusedByPasswordResetLimits', async () => {
    const confirm = (requestId: string) =>
      call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: 'made-up', newPassword: 'long enough password' }, env: fromAddress('192.0.2.91'), headers: { 'x-request-id': requestId } });
    for (let i = 0; i < 10; i++) expect((await confirm(`confirm-${i}`)).status).toBe(422);
    log.clear();
    expect((await confirm('confirm-refused')).status).toBe(429);
    const line = lineOf('confirm-refused');
    expect(JSON.parse(line)).toMatchObject({ message: 'request refused', status: 429, refusedBy: GUARDS.resetConfirmAddress });
    expect(countedBy(line)).toEqual(['RefusedByPasswordResetLimits']);
  });

  it('carries no refusedBy on other refusals, and no metric counts them', async () => {
    log.clear();
    const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: 'not-an-email' }, headers: { 'x-request-id': 'invalid-1' } });
    expect(res.status).toBe(400);
    const line = lineOf('invalid-1');
    expect(JSON.parse(line)).toMatchObject({ message: 'request refused', status: 400 });
    expect(JSON.parse(line)).not.toHaveProperty('refusedBy');
    expect(countedBy(line)).toEqual([]);
  });
});
