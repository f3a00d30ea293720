import { createLogger } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp } from '../../support/actors';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { relayStreamOnce } from '../../support/stream-relay-once';
import { createFanOutSystem } from '../jobs/support';
import { tableItems } from '../../support/events';
import { call } from '../../support/http';
import { withWritesThrottled } from '../../support/throttled-writes';
import { expectProblem } from '../../support/problem';

/**
 * The data export's start and account deletion's exports cleanup, when the process dies right
 * after the request's transaction committed (tests/support/crash-after-commit.ts). Their job
 * units are items of that transaction (platform queuedUnitPut, packages/users/docs/data-export.md "Data export"), so the
 * table stream's relay that runs after the crash (the local stream poller, the same relay code
 * as the Lambda's stream trigger) still queues them: the export runs, the deleted account's
 * objects go. Before (stop 54) both were queued after the commit: the crash lost them (the
 * export then waited for its 6-hour "stuck" mark, the objects for the bucket's lifecycle rule).
 */
describe('job units of the data export and of account deletion, after a crash right after the commit', { timeout: 180_000 }, () => {
  let s: Awaited<ReturnType<typeof createFanOutSystem>>;
  beforeAll(async () => {
    s = await createFanOutSystem({ concurrency: 2, stream: true });
  });
  afterAll(() => s?.t.destroy());

  it('POST /v1/me/export: no retry, the relay queues its units and the export succeeds; DELETE /v1/me: the relay queues the cleanup, which removes the document', async () => {
    const ann = await signUp(s.t.app, 'export-crash-ann');
    const api = as(s.t.app, ann);
    const crash = crashAfterCommit(s.t.doc, 'crashAfterExportCommit');

    const lost = await crash.during(() => api('POST', '/v1/me/export'));
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    await s.queue.idle();
    const listed = await api('GET', '/v1/me/exports');
    expect(listed.json.items).toMatchObject([{ status: 'queued' }]); // committed, nothing queued yet
    const exportId = listed.json.items[0].id as string;

    await relayStreamOnce(s.t);
    await s.queue.idle();
    const done = await api('GET', `/v1/me/exports/${exportId}`);
    expect(done.json.status, done.text).toBe('succeeded');
    expect((await fetch(done.json.download.url)).status).toBe(200);

    const deleted = await crash.during(() => api('DELETE', '/v1/me'));
    expect(deleted.status).toBeGreaterThanOrEqual(500);
    await s.queue.idle();
    expect((await fetch(done.json.download.url)).status).toBe(200); // nothing ran after the commit

    await relayStreamOnce(s.t);
    await s.queue.idle();
    expect((await fetch(done.json.download.url)).status).toBe(404);
  });
});

describe('account deletion dying right after its commit', { timeout: 180_000 }, () => {
  let s: Awaited<ReturnType<typeof createFanOutSystem>>;
  beforeAll(async () => {
    s = await createFanOutSystem({ concurrency: 2, stream: true });
  });
  afterAll(() => s?.t.destroy());

  it("leaves nothing of the account's own partition but its audit trail: the personal access tokens, their count, the exports and the export gate go with the units written in the deletion's transaction", async () => {
    const signedUp = await signUp(s.t.app, 'delete-crash-ben');
    // Support suspended the account once and lifted that: two audit records, kept two years after the deletion (docs/support.md).
    const operate = (name: string) => s.t.system.operations.find((o) => o.name === name)!.run({ email: signedUp.email, reason: 'TICKET-2', operator: 'support' }, { logger: createLogger('SILENT') });
    await operate('users-suspend');
    await operate('users-unsuspend');
    const login = await call(s.t.app, 'POST', '/v1/auth/login', { body: { email: signedUp.email, password: signedUp.password } });
    expect(login.status, login.text).toBe(200);
    const ben = { ...signedUp, token: login.json.tokens.accessToken as string };
    const api = as(s.t.app, ben);
    expect((await api('POST', '/v1/me/tokens', { body: { name: 'Sheet sync', scope: 'read' } })).status).toBe(201);
    expect((await api('POST', '/v1/me/export')).status).toBe(202);
    await s.queue.idle();
    const partition = async () => (await tableItems(s.t.doc, s.t.tableName)).filter((i) => i.pk === `users#user#${ben.id}`);
    expect((await partition()).map((i) => i.kind)).toEqual(expect.arrayContaining(['personal-token', 'personal-token-count', 'data-export', 'data-export-gate']));

    const crash = crashAfterCommit(s.t.doc, 'crashAfterDeleteCommit');
    const deleted = await crash.during(() => api('DELETE', '/v1/me'));
    expect(deleted.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    // Its retry finds no account: nothing of the request runs again.
    expectProblem(await api('DELETE', '/v1/me'), 401);

    await relayStreamOnce(s.t);
    await s.queue.idle();
    // Nothing with no TTL may stay (a token's name and secret hash, the gate): the account is gone
    // for good. Only support's audit records are left, as after a deletion that answered.
    expect((await partition()).map((i) => i.action)).toEqual(['suspended-by-operator', 'unsuspended-by-operator']);
  });

  it('a step after the commit that fails (the tokens\' deletion throttled) still answers 204: the account is deleted, and the unit sweeps what the step left', async () => {
    const cid = await signUp(s.t.app, 'delete-throttled-cid');
    const api = as(s.t.app, cid);
    expect((await api('POST', '/v1/me/tokens', { body: { name: 'Sheet sync', scope: 'read' } })).status).toBe(201);
    const partition = async () => (await tableItems(s.t.doc, s.t.tableName)).filter((i) => i.pk === `users#user#${cid.id}`);

    const { result: deleted, attempts } = await withWritesThrottled(s.t.doc, `users#user#${cid.id}`, () => api('DELETE', '/v1/me'), ['BatchWriteItemCommand']);
    expect(attempts).toBeGreaterThan(0);
    // Committed: the client is told so (a 500 here read as "not deleted", and its retry got a 401).
    expect(deleted.status, deleted.text).toBe(204);
    expectProblem(await api('GET', '/v1/me'), 401);
    expect((await partition()).map((i) => i.kind)).toEqual(expect.arrayContaining(['personal-token', 'personal-token-count']));

    await relayStreamOnce(s.t);
    await s.queue.idle();
    expect(await partition()).toEqual([]);
  });
});
