import { WORK_UNIT_STALLED_AFTER_MS } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { itemsOfKind } from '../jobs/support';
import { CSV_IMPORT_WATCH, stallCsv, stallSuite } from '../jobs/stall-system';

/**
 * An import chunk that never completes and never runs its failure handler (its invocation
 * killed on every attempt, the last included, e.g. a Lambda timeout; or its message lost): the
 * import must not read `running` for ever. GET /imports/{id} fails it once it has not moved for
 * WORK_UNIT_STALLED_AFTER_MS (the job queue's backlog allowance plus its retries, 75 minutes),
 * not before, and writes that once. The test clock is moved, nothing sleeps. Chunks hold 2 rows
 * here, so a 6-row file is 3 units; the local work queue delivers one at a time.
 */
/** A one-shot hold of the next marker read of a budget (BatchGetItem; a chunk reads them after its status check). */
let batchGetHold: { budgetId: string; reached: () => void; released: Promise<void> } | undefined;
const job = stallSuite(CSV_IMPORT_WATCH, {
  ownerName: 'import-stalled-owner',
  concurrency: 1,
  async beforeSend(commandName, input) {
    const request = JSON.stringify(input);
    if (commandName === 'BatchGetItemCommand' && batchGetHold && request.includes('expenses#import#') && request.includes(batchGetHold.budgetId)) {
      const hold = batchGetHold;
      batchGetHold = undefined;
      hold.reached();
      await hold.released;
    }
  },
});
const { killed, gates, gate, reads, api, read, clockAtWindow, newBudget, finishedOf } = job;

const post = async (budgetId: string, file: string) =>
  (await api())('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv' } });
const expensesOf = async (budgetId: string) => (await itemsOfKind(job.s.t, 'expense')).filter((e) => e.budgetId === budgetId);
const STALL_MESSAGE = /^the import stalled: nothing moved for 75 minutes .*importing the file again adds only the rest$/;

describe('CSV import: a chunk that ends without being recorded or failed', { timeout: 60_000 }, () => {
  it('reads running until the window has passed, then failed (written once, two readers at once); importing again adds only the missing rows', async () => {
    const b = await newBudget();
    killed.add(`${b.id}#1`);
    const deadBefore = job.s.queue.deadLettered;
    const res = await post(b.id, stallCsv(6));
    expect(res.status, res.text).toBe(202);
    await job.s.queue.idle();
    // Killed on every attempt: dead-lettered, and the failure handler never ran.
    expect(job.s.queue.deadLettered).toBe(deadBefore + 1);
    const location = res.headers.get('location')!;
    const stuck = await read(location);
    expect(stuck).toMatchObject({ status: 'running', total: 6, processed: 4, imported: 4 });

    // Exactly the window since it last moved: still running (a unit could still be retried).
    clockAtWindow(stuck.updatedAt);
    expect(await read(location)).toMatchObject({ status: 'running', processed: 4 });
    expect(job.stallWrites).toBe(0);

    job.clock.advance(1);
    await api(); // signed in before the two reads, so both are only the GET
    // Both read the record before either writes: both see it stalled, one write lands.
    reads.arm(`expenses#importjob#${res.json.id}`, 2);
    const [one, two] = await Promise.all([read(location), read(location)]);
    expect(reads.released).toBe(true);
    expect(one).toEqual(two);
    expect(one).toMatchObject({ status: 'failed', total: 6, processed: 4, imported: 4, finishedAt: job.clock.now().toISOString(), failureCode: 'stalled' });
    expect(one.updatedAt).toBe(one.finishedAt);
    expect(one.errors.filter((e: { line: number }) => e.line === 0)).toEqual([{ line: 0, message: expect.stringMatching(STALL_MESSAGE) }]);
    expect(job.stallWrites).toBe(1);
    const finished = async () => (await finishedOf(one.id)).map((e) => e.envelope.data);
    // One event, with the counts as failed (the two readers wrote one).
    expect(await finished()).toEqual([
      { budgetId: b.id, importId: one.id, userId: job.owner.id, status: 'failed', total: 6, imported: 4, duplicates: 0, matched: 0, errorCount: 0, failure: expect.stringMatching(/^the import stalled: nothing moved for 75 minutes/), failureCode: 'stalled' },
    ]);

    // Persisted: read later, it is the same failure, not computed again.
    job.clock.advance(60 * 60_000);
    expect(await read(location)).toEqual(one);
    expect(job.stallWrites).toBe(1);
    expect(await finished()).toHaveLength(1);

    // The file again: only the killed chunk's rows are new.
    killed.clear();
    const again = await post(b.id, stallCsv(6));
    expect(again.status, again.text).toBe(202);
    await job.s.queue.idle();
    expect(await read(again.headers.get('location')!)).toMatchObject({ status: 'succeeded', total: 6, imported: 2, duplicates: 4 });
    expect(await expensesOf(b.id)).toHaveLength(6);
  });

  it('undo asked first, nobody having read the stalled import: it is failed as GET would, and undone (it was a 409 import-running)', async () => {
    const b = await newBudget();
    killed.add(`${b.id}#1`);
    const res = await post(b.id, stallCsv(6));
    expect(res.status, res.text).toBe(202);
    await job.s.queue.idle();
    killed.clear();
    clockAtWindow((await job.stored(res.json.id)).updatedAt, 1);
    const undone = await (await api())('POST', `/v1/budgets/${b.id}/imports/${res.json.id}/undo`, { headers: { prefer: 'wait=10' } });
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json).toMatchObject({ status: 'failed', failureCode: 'stalled', imported: 4, undo: { status: 'succeeded', removed: 4, total: 4 } });
    expect(await expensesOf(b.id)).toHaveLength(0);
  });

  it('a chunk counted within the window keeps the import going: the window counts from the last move, and it succeeds', async () => {
    const b = await newBudget();
    const first = gate(`${b.id}#0`);
    const second = gate(`${b.id}#1`);
    const res = await post(b.id, stallCsv(6));
    expect(res.status, res.text).toBe(202);
    const location = res.headers.get('location')!;
    const created = Date.parse(res.json.createdAt);

    await first.entered;
    job.clock.set(new Date(created + WORK_UNIT_STALLED_AFTER_MS / 2));
    first.release();
    await second.entered; // the first chunk is counted (one delivery at a time)
    const moved = await read(location);
    expect(moved).toMatchObject({ status: 'running', processed: 2, updatedAt: job.clock.now().toISOString() });

    // 1.5 windows since the import was created, one since it last moved.
    clockAtWindow(moved.updatedAt);
    expect(await read(location)).toMatchObject({ status: 'running', processed: 2 });
    second.release();
    await job.s.queue.idle();
    const done = await read(location);
    expect(done).toMatchObject({ status: 'succeeded', processed: 6, imported: 6, errors: [] });

    // Finished is final: no stall long after.
    job.clock.advance(3 * WORK_UNIT_STALLED_AFTER_MS);
    expect(await read(location)).toEqual(done);
    expect(await expensesOf(b.id)).toHaveLength(6);
    gates.clear();
  });

  it('a chunk already running when the import is failed as stalled counts its rows, and the import stays failed; later chunks do nothing', async () => {
    const b = await newBudget();
    const middle = gate(`${b.id}#1`);
    const res = await post(b.id, stallCsv(6));
    expect(res.status, res.text).toBe(202);
    const location = res.headers.get('location')!;

    await middle.entered;
    let reached!: () => void;
    const atMarkers = new Promise<void>((r) => (reached = r));
    let releaseMarkers!: () => void;
    batchGetHold = { budgetId: b.id, reached, released: new Promise<void>((r) => (releaseMarkers = r)) };
    middle.release();
    await atMarkers; // the chunk saw the import running and is reading its rows' markers

    const before = await read(location);
    expect(before).toMatchObject({ status: 'running', processed: 2 });
    clockAtWindow(before.updatedAt, 1);
    const failed = await read(location);
    expect(failed).toMatchObject({ status: 'failed', processed: 2, imported: 2 });

    releaseMarkers();
    await job.s.queue.idle();
    const after = await read(location);
    // The late chunk's rows are recorded and counted; the last chunk, delivered after the
    // failure, did nothing; the status and the reason stay.
    expect(after).toMatchObject({ status: 'failed', total: 6, processed: 4, imported: 4, finishedAt: failed.finishedAt });
    expect(after.errors).toEqual(failed.errors);
    // Its one event is the failure's, with the counts it was failed with (no second one when the late chunk counted).
    const events = await finishedOf(failed.id);
    expect(events.map((e) => e.envelope.data)).toMatchObject([{ status: 'failed', total: 6, imported: 2 }]);
    expect(await expensesOf(b.id)).toHaveLength(4);
    gates.clear();

    const again = await post(b.id, stallCsv(6));
    await job.s.queue.idle();
    expect(await read(again.headers.get('location')!)).toMatchObject({ status: 'succeeded', imported: 2, duplicates: 4 });
    expect(await expensesOf(b.id)).toHaveLength(6);
  });
});
