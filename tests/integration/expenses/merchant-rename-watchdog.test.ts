import { WORK_UNIT_STALLED_AFTER_MS } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { MERCHANT_RENAME_WATCHDOG_JOB } from '../../../packages/expenses/src/jobs/names';
import { budgetOfMerchant, MERCHANT_RENAME_WATCH, stallSuite } from '../jobs/stall-system';
import { itemsOfKind } from '../jobs/support';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { deliver } from '../../support/events';

/**
 * The merchant rename's watchdog (jobs/merchant-rename-watchdog-job.ts, the shared platform
 * jobs/job-watchdog.ts): a stalled rename that NOBODY reads is failed all the same. Every
 * started rename queues one watchdog unit held until the window (75 minutes,
 * WORK_UNIT_STALLED_AFTER_MS) plus a minute after it last moved; the local work queue holds it,
 * the test moves the clock and hands the held messages over (releaseDelayed: the runner sends
 * back whatever is still not due). The rename is never read through the API here (a GET would
 * fail it itself): its record is read from the table. Pages hold 3 expenses, so 6 expenses are
 * 2 units. The watchdog's failure is the rename's one expense.merchant_rename_finished (its
 * starter told it failed); a rename that succeeded keeps its one event, the watchdog adds none.
 */
const MARGIN_MS = 60_000;
// Room for a watchdog delivery while a page is held at its gate.
const job = stallSuite(MERCHANT_RENAME_WATCH, { ownerName: 'rename-watchdog-owner', concurrency: 4 });
const { killed, gates, gate, reads, api, releaseWatchdogs, watchdogAt, watchdogIn, stored, finishedOf } = job;

async function rename(budgetId: string) {
  const res = await (await api())('POST', `/v1/budgets/${budgetId}/merchants/rename`, { body: { from: ['AMZN MKTP US'], to: 'Amazon' } });
  expect(res.status, res.text).toBe(202);
  return res.json as { id: string; createdAt: string };
}
const STALL_MESSAGE = /^the rename stalled: nothing moved for 75 minutes .*renaming again is safe: it only renames what still matches$/;

describe('the merchant rename watchdog', { timeout: 60_000 }, () => {
  it('fails a stalled rename nobody reads, once the window has passed, and the watch ends', async () => {
    const b = await budgetOfMerchant(job, 6);
    killed.add(`${b.id}#1`);
    const deadBefore = job.s.queue.deadLettered;
    const started = await rename(b.id);
    await job.s.queue.idle();
    // Killed on every attempt: dead-lettered, its failure handler never ran; the watchdog is held.
    expect(job.s.queue.deadLettered).toBe(deadBefore + 1);
    expect(job.s.queue.delayed).toBe(1);
    const stuck = await stored(started.id);
    expect(stuck).toMatchObject({ status: 'running', examined: 3, renamed: 3 });
    const lastMoved = Date.parse(stuck.updatedAt);

    // Exactly the window since it last moved: the watchdog is not due (the runner holds it again, unworked).
    await watchdogAt(lastMoved + WORK_UNIT_STALLED_AFTER_MS);
    expect(job.s.queue.delayed).toBe(1);
    expect(await stored(started.id)).toMatchObject({ status: 'running', examined: 3 });

    // Due (the window and the margin): failed by the watchdog alone, once.
    const writesBefore = await watchdogAt(lastMoved + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    await job.s.queue.idle();
    const failed = await stored(started.id);
    // The code is stored beside the reason, by the same write.
    expect(failed).toMatchObject({ status: 'failed', examined: 3, renamed: 3, finishedAt: job.clock.now().toISOString(), failure: expect.stringMatching(STALL_MESSAGE), failureCode: 'stalled' });
    expect(job.stallWrites).toBe(writesBefore + 1);
    // The watch has ended: nothing held any more.
    expect(job.s.queue.delayed).toBe(0);
    // Its one event, with the counts of the page counted; its starter is told it failed.
    const events = await finishedOf(started.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, renameId: started.id, startedBy: job.owner.id, from: ['AMZN MKTP US'], to: 'Amazon', status: 'failed', examined: 3, renamed: 3, failure: failed.failure, failureCode: 'stalled' },
    ]);
    await deliver(job.s.t, events[0]!);
    const told = ((await (await api())('GET', '/v1/notifications')).json.items as any[]).filter((n) => n.renameId === started.id);
    expect(told.map((n) => [n.kind, n.status, n.message])).toEqual([
      ['merchant-rename.finished', 'failed', 'Your rename to "Amazon" in Household failed: the rename stalled: nothing moved for 75 minutes.'],
    ]);

    // The API reads it as the watchdog left it.
    const read = await (await api())('GET', `/v1/budgets/${b.id}/merchant-renames/${started.id}`);
    expect(read.json).toMatchObject({ status: 'failed', finishedAt: failed.finishedAt, failure: failed.failure, failureCode: 'stalled' });

    // Delivered again later (a duplicate of its message): ended, nothing written, nothing queued.
    const message = { type: 'unit' as const, job: MERCHANT_RENAME_WATCHDOG_JOB, tick: started.createdAt, unit: { budgetId: b.id, renameId: started.id } };
    job.clock.advance(60_000);
    await job.s.queue.send([message]);
    await job.s.queue.idle();
    expect(job.stallWrites).toBe(writesBefore + 1);
    expect(job.s.queue.delayed).toBe(0);
    expect(await stored(started.id)).toEqual(failed);
    // Neither the GET nor the duplicate published a second event.
    expect(await finishedOf(started.id)).toHaveLength(1);

    // A rename failed before codes were kept (its record has the reason, no code): GET has none.
    await job.s.t.system.deps.storeFor('expenses').update({ Key: { pk: failed.pk, sk: failed.sk }, UpdateExpression: 'REMOVE failureCode' });
    const older = await (await api())('GET', `/v1/budgets/${b.id}/merchant-renames/${started.id}`);
    expect(older.json).toMatchObject({ status: 'failed', failure: failed.failure });
    expect(older.json).not.toHaveProperty('failureCode');
    killed.clear();
  });

  it('a reader and the watchdog finding the rename stalled at once: one write lands, one event', async () => {
    const b = await budgetOfMerchant(job, 6);
    killed.add(`${b.id}#1`);
    const started = await rename(b.id);
    await job.s.queue.idle();
    const lastMoved = Date.parse((await stored(started.id)).updatedAt);
    job.clock.set(new Date(lastMoved + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS));
    const get = await api(); // signed in before, so the GET's reads are only the rename's
    const writesBefore = job.stallWrites;
    // Both read the record before either writes: both see it stalled.
    reads.arm(`expenses#rename#${started.id}`, 2);
    const [read] = await Promise.all([get('GET', `/v1/budgets/${b.id}/merchant-renames/${started.id}`), releaseWatchdogs(1)]);
    await job.s.queue.idle();
    expect(reads.released).toBe(true);
    expect(read.json).toMatchObject({ status: 'failed', failure: expect.stringMatching(STALL_MESSAGE), failureCode: 'stalled' });
    expect(job.stallWrites).toBe(writesBefore + 1);
    expect(job.s.queue.delayed).toBe(0);
    expect((await finishedOf(started.id)).map((e) => e.envelope.data)).toMatchObject([{ status: 'failed', examined: 3, renamed: 3 }]);
    killed.clear();
  });

  it('leaves a moving rename alone and re-arms one window after its last move; once it has succeeded, the watchdog ends, writing nothing', async () => {
    const b = await budgetOfMerchant(job, 9);
    const second = gate(`${b.id}#1`);
    const third = gate(`${b.id}#2`);
    const started = await rename(b.id);
    const created = Date.parse(started.createdAt);
    // The first page is counted at the start; the second waits at its gate.
    await second.entered;
    expect(await stored(started.id)).toMatchObject({ status: 'running', examined: 3 });

    // The second page is counted half a window after the start: the rename moved.
    job.clock.set(new Date(created + WORK_UNIT_STALLED_AFTER_MS / 2));
    second.release();
    await third.entered;
    const moved = Date.parse((await stored(started.id)).updatedAt);
    expect(moved).toBe(created + WORK_UNIT_STALLED_AFTER_MS / 2);

    // The watchdog's first instant (from the start): not stalled (half a window since it moved), so it re-arms.
    await watchdogAt(created + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    expect(await stored(started.id)).toMatchObject({ status: 'running', examined: 6 });
    expect(job.s.queue.delayed).toBe(1);

    // Re-armed for one window (+ the margin) after the last move, not before: a minute early it is held again.
    await watchdogAt(moved + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS - 60_000);
    expect(job.s.queue.delayed).toBe(1);
    expect(await stored(started.id)).toMatchObject({ status: 'running' });

    // The last page is counted: succeeded.
    third.release();
    await job.s.queue.idle();
    const done = await stored(started.id);
    expect(done).toMatchObject({ status: 'succeeded', examined: 9, renamed: 9 });

    // The watchdog, due now, finds it ended: nothing written, nothing queued again.
    const writesBefore = await watchdogAt(moved + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    expect(job.s.queue.delayed).toBe(0);
    expect(job.stallWrites).toBe(writesBefore);
    expect(await stored(started.id)).toEqual(done);
    // One event, the success's: the watchdog published none.
    expect((await finishedOf(started.id)).map((e) => e.envelope.data)).toMatchObject([{ status: 'succeeded', examined: 9, renamed: 9 }]);
    gates.clear();
  });

  it('of a finished rename does nothing when due, however late', async () => {
    const b = await budgetOfMerchant(job, 2);
    const started = await rename(b.id);
    await job.s.queue.idle();
    const done = await stored(started.id);
    expect(done).toMatchObject({ status: 'succeeded', examined: 2, renamed: 2 });
    expect(job.s.queue.delayed).toBe(1);

    const writesBefore = await watchdogIn(3 * WORK_UNIT_STALLED_AFTER_MS);
    expect(job.s.queue.delayed).toBe(0);
    expect(job.stallWrites).toBe(writesBefore);
    expect(await stored(started.id)).toEqual(done);
  });

  it("of a rename whose process died right after its record committed, and whose unit 0 then failed every attempt, fails it unread once the window has passed", async () => {
    // merchants-and-tags.md: unit 0 rides in the record's transaction, so the crash still
    // renames, and "a unit that fails every attempt is what the watchdog below catches".
    const b = await budgetOfMerchant(job, 2);
    const crash = crashAfterCommit(job.s.t.doc, 'crashAfterRenameWatchCommit');
    const lost = await crash.during(async () => (await api())('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['AMZN MKTP US'], to: 'Amazon' } }));
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const [record] = (await itemsOfKind(job.s.t, 'merchant-rename')).filter((i) => i.budgetId === b.id);
    expect(record).toMatchObject({ status: 'queued' });
    // The stream's relay hands unit 0 over (as outbox-relay.ts sends a job-unit item), and it is killed on every attempt.
    const [item] = (await itemsOfKind(job.s.t, 'job-unit')).filter((i) => JSON.parse(i.unit).renameId === record!.renameId);
    killed.add(`${b.id}#0`);
    const deadBefore = job.s.queue.deadLettered;
    await job.s.queue.send([{ type: 'unit', job: item!.job, tick: item!.tick, unit: JSON.parse(item!.unit), relayed: { key: item!.pk, send: 'after-the-crash' } }]);
    await job.s.queue.idle();
    expect(job.s.queue.deadLettered).toBe(deadBefore + 1);
    // Its watchdog is held all the same.
    expect(job.s.queue.delayed).toBe(1);

    const writesBefore = await watchdogAt(Date.parse(record!.updatedAt) + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    await job.s.queue.idle();
    expect(job.stallWrites).toBe(writesBefore + 1);
    expect(await stored(record!.renameId)).toMatchObject({ status: 'failed', examined: 0, failureCode: 'stalled' });
    expect((await finishedOf(record!.renameId)).map((e) => e.envelope.data)).toEqual([expect.objectContaining({ status: 'failed', renamed: 0, failureCode: 'stalled' })]);
    expect(job.s.queue.delayed).toBe(0);
    killed.clear();
  });
});
