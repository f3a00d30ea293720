import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { commandsSentDuring } from '../../support/sent-commands';
import { heldJobs } from '../../support/held-jobs';
import { holdingFirstWrite } from '../../support/holding-commands';
import { withWritesThrottled } from '../../support/throttled-writes';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { SUBSCRIPTIONS } from '@budgeting/app/wiring';
import { busEvent, theEvent, type OutboxEvent } from '../../support/events';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import { expectProblem, outboxEvents, scanTable, signup, uniqueEmail, type Account } from './helpers';

/**
 * Changing the account's email (POST /v1/me/email, then .../confirm) over HTTP on DynamoDB
 * Local, with the mail job run by the local work queue and mail written by the folder sender,
 * as under `npm start`; user.email_changed is delivered through the Lambda's bus-delivery code
 * (the notice to the old address comes from its subscriber). Requests queue their units; the test lets the queue work them
 * (`runJobs`), so what the request did can be told from what the job did. The test system's
 * cheap scrypt cost keeps the file's password checks fast.
 */
let t: TestSystem;
const clock = fixedClock('2026-12-01T12:00:00Z');
const mailDir = mkdtempSync(join(tmpdir(), 'email-change-mail-'));
const jobs = heldJobs('email-change');
const held = jobs.held;
/** While set, the work queue refuses every unit (SendMessage failing), as in an outage. */
let queueRefuses = false;

beforeAll(async () => {
  t = await createTestSystem({
    clock,
    modules: ['users'],
    env: { MAIL_DIR: mailDir, LOG_LEVEL: 'ERROR' },
    jobs: {
      transport: (deliverUnit) => {
        const inner = jobs.transport(deliverUnit);
        return {
          send: async (messages) => {
            if (queueRefuses) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
            await inner.send(messages);
          },
        };
      },
    },
  });
});
// Each test sees only the units it queued itself.
beforeEach(() => void held.splice(0));
afterAll(async () => {
  await jobs.stop();
  await t.destroy();
  await rm(mailDir, { recursive: true, force: true });
});

const CODE = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/;
const ACCEPTED = {
  status: 'accepted',
  message: 'A confirmation code is on its way to the new address; it expires in 30 minutes. Your email stays as it is until you confirm.',
};

const requestChange = (who: { accessToken: string }, body: unknown) => call(t.app, 'POST', '/v1/me/email', { token: who.accessToken, body });
const confirm = (who: { accessToken: string }, token: unknown) => call(t.app, 'POST', '/v1/me/email/confirm', { token: who.accessToken, body: { token } });
const login = (email: string, password: string) => call(t.app, 'POST', '/v1/auth/login', { body: { email, password } });
const me = (who: { accessToken: string }, headers: Record<string, string> = {}) => call(t.app, 'GET', '/v1/me', { token: who.accessToken, headers });

/** Delivers an outbox event through bus-delivery to the users module's subscriptions (the only module here). */
const deliverToUsers = (event: OutboxEvent) => createBusDelivery(t.system, { rows: SUBSCRIPTIONS.filter((r) => r.module === 'users') })(busEvent(event));
const deliver = async (event: OutboxEvent) => expect(await deliverToUsers(event)).toBeUndefined();

/** Works every held unit through the local work queue, and waits until it is idle. */
const runJobs = () => jobs.run();

/** The mails written to `to`, as decoded text (quoted-printable soft breaks undone). */
async function mailsTo(to: string): Promise<string[]> {
  const files = await readdir(mailDir).catch(() => [] as string[]);
  const mails = await Promise.all(files.map((f) => readFile(join(mailDir, f), 'utf8')));
  return mails.filter((m) => m.includes(`To: ${to}\r\n`)).map((m) => m.replace(/=\r\n/g, '').replace(/=3D/g, '='));
}

/** Requests the change, lets the job run, and returns the code of the one mail to `newEmail`. */
async function codeFor(who: Account, newEmail: string): Promise<string> {
  const before = new Set(await mailsTo(newEmail));
  const res = await requestChange(who, { newEmail, password: who.password });
  expect(res.status, res.text).toBe(202);
  await runJobs();
  const mails = (await mailsTo(newEmail)).filter((m) => !before.has(m) && CODE.test(m));
  expect(mails).toHaveLength(1);
  return CODE.exec(mails[0]!)![0];
}

const pendingOf = async (userId: string) => (await scanTable(t.doc, t.tableName)).find((i) => i.pk === `users#user#${userId}` && i.sk === 'users#email-change');

describe('POST /v1/me/email and /v1/me/email/confirm', () => {
  it('mails a code to the new address; confirming moves sign-in to it and tells the old address', async () => {
    const account = await signup(t.app);
    const before = await me(account);
    const oldEtag = before.headers.get('etag')!;
    const newEmail = uniqueEmail('moved');

    const res = await requestChange(account, { newEmail: `  ${newEmail.toUpperCase()} `, password: account.password });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toEqual(ACCEPTED);
    // Nothing mailed yet, the email not changed: the mail is the job's, the change the confirmation's.
    expect(await mailsTo(newEmail)).toEqual([]);
    expect(held).toEqual([expect.objectContaining({ type: 'unit', job: 'users-email-change-mail', unit: { kind: 'code', userId: account.user.id, changeId: expect.any(String) } })]);
    expect((await me(account)).json.email).toBe(account.email);
    await runJobs();

    const [mail] = await mailsTo(newEmail);
    expect(mail).toContain('Subject: Confirm your new email address');
    expect(mail).toContain('expires in 30 minutes');
    const code = CODE.exec(mail!)![0];
    // Only the id is stored: the code's MAC is nowhere in the table.
    expect(await pendingOf(account.user.id)).toMatchObject({ changeId: code.split('.')[0], newEmail, expiresAt: Date.parse('2026-12-01T12:00:00Z') / 1000 + 1800 });
    expect(JSON.stringify(await scanTable(t.doc, t.tableName))).not.toContain(code.split('.')[1]);
    // The requester's own mailbox gets nothing at the request.
    expect(await mailsTo(account.email)).toEqual([]);

    const done = await confirm(account, code);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ id: account.user.id, email: newEmail, version: account.user.version + 1 });
    expect(done.headers.get('etag')).toBe(`"${account.user.version + 1}"`);
    expect(done.headers.get('etag')).not.toBe(oldEtag);

    // GET /v1/me: the new email, and the old ETag no longer matches (200, not 304).
    const after = await me(account, { 'if-none-match': oldEtag });
    expect(after.status).toBe(200);
    expect(after.json.email).toBe(newEmail);
    expect(after.headers.get('etag')).toBe(done.headers.get('etag'));

    expect((await login(newEmail, account.password)).status).toBe(200);
    expectProblem(await login(account.email, account.password), 401);

    // The confirmation queues only the deletion of the old address's sign-in counters (in steps:
    // their number is anyone's attempts'); the notice to the old address comes from the event.
    expect(held).toEqual([
      expect.objectContaining({ job: 'users-sessions-cleanup', unit: { kind: 'sign-in-counters', userId: account.user.id, partitions: [expect.stringMatching(/^users#throttle#/)] } }),
    ]);
    held.splice(0);
    expect(await mailsTo(account.email)).toEqual([]);

    // The event, written with the change, carries both addresses (it reaches no webhook).
    expect((await outboxEvents(t.doc, t.tableName)).filter((e) => e.detailType === 'user.email_changed' && e.detail.data.userId === account.user.id)).toHaveLength(1);
    const event = await theEvent(t, 'user.email_changed', { userId: account.user.id });
    expect(event.envelope.data).toEqual({ userId: account.user.id, previousEmail: account.email, email: newEmail });

    // Delivered, the users module's subscriber queues the notice; the old address is told once the job runs.
    await deliver(event);
    expect(held).toEqual([expect.objectContaining({ job: 'users-email-change-mail', unit: { kind: 'changed', userId: account.user.id, eventId: event.envelope.id, previousEmail: account.email, email: newEmail } })]);
    await runJobs();
    const notices = await mailsTo(account.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('Subject: Your email address was changed');
    expect(notices[0]).toContain(`was changed to ${newEmail}`);
    expect(notices[0]).toContain('If this was not you');
    // Delivered again (an EventBridge retry): the inbox keeps it from queueing a second notice.
    await deliver(event);
    expect(held).toEqual([]);
    await runJobs();
    expect(await mailsTo(account.email)).toHaveLength(1);

    // The items: the pending change spent, the reservation moved.
    const items = await scanTable(t.doc, t.tableName);
    expect(await pendingOf(account.user.id)).toBeUndefined();
    expect(items.find((i) => i.pk === `users#email#${account.email}`)).toBeUndefined();
    expect(items.find((i) => i.pk === `users#email#${newEmail}`)).toMatchObject({ userId: account.user.id });

    // A password reset for the old address finds no account and mails nothing.
    expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: account.email } })).status).toBe(202);
    await runJobs();
    expect(await mailsTo(account.email)).toHaveLength(1);

    // The code worked once.
    expectProblem(await confirm(account, code), 404, ['token']);
  });

  it("writes both mails in the account's locale: the code's from the request's read, the notice's from the event", async () => {
    const account = await signup(t.app);
    const patched = await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { locale: 'de-DE' } });
    expect(patched.status, patched.text).toBe(200);
    const newEmail = uniqueEmail('moved-de');
    /** A mail's text with its quoted-printable bytes decoded (UTF-8). */
    const decoded = (mail: string) => decodeURIComponent(mail.replace(/%/g, '%25').replace(/=([0-9A-F]{2})/g, '%$1'));

    expect((await requestChange(account, { newEmail, password: account.password })).status).toBe(202);
    expect(held).toEqual([expect.objectContaining({ unit: { kind: 'code', userId: account.user.id, changeId: expect.any(String), locale: 'de-DE' } })]);
    await runJobs();
    const [mail] = await mailsTo(newEmail);
    expect(decoded(mail!)).toContain('Geben Sie zur Bestätigung diesen Code in der App ein, während Sie angemeldet sind:');
    expect((await confirm(account, CODE.exec(mail!)![0])).status).toBe(200);

    const event = await theEvent(t, 'user.email_changed', { userId: account.user.id });
    expect(event.envelope.data).toEqual({ userId: account.user.id, previousEmail: account.email, email: newEmail, locale: 'de-DE' });
    await deliver(event);
    await runJobs();
    const [notice] = await mailsTo(account.email);
    expect(decoded(notice!)).toContain(`Die E-Mail-Adresse Ihres Kontos in der Budget-App wurde in ${newEmail} geändert.`);
  });

  it('keeps the notice to the old address when the queue refuses it: the event is delivered again', async () => {
    const account = await signup(t.app);
    const newEmail = uniqueEmail('outage');
    const code = await codeFor(account, newEmail);
    queueRefuses = true;
    try {
      // The change commits whatever the queue does (the confirmation queues nothing).
      const done = await confirm(account, code);
      expect(done.status, done.text).toBe(200);
      const event = await theEvent(t, 'user.email_changed', { userId: account.user.id });
      // The subscriber cannot queue the notice: the delivery fails, so EventBridge retries it.
      await expect(deliverToUsers(event)).rejects.toThrow();
      queueRefuses = false;
      await deliver(event);
    } finally {
      queueRefuses = false;
    }
    await runJobs();
    const notices = await mailsTo(account.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`was changed to ${newEmail}`);
  });

  it('voids a password-reset code mailed to the old address before the change', async () => {
    const account = await signup(t.app);
    expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: account.email } })).status).toBe(202);
    await runJobs();
    const resetCode = CODE.exec((await mailsTo(account.email))[0]!)![0];
    const newEmail = uniqueEmail('reset-void');
    expect((await confirm(account, await codeFor(account, newEmail))).status).toBe(200);

    const reset = await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: resetCode, newPassword: 'taken over the account' } });
    expectProblem(reset, 422, ['token']);
    expect((await login(newEmail, account.password)).status).toBe(200);
  });

  it('answers a taken address exactly the same, and the requester learns nothing; the holder gets no code', async () => {
    const holder = await signup(t.app);
    const requester = await signup(t.app);
    const another = await signup(t.app);

    const taken = await commandsSentDuring(t.doc, () => requestChange(requester, { newEmail: holder.email, password: requester.password }));
    const unit = held.splice(0);
    const open = await commandsSentDuring(t.doc, () => requestChange(another, { newEmail: uniqueEmail('free'), password: another.password }));
    expect(taken.result.status).toBe(202);
    expect(taken.result.text).toBe(open.result.text);
    // The request never looks the address up: the same DynamoDB work either way.
    expect(taken.commands).toEqual(open.commands);
    expect(unit).toEqual([expect.objectContaining({ unit: { kind: 'code', userId: requester.user.id, changeId: expect.any(String) } })]);
    held.splice(0);

    held.push(...unit);
    await runJobs();
    // The holder of the address is told someone tried, without any code.
    const notices = await mailsTo(holder.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('an account with this address already exists');
    expect(notices[0]).not.toMatch(CODE);
    // Nothing at all to the requester.
    expect(await mailsTo(requester.email)).toEqual([]);
    // The holder's account is untouched.
    expect((await login(holder.email, holder.password)).status).toBe(200);
  });

  it('answers 409 naming newEmail when the address was taken between the request and the confirmation', async () => {
    const account = await signup(t.app);
    const wanted = uniqueEmail('contested');
    const code = await codeFor(account, wanted);
    const other = await signup(t.app, { email: wanted });
    expect(other.user.email).toBe(wanted);

    expectProblem(await confirm(account, code), 409, ['newEmail']);
    // Nothing changed: both accounts keep their addresses.
    expect((await me(account)).json.email).toBe(account.email);
    expect((await login(account.email, account.password)).status).toBe(200);
    expect((await login(wanted, other.password)).status).toBe(200);
  });

  it('lets exactly one of two accounts confirming the same new address concurrently win', async () => {
    const a = await signup(t.app);
    const b = await signup(t.app);
    const wanted = uniqueEmail('race');
    const codeA = await codeFor(a, wanted);
    const codeB = await codeFor(b, wanted);
    expect(codeA).not.toBe(codeB);

    const answers = await Promise.all([confirm(a, codeA), confirm(b, codeB)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = answers[0]!.status === 200 ? a : b;
    const loser = winner === a ? b : a;
    expectProblem(answers.find((r) => r.status === 409)!, 409, ['newEmail']);
    expect((await me(winner)).json.email).toBe(wanted);
    expect((await me(loser)).json.email).toBe(loser.email);
    const reservations = (await scanTable(t.doc, t.tableName)).filter((i) => i.pk === `users#email#${wanted}`);
    expect(reservations).toEqual([expect.objectContaining({ userId: winner.user.id })]);
  });

  it('lets one of two concurrent confirmations of one code through; the other changes nothing', async () => {
    const account = await signup(t.app);
    const wanted = uniqueEmail('twice');
    const code = await codeFor(account, wanted);
    const answers = await Promise.all([confirm(account, code), confirm(account, code)]);
    // The loser answers 409 when both read the pending change before either committed, 404 when
    // the winner had already committed (and removed it) before the loser's read: timing decides.
    const [winner, loser] = [...answers].sort((a, b) => a.status - b.status);
    expect(winner!.status, winner!.text).toBe(200);
    expect([404, 409], loser!.text).toContain(loser!.status);
    expect((await me(account)).json.email).toBe(wanted);
    // One email_changed event, one reservation of the new address, none left of the old one.
    const items = await scanTable(t.doc, t.tableName);
    expect(items.filter((i) => i.pk === `users#email#${wanted}`)).toEqual([expect.objectContaining({ userId: account.user.id })]);
    expect(items.filter((i) => i.pk === `users#email#${account.email}`)).toEqual([]);
    expect(items.filter((i) => i.kind === 'outbox' && String(i.detail).includes(wanted))).toHaveLength(1);
  });

  it('answers 200 once the change committed, even when removing the old address\'s sign-in counters after it fails (throttled)', async () => {
    const account = await signup(t.app);
    const newEmail = uniqueEmail('committed');
    const code = await codeFor(account, newEmail);
    // A known client written before the keys were hashed (the address in clear): the request
    // deletes those itself (the hashed partitions go to a unit of the change's transaction).
    const until = Math.floor(clock.now().getTime() / 1000) + 86_400;
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: `users#throttle#${account.email}`, sk: 'users#throttle#known#192.0.2.40', kind: 'known-client', expiresAt: until } }));
    const { result: done, attempts } = await withWritesThrottled(t.doc, 'users#throttle#', () => confirm(account, code), ['BatchWriteItemCommand']);
    expect(attempts).toBeGreaterThan(0);
    // The address moved with the commit: a 503 here told the client it had not, and its retry got a 404.
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ id: account.user.id, email: newEmail });
    expect((await me(account)).json.email).toBe(newEmail);
  });

  it('refuses an expired code with 410 naming token, and changes nothing', async () => {
    const account = await signup(t.app);
    const newEmail = uniqueEmail('late');
    const code = await codeFor(account, newEmail);
    clock.advance(30 * 60 * 1000);
    // The 15-minute access token expired too: sign in again.
    const fresh = (await login(account.email, account.password)).json.tokens;
    expectProblem(await confirm(fresh, code), 410, ['token']);
    expect((await me(fresh)).json.email).toBe(account.email);
  });

  it('mails no code when its unit runs after the change expired (a late delivery, a dead letter replayed): the code could only be refused', async () => {
    const account = await signup(t.app);
    const newEmail = uniqueEmail('delayed');
    expect((await requestChange(account, { newEmail, password: account.password })).status).toBe(202);
    expect(held).toHaveLength(1);
    clock.advance(30 * 60 * 1000 + 1000);
    await runJobs();
    expect(await mailsTo(newEmail)).toEqual([]);
  });

  it('states the minutes the code has left when its unit runs late (a backlog, a retry), never the 30 already partly spent; none under a minute', async () => {
    const account = await signup(t.app);
    const newEmail = uniqueEmail('half-spent');
    expect((await requestChange(account, { newEmail, password: account.password })).status).toBe(202);
    expect(held).toHaveLength(1);
    // Worked 17 minutes and 10 seconds after the request: the change expires 12 minutes 50 seconds later.
    clock.advance((17 * 60 + 10) * 1000);
    await runJobs();
    const mails = await mailsTo(newEmail);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('The code works once and expires in 12 minutes.');
    expect(mails[0]).not.toContain('30 minutes');

    const other = await signup(t.app);
    const lastMinute = uniqueEmail('last-minute');
    expect((await requestChange(other, { newEmail: lastMinute, password: other.password })).status).toBe(202);
    clock.advance(29.5 * 60 * 1000);
    await runJobs();
    expect(await mailsTo(lastMinute)).toEqual([]);
  });

  it("mails nothing when support suspended the account before its unit ran: no code to the new address, no notice to another account's holder (support.md \"No mail to the user\")", async () => {
    const suspend = (email: string) => t.system.operations.find((o) => o.name === 'users-suspend')!.run({ email, reason: 'TICKET-7: takeover', operator: 'support' }, { logger: createLogger('SILENT') });
    const account = await signup(t.app);
    const newEmail = uniqueEmail('suspended-before-mail');
    expect((await requestChange(account, { newEmail, password: account.password })).status).toBe(202);
    const other = await signup(t.app);
    const taken = await signup(t.app);
    expect((await requestChange(other, { newEmail: taken.email, password: other.password })).status).toBe(202);
    expect(held).toHaveLength(2);
    // A takeover: the thief asked to move the account to their address; support suspends before the job runs.
    expect(await suspend(account.email)).toMatchObject({ ok: true, summary: { outcome: 'suspended' } });
    expect(await suspend(other.email)).toMatchObject({ ok: true, summary: { outcome: 'suspended' } });
    await runJobs();
    expect(await mailsTo(newEmail)).toEqual([]);
    expect(await mailsTo(taken.email)).toEqual([]);
  });

  it('voids the earlier code when a new request replaces it', async () => {
    const account = await signup(t.app);
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    const firstCode = await codeFor(account, first);
    const secondCode = await codeFor(account, second);

    expectProblem(await confirm(account, firstCode), 404, ['token']);
    const done = await confirm(account, secondCode);
    expect(done.status, done.text).toBe(200);
    expect(done.json.email).toBe(second);
    // A unit of a replaced request that arrives late mails nothing.
    expect((await requestChange(account, { newEmail: uniqueEmail('third'), password: account.password })).status).toBe(202);
    const replacedUnit = held.splice(0);
    await requestChange(account, { newEmail: uniqueEmail('fourth'), password: account.password });
    held.splice(0);
    held.push(...replacedUnit);
    const mailCount = (await readdir(mailDir)).length;
    await runJobs();
    expect((await readdir(mailDir)).length).toBe(mailCount);
  });

  it('does not accept another account\'s code, a made-up one or a tampered one', async () => {
    const owner = await signup(t.app);
    const stranger = await signup(t.app);
    const newEmail = uniqueEmail('mine');
    const code = await codeFor(owner, newEmail);
    const [id, mac] = code.split('.') as [string, string];

    expectProblem(await confirm(stranger, code), 404, ['token']);
    expect((await me(stranger)).json.email).toBe(stranger.email);
    for (const bad of [`${id}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`, `${'A'.repeat(22)}.${mac}`, 'not-a-code']) {
      expectProblem(await confirm(owner, bad), 404, ['token']);
    }
    // Still the owner's to confirm.
    expect((await confirm(owner, code)).json.email).toBe(newEmail);
  });

  it('refuses a wrong password with the password change\'s 422, storing and mailing nothing', async () => {
    const account = await signup(t.app);
    const res = await requestChange(account, { newEmail: uniqueEmail('never'), password: 'not the password' });
    expectProblem(res, 422, ['password']);
    expect(res.json.type).toMatch(/incorrect-password$/);
    expect(held).toEqual([]);
    expect(await pendingOf(account.user.id)).toBeUndefined();
  });

  it('refuses bad input with 400 naming the field, and the account\'s own address with 422', async () => {
    const account = await signup(t.app);
    expectProblem(await requestChange(account, {}), 400, ['newEmail', 'password']);
    expectProblem(await requestChange(account, { newEmail: 'not-an-email', password: account.password }), 400, ['newEmail']);
    expectProblem(await requestChange(account, { newEmail: uniqueEmail('x'), password: account.password, email: 'x@example.com' }), 400, ['email']);
    expectProblem(await requestChange(account, { newEmail: uniqueEmail('x'), password: 42 }), 400, ['password']);
    expectProblem(await call(t.app, 'POST', '/v1/me/email/confirm', { token: account.accessToken, body: {} }), 400, ['token']);
    expectProblem(await confirm(account, ''), 400, ['token']);
    expectProblem(await requestChange(account, { newEmail: account.email.toUpperCase(), password: account.password }), 422, ['newEmail']);
    expect(held).toEqual([]);
  });

  it('refuses a personal access token on both routes (403), as everywhere under /v1/me', async () => {
    const account = await signup(t.app);
    const created = await call(t.app, 'POST', '/v1/me/tokens', { token: account.accessToken, body: { name: 'script', scope: 'write' } });
    expect(created.status, created.text).toBe(201);
    const pat = { accessToken: created.json.token as string };
    held.splice(0); // the token's security notice (docs/security-notices.md)
    expectProblem(await requestChange(pat, { newEmail: uniqueEmail('pat'), password: account.password }), 403);
    expectProblem(await confirm(pat, `${'A'.repeat(22)}.${'B'.repeat(43)}`), 403);
    expect(held).toEqual([]);
  });

  it('deletes a pending change with the account', async () => {
    const account = await signup(t.app);
    expect((await requestChange(account, { newEmail: uniqueEmail('gone'), password: account.password })).status).toBe(202);
    held.splice(0);
    expect(await pendingOf(account.user.id)).toBeDefined();
    expect((await call(t.app, 'DELETE', '/v1/me', { token: account.accessToken })).status).toBe(204);
    expect(await pendingOf(account.user.id)).toBeUndefined();
    held.splice(0); // the exports cleanup the deletion queued
  });

  it('an account deleted right after a confirmation moved its address (the deletion read the old one) releases the new address too', async () => {
    const account = await signup(t.app);
    const newEmail = uniqueEmail('released');
    const code = await codeFor(account, newEmail);
    // The deletion's transaction (its sessions unit names `account-deleted`) waits until the
    // confirmation, from another device, has committed: DELETE /v1/me read the profile before it.
    const deleted = await holdingFirstWrite(
      t,
      'account-deleted',
      async () => expect((await confirm(account, code)).status).toBe(200),
      () => call(t.app, 'DELETE', '/v1/me', { token: account.accessToken }),
    );
    expect(deleted.status, deleted.text).toBe(204);
    held.splice(0);
    expectProblem(await me(account), 401);
    // No reservation of the deleted account is left: the new address is free for anyone.
    expect((await scanTable(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith('users#email#') && i.userId === account.user.id)).toEqual([]);
    expect((await call(t.app, 'POST', '/v1/auth/signup', { body: { email: newEmail, password: 'another long passphrase' } })).status).toBe(201);
  });
});
