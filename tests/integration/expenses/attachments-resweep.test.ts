import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localJobQueue } from '../../../packages/app/src/local/jobs-runtime';
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
  return { ticket: res.json.upload as { url: string; fields: Record<string, string>; expiresAt: string }, file: join(dir, `budgets/${b.id}/expenses/${expenseId}/${res.json.id}`) };
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
});
