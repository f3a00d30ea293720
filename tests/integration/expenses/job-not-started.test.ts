import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { outboxEvents } from '../../support/events';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';

/**
 * An import whose job could not be queued (the work queue refusing the send): its record is
 * failed with `failureCode: 'not-started'` (csv-import.service.ts, the catch around
 * `work.enqueue`), and the POST's own answer
 * (still 202 + Location) shows it so, as GET then does; a replay of the POST's
 * Idempotency-Key answers the same. With `Prefer: wait=N` the POST answers 200 with that failed
 * record at once (the record is already final: nothing to wait for). The refusal is injected on
 * the system's work queue, for the job under test only. A merchant rename (since stop 54) writes
 * its unit 0 with its record, queued by the table stream's relay: the request never sends it
 * (rename-units-crash.test.ts), so the refusal no longer reaches it.
 */
const IMPORT_JOB = 'expenses-csv-import';
const RENAME_JOB = 'expenses-merchant-rename';
/**
 * The refusal as SQS words one (AccessDenied names the account, the function's role and the
 * queue): the operators' to read in the logs, never the user's, a webhook receiver's or a lock screen's.
 */
const REFUSAL =
  'User: arn:aws:sts::123456789012:assumed-role/budgeting-production-FunctionRole/budgeting-production-Function is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:123456789012:budgeting-production-JobQueue because no identity-based policy allows the sqs:sendmessage action';
/** What a failed start says instead (csv-import.service.ts): that it failed and what to do, not the error. */
const NOT_STARTED = 'the import failed to start (an error on our side, logged for the operators); rows recorded before stay, importing the file again adds only the rest';

let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;

beforeAll(async () => {
  s = await createFanOutSystem({ concurrency: 1 });
  owner = await signUp(s.t.app, 'not-started-owner');
});
afterAll(() => s.t.destroy());

const api = () => as(s.t.app, owner);

/** Refuse every send of `job` while `during` runs (other jobs are queued as usual). */
async function refusingSendsOf<T>(job: string, during: () => Promise<T>): Promise<T> {
  const work = s.t.system.deps.work;
  const send = work.enqueue.bind(work);
  const spy = vi.spyOn(work, 'enqueue').mockImplementation(async (name, ...rest) => {
    if (name === job) throw new Error(REFUSAL);
    return send(name, ...rest);
  });
  try {
    return await during();
  } finally {
    spy.mockRestore();
  }
}

describe('a job that could not be queued', { timeout: 120_000 }, () => {
  it("an import: the POST and GET show it failed, `failureCode: 'not-started'`, the reason at line 0; nothing recorded", async () => {
    const b = await createBudget(s.t.app, owner);
    const file = 'date,amount,category,description,merchant\n2026-11-02,12.50,,lunch,Cafe\n2026-11-03,4.00,,bus,Transit\n';
    const post = () => api()('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv', 'idempotency-key': 'not-started-import' } });
    const res = await refusingSendsOf(IMPORT_JOB, post);
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/budgets/${b.id}/imports/${res.json.id}`);
    // The POST answers the record as failed, not as created.
    const failed = { id: res.json.id, status: 'failed', failureCode: 'not-started', total: 2, processed: 0, imported: 0, errorCount: 0 };
    expect(res.json).toMatchObject(failed);
    expect(res.json.errors).toEqual([{ line: 0, message: NOT_STARTED }]);
    expect(res.json.finishedAt).toEqual(expect.any(String));
    await s.queue.idle();
    const got = await api()('GET', res.headers.get('location')!);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toMatchObject(failed);
    expect(got.json.errors).toEqual([{ line: 0, message: NOT_STARTED }]);
    expect(got.json.finishedAt).toEqual(expect.any(String));
    expect(got.json).toEqual(res.json);
    // The key replayed: the same answer (nothing started again).
    const replay = await post();
    expect(replay.status, replay.text).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe(res.headers.get('location'));
    expect(replay.json).toEqual(res.json);
    expect((await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === b.id)).toHaveLength(0);
    expect(JSON.stringify([res.json, got.json])).not.toContain('arn:aws');
    // Told once, with the code.
    const ended = (await outboxEvents(s.t, 'expense.import_finished')).filter((e) => e.envelope.data.importId === res.json.id);
    expect(ended.map((e) => e.envelope.data)).toEqual([expect.objectContaining({ status: 'failed', failureCode: 'not-started', failure: NOT_STARTED })]);

    // The queue taking sends again, the same file imports.
    const again = await api()('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv' } });
    await s.queue.idle();
    const second = (await api()('GET', again.headers.get('location')!)).json;
    expect(second).toMatchObject({ status: 'succeeded', imported: 2 });
    expect(second).not.toHaveProperty('failureCode');
  });

  it('a merchant rename no longer depends on the queue at its start: unit 0 is written with its record (the stream relay queues it), so 202 queued and renamed', async () => {
    const b = await createBudget(s.t.app, owner);
    const expense = await api()('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 900, occurredOn: '2026-11-10', merchant: 'AMZN MKTP' } });
    expect(expense.status, expense.text).toBe(201);
    // Every send of the rename job through the system's work queue refused: the request sends none.
    const res = await refusingSendsOf(RENAME_JOB, () => api()('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['AMZN MKTP'], to: 'Amazon' } }));
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ status: 'queued', examined: 0, renamed: 0 });
    await s.queue.idle();
    const got = await api()('GET', `/v1/budgets/${b.id}/merchant-renames/${res.json.id}`);
    expect(got.json).toMatchObject({ status: 'succeeded', renamed: 1 });
    expect((await api()('GET', `/v1/budgets/${b.id}/expenses/${expense.json.id}`)).json.merchant).toBe('Amazon');
  });

  // Prefer: wait=5 polls a queued or running record for up to 5 s; a failed one is final, so
  // the answer comes at once: its first read (the bound leaves room for a slow machine, and
  // still fails an answer that waited the 5 s out).
  const WAIT_SECONDS = 5;
  const AT_ONCE_MS = 4_000;

  it("an import with `Prefer: wait=5`: 200 at once with the failed record (`failureCode: 'not-started'`), as GET shows it", async () => {
    const b = await createBudget(s.t.app, owner);
    const file = 'date,amount,category,description,merchant\n2026-11-02,12.50,,lunch,Cafe\n';
    const began = Date.now();
    const res = await refusingSendsOf(IMPORT_JOB, () =>
      api()('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv', prefer: `wait=${WAIT_SECONDS}` } }),
    );
    const took = Date.now() - began;
    expect(res.status, res.text).toBe(200);
    expect(took).toBeLessThan(AT_ONCE_MS);
    expect(res.headers.get('preference-applied')).toBe('wait=5');
    expect(res.headers.get('location')).toBe(`/v1/budgets/${b.id}/imports/${res.json.id}`);
    expect(res.json).toMatchObject({ status: 'failed', failureCode: 'not-started', total: 1, processed: 0, imported: 0, errorCount: 0 });
    expect(res.json.errors).toEqual([{ line: 0, message: NOT_STARTED }]);
    expect(res.json.finishedAt).toEqual(expect.any(String));
    await s.queue.idle();
    const got = await api()('GET', res.headers.get('location')!);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual(res.json);
    expect((await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === b.id)).toHaveLength(0);
  });
});
