import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localJobQueue } from '../../../packages/app/src/local/jobs-runtime';
import { localObjectStorage } from '../../../packages/app/src/storage/local-storage';
import { attachmentsResweep } from '../../../packages/expenses/src/jobs/attachments-resweep';
import { AttachmentsRepository } from '../../../packages/expenses/src/repository/attachments.repository';
import { deliver, theEvent } from '../../support/events';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Receipts uploaded late cannot outlive the deletion cascades: an upload ticket (valid 15
 * minutes) issued just before its expense or budget is deleted can still put a file after the
 * cascade ran, so the cascade also queues a second pass over the same prefix, held (queue delay,
 * in hops of at most 15 minutes) until no such upload can land. Run on DynamoDB Local, the local
 * storage stand-in (whose tickets expire by the system's clock) and the local work queue (the
 * stand-in of SQS, whose delayed messages a test hands over with releaseDelayed() after moving
 * the clock).
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'attachments-resweep-'));
const jobs = localJobQueue({ dataDir: mkdtempSync(join(tmpdir(), 'resweep-jobs-')), logger: createLogger('SILENT'), retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
let h: Harness;
let team: Team;

beforeAll(async () => {
  // Access tokens outlive the clock's jumps past the upload tickets.
  h = await createHarness({ clock, env: { ATTACHMENTS_DIR: dir, ACCESS_TOKEN_TTL_SECONDS: '86400' }, jobs: { transport: jobs.transport } });
  team = await h.team();
});
afterAll(async () => {
  await jobs.queue.stop();
  await h.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const MINUTE = 60_000;
const JPEG = new Uint8Array(Array.from({ length: 2_000 }, (_, i) => (i * 13) % 256));

async function expense(b: Budget): Promise<string> {
  const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: team.owner.token, body: { amount: 990, occurredOn: '2026-11-20' } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

/** Declares a receipt: its upload ticket and where its file will be. */
async function declare(b: Budget, expenseId: string) {
  const res = await h.call('POST', `/v1/budgets/${b.id}/expenses/${expenseId}/attachments`, { token: team.owner.token, body: { contentType: 'image/jpeg', size: JPEG.length } });
  expect(res.status, res.text).toBe(201);
  return {
    id: res.json.id as string,
    ticket: res.json.upload as { url: string; fields: Record<string, string>; expiresAt: string },
    file: join(dir, `budgets/${b.id}/expenses/${expenseId}/${res.json.id}`),
  };
}

/** The receipt as the API shows it (confirmed on this read if its file arrived), and its file as a download gives it. */
async function downloaded(b: Budget, expenseId: string, id: string) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/expenses/${expenseId}/attachments/${id}`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  expect(res.json.status).toBe('uploaded');
  const file = await fetch(res.json.download.url);
  return { status: file.status, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** A file put under a key behind the API's back (as the local storage keeps one), named by no attachment. */
function stray(key: string): string {
  const file = join(dir, key);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JPEG);
  writeFileSync(`${file}.meta.json`, JSON.stringify({ contentType: 'image/jpeg' }));
  return file;
}

async function upload(ticket: { url: string; fields: Record<string, string> }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(JPEG)]), 'receipt.jpg');
  return (await fetch(ticket.url, { method: 'POST', body: form })).status;
}

/** Lets the local queue deliver its delayed messages as if their delay had passed, then waits for the work. */
async function releaseDelayed(): Promise<number> {
  const released = jobs.queue.releaseDelayed();
  await jobs.queue.idle();
  return released;
}

describe('the second pass over a deleted expense or budget', { timeout: 120_000 }, () => {
  it('removes a receipt uploaded with a ticket issued before its expense was deleted, once no upload can land any more', async () => {
    const start = clock.now().getTime();
    try {
      const b = team.budget;
      const [doomed, kept] = [await expense(b), await expense(b)];
      const late = await declare(b, doomed);
      const keptFile = await declare(b, kept);
      expect(await upload(keptFile.ticket)).toBe(204);

      // Deleted 2 minutes later, the cascade runs: nothing to delete yet (the file is not there).
      clock.advance(2 * MINUTE);
      expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${doomed}`, { token: team.owner.token })).status).toBe(204);
      await deliver(h.t, await theEvent(h.t, 'expense.deleted', { expenseId: doomed }));
      await jobs.queue.idle();
      expect(jobs.queue.delayed).toBe(1); // the second pass, held

      // The ticket still works: the file lands behind the cascade's back.
      clock.advance(12 * MINUTE);
      expect(await upload(late.ticket)).toBe(204);
      expect(existsSync(late.file)).toBe(true);

      // A queue hands a message over after at most 15 minutes: too early, it is delayed again, unworked.
      // (At the ticket's expiry plus 4 minutes an upload accepted at its last second may still be arriving.)
      clock.set(new Date(Date.parse(late.ticket.expiresAt) + 4 * MINUTE));
      expect(await releaseDelayed()).toBe(1);
      expect(jobs.queue.delayed).toBe(1);
      expect(existsSync(late.file)).toBe(true);

      // 21 minutes after the cascade: past the last possible upload. The file goes, the other expense's stays.
      clock.set(new Date(start + 2 * MINUTE + 21 * MINUTE));
      expect(await upload(late.ticket)).toBe(403); // expired long ago: nothing can come after this pass
      expect(await releaseDelayed()).toBe(1);
      expect(jobs.queue.delayed).toBe(0);
      expect(existsSync(late.file)).toBe(false);
      expect(existsSync(keptFile.file)).toBe(true);
      expect(jobs.queue.deadLettered).toBe(0);
    } finally {
      clock.set(new Date(start));
    }
  });

  it('queues no second pass for an expense that never had a receipt (its deletion costs what it did)', async () => {
    const id = await expense(team.budget);
    expect((await h.call('DELETE', `/v1/budgets/${team.budget.id}/expenses/${id}`, { token: team.owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'expense.deleted', { expenseId: id }));
    await jobs.queue.idle();
    expect(jobs.queue.delayed).toBe(0);
  });

  it("removes a file uploaded through a deleted receipt's ticket (a presigned POST outlives its DELETE), and only that", async () => {
    const start = clock.now().getTime();
    try {
      const b = team.budget;
      const e = await expense(b);
      const kept = await declare(b, e);
      expect(await upload(kept.ticket)).toBe(204);
      const deleted = await declare(b, e);
      expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${e}/attachments/${deleted.id}`, { token: team.owner.token })).status).toBe(204);
      await jobs.queue.idle();
      expect(jobs.queue.delayed).toBe(1); // the second pass over the expense's prefix, held

      // The ticket still works: the file lands behind the DELETE's back, named by no attachment.
      clock.advance(10 * MINUTE);
      expect(await upload(deleted.ticket)).toBe(204);
      expect(existsSync(deleted.file)).toBe(true);

      clock.set(new Date(start + 21 * MINUTE));
      expect(await releaseDelayed()).toBe(1);
      expect(jobs.queue.delayed).toBe(0);
      expect(jobs.queue.deadLettered).toBe(0);
      expect(existsSync(deleted.file)).toBe(false);
      expect(existsSync(kept.file)).toBe(true);
      expect((await downloaded(b, e, kept.id)).bytes).toEqual(JPEG);

      // Deleted once its ticket can no longer be used: no second pass (what a DELETE cost before).
      expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${e}/attachments/${kept.id}`, { token: team.owner.token })).status).toBe(204);
      await jobs.queue.idle();
      expect(jobs.queue.delayed).toBe(0);
      expect(existsSync(kept.file)).toBe(false);
    } finally {
      clock.set(new Date(start));
    }
  });

  it('removes a receipt uploaded after the budget.deleted cleanup ran, and nothing of another budget', async () => {
    const start = clock.now().getTime();
    try {
      const [b, other] = [await h.createBudget(team.owner), await h.createBudget(team.owner)];
      const late = await declare(b, await expense(b));
      const elsewhere = await declare(other, await expense(other));
      expect(await upload(elsewhere.ticket)).toBe(204);

      clock.advance(MINUTE);
      expect((await h.call('DELETE', `/v1/budgets/${b.id}`, { token: team.owner.token })).status).toBe(204);
      await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: b.id }));
      await jobs.queue.idle(); // the cleanup ran (through the queue, at once)
      expect(jobs.queue.delayed).toBe(1);

      clock.advance(13 * MINUTE);
      expect(await upload(late.ticket)).toBe(204);
      expect(existsSync(late.file)).toBe(true);

      clock.set(new Date(start + MINUTE + 21 * MINUTE));
      expect(await releaseDelayed()).toBe(1);
      expect(existsSync(late.file)).toBe(false);
      expect(existsSync(elsewhere.file)).toBe(true);
      expect(jobs.queue.delayed).toBe(0);
    } finally {
      clock.set(new Date(start));
    }
  });
  it('spares a restored expense\'s new receipts (also one uploaded after the deletion), and deletes the deleted one\'s late upload', async () => {
    const start = clock.now().getTime();
    try {
      const b = team.budget;
      const e = await expense(b);
      const late = await declare(b, e); // its ticket outlives the deletion

      clock.advance(2 * MINUTE);
      expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${e}`, { token: team.owner.token })).status).toBe(204);
      await deliver(h.t, await theEvent(h.t, 'expense.deleted', { expenseId: e }));
      await jobs.queue.idle();
      expect(jobs.queue.delayed).toBe(1); // the second pass over the expense's prefix, held

      // Restored at once; a receipt attached and uploaded right after, another declared now and uploaded later.
      clock.advance(MINUTE);
      expect((await h.call('POST', `/v1/budgets/${b.id}/expenses/${e}/restore`, { token: team.owner.token })).status).toBe(200);
      const fresh = await declare(b, e);
      expect(await upload(fresh.ticket)).toBe(204);
      expect((await downloaded(b, e, fresh.id)).status).toBe(200);
      const later = await declare(b, e);

      // Behind the cascade's back: the deleted receipt's late upload, then the new one's upload (both after the deletion).
      clock.advance(11 * MINUTE);
      expect(await upload(late.ticket)).toBe(204);
      expect(await upload(later.ticket)).toBe(204);
      const lost = stray(`budgets/${b.id}/expenses/${e}/no-such-attachment`);

      // The second pass: only what no attachment item of the expense names goes.
      clock.set(new Date(start + 2 * MINUTE + 21 * MINUTE));
      expect(await releaseDelayed()).toBe(1);
      expect(jobs.queue.delayed).toBe(0);
      expect(jobs.queue.deadLettered).toBe(0);
      expect(existsSync(late.file)).toBe(false);
      expect(existsSync(lost)).toBe(false);
      expect(existsSync(fresh.file)).toBe(true);
      expect(existsSync(later.file)).toBe(true);
      // Both download (the later one, still pending, is confirmed by this read).
      for (const id of [fresh.id, later.id]) {
        const got = await downloaded(b, e, id);
        expect(got.status).toBe(200);
        expect(got.bytes).toEqual(JPEG);
      }
      const listed = await h.call('GET', `/v1/budgets/${b.id}/expenses/${e}/attachments`, { token: team.owner.token });
      expect(listed.json.items.map((a: any) => a.id)).toEqual([fresh.id, later.id]);
    } finally {
      clock.set(new Date(start));
    }
  });

  it('a late expense.deleted cascade after a restore removes only the receipts made before the deletion; a retry changes nothing', async () => {
    const start = clock.now().getTime();
    try {
      const b = team.budget;
      const e = await expense(b);
      const old = await declare(b, e);
      expect(await upload(old.ticket)).toBe(204);
      expect((await downloaded(b, e, old.id)).status).toBe(200);

      clock.advance(MINUTE);
      expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${e}`, { token: team.owner.token })).status).toBe(204);
      // Restored, and given a new receipt, before the deletion's cascade is delivered (a retried delivery).
      clock.advance(MINUTE);
      expect((await h.call('POST', `/v1/budgets/${b.id}/expenses/${e}/restore`, { token: team.owner.token })).status).toBe(200);
      const fresh = await declare(b, e);
      expect(await upload(fresh.ticket)).toBe(204);

      const deleted = await theEvent(h.t, 'expense.deleted', { expenseId: e });
      for (let delivery = 0; delivery < 2; delivery++) {
        await deliver(h.t, deleted);
        await jobs.queue.idle();
        expect(existsSync(old.file)).toBe(false);
        expect((await h.call('GET', `/v1/budgets/${b.id}/expenses/${e}/attachments/${old.id}`, { token: team.owner.token })).status).toBe(404);
        expect(existsSync(fresh.file)).toBe(true);
        const got = await downloaded(b, e, fresh.id);
        expect(got.bytes).toEqual(JPEG);
        const listed = await h.call('GET', `/v1/budgets/${b.id}/expenses/${e}/attachments`, { token: team.owner.token });
        expect(listed.json.items.map((a: any) => a.id)).toEqual([fresh.id]);
      }
      // The new receipt keeps its place in the cap and gives it back when deleted: the expense can take receipts again.
      expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${e}/attachments/${fresh.id}`, { token: team.owner.token })).status).toBe(204);
      await declare(b, e);
    } finally {
      clock.set(new Date(start));
    }
  });

  it('sweeps an expense a listed page at a time, carrying the last key to the next invocation past its deadline', async () => {
    const b = team.budget;
    const e = await expense(b);
    const kept = await declare(b, e);
    expect(await upload(kept.ticket)).toBe(204);
    const prefix = `budgets/${b.id}/expenses/${e}/`;
    // Keys sort around the attachment's: one orphan before it, two after.
    const orphans = [stray(`${prefix}0-orphan`), stray(`${prefix}~orphan-1`), stray(`${prefix}~orphan-2`)];
    const store = h.t.system.deps.storeFor('expenses');
    const listed: (string | undefined)[] = [];
    const storage = localObjectStorage({ dir, secret: 'test', clock, listPage: 2 });
    const job = attachmentsResweep({
      storage: { ...storage, listKeys: (p, after) => (listed.push(after), storage.listKeys(p, after)) },
      attachments: new AttachmentsRepository(store),
    });
    const ctx = { logger: h.t.system.deps.logger, deadline: 0 };

    // Past its deadline after the first page [0-orphan, the receipt]: the rest queued again, after the receipt's key.
    const first = await job.work(await job.parseUnit({ budgetId: b.id, expenseId: e }), clock.now(), ctx);
    expect(first).toEqual({ done: 1, again: { budgetId: b.id, expenseId: e, after: `${prefix}${kept.id}` } });
    expect(existsSync(orphans[0]!)).toBe(false);
    expect(existsSync(orphans[1]!)).toBe(true);

    const second = await job.work(await job.parseUnit(JSON.parse(JSON.stringify(first!.again))), clock.now(), ctx);
    expect(second).toEqual({ done: 2 });
    expect(listed).toEqual([undefined, `${prefix}${kept.id}`]);
    expect(orphans.map((f) => existsSync(f))).toEqual([false, false, false]);
    expect(existsSync(kept.file)).toBe(true);
    expect((await downloaded(b, e, kept.id)).bytes).toEqual(JPEG);
    await expect(Promise.resolve().then(() => job.parseUnit({ budgetId: b.id, after: 'x' }))).rejects.toThrow(/only with an expenseId/);
    await storage.close();
  });
});
