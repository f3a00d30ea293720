import { WORK_UNIT_STALLED_AFTER_MS } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { itemsOfKind } from '../jobs/support';
import { budgetOfMerchant, MERCHANT_RENAME_WATCH, stallSuite } from '../jobs/stall-system';
import { deliver } from '../../support/events';

/**
 * A merchant rename's page that never completes and never runs its failure handler (its
 * invocation killed on every attempt, the last included, e.g. a Lambda timeout; or its message
 * lost): the rename must not read `running` until its record expires. GET
 * /merchant-renames/{id} (and Prefer: wait's polls) fail it once it has not moved for
 * WORK_UNIT_STALLED_AFTER_MS (75 minutes), not before, and write that once. The test clock is
 * moved, nothing sleeps. Pages hold 3 expenses here, so 6 expenses are 2 units; the local work
 * queue delivers one at a time. The rename's watchdog is armed too but never released here
 * (merchant-rename-watchdog.test.ts). Each rename ends with exactly one
 * expense.merchant_rename_finished, written by the one stall write that lands (never by a
 * refused one), and its starter is told it failed.
 */
/** A one-shot hold of the next stall write, before it is sent: a reader between its read and its write. */
let stallWriteHold: { reached: () => void; released: Promise<void> } | undefined;
const job = stallSuite(MERCHANT_RENAME_WATCH, {
  ownerName: 'rename-stalled-owner',
  concurrency: 1,
  async beforeSend(_commandName, _input, stallWrite) {
    if (stallWrite && stallWriteHold) {
      const hold = stallWriteHold;
      stallWriteHold = undefined;
      hold.reached();
      await hold.released;
    }
  },
});
const { killed, gates, gate, reads, api, read, clockAtWindow, finishedOf } = job;

const body = { from: ['AMZN MKTP US'], to: 'Amazon' };
const rename = async (budgetId: string, headers: Record<string, string> = {}) => (await api())('POST', `/v1/budgets/${budgetId}/merchants/rename`, { body, headers });
const merchantsOf = async (budgetId: string) =>
  (await itemsOfKind(job.s.t, 'expense'))
    .filter((e) => e.budgetId === budgetId)
    .map((e) => e.merchant)
    .sort();
const STALL_MESSAGE = /^the rename stalled: nothing moved for 75 minutes .*renaming again is safe: it only renames what still matches$/;

describe('merchant rename: a page that ends without being counted or failed', { timeout: 60_000 }, () => {
  it('reads running until the window has passed, then failed (written once, two readers at once); renaming again renames only the rest', async () => {
    const b = await budgetOfMerchant(job, 6);
    killed.add(`${b.id}#1`);
    const deadBefore = job.s.queue.deadLettered;
    const res = await rename(b.id);
    expect(res.status, res.text).toBe(202);
    await job.s.queue.idle();
    // Killed on every attempt: dead-lettered, and the failure handler never ran.
    expect(job.s.queue.deadLettered).toBe(deadBefore + 1);
    const location = res.headers.get('location')!;
    const stuck = await read(location);
    expect(stuck).toMatchObject({ status: 'running', examined: 3, renamed: 3 });

    // Exactly the window since it last moved: still running (a unit could still be retried).
    clockAtWindow(stuck.updatedAt);
    expect(await read(location)).toMatchObject({ status: 'running', examined: 3 });
    expect(job.stallWrites).toBe(0);

    job.clock.advance(1);
    await api(); // signed in before the two reads, so both are only the GET
    // Both read the record before either writes: both see it stalled, one write lands.
    reads.arm(`expenses#rename#${res.json.id}`, 2);
    const [one, two] = await Promise.all([read(location), read(location)]);
    expect(reads.released).toBe(true);
    expect(one).toEqual(two);
    expect(one).toMatchObject({ status: 'failed', examined: 3, renamed: 3, finishedAt: job.clock.now().toISOString(), failure: expect.stringMatching(STALL_MESSAGE), failureCode: 'stalled' });
    expect(one.updatedAt).toBe(one.finishedAt);
    expect(job.stallWrites).toBe(1);
    // One event, from the write that landed, with the counts of the page counted.
    const events = await finishedOf(res.json.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, renameId: res.json.id, startedBy: job.owner.id, from: body.from, to: body.to, status: 'failed', examined: 3, renamed: 3, failure: one.failure, failureCode: 'stalled' },
    ]);
    // Its starter is told it failed, and why (the reason's first clause).
    await deliver(job.s.t, events[0]!);
    const told = ((await read('/v1/notifications')).items as any[]).filter((n) => n.kind === 'merchant-rename.finished' && n.renameId === res.json.id);
    expect(told.map((n) => [n.status, n.message])).toEqual([['failed', 'Your rename to "Amazon" in Household failed: the rename stalled: nothing moved for 75 minutes.']]);

    // Persisted: read later, it is the same failure, not computed again.
    job.clock.advance(60 * 60_000);
    expect(await read(location)).toEqual(one);
    expect(job.stallWrites).toBe(1);
    expect(await finishedOf(res.json.id)).toHaveLength(1);

    // Renaming again: the killed page's 3 expenses are the only ones left to rename.
    killed.clear();
    const again = await rename(b.id, { prefer: 'wait=20' });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ status: 'succeeded', examined: 6, renamed: 3 });
    expect((await finishedOf(again.json.id)).map((e) => e.envelope.data)).toMatchObject([{ status: 'succeeded', examined: 6, renamed: 3 }]);
    expect(await merchantsOf(b.id)).toEqual(Array(6).fill('Amazon'));
  });

  it('a page counted within the window keeps the rename going: the window counts from the last move, and it succeeds', async () => {
    const b = await budgetOfMerchant(job, 6);
    const first = gate(`${b.id}#0`);
    const second = gate(`${b.id}#1`);
    const res = await rename(b.id);
    expect(res.status, res.text).toBe(202);
    const location = res.headers.get('location')!;
    const created = Date.parse(res.json.createdAt);

    await first.entered;
    job.clock.set(new Date(created + WORK_UNIT_STALLED_AFTER_MS / 2));
    first.release();
    await second.entered; // the first page is counted (its unit queues the next)
    const moved = await read(location);
    expect(moved).toMatchObject({ status: 'running', examined: 3, updatedAt: job.clock.now().toISOString() });

    // 1.5 windows since the rename was created, one since it last moved.
    clockAtWindow(moved.updatedAt);
    expect(await read(location)).toMatchObject({ status: 'running', examined: 3 });
    second.release();
    await job.s.queue.idle();
    const done = await read(location);
    expect(done).toMatchObject({ status: 'succeeded', examined: 6, renamed: 6 });
    expect(done.failure).toBeUndefined();

    // Finished is final: no stall long after.
    job.clock.advance(3 * WORK_UNIT_STALLED_AFTER_MS);
    expect(await read(location)).toEqual(done);
    gates.clear();
  });

  it('a page counted between a reader seeing the rename stalled and its write keeps it going (the write holds only while updatedAt is the one read)', async () => {
    const b = await budgetOfMerchant(job, 9);
    const second = gate(`${b.id}#1`);
    const third = gate(`${b.id}#2`);
    const res = await rename(b.id);
    expect(res.status, res.text).toBe(202);
    const location = res.headers.get('location')!;
    await second.entered; // the first page is counted, the second waits
    const before = await read(location);
    expect(before).toMatchObject({ status: 'running', examined: 3 });

    clockAtWindow(before.updatedAt, 1);
    await api(); // signed in before the read, so the held write is the GET's
    let reached!: () => void;
    const atWrite = new Promise<void>((r) => (reached = r));
    let releaseWrite!: () => void;
    stallWriteHold = { reached, released: new Promise<void>((r) => (releaseWrite = r)) };
    const writesBefore = job.stallWrites;
    const reading = read(location);
    await atWrite; // the reader saw it stalled and is about to write the failure
    second.release();
    await third.entered; // meanwhile the second page is counted: the rename moved
    releaseWrite();
    // The write is refused (the updatedAt it read is gone): the reader answers the stored record.
    expect(await reading).toMatchObject({ status: 'running', examined: 6, updatedAt: job.clock.now().toISOString() });
    expect(job.stallWrites).toBe(writesBefore);
    // The refused write published nothing.
    expect(await finishedOf(res.json.id)).toEqual([]);

    third.release();
    await job.s.queue.idle();
    expect(await read(location)).toMatchObject({ status: 'succeeded', examined: 9, renamed: 9 });
    expect((await finishedOf(res.json.id)).map((e) => e.envelope.data)).toMatchObject([{ status: 'succeeded', examined: 9, renamed: 9 }]);
    gates.clear();
  });

  it("Prefer: wait's polls apply the rule too: a rename stalled while the request waits answers 200 failed, and its page delivered afterwards does nothing", async () => {
    const b = await budgetOfMerchant(job, 2);
    const first = gate(`${b.id}#0`);
    const writesBefore = job.stallWrites;
    const answer = rename(b.id, { prefer: 'wait=10' });
    await first.entered;
    // Its page is held and the window passes while the request polls: a poll finds it stalled.
    job.clock.advance(WORK_UNIT_STALLED_AFTER_MS + 1);
    const res = await answer;
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'failed', examined: 0, renamed: 0, failure: expect.stringMatching(STALL_MESSAGE), failureCode: 'stalled' });
    expect(job.stallWrites).toBe(writesBefore + 1);

    first.release();
    await job.s.queue.idle();
    expect(await read(res.headers.get('location')!)).toEqual(res.json);
    expect(await merchantsOf(b.id)).toEqual(['AMZN MKTP US', 'AMZN MKTP US']);
    // The page delivered after the failure published nothing: one event, the failure'job.s.
    expect((await finishedOf(res.json.id)).map((e) => e.envelope.data)).toMatchObject([{ status: 'failed', examined: 0, renamed: 0 }]);
    gates.clear();
  });
});
