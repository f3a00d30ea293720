import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp } from '../../support/actors';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { relayStreamOnce } from '../../support/stream-relay-once';
import { createFanOutSystem } from '../jobs/support';

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
