import type { EmailMessage } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { captureLogLines, type LogCapture } from '../../support/log-lines';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, signup, uniqueEmail } from './helpers';

/**
 * Forgot password when the work cannot go as planned, on DynamoDB Local. Two different
 * failures, two different answers, and in both the answer is the same for every email:
 * - the queue refuses the unit (SendMessage failing: the same for every email): 503 with
 *   Retry-After, so the user asks again instead of waiting for a mail that never comes;
 * - no queue, the job runs inline and fails (mail transport down: only for accounts): 202 as
 *   always, logged, because an error there would tell which emails have accounts.
 */
const requestReset = (t: TestSystem, email: string) => call(t.app, 'POST', '/v1/auth/password-reset', { body: { email } });

let logs: LogCapture | undefined;
afterEach(() => logs?.restore());

describe('POST /v1/auth/password-reset when the work queue refuses the unit', () => {
  let t: TestSystem;
  let sends = 0;
  beforeAll(async () => {
    t = await createTestSystem({
      modules: ['users'],
      env: { LOG_LEVEL: 'ERROR' },
      jobs: {
        transport: () => ({
          send: async () => {
            sends++;
            throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          },
        }),
      },
    });
  });
  afterAll(() => t.destroy());

  it('answers 503 with Retry-After, alike for an account and an unknown email, and logs it', async () => {
    const account = await signup(t.app);
    logs = captureLogLines();
    const known = await requestReset(t, account.email);
    const unknown = await requestReset(t, uniqueEmail('nobody'));
    logs.restore();
    expect(sends).toBe(2);
    for (const res of [known, unknown]) {
      expectProblem(res, 503, []);
      expect(res.headers.get('retry-after')).toBe('5');
    }
    expect(known.text).toBe(unknown.text);
    const failures = logs.lines.filter((l) => l.includes('password-reset request could not be queued'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain('Rate exceeded');
  });
});

describe('POST /v1/auth/password-reset with no queue, when the inline mail job fails', () => {
  let t: TestSystem;
  const attempted: EmailMessage[] = [];
  beforeAll(async () => {
    t = await createTestSystem({
      modules: ['users'],
      env: { LOG_LEVEL: 'ERROR' },
      mail: {
        send: async (message) => {
          attempted.push(message);
          throw new Error('mail transport down');
        },
      },
    });
  });
  afterAll(() => t.destroy());

  it('still answers an account exactly as an unknown email (202, same body), and logs the failure', async () => {
    const account = await signup(t.app);
    logs = captureLogLines();
    const known = await requestReset(t, account.email);
    const unknown = await requestReset(t, uniqueEmail('nobody'));
    logs.restore();
    // The job really ran and failed for the account, and did not for the unknown email.
    expect(attempted.map((m) => m.to)).toEqual([account.email]);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.text).toBe(unknown.text);
    expect(logs.lines.filter((l) => l.includes('password-reset mail job failed inline'))).toHaveLength(1);
    expect(logs.lines.some((l) => l.includes('could not be queued'))).toBe(false);
  });
});
