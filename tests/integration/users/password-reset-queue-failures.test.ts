import type { EmailMessage } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { call } from '../../support/http';
import { captureLogLines, type LogCapture } from '../../support/log-lines';
import { relayStreamOnce } from '../../support/stream-relay-once';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { signup, uniqueEmail } from './helpers';

/**
 * Forgot password when the work cannot go as planned, on DynamoDB Local. The request counts the
 * attempt and writes the mail's job unit in ONE transaction; the table stream's relay queues the
 * unit (here the test system's inline stand-in of the relay, the same relay code). So the
 * request never talks to the queue and its answer is the same 202 for every email, whatever
 * happens to the unit after the commit:
 * - the queue refuses the unit: the relay logs it and reports the record, which the stream
 *   hands again (in AWS for up to 24 hours; the StreamRelayBehind alarm). Until stop 54 the
 *   request answered 503 then.
 * - no queue, the job runs inline and fails (mail transport down: only for accounts): logged,
 *   because an error in the answer would tell which emails have accounts.
 */
const requestReset = (t: TestSystem, email: string) => call(t.app, 'POST', '/v1/auth/password-reset', { body: { email } });

let logs: LogCapture | undefined;
afterEach(() => logs?.restore());

describe('POST /v1/auth/password-reset when the work queue refuses the unit', () => {
  let t: TestSystem;
  let sends = 0;
  beforeAll(async () => {
    t = await createTestSystem({
      stream: true,
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

  it('answers 202 alike for an account and an unknown email; the relay logs the unit it could not queue', async () => {
    const account = await signup(t.app);
    logs = captureLogLines();
    const known = await requestReset(t, account.email);
    const unknown = await requestReset(t, uniqueEmail('nobody'));
    logs.restore();
    expect(sends).toBe(2);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.text).toBe(unknown.text);
    const failures = logs.lines.filter((l) => l.includes('job units not queued'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain('Rate exceeded');
    expect(failures[0]).toContain('users-password-reset-mail');
  });
});

describe('POST /v1/auth/password-reset with no queue, when the inline mail job fails', () => {
  let t: TestSystem;
  const attempted: EmailMessage[] = [];
  beforeAll(async () => {
    t = await createTestSystem({
      stream: true,
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
    expect(logs.lines.filter((l) => l.includes('job units failed, worked inline'))).toHaveLength(1);
    expect(logs.lines.some((l) => l.includes('not queued'))).toBe(false);
  });
});

describe('a mail request (password reset, email change) whose process dies right after its commit', { timeout: 120_000 }, () => {
  let t: TestSystem;
  const sent: EmailMessage[] = [];
  beforeAll(async () => {
    t = await createTestSystem({ stream: true, modules: ['users'], mail: { send: async (m) => void sent.push(m) } });
  });
  afterAll(() => t.destroy());

  it('no retry: the stream relay still queues its unit and the mailed code resets the password', async () => {
    const account = await signup(t.app);
    const crash = crashAfterCommit(t.doc, 'crashAfterResetCommit');
    const lost = await crash.during(() => requestReset(t, account.email));
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    expect(sent).toEqual([]); // nothing ran after the commit

    await relayStreamOnce(t); // the relay that runs after the crash
    const mails = sent.filter((m) => m.to === account.email);
    expect(mails).toHaveLength(1);
    const token = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.exec(mails[0]!.text)![0];
    const done = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'a brand new passphrase' } });
    expect(done.status, done.text).toBe(200);
  });

  it('an email-change request too (its code mail\'s unit is written with the pending change): the relay mails the code, which confirms', async () => {
    const account = await signup(t.app);
    const newEmail = uniqueEmail('moved');
    const crash = crashAfterCommit(t.doc, 'crashAfterEmailChangeCommit');
    const lost = await crash.during(() => call(t.app, 'POST', '/v1/me/email', { token: account.accessToken, body: { newEmail, password: account.password } }));
    expect(lost.status).toBeGreaterThanOrEqual(500);
    expect(sent.filter((m) => m.to === newEmail)).toEqual([]);

    await relayStreamOnce(t);
    const mails = sent.filter((m) => m.to === newEmail);
    expect(mails).toHaveLength(1);
    const code = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.exec(mails[0]!.text)![0];
    const confirmed = await call(t.app, 'POST', '/v1/me/email/confirm', { token: account.accessToken, body: { token: code } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json.email).toBe(newEmail);
  });
});
