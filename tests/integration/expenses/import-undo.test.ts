import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { WORK_UNIT_STALLED_AFTER_MS, type fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_IMPORT_JOB, IMPORT_UNDO_JOB, IMPORT_UNDO_WATCHDOG_JOB } from '../../../packages/expenses/src/jobs/names';
import { call } from '../../support/http';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { deliver, outboxEvents, type OutboxEvent } from '../../support/events';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';
import { unitControls } from '../jobs/unit-controls';
import { crashAfterCommit } from '../../support/crash-after-commit';

/**
 * POST /imports/{id}/undo ("I imported the wrong file"), through HTTP with the units on the local
 * work queue (DynamoDB Local). Chunks hold 2 rows, so a 5-row file is 3 units of the import and
 * 3 of its undo. Every expected figure below is worked out by hand from the file. Each run of an
 * undo ends with exactly one expense.import_undo_finished (its counts, its reason), however its
 * units are delivered; delivered (twice) to the subscribers, it tells whoever asked, once.
 */
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;
let editor: Actor;
let viewer: Actor;
let stranger: Actor;
/** Import chunks held at a gate (an import still running). */
const imports = unitControls<{ budgetId: string; chunk: number }>(CSV_IMPORT_JOB, (unit) => `${unit.budgetId}#${unit.chunk}`);
/** Undo chunks held at a gate (an undo still running). */
const undos = unitControls<{ budgetId: string; chunk: number }>(IMPORT_UNDO_JOB, (unit) => `${unit.budgetId}#${unit.chunk}`);
const gate = imports.gate;
/** Deliveries of undo units per budget (a restart queues one unit per chunk, once). */
const undoDeliveries = new Map<string, number>();
const beforeDelivery: typeof imports.beforeDelivery = async (job, message) => {
  if (job === IMPORT_UNDO_JOB && message.type === 'unit') {
    const budgetId = (message.unit as { budgetId: string }).budgetId;
    undoDeliveries.set(budgetId, (undoDeliveries.get(budgetId) ?? 0) + 1);
  }
  await imports.beforeDelivery(job, message);
  await undos.beforeDelivery(job, message);
};

beforeAll(async () => {
  s = await createFanOutSystem({ concurrency: 3, expenses: { csv: { chunkRows: 2 } }, beforeDelivery });
  owner = await signUp(s.t.app, 'undo-owner');
  editor = await signUp(s.t.app, 'undo-editor');
  viewer = await signUp(s.t.app, 'undo-viewer');
  stranger = await signUp(s.t.app, 'undo-stranger');
});
afterAll(() => s.t.destroy());

/** Rows n = 0..4: 2026-11-0(n+1), (n+1).25 USD, "row n": 1.25 + 2.25 + 3.25 + 4.25 + 5.25 = 16.25. */
const FILE = `date,amount,category,description,merchant\n${[0, 1, 2, 3, 4].map((n) => `2026-11-0${n + 1},${n + 1}.25,,row ${n},Shop`).join('\n')}\n`;
const api = (who: Actor = owner) => as(s.t.app, who);
const importFile = async (budgetId: string, who: Actor = owner, file = FILE) => {
  const res = await api(who)('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv', prefer: 'wait=10' } });
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const undo = (budgetId: string, importId: string, who: Actor = owner, headers: Record<string, string> = { prefer: 'wait=10' }) =>
  api(who)('POST', `/v1/budgets/${budgetId}/imports/${importId}/undo`, { headers });
const spent = async (budgetId: string) => (await api()('GET', `/v1/budgets/${budgetId}/summary?date=2026-11-15`)).json.spent as number;
const expensesOf = async (budgetId: string) => (await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === budgetId);
/** A device's token after syncing everything so far (every page). */
async function syncedTo(budgetId: string): Promise<string> {
  let page = (await api()('GET', `/v1/budgets/${budgetId}/changes?limit=500`)).json;
  while (page.hasMore) page = (await api()('GET', `/v1/budgets/${budgetId}/changes?limit=500&since=${encodeURIComponent(page.serverKnowledge)}`)).json;
  return page.serverKnowledge as string;
}
/** The import record as stored (not through GET, which applies the stall rule itself). */
const storedImport = async (importId: string) => (await itemsOfKind(s.t, 'import')).find((i) => i.importId === importId)!;
/** A fresh token for `who` (they last 15 minutes of the clock, which the stall tests move). */
async function signIn(who: Actor) {
  const res = await call(s.t.app, 'POST', '/v1/auth/login', { body: { email: who.email, password: who.password } });
  expect(res.status, res.text).toBe(200);
  who.token = res.json.tokens.accessToken;
}
/** The import's expense.import_undo_finished events, oldest first. */
const undoFinishedOf = async (importId: string): Promise<OutboxEvent[]> =>
  (await outboxEvents(s.t, 'expense.import_undo_finished')).filter((e) => e.envelope.data.importId === importId).sort((a, b) => a.envelope.data.attempt - b.envelope.data.attempt);
const undoNotifications = async (who: Actor) => {
  const res = await api(who)('GET', '/v1/notifications');
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).filter((n) => n.kind === 'import-undo.finished');
};
const markersOf = async (budgetId: string) => (await itemsOfKind(s.t, 'import-marker')).filter((m) => String(m.pk).endsWith(budgetId));

async function team() {
  const b = await createBudget(s.t.app, owner);
  await addMember(s.t.app, owner, b.id, editor, 'editor');
  await addMember(s.t.app, owner, b.id, viewer, 'viewer');
  return b;
}

describe('undoing an import', { timeout: 120_000 }, () => {
  it('removes the unchanged expenses, keeps the changed one, gives the totals back, shows the deletes to sync; a re-import adds the 4 again; a second undo adds nothing', async () => {
    const b = await team();
    // Not imported: 10.00 on 2026-11-20.
    const manual = await api()('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 1_000, occurredOn: '2026-11-20', description: 'by hand' } });
    expect(manual.status, manual.text).toBe(201);
    const imported = await importFile(b.id);
    expect(imported).toMatchObject({ status: 'succeeded', imported: 5 });
    expect(imported).not.toHaveProperty('undo');
    expect(await spent(b.id)).toBe(1_000 + 1_625);

    // Row 2 (3.25) changed after the import: its version moves to 2.
    const row2 = (await expensesOf(b.id)).find((e) => e.description === 'row 2')!;
    const patched = await api()('PATCH', `/v1/budgets/${b.id}/expenses/${row2.id}`, { body: { description: 'row 2, checked' } });
    expect(patched.status, patched.text).toBe(200);
    const token = await syncedTo(b.id);
    const removedIds = (await expensesOf(b.id)).filter((e) => e.description?.startsWith('row ') && e.id !== row2.id).map((e) => e.id).sort();
    expect(removedIds).toHaveLength(4);

    const res = await undo(b.id, imported.id);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('location')).toBe(`/v1/budgets/${b.id}/imports/${imported.id}`);
    expect(res.headers.get('preference-applied')).toBe('wait=10');
    expect(res.json).toMatchObject({ id: imported.id, status: 'succeeded', imported: 5, undo: { status: 'succeeded', removed: 4, kept: 1, gone: 0, total: 5 } });
    expect(res.json.undo.finishedAt).toEqual(expect.any(String));
    expect((await api()('GET', `/v1/budgets/${b.id}/imports/${imported.id}`)).json.undo).toEqual(res.json.undo);
    // Its end published once, with the counts, in the write that ended it.
    const finished = await undoFinishedOf(imported.id);
    expect(finished.map((e) => e.envelope.data)).toEqual([{ budgetId: b.id, importId: imported.id, startedBy: owner.id, attempt: 1, status: 'succeeded', removed: 4, kept: 1, gone: 0, total: 5 }]);
    expect(finished[0]).toMatchObject({ source: 'budgeting.expenses', envelope: { type: 'expense.import_undo_finished', version: 1, occurredAt: res.json.undo.finishedAt } });
    // Delivered twice: whoever asked is told once, in the app; the other members are not.
    await deliver(s.t, finished[0]!, finished[0]!);
    expect(await undoNotifications(owner)).toEqual([
      expect.objectContaining({
        kind: 'import-undo.finished', budgetId: b.id, budgetName: b.name, importId: imported.id, attempt: 1, status: 'succeeded', removed: 4, kept: 1, gone: 0, total: 5,
        failure: null, message: `Your undo of an import into ${b.name} finished: 4 expenses removed, 1 kept (changed since).`, readAt: null,
      }),
    ]);
    expect(await undoNotifications(editor)).toEqual([]);
    // Webhooks may pick it.
    const hook = await api()('POST', '/v1/webhooks', { body: { url: 'https://93.184.215.14/hooks/undo', budgetIds: [b.id], eventTypes: ['expense.import_undo_finished'] } });
    expect(hook.status, hook.text).toBe(201);

    // Left: the 10.00 by hand and the kept 3.25.
    expect(await spent(b.id)).toBe(1_000 + 325);
    expect((await expensesOf(b.id)).map((e) => e.description).sort()).toEqual(['by hand', 'row 2, checked']);
    // Each removal is a DELETE: the change feed, expense.deleted by the undoer, a restorable copy.
    const feed = (await api()('GET', `/v1/budgets/${b.id}/changes?limit=100&since=${encodeURIComponent(token)}`)).json;
    expect(feed.expenses.filter((e: { kind: string }) => e.kind === 'deleted').map((e: { id: string }) => e.id).sort()).toEqual(removedIds);
    const deleted = (await outboxEvents(s.t, 'expense.deleted')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(deleted.map((e) => e.envelope.data.expenseId).sort()).toEqual(removedIds);
    expect(new Set(deleted.map((e) => e.envelope.data.deletedBy))).toEqual(new Set([owner.id]));
    const restorable = await api()('GET', `/v1/budgets/${b.id}/expenses/deleted`);
    expect(restorable.status, restorable.text).toBe(200);
    expect(restorable.json.items.map((e: { id: string }) => e.id).sort()).toEqual(removedIds);
    // Markers: the kept row's stays, the 4 removed rows' are gone.
    expect((await markersOf(b.id)).map((m) => m.expenseId)).toEqual([row2.id]);

    // The corrected (here: the same) file again: the 4 removed rows are recorded again, the kept one is a duplicate.
    const again = await importFile(b.id);
    expect(again).toMatchObject({ status: 'succeeded', imported: 4, duplicates: 1 });
    expect(await spent(b.id)).toBe(1_000 + 1_625);

    // A second undo of the first import: the same resource, nothing started, nothing removed.
    const second = await undo(b.id, imported.id, owner, {});
    expect(second.status, second.text).toBe(202);
    expect(second.json.undo).toEqual(res.json.undo);
    await s.queue.idle();
    expect(await expensesOf(b.id)).toHaveLength(6);

    // A unit of the first undo delivered again (at least once): counted once, nothing deleted.
    await s.queue.send([{ type: 'unit', job: IMPORT_UNDO_JOB, tick: imported.createdAt, unit: { budgetId: b.id, importId: imported.id, chunk: 0 } }]);
    await s.queue.idle();
    expect((await api()('GET', `/v1/budgets/${b.id}/imports/${imported.id}`)).json.undo).toEqual(res.json.undo);
    expect(await expensesOf(b.id)).toHaveLength(6);
    // Neither the second undo nor the redelivered unit published again.
    expect(await undoFinishedOf(imported.id)).toHaveLength(1);
  });

  it('a worker crashing right after its deletes is delivered again: exact counts, every marker of a removed row gone', async () => {
    const b = await team();
    const imported = await importFile(b.id);
    s.crash.count = 0;
    s.crash.crashed = 0;
    s.crash.everyNth = 2;
    s.crash.limit = 3;
    let res;
    try {
      res = await undo(b.id, imported.id, owner, {});
      expect(res.status, res.text).toBe(202);
      await s.queue.idle();
    } finally {
      s.crash.everyNth = 0;
      s.crash.limit = Number.POSITIVE_INFINITY;
    }
    expect(s.crash.crashed).toBeGreaterThan(0);
    const done = (await api()('GET', res.headers.get('location')!)).json;
    expect(done.undo).toMatchObject({ status: 'succeeded', removed: 5, kept: 0, gone: 0, total: 5 });
    // Units finishing at once and delivered again: one event, with the exact counts.
    expect((await undoFinishedOf(imported.id)).map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, importId: imported.id, startedBy: owner.id, attempt: 1, status: 'succeeded', removed: 5, kept: 0, gone: 0, total: 5 },
    ]);
    expect(await expensesOf(b.id)).toHaveLength(0);
    expect(await markersOf(b.id)).toHaveLength(0);
    expect(await spent(b.id)).toBe(0);
  });

  it('who: the starter or the owner; another editor and a viewer 403, a stranger and an unknown import 404', async () => {
    const b = await team();
    const byOwner = await importFile(b.id);
    expectProblem(await undo(b.id, byOwner.id, editor), 403);
    expectProblem(await undo(b.id, byOwner.id, viewer), 403);
    expectProblem(await undo(b.id, byOwner.id, stranger), 404);
    expectProblem(await undo(b.id, '01JDIMPORT00000000000000099'), 404);
    // The editor's own import: theirs to undo; the owner may undo anyone's.
    const byEditor = await importFile(b.id, editor, 'date,amount,category,description,merchant\n2026-11-09,7.00,,editor row,Shop\n');
    const mine = await undo(b.id, byEditor.id, editor);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json.undo).toMatchObject({ status: 'succeeded', removed: 1, total: 1 });
    expect((await undo(b.id, byOwner.id, owner)).json.undo).toMatchObject({ status: 'succeeded', removed: 5 });
    expect(await expensesOf(b.id)).toHaveLength(0);
  });

  it('an import still running: 409; an archived budget: 409 budget-archived; after 6 days: 409 import-undo-expired', async () => {
    const b = await team();
    const held = gate(`${b.id}#1`);
    const running = await api()('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: FILE, headers: { 'content-type': 'text/csv' } });
    expect(running.status, running.text).toBe(202);
    await held.entered;
    const refused = await undo(b.id, running.json.id, owner, {});
    expectProblem(refused, 409);
    expect(refused.json.type).toMatch(/import-running$/);
    held.release();
    await s.queue.idle();

    const budget = (await api()('GET', `/v1/budgets/${b.id}`)).json;
    const archived = await api()('POST', `/v1/budgets/${b.id}/archive`, { headers: { 'if-match': `"${budget.version}"` } });
    expect(archived.status, archived.text).toBe(200);
    const onArchived = await undo(b.id, running.json.id, owner, {});
    expectProblem(onArchived, 409);
    expect(onArchived.json.type).toMatch(/budget-archived$/);
    // An editor who did not start it may not undo it, archived or not: that 403, never the 409 that says unarchiving would let them.
    expectProblem(await undo(b.id, running.json.id, editor, {}), 403);
    expect(await expensesOf(b.id)).toHaveLength(5);

    const other = await team();
    const old = await importFile(other.id);
    // Started 6 days ago (the stored start moved back: a token would not live 6 days of the test clock).
    const [record] = (await itemsOfKind(s.t, 'import')).filter((i) => i.importId === old.id);
    const sixDaysAgo = new Date(Date.parse(old.createdAt) - 6 * 24 * 60 * 60 * 1000).toISOString();
    await s.t.doc.send(new UpdateCommand({ TableName: s.t.tableName, Key: { pk: record!.pk, sk: record!.sk }, UpdateExpression: 'SET createdAt = :at', ExpressionAttributeValues: { ':at': sixDaysAgo } }));
    const late = await undo(other.id, old.id, owner, {});
    expectProblem(late, 409);
    expect(late.json.type).toMatch(/import-undo-expired$/);
    expect(await expensesOf(other.id)).toHaveLength(5);
  });

  it('a budget archived while the undo runs: the unit meeting it fails the undo (budget-archived); what was removed stays removed', async () => {
    const b = await team();
    const imported = await importFile(b.id);
    // Chunk 0 (rows 0 and 1) goes through; chunk 1 waits at its gate until the budget is archived.
    const held = undos.gate(`${b.id}#1`);
    const other = undos.gate(`${b.id}#2`);
    const res = await undo(b.id, imported.id, owner, {});
    expect(res.status, res.text).toBe(202);
    await held.entered;
    await other.entered;
    // Wait for chunk 0 to be counted.
    for (let tries = 0; tries < 100; tries++) {
      if ((await api()('GET', `/v1/budgets/${b.id}/imports/${imported.id}`)).json.undo.removed === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const budget = (await api()('GET', `/v1/budgets/${b.id}`)).json;
    const archived = await api()('POST', `/v1/budgets/${b.id}/archive`, { headers: { 'if-match': `"${budget.version}"` } });
    expect(archived.status, archived.text).toBe(200);
    held.release();
    other.release();
    await s.queue.idle();
    const after = (await api()('GET', `/v1/budgets/${b.id}/imports/${imported.id}`)).json;
    expect(after.undo).toMatchObject({ status: 'failed', failureCode: 'budget-archived', removed: 2, total: 5 });
    // Chunks 1 and 2 both met the archive: one event.
    const failed = await undoFinishedOf(imported.id);
    expect(failed.map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, importId: imported.id, startedBy: owner.id, attempt: 1, status: 'failed', removed: 2, kept: 0, gone: 0, total: 5, failure: after.undo.failure, failureCode: 'budget-archived' },
    ]);
    // Rows 2, 3 and 4 (3.25 + 4.25 + 5.25) are left.
    expect(await spent(b.id)).toBe(1_275);
    expect(await expensesOf(b.id)).toHaveLength(3);

    // Unarchived, undone again: it goes on from its counts, 2 removed before + rows 2, 3 and 4 = 5.
    const archivedBudget = (await api()('GET', `/v1/budgets/${b.id}`)).json;
    const unarchived = await api()('POST', `/v1/budgets/${b.id}/unarchive`, { headers: { 'if-match': `"${archivedBudget.version}"` } });
    expect(unarchived.status, unarchived.text).toBe(200);
    const again = await undo(b.id, imported.id);
    expect(again.status, again.text).toBe(200);
    expect(again.json.undo).toMatchObject({ status: 'succeeded', removed: 5, kept: 0, gone: 0, total: 5 });
    expect(again.json.undo).not.toHaveProperty('failureCode');
    expect(again.json.undo).not.toHaveProperty('failure');
    // The second run ends with its own event (attempt 2), and is told as well: two notifications.
    const both = await undoFinishedOf(imported.id);
    expect(both.map((e) => [e.envelope.data.attempt, e.envelope.data.status, e.envelope.data.removed])).toEqual([[1, 'failed', 2], [2, 'succeeded', 5]]);
    await deliver(s.t, ...both, both[1]!);
    const told = (await undoNotifications(owner)).filter((n) => n.importId === imported.id);
    expect(told.map((n) => [n.attempt, n.message]).sort()).toEqual([
      [1, `Your undo of an import into ${b.name} failed: the budget was archived while undoing the import.`],
      [2, `Your undo of an import into ${b.name} finished: 5 expenses removed, 0 kept (changed since).`],
    ]);
    expect(await spent(b.id)).toBe(0);
    expect(await expensesOf(b.id)).toHaveLength(0);
    expect(await markersOf(b.id)).toHaveLength(0);
  });

  it('an import with nothing to queue (no valid row, no chunk): its undo ends as it starts, with its one event; one of repeated rows ends with its units', async () => {
    const b = await team();
    const invalid = await importFile(b.id, owner, 'date,amount,category,description,merchant\nnot-a-date,1.00,,bad row,Shop\n');
    expect(invalid).toMatchObject({ imported: 0, errorCount: 1 });
    const res = await undo(b.id, invalid.id, owner, {});
    expect(res.status, res.text).toBe(202);
    expect(res.json.undo).toMatchObject({ status: 'succeeded', removed: 0, kept: 0, gone: 0, total: 0 });
    expect((await undoFinishedOf(invalid.id)).map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, importId: invalid.id, startedBy: owner.id, attempt: 1, status: 'succeeded', removed: 0, kept: 0, gone: 0, total: 0 },
    ]);
    // Asked again: the same resource, no second event.
    expect((await undo(b.id, invalid.id, owner, {})).json.undo).toEqual(res.json.undo);
    expect(await undoFinishedOf(invalid.id)).toHaveLength(1);

    await importFile(b.id);
    const repeated = await importFile(b.id);
    expect(repeated).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 5 });
    const again = await undo(b.id, repeated.id);
    expect(again.json.undo).toMatchObject({ status: 'succeeded', removed: 0, kept: 0, gone: 0, total: 0 });
    expect((await undoFinishedOf(repeated.id)).map((e) => [e.envelope.data.status, e.envelope.data.removed])).toEqual([['succeeded', 0]]);
    expect(await expensesOf(b.id)).toHaveLength(5);
  });

  it('an import counted before chunks kept their fingerprints: the undo fails import-undo-unavailable and removes nothing', async () => {
    const b = await team();
    const imported = await importFile(b.id);
    // As the old code left a counted chunk: `done`, its rows removed and nothing kept in their place.
    const chunks = (await itemsOfKind(s.t, 'import-chunk')).filter((i) => String(i.sk).includes(imported.id));
    expect(chunks).toHaveLength(3);
    for (const c of chunks) {
      await s.t.doc.send(new UpdateCommand({ TableName: s.t.tableName, Key: { pk: c.pk, sk: c.sk }, UpdateExpression: 'REMOVE fingerprints' }));
    }
    const res = await undo(b.id, imported.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json.undo).toMatchObject({ status: 'failed', failureCode: 'import-undo-unavailable', removed: 0, kept: 0, gone: 0, total: 5 });
    expect(res.json.undo.failure).toMatch(/bulk edit/);
    expect((await undoFinishedOf(imported.id)).map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, importId: imported.id, startedBy: owner.id, attempt: 1, status: 'failed', removed: 0, kept: 0, gone: 0, total: 5, failure: res.json.undo.failure, failureCode: 'import-undo-unavailable' },
    ]);
    expect(await expensesOf(b.id)).toHaveLength(5);
    expect(await spent(b.id)).toBe(1_625);
  });

  it('a failed undo whose chunks were all counted is finished by the restart itself (no unit); one counted before undoneChunks was kept gets a unit per chunk', async () => {
    const b = await team();
    const imported = await importFile(b.id);
    const done = await undo(b.id, imported.id);
    expect(done.json.undo).toMatchObject({ status: 'succeeded', removed: 5 });
    const record = await storedImport(imported.id);
    expect([...record.undo.undoneChunks].sort()).toEqual([0, 1, 2]);
    const failAgain = (extra = '') =>
      s.t.doc.send(
        new UpdateCommand({
          TableName: s.t.tableName,
          Key: { pk: record.pk, sk: record.sk },
          // As a failure landing after the last chunk's count, before its finish (e.g. a stall).
          UpdateExpression: `SET #undo.#status = :failed, #undo.failureCode = :code, #undo.failure = :failure, #undo.updatedAt = :at${extra}`,
          ExpressionAttributeNames: { '#undo': 'undo', '#status': 'status', ...(extra ? { '#undoneChunks': 'undoneChunks' } : {}) },
          ExpressionAttributeValues: { ':failed': 'failed', ':code': 'stalled', ':failure': 'the undo stalled', ':at': new Date().toISOString() },
        }),
      );

    await failAgain();
    const before = undoDeliveries.get(b.id) ?? 0;
    const restarted = await undo(b.id, imported.id);
    expect(restarted.status, restarted.text).toBe(200);
    expect(restarted.json.undo).toMatchObject({ status: 'succeeded', removed: 5, kept: 0, gone: 0, total: 5 });
    expect((undoDeliveries.get(b.id) ?? 0) - before).toBe(0);
    expect((await undoFinishedOf(imported.id)).map((e) => [e.envelope.data.attempt, e.envelope.data.status])).toEqual([[1, 'succeeded'], [2, 'succeeded']]);

    // Counted before the list was kept: which chunks are left cannot be told, so every chunk is queued (each does nothing).
    await failAgain(' REMOVE #undo.#undoneChunks');
    const again = await undo(b.id, imported.id);
    expect(again.json.undo).toMatchObject({ status: 'succeeded', removed: 5, kept: 0, gone: 0, total: 5 });
    expect((undoDeliveries.get(b.id) ?? 0) - before).toBe(3);
    expect((await undoFinishedOf(imported.id)).map((e) => e.envelope.data.attempt)).toEqual([1, 2, 3]);
  });

  // Moves the shared clock forward: last in the file.
  it('a unit that never runs: past the window the undo reads failed (stalled) on GET, and its watchdog fails one nobody reads; asked again, it restarts once and goes on from its counts; an expired import is still refused', async () => {
    const clock = s.t.clock as ReturnType<typeof fixedClock>;
    const read = await team();
    const unread = await team();
    const readImport = await importFile(read.id);
    const unreadImport = await importFile(unread.id);
    const delayedBefore = s.queue.delayed;
    // Chunk 1 (rows 2 and 3) of each undo killed on every attempt: its failure handler never runs.
    undos.killed.add(`${read.id}#1`);
    undos.killed.add(`${unread.id}#1`);
    expect((await undo(read.id, readImport.id, owner, {})).status).toBe(202);
    expect((await undo(unread.id, unreadImport.id, owner, {})).status).toBe(202);
    await s.queue.idle();
    // One watchdog held per undo.
    expect(s.queue.delayed).toBe(delayedBefore + 2);
    // Chunks 0 and 2: rows 0, 1 and 4 removed; chunk 1 never counted.
    const stuck = (await storedImport(unreadImport.id)).undo;
    expect(stuck).toMatchObject({ status: 'running', removed: 3, chunksDone: 2 });

    // Exactly the window: not stalled yet.
    const lastMoved = Date.parse(stuck.updatedAt);
    clock.set(new Date(lastMoved + WORK_UNIT_STALLED_AFTER_MS));
    await signIn(owner);
    expect((await api()('GET', `/v1/budgets/${read.id}/imports/${readImport.id}`)).json.undo).toMatchObject({ status: 'running', removed: 3 });

    // Past it: GET reads failed.
    clock.set(new Date(lastMoved + WORK_UNIT_STALLED_AFTER_MS + 60_000));
    const got = (await api()('GET', `/v1/budgets/${read.id}/imports/${readImport.id}`)).json;
    expect(got.undo).toMatchObject({ status: 'failed', failureCode: 'stalled', removed: 3, kept: 0, gone: 0, total: 5, finishedAt: clock.now().toISOString() });
    expect(got.undo.failure).toMatch(/^the undo stalled: nothing moved for 75 minutes/);
    expect(got.status).toBe('succeeded');
    expect((await undoFinishedOf(readImport.id)).map((e) => e.envelope.data)).toEqual([
      { budgetId: read.id, importId: readImport.id, startedBy: owner.id, attempt: 1, status: 'failed', removed: 3, kept: 0, gone: 0, total: 5, failure: got.undo.failure, failureCode: 'stalled' },
    ]);

    // Nobody reads the other: its watchdog's delivery fails it in the table.
    await s.queue.send([{ type: 'unit', job: IMPORT_UNDO_WATCHDOG_JOB, tick: clock.now().toISOString(), unit: { budgetId: unread.id, importId: unreadImport.id } }]);
    await s.queue.idle();
    expect((await storedImport(unreadImport.id)).undo).toMatchObject({ status: 'failed', failureCode: 'stalled', removed: 3, chunksDone: 2, finishedAt: clock.now().toISOString() });
    // The held watchdogs, delivered now, find their undo ended: the watch ends, nothing held.
    s.queue.releaseDelayed();
    await s.queue.idle();
    expect(s.queue.delayed).toBe(0);
    expect((await storedImport(unreadImport.id)).undo).toMatchObject({ status: 'failed', failureCode: 'stalled', removed: 3 });
    // The watchdog's failure is the one event of the unread undo; the other's ended watchdog added none.
    expect((await undoFinishedOf(unreadImport.id)).map((e) => [e.envelope.data.status, e.envelope.data.failureCode, e.envelope.data.removed])).toEqual([['failed', 'stalled', 3]]);
    expect(await undoFinishedOf(readImport.id)).toHaveLength(1);

    // Asked again twice at once: ONE restart, ONE unit: the record's undoneChunks says chunks 0 and 2 are counted.
    undos.killed.clear();
    const held = undos.gate(`${read.id}#1`);
    const deliveredBefore = undoDeliveries.get(read.id) ?? 0;
    const [one, two] = await Promise.all([undo(read.id, readImport.id, owner, {}), undo(read.id, readImport.id, owner, {})]);
    expect([one.status, two.status]).toEqual([202, 202]);
    await held.entered;
    const restarted = (await api()('GET', `/v1/budgets/${read.id}/imports/${readImport.id}`)).json.undo;
    expect(restarted).toMatchObject({ status: 'queued', removed: 3, kept: 0, gone: 0, total: 5 });
    expect(restarted).not.toHaveProperty('failureCode');
    expect(restarted).not.toHaveProperty('finishedAt');
    held.release();
    await s.queue.idle();
    expect((undoDeliveries.get(read.id) ?? 0) - deliveredBefore).toBe(1);
    // 3 before + rows 2 and 3 = 5.
    expect((await api()('GET', `/v1/budgets/${read.id}/imports/${readImport.id}`)).json.undo).toMatchObject({ status: 'succeeded', removed: 5, kept: 0, gone: 0, total: 5 });
    expect((await undoFinishedOf(readImport.id)).map((e) => [e.envelope.data.attempt, e.envelope.data.status, e.envelope.data.removed])).toEqual([[1, 'failed', 3], [2, 'succeeded', 5]]);
    expect(await expensesOf(read.id)).toHaveLength(0);
    expect(await spent(read.id)).toBe(0);

    // A failed undo of an import started 6 days ago: still refused.
    const record = await storedImport(unreadImport.id);
    const sixDaysAgo = new Date(clock.now().getTime() - 6 * 24 * 60 * 60 * 1000).toISOString();
    await s.t.doc.send(new UpdateCommand({ TableName: s.t.tableName, Key: { pk: record.pk, sk: record.sk }, UpdateExpression: 'SET createdAt = :at', ExpressionAttributeValues: { ':at': sixDaysAgo } }));
    const late = await undo(unread.id, unreadImport.id, owner, {});
    expectProblem(late, 409);
    expect(late.json.type).toMatch(/import-undo-expired$/);
    expect((await storedImport(unreadImport.id)).undo).toMatchObject({ status: 'failed', failureCode: 'stalled' });
    // Rows 2 and 3 (3.25 + 4.25) left.
    expect(await spent(unread.id)).toBe(750);
  });

  it("an undo whose process died right after its start committed (no unit queued, no answer): its watchdog fails it unread once the window has passed", async () => {
    // import-export.md: "a crash leaves it to the watchdog's stall, and the same POST restarts it".
    const clock = s.t.clock as ReturnType<typeof fixedClock>;
    await signIn(owner);
    const b = await team();
    const imported = await importFile(b.id);
    const delayedBefore = s.queue.delayed;
    const crash = crashAfterCommit(s.t.doc, 'crashAfterUndoCommit');
    const lost = await crash.during(() => undo(b.id, imported.id, owner, {}));
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    await s.queue.idle();
    const stuck = (await storedImport(imported.id)).undo;
    expect(stuck).toMatchObject({ status: 'queued', removed: 0, chunksDone: 0 });
    // Its watchdog is held all the same.
    expect(s.queue.delayed).toBe(delayedBefore + 1);

    clock.set(new Date(Date.parse(stuck.updatedAt) + WORK_UNIT_STALLED_AFTER_MS + 60_000));
    s.queue.releaseDelayed();
    await s.queue.idle();
    expect((await storedImport(imported.id)).undo).toMatchObject({ status: 'failed', failureCode: 'stalled', removed: 0 });
    expect((await undoFinishedOf(imported.id)).map((e) => [e.envelope.data.status, e.envelope.data.failureCode])).toEqual([['failed', 'stalled']]);
    // Every watch has ended (this undo's, and those of the imports before, all ended).
    expect(s.queue.delayed).toBe(0);
    expect(await expensesOf(b.id)).toHaveLength(5);
  });
});
