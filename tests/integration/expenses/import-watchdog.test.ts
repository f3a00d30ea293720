import { WORK_UNIT_STALLED_AFTER_MS } from '@budgeting/platform';
import { describe, expect, it, vi } from 'vitest';
import { IMPORT_WATCHDOG_JOB } from '../../../packages/expenses/src/jobs/names';
import { CSV_IMPORT_WATCH, stallCsv, stallSuite } from '../jobs/stall-system';
import { itemsOfKind } from '../jobs/support';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { deliver } from '../../support/events';

/**
 * The import's watchdog (jobs/import-watchdog-job.ts): a stalled import that NOBODY reads is
 * failed all the same, and its starter told (expense.import_finished, once). Every import with
 * chunks queues one watchdog unit held until the window (75 minutes, WORK_UNIT_STALLED_AFTER_MS)
 * plus a minute after it last moved; the local work queue holds it, the test moves the clock
 * and hands the held messages over (releaseDelayed: the runner sends back whatever is still not
 * due). The import is never read through the API here (a GET would fail it itself): its
 * record is read from the table. Chunks hold 2 rows, so a 6-row file is 3 units.
 */
const MARGIN_MS = 60_000;
// Room for a watchdog delivery while a chunk is held at its gate.
const job = stallSuite(CSV_IMPORT_WATCH, { ownerName: 'import-watchdog-owner', concurrency: 4 });
const { killed, gates, gate, reads, api, releaseWatchdogs, watchdogAt, watchdogIn, newBudget, stored, finishedOf } = job;

async function post(budgetId: string, file: string) {
  const res = await (await api())('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv' } });
  expect(res.status, res.text).toBe(202);
  return res.json as { id: string; createdAt: string };
}
const STALL_MESSAGE = /^the import stalled: nothing moved for 75 minutes/;

describe('the import watchdog', { timeout: 60_000 }, () => {
  it('fails a stalled import nobody reads, once the window has passed, and its starter is told by one expense.import_finished', async () => {
    const b = await newBudget();
    killed.add(`${b.id}#1`);
    const deadBefore = job.s.queue.deadLettered;
    const started = await post(b.id, stallCsv(6));
    await job.s.queue.idle();
    // Killed on every attempt: dead-lettered, its failure handler never ran; the watchdog is held.
    expect(job.s.queue.deadLettered).toBe(deadBefore + 1);
    expect(job.s.queue.delayed).toBe(1);
    const stuck = await stored(started.id);
    expect(stuck).toMatchObject({ status: 'running', processed: 4 });
    const lastMoved = Date.parse(stuck.updatedAt);

    // Exactly the window since it last moved: the watchdog is not due (the runner holds it again, unworked).
    await watchdogAt(lastMoved + WORK_UNIT_STALLED_AFTER_MS);
    expect(job.s.queue.delayed).toBe(1);
    expect(await stored(started.id)).toMatchObject({ status: 'running', processed: 4 });
    expect(await finishedOf(started.id)).toEqual([]);

    // Due (the window and the margin): failed by the watchdog alone, its event written with it.
    const writesBefore = await watchdogAt(lastMoved + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    await job.s.queue.idle();
    const failed = await stored(started.id);
    // The code is stored beside the reason, by the same write.
    expect(failed).toMatchObject({ status: 'failed', processed: 4, imported: 4, finishedAt: job.clock.now().toISOString(), failure: expect.stringMatching(STALL_MESSAGE), failureCode: 'stalled' });
    expect(job.stallWrites).toBe(writesBefore + 1);
    // The watch has ended: nothing held any more.
    expect(job.s.queue.delayed).toBe(0);
    const events = await finishedOf(started.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, importId: started.id, userId: job.owner.id, status: 'failed', total: 6, imported: 4, duplicates: 0, matched: 0, errorCount: 0, failure: expect.stringMatching(STALL_MESSAGE), failureCode: 'stalled' },
    ]);

    // The event, delivered, tells the starter in the app.
    await deliver(job.s.t, events[0]!);
    const notifications = await (await api())('GET', '/v1/notifications');
    expect(notifications.status, notifications.text).toBe(200);
    expect((notifications.json.items as any[]).filter((n) => n.kind === 'import.finished' && n.importId === started.id)).toEqual([
      expect.objectContaining({ budgetId: b.id, status: 'failed', imported: 4 }),
    ]);

    // The API reads it as the watchdog left it.
    const read = await (await api())('GET', `/v1/budgets/${b.id}/imports/${started.id}`);
    expect(read.json).toMatchObject({ status: 'failed', finishedAt: failed.finishedAt, failureCode: 'stalled' });
    expect(await finishedOf(started.id)).toHaveLength(1);

    // An import failed before codes were kept (its record has the reason, no code): GET has none.
    await job.s.t.system.deps.storeFor('expenses').update({ Key: { pk: failed.pk, sk: failed.sk }, UpdateExpression: 'REMOVE failureCode' });
    const older = await (await api())('GET', `/v1/budgets/${b.id}/imports/${started.id}`);
    expect(older.json).toMatchObject({ status: 'failed', errors: [{ line: 0, message: expect.stringMatching(STALL_MESSAGE) }] });
    expect(older.json).not.toHaveProperty('failureCode');
    killed.clear();
  });

  it('leaves a moving import alone and re-arms one window after its last move; once it has succeeded, the watchdog does nothing', async () => {
    const b = await newBudget();
    const first = gate(`${b.id}#0`);
    const second = gate(`${b.id}#1`);
    const started = await post(b.id, stallCsv(6));
    const created = Date.parse(started.createdAt);
    await Promise.all([first.entered, second.entered]);
    // The third chunk (not held) is counted at the start.
    await vi.waitFor(async () => expect(await stored(started.id)).toMatchObject({ processed: 2 }), { timeout: 10_000, interval: 10 });

    // The first chunk is counted half a window after the start: the import moved.
    job.clock.set(new Date(created + WORK_UNIT_STALLED_AFTER_MS / 2));
    first.release();
    await vi.waitFor(async () => expect(await stored(started.id)).toMatchObject({ processed: 4 }), { timeout: 10_000, interval: 10 });
    const moved = Date.parse((await stored(started.id)).updatedAt);
    expect(moved).toBe(created + WORK_UNIT_STALLED_AFTER_MS / 2);

    // The watchdog's first instant (from the start): not stalled (half a window since it moved), so it re-arms.
    await watchdogAt(created + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    expect(await stored(started.id)).toMatchObject({ status: 'running', processed: 4 });
    expect(job.s.queue.delayed).toBe(1);
    expect(await finishedOf(started.id)).toEqual([]);

    // Re-armed for one window (+ the margin) after the last move, not before: a minute early it is held again.
    await watchdogAt(moved + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS - 60_000);
    expect(job.s.queue.delayed).toBe(1);
    expect(await stored(started.id)).toMatchObject({ status: 'running' });

    // The last chunk is counted: succeeded (its one event).
    second.release();
    await job.s.queue.idle();
    const done = await stored(started.id);
    expect(done).toMatchObject({ status: 'succeeded', processed: 6, imported: 6 });

    // The watchdog, due now, finds it ended: nothing written, nothing queued again.
    const writesBefore = await watchdogAt(moved + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    expect(job.s.queue.delayed).toBe(0);
    expect(job.stallWrites).toBe(writesBefore);
    expect(await stored(started.id)).toEqual(done);
    expect((await finishedOf(started.id)).map((e) => e.envelope.data.status)).toEqual(['succeeded']);
    gates.clear();
  });

  it('of a finished import does nothing when due, however late', async () => {
    const b = await newBudget();
    const started = await post(b.id, stallCsv(3));
    await job.s.queue.idle();
    const done = await stored(started.id);
    expect(done).toMatchObject({ status: 'succeeded', imported: 3 });
    expect(job.s.queue.delayed).toBe(1);

    const writesBefore = await watchdogIn(3 * WORK_UNIT_STALLED_AFTER_MS);
    expect(job.s.queue.delayed).toBe(0);
    expect(job.stallWrites).toBe(writesBefore);
    expect(await stored(started.id)).toEqual(done);
    expect((await finishedOf(started.id)).map((e) => e.envelope.data.status)).toEqual(['succeeded']);
  });

  it('delivered more than once (at once, and again later) fails the import once: one event', async () => {
    const b = await newBudget();
    killed.add(`${b.id}#0`);
    const started = await post(b.id, stallCsv(4));
    await job.s.queue.idle();
    const stuck = await stored(started.id);
    expect(stuck).toMatchObject({ status: 'running', processed: 2 });

    job.clock.set(new Date(Date.parse(stuck.updatedAt) + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS));
    const writesBefore = job.stallWrites;
    // The held unit and two copies of its message (a queue delivers at least once), all reading
    // the record before any of them writes: all three see it stalled, one failure lands.
    const message = { type: 'unit' as const, job: IMPORT_WATCHDOG_JOB, tick: stuck.createdAt, unit: { budgetId: b.id, importId: started.id } };
    reads.arm(`expenses#importjob#${started.id}`, 3);
    await job.s.queue.send([message, message]);
    await releaseWatchdogs(3);
    expect(reads.released).toBe(true);
    expect(job.stallWrites).toBe(writesBefore + 1);
    expect(await stored(started.id)).toMatchObject({ status: 'failed', processed: 2 });

    // Once more, later (a redelivery after the failure): ended, nothing written.
    job.clock.advance(60_000);
    await job.s.queue.send([message]);
    await job.s.queue.idle();
    expect(job.stallWrites).toBe(writesBefore + 1);
    expect(job.s.queue.delayed).toBe(0);
    expect((await finishedOf(started.id)).map((e) => e.envelope.data)).toEqual([expect.objectContaining({ status: 'failed', imported: 2 })]);
    killed.clear();
  });

  it("of an import whose process died right after its record committed (no chunk queued, no answer) fails it unread once the window has passed", async () => {
    // import-export.md: "A crash after the record, or a refusal, is the `not-started` failure
    // below or the import watchdog's stall". Nothing of the request runs after the commit.
    const b = await newBudget();
    const crash = crashAfterCommit(job.s.t.doc, 'crashAfterImportCommit');
    const lost = await crash.during(async () => (await api())('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: stallCsv(4), headers: { 'content-type': 'text/csv' } }));
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    await job.s.queue.idle();
    const [record] = (await itemsOfKind(job.s.t, 'import')).filter((i) => i.budgetId === b.id);
    expect(record).toMatchObject({ status: 'queued', processed: 0 });
    // Its watchdog is held all the same.
    expect(job.s.queue.delayed).toBe(1);

    const writesBefore = await watchdogAt(Date.parse(record!.updatedAt) + WORK_UNIT_STALLED_AFTER_MS + MARGIN_MS);
    await job.s.queue.idle();
    expect(job.stallWrites).toBe(writesBefore + 1);
    expect(await stored(record!.importId)).toMatchObject({ status: 'failed', processed: 0, failureCode: 'stalled' });
    expect((await finishedOf(record!.importId)).map((e) => e.envelope.data)).toEqual([expect.objectContaining({ status: 'failed', imported: 0, failureCode: 'stalled' })]);
    expect(job.s.queue.delayed).toBe(0);
  });
});
