import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, fromAddress } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { heldJobs } from '../../support/held-jobs';
import { withWritesThrottled } from '../../support/throttled-writes';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, uniqueEmail } from './helpers';

/**
 * Forgot password over HTTP on DynamoDB Local, with the mail job run by the local work queue
 * (the stand-in of SQS) and mail written by the folder sender, as under `npm start`. Requests
 * queue their unit; the test lets the queue work them (`runJobs`), so what the request itself
 * did can be told from what the job did.
 */
let t: TestSystem;
const clock = fixedClock('2026-11-24T12:00:00Z');
const mailDir = mkdtempSync(join(tmpdir(), 'reset-mail-'));
const jobs = heldJobs('reset');
const held = jobs.held;

beforeAll(async () => {
  t = await createTestSystem({
    clock,
    modules: ['users'],
    env: { MAIL_DIR: mailDir, PASSWORD_RESET_URL: 'https://app.example.com/reset-password?token=' },
    jobs: { transport: jobs.transport },
  });
});
// Each test sees only the units it queued itself (a confirmation leaves its sessions' unit held).
beforeEach(() => void held.splice(0));
afterAll(async () => {
  await jobs.stop();
  await t.destroy();
  await rm(mailDir, { recursive: true, force: true });
});

const TOKEN = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/;
const ACCEPTED = { status: 'accepted', message: 'If an account has this email, a reset code is on its way; it expires in 30 minutes.' };

const requestReset = (email: string, sourceIp?: string) =>
  call(t.app, 'POST', '/v1/auth/password-reset', { body: { email }, ...(sourceIp ? { env: fromAddress(sourceIp) } : {}) });
const confirm = (body: unknown, sourceIp?: string) =>
  call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body, ...(sourceIp ? { env: fromAddress(sourceIp) } : {}) });
const login = (email: string, password: string, sourceIp?: string) =>
  call(t.app, 'POST', '/v1/auth/login', { body: { email, password }, ...(sourceIp ? { env: fromAddress(sourceIp) } : {}) });
const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });

/** Works every held unit through the local work queue, and waits until it is idle. */
const runJobs = () => jobs.run();

/** The reset mails written to `to`, as decoded text (quoted-printable soft breaks undone). */
async function mailsTo(to: string): Promise<string[]> {
  const files = await readdir(mailDir).catch(() => [] as string[]);
  const mails = await Promise.all(files.map((f) => readFile(join(mailDir, f), 'utf8')));
  // The reset's own mails: a confirmation's security notice (docs/security-notices.md) is not one.
  return mails.filter((m) => m.includes(`To: ${to}\r\n`) && !m.includes('Message-ID: <security-')).map((m) => m.replace(/=\r\n/g, '').replace(/=3D/g, '='));
}

/** Requests a reset for `email`, lets the job run, and returns the token of the one mail. */
async function tokenFor(email: string): Promise<string> {
  expect((await requestReset(email)).status).toBe(202);
  await runJobs();
  const mails = await mailsTo(email);
  expect(mails).toHaveLength(1);
  return TOKEN.exec(mails[0]!)![0];
}

const resetItems = async () => (await scanTable(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith('users#reset#'));

describe('POST /v1/auth/password-reset', () => {
  it('mails an existing account a token that sets a new password and ends every earlier session', async () => {
    const account = await signup(t.app);
    clock.advance(1_000);
    const phone = (await login(account.email, account.password)).json.tokens;

    const res = await requestReset(account.email.toUpperCase());
    expect(res.status, res.text).toBe(202);
    expect(res.json).toEqual(ACCEPTED);
    // Nothing happened yet but the count: the lookup and the mail are the job's.
    expect(await mailsTo(account.email)).toEqual([]);
    expect(held).toEqual([expect.objectContaining({ type: 'unit', job: 'users-password-reset-mail', unit: { sealedEmail: expect.any(String), resetId: expect.any(String) } })]);
    // The unit was written with the request's count (a table item, then relayed): its address sealed, in neither.
    const units = (await scanTable(t.doc, t.tableName)).filter((i) => i.kind === 'job-unit' && i.job === 'users-password-reset-mail');
    expect(units.map((u) => JSON.parse(u.unit))).toContainEqual(held[0]!.type === 'unit' ? held[0]!.unit : undefined);
    expect(JSON.stringify([held, units]).toLowerCase()).not.toContain(account.email.toLowerCase());
    await runJobs();

    const [mail] = await mailsTo(account.email);
    expect(mail).toContain('Subject: Reset your password');
    expect(mail).toContain('expires in 30 minutes');
    expect(mail).toContain('If you did not ask for this, ignore this mail');
    const token = TOKEN.exec(mail!)![0];
    expect(mail).toContain(`https://app.example.com/reset-password?token=${token}`);
    // Only the id is stored: the token (its MAC) is nowhere in the table.
    const [item] = (await resetItems()).filter((i) => i.userId === account.user.id);
    expect(item).toMatchObject({ resetId: token.split('.')[0], epoch: 0, expiresAt: Date.parse('2026-11-24T12:00:01Z') / 1000 + 1800 });
    expect(item).not.toHaveProperty('usedAt');
    expect(JSON.stringify(await scanTable(t.doc, t.tableName))).not.toContain(token.split('.')[1]);

    const done = await confirm({ token, newPassword: 'a brand new passphrase' });
    expect(done.status, done.text).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    // The earlier sessions are marked ended by a job whose unit the confirmation wrote (their
    // number grows with sign-ins); the raised epoch refuses them meanwhile (below).
    expect(held.map((m) => (m.type === 'unit' ? [m.job, m.unit] : m.type))).toEqual([
      ['users-sessions-cleanup', { kind: 'earlier-epochs', userId: account.user.id, epoch: 1, reason: 'password-changed', at: clock.now().toISOString() }],
      // The account's address is told of the reset (docs/security-notices.md), by a unit of the same transaction.
      ['users-security-notice-mail', { userId: account.user.id, noticeId: expect.stringMatching(/^[0-9A-Z]{26}$/), change: 'password-reset', at: clock.now().toISOString() }],
    ]);
    const families = async () => (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#user#${account.user.id}` && String(i.sk).startsWith('users#session#'));
    expect((await families()).filter((f) => 'revokedAt' in f)).toEqual([]);
    await runJobs();
    expect((await families()).filter((f) => f.revokedReason === 'password-changed')).toHaveLength(2);
    expect(done.json.user).toMatchObject({ id: account.user.id, email: account.email });
    expect(done.json.tokens).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });

    expectProblem(await login(account.email, account.password), 401);
    expect((await login(account.email, 'a brand new passphrase')).status).toBe(200);
    expectProblem(await refresh(account.refreshToken), 401);
    expectProblem(await refresh(phone.refreshToken), 401);
    expect((await call(t.app, 'GET', '/v1/me', { token: done.json.tokens.accessToken })).json.id).toBe(account.user.id);
    clock.advance(1_000);
    expect((await refresh(done.json.tokens.refreshToken)).status).toBe(200);
    expect((await resetItems()).find((i) => i.userId === account.user.id)).toMatchObject({ usedAt: expect.any(String) });

    // Used once: refused from then on.
    expectProblem(await confirm({ token, newPassword: 'yet another passphrase' }), 422, ['token']);
  });

  it('answers an unknown email exactly the same, and then mails nothing and stores nothing', async () => {
    const email = uniqueEmail('nobody');
    const before = (await resetItems()).length;
    const res = await requestReset(email);
    expect(res.status).toBe(202);
    expect(res.json).toEqual(ACCEPTED);
    expect(held).toHaveLength(1); // the same one unit as for an account
    await runJobs();
    expect(await mailsTo(email)).toEqual([]);
    expect(await resetItems()).toHaveLength(before);
  });

  it('does the same DynamoDB work in the request for an account and for an unknown email', async () => {
    const account = await signup(t.app);
    const known = await commandsSentDuring(t.doc, () => requestReset(account.email, '198.51.100.70'));
    const unknown = await commandsSentDuring(t.doc, () => requestReset(uniqueEmail('nobody'), '198.51.100.71'));
    expect(known.result.text).toBe(unknown.result.text);
    // The two counters (address; the email's, in one transaction with the mail's unit); no read of the account.
    expect(known.commands).toEqual(['UpdateItemCommand', 'TransactWriteItemsCommand']);
    expect(unknown.commands).toEqual(known.commands);
    held.splice(0);
  });

  it('writes one reset and sends the same mail when a unit is delivered twice', async () => {
    const account = await signup(t.app);
    expect((await requestReset(account.email)).status).toBe(202);
    held.push(held[0]!); // SQS delivers at least once
    await runJobs();
    const mails = await mailsTo(account.email);
    expect(mails).toHaveLength(1); // the same message id: the folder sender rewrote one file
    expect((await resetItems()).filter((i) => i.userId === account.user.id)).toHaveLength(1);
    const token = TOKEN.exec(mails[0]!)![0];
    expect((await confirm({ token, newPassword: 'a brand new passphrase' })).status).toBe(200);
    // A delivery after the reset was used sends nothing.
    held.push({ type: 'unit', job: 'users-password-reset-mail', tick: clock.now().toISOString(), unit: { email: account.email, resetId: token.split('.')[0] } });
    await rm(join(mailDir, (await readdir(mailDir)).find((f) => f.includes(token.split('.')[0]!.replace(/[^A-Za-z0-9_-]/g, '_')))!));
    await runJobs();
    expect(await mailsTo(account.email)).toEqual([]);
  });

  it('refuses a tampered or made-up token without reading anything', async () => {
    const account = await signup(t.app);
    const token = await tokenFor(account.email);
    const [id, mac] = token.split('.') as [string, string];
    const flipped = `${id}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    for (const bad of [flipped, `${'A'.repeat(22)}.${mac}`, 'not-a-token', `${token}x`]) {
      const { result, commands } = await commandsSentDuring(t.doc, () => confirm({ token: bad, newPassword: 'a brand new passphrase' }));
      expectProblem(result, 422, ['token']);
      expect(commands).toEqual([]);
    }
    // The real one still works: nothing was spent by the refusals.
    expect((await confirm({ token, newPassword: 'a brand new passphrase' })).status).toBe(200);
  });

  it('refuses an expired reset', async () => {
    const account = await signup(t.app);
    const token = await tokenFor(account.email);
    clock.advance(30 * 60 * 1000);
    expectProblem(await confirm({ token, newPassword: 'a brand new passphrase' }), 422, ['token']);
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  it('mails nothing when its unit runs after the code\'s 30 minutes (a late delivery, a dead letter replayed): the code would be dead on arrival', async () => {
    const account = await signup(t.app);
    expect((await requestReset(account.email)).status).toBe(202);
    expect(held).toHaveLength(1);
    clock.advance(30 * 60 * 1000);
    await runJobs();
    expect(await mailsTo(account.email)).toEqual([]);
    expect((await scanTable(t.doc, t.tableName)).filter((i) => i.kind === 'password-reset' && i.userId === account.user.id)).toEqual([]);
  });

  it('states the minutes the code has left when its unit runs late (a backlog, a retry), never the 30 already partly spent', async () => {
    const account = await signup(t.app);
    expect((await requestReset(account.email)).status).toBe(202);
    expect(held).toHaveLength(1);
    // Worked 21 minutes and 30 seconds after the request: the code expires 8.5 minutes later.
    clock.advance(21.5 * 60 * 1000);
    await runJobs();
    const mails = await mailsTo(account.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('The code works once and expires in 8 minutes.');
    expect(mails[0]).not.toContain('30 minutes');
    // The code still works for what the mail said.
    clock.advance(8 * 60 * 1000);
    const token = TOKEN.exec(mails[0]!)![0];
    expect((await confirm({ token, newPassword: 'a brand new passphrase' })).status).toBe(200);
  });

  it('mails nothing when its unit runs with less than a minute of the code left: the mail could state no lifetime it still has', async () => {
    const account = await signup(t.app);
    expect((await requestReset(account.email)).status).toBe(202);
    clock.advance(29.5 * 60 * 1000);
    await runJobs();
    expect(await mailsTo(account.email)).toEqual([]);
  });

  it('answers the new session once the reset committed, even when the client\'s sign-in marks after it fail (throttled)', async () => {
    const account = await signup(t.app);
    const token = await tokenFor(account.email);
    const { result: res, attempts } = await withWritesThrottled(t.doc, 'users#throttle#', () => confirm({ token, newPassword: 'a brand new passphrase' }, '198.51.100.77'), ['DeleteItemCommand', 'PutItemCommand']);
    expect(attempts).toBeGreaterThan(0);
    // The password changed with the commit and the code is spent: a 503 here lost the session, and its retry got a 422.
    expect(res.status, res.text).toBe(200);
    expect((await refresh(res.json.tokens.refreshToken)).status).toBe(200);
    expect((await login(account.email, 'a brand new passphrase')).status).toBe(200);
  });

  it('is voided by a password change after the request', async () => {
    const account = await signup(t.app);
    const token = await tokenFor(account.email);
    const changed = await call(t.app, 'POST', '/v1/me/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: 'changed it myself' },
    });
    expect(changed.status, changed.text).toBe(200);
    expectProblem(await confirm({ token, newPassword: 'a brand new passphrase' }), 422, ['token']);
    expect((await login(account.email, 'changed it myself')).status).toBe(200);
  });

  it('lets exactly one of two concurrent confirmations of one token through', async () => {
    const account = await signup(t.app);
    const token = await tokenFor(account.email);
    const results = await Promise.all([
      confirm({ token, newPassword: 'first of the two passwords' }),
      confirm({ token, newPassword: 'second of the two passwords' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 422)!;
    expectProblem(loser, 422, ['token']);
    // The winner's password is the one set, and its session is the one that lives.
    const password = results[0] === winner ? 'first of the two passwords' : 'second of the two passwords';
    expect((await login(account.email, password)).status).toBe(200);
    clock.advance(1_000);
    expect((await refresh(winner.json.tokens.refreshToken)).status).toBe(200);
  });

  it('validates the new password like signup (10..128 characters)', async () => {
    const account = await signup(t.app);
    const token = await tokenFor(account.email);
    expectProblem(await confirm({ token, newPassword: 'too short' }), 400, ['newPassword']);
    expectProblem(await confirm({ token, newPassword: 'x'.repeat(129) }), 400, ['newPassword']);
    expectProblem(await confirm({ newPassword: 'long enough password' }), 400, ['token']);
    expect((await confirm({ token, newPassword: 'long enough password' })).status).toBe(200);
  });

  it('refuses the 4th request for one email within the hour with 429 and Retry-After, account or not', async () => {
    for (const email of [(await signup(t.app)).email, uniqueEmail('nobody')]) {
      for (let i = 0; i < 3; i++) expect((await requestReset(email, `203.0.113.${10 + i}`)).status).toBe(202);
      clock.advance(10 * 60 * 1000);
      const refused = await requestReset(email, '203.0.113.20');
      expectProblem(refused, 429);
      expect(refused.headers.get('retry-after')).toBe(String(50 * 60));
      expect(held).toHaveLength(3); // the refused one queued nothing
      held.splice(0);
      clock.advance(50 * 60 * 1000);
      expect((await requestReset(email, '203.0.113.21')).status).toBe(202);
      held.splice(0);
    }
  });

  it('admits exactly 3 of 8 concurrent requests for one email (the count holds under concurrency), the others 429', async () => {
    const email = uniqueEmail('burst');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => requestReset(email, `203.0.113.${100 + i}`)));
    expect(results.map((r) => r.status).sort()).toEqual([202, 202, 202, 429, 429, 429, 429, 429]);
    expect(held).toHaveLength(3); // one unit per admitted request, none for a refused one
    held.splice(0);
    // The window over, its counter still there (TTL not run): a burst opens ONE new window.
    clock.advance(60 * 60 * 1000);
    const again = await Promise.all(Array.from({ length: 8 }, (_, i) => requestReset(email, `203.0.113.${110 + i}`)));
    expect(again.map((r) => r.status).sort()).toEqual([202, 202, 202, 429, 429, 429, 429, 429]);
    expect(held).toHaveLength(3);
    held.splice(0);
    clock.advance(60 * 60 * 1000);
  });

  it('refuses the 6th request from one address within a minute, whatever the emails', async () => {
    for (let i = 0; i < 5; i++) expect((await requestReset(uniqueEmail('spray'), '192.0.2.55')).status).toBe(202);
    const refused = await requestReset(uniqueEmail('spray'), '192.0.2.55');
    expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await requestReset(uniqueEmail('spray'), '192.0.2.56')).status).toBe(202);
    held.splice(0);
  });

  it('lets the device that confirmed sign in again at once, though its failed sign-ins had locked it out', async () => {
    const account = await signup(t.app);
    const device = '198.51.100.90';
    for (let i = 0; i < 5; i++) expectProblem(await login(account.email, 'a wrong password!', device), 401);
    expectProblem(await login(account.email, account.password, device), 429);
    const token = await tokenFor(account.email);
    expect((await confirm({ token, newPassword: 'the new passphrase' }, device)).status).toBe(200);
    expect((await login(account.email, 'the new passphrase', device)).status).toBe(200);
    // Only that device: another one locked out the same way stays locked until its window ends.
    const other = '198.51.100.91';
    for (let i = 0; i < 5; i++) expectProblem(await login(account.email, 'a wrong password!', other), 401);
    expectProblem(await login(account.email, 'the new passphrase', other), 429);
  });

  it('refuses the 11th confirmation from one address within a minute', async () => {
    for (let i = 0; i < 10; i++) expectProblem(await confirm({ token: 'made-up', newPassword: 'long enough password' }, '192.0.2.77'), 422, ['token']);
    const refused = await confirm({ token: 'made-up', newPassword: 'long enough password' }, '192.0.2.77');
    expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
