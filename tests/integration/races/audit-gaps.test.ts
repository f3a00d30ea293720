import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { withoutClosedMarkers } from '../../support/closed-budgets';
import { deliver, tableItems, theEvent } from '../../support/events';
import { ANY_WRITE, holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { partition } from '../jobs/seed';

/**
 * Round 17: the cases earlier audits reasoned safe but never raced (packages/budgets/docs/members.md
 * "Audit", budget-lifecycle.md "Audit", packages/expenses/docs/storage-and-totals.md "Derived data").
 * Each holds the real write (the first naming a marker only it carries) until the competing change
 * (a removal, a demotion, a DELETE, the budget's deletion and its cascade) has answered.
 *
 * One row per chunk (`chunkRows: 1`): a 30-row file is 30 chunks, more than one 25-key
 * BatchWriteItem of the refused start's chunk deletion, without the 13,000 rows (about 0.5 MB of
 * CSV) the production 500 rows a chunk would need.
 */
const clock = fixedClock('2026-12-06T12:00:00Z');
let t: TestSystem;
let owner: Actor;
let editor: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock, expenses: { csv: { chunkRows: 1 } } });
  [owner, editor] = [await signUp(t.app, 'gaps-owner'), await signUp(t.app, 'gaps-editor')];
});
afterAll(() => t.destroy());

const byOwner = (method: string, url: string, opts: Record<string, unknown> = {}) => as(t.app, owner)(method, url, opts);
const byEditor = (method: string, url: string, opts: Record<string, unknown> = {}) => as(t.app, editor)(method, url, opts);
const csv = { 'content-type': 'text/csv', prefer: 'wait=10' };
const ofBudget = async (budgetId: string, kind: string) => (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === kind && i.budgetId === budgetId);

async function editorsBudget() {
  const b = await createBudget(t.app, owner, { currency: 'EUR', timezone: 'UTC' });
  await addMember(t.app, owner, b.id, editor, 'editor');
  return b;
}
const removeEditor = async (budgetId: string) => expect((await byOwner('DELETE', `/v1/budgets/${budgetId}/members/${editor.id}`)).status).toBe(204);
const demoteEditor = async (budgetId: string) => expect((await byOwner('PATCH', `/v1/budgets/${budgetId}/members/${editor.id}`, { body: { role: 'viewer' } })).status).toBe(200);

/** The budget's DELETE and its whole budget.deleted cascade (cleanup jobs inline). */
async function deleteAndCascade(budgetId: string) {
  const res = await byOwner('DELETE', `/v1/budgets/${budgetId}`);
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'budget.deleted', { budgetId }));
}
/** What is stored of the budget (keys naming it), closed markers aside. */
async function leftOf(budgetId: string) {
  const items = (await tableItems(t.doc, t.tableName)).filter((i) => `${i.pk} ${i.sk}`.includes(budgetId));
  return withoutClosedMarkers(items).map((i) => `${i.kind ?? i.sk}`);
}
const jobCtx = () => ({ logger: t.system.deps.logger });
/** holdingFirstWrite, failing the test unless a write naming `marker` was held (a race that never happened proves nothing). */
async function holding<T>(marker: string, meanwhile: () => Promise<unknown>, work: () => Promise<T>, writes?: ReadonlySet<string>): Promise<T> {
  let ran = false;
  const out = await holdingFirstWrite(t, marker, async () => { await meanwhile(); ran = true; }, work, writes);
  expect(ran, `a write naming ${marker} was held`).toBe(true);
  return out;
}

describe("a failed import undo's restart by an editor removed meanwhile", { timeout: 30_000 }, () => {
  it('is refused like the first start: 404, the undo still failed, the imported expense kept', async () => {
    const b = await editorsBudget();
    const imported = await byEditor('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: '2026-12-01,4.20,,Bakery,\n', headers: csv });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 1 });
    // An undo that failed before removing anything (as a stall leaves it): asked again, it restarts.
    const [record] = await ofBudget(b.id, 'import');
    const at = clock.now().toISOString();
    const failed = { status: 'failed', removed: 0, kept: 0, gone: 0, total: 1, chunksDone: 0, undoneChunks: [], attempt: 1, startedBy: editor.id, createdAt: at, updatedAt: at, finishedAt: at, failure: 'the undo stalled', failureCode: 'stalled' };
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: record!.pk, sk: record!.sk }, UpdateExpression: 'SET #undo = :undo', ExpressionAttributeNames: { '#undo': 'undo' }, ExpressionAttributeValues: { ':undo': failed } }));

    // The restart's update (only it sets the undo's status to :queued) waits for the removal.
    const res = await holding('#undo.#status = :queued', () => removeEditor(b.id), () =>
      byEditor('POST', `/v1/budgets/${b.id}/imports/${imported.json.id}/undo`, { headers: { prefer: 'wait=10' } }),
    );
    expect((await ofBudget(b.id, 'expense')).length).toBe(1);
    const [after] = await ofBudget(b.id, 'import');
    expect([after!.undo.status, after!.undo.attempt]).toEqual(['failed', 1]);
    expect(res.status, res.text).toBe(404);
  });
});

describe('a job started by an editor made a viewer meanwhile', { timeout: 30_000 }, () => {
  it('a CSV import: 403, no record, nothing imported', async () => {
    const b = await editorsBudget();
    const marker = `Bakery ${b.id}`;
    const res = await holding(marker, () => demoteEditor(b.id), () =>
      byEditor('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: `2026-12-01,4.20,,${marker},\n`, headers: csv }),
    );
    expect(await ofBudget(b.id, 'expense')).toEqual([]);
    expect(await ofBudget(b.id, 'import')).toEqual([]);
    expect(res.status, res.text).toBe(403);
  });

  it('a merchant rename: 403, nothing renamed', async () => {
    const b = await editorsBudget();
    const made = await byOwner('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-10', merchant: 'Shop' } });
    expect(made.status, made.text).toBe(201);
    const to = `Store ${b.id}`;
    const res = await holding(to, () => demoteEditor(b.id), () =>
      byEditor('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['Shop'], to }, headers: { prefer: 'wait=10' } }),
    );
    expect((await ofBudget(b.id, 'expense')).map((e) => e.merchant)).toEqual(['Shop']);
    expect(res.status, res.text).toBe(403);
  });
});

describe('the payments index back-fill meets a DELETE of the expense it indexes', { timeout: 30_000 }, () => {
  it('no payments entry of the deleted expense is left: the bill lists nothing, nothing of it carries gsi4', async () => {
    const b = await editorsBudget();
    const bill = await byOwner('POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 9_00, description: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-11-20' } } });
    expect(bill.status, bill.text).toBe(201);
    const paid = await byOwner('POST', `/v1/budgets/${b.id}/recurring-expenses/${bill.json.id}/record-next`, { body: {} });
    expect(paid.status, paid.text).toBeLessThan(300);
    const [payment] = await ofBudget(b.id, 'expense');
    // As recorded before the index (2026-12-04): the link without the entry.
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: payment!.pk, sk: payment!.sk }, UpdateExpression: 'REMOVE gsi4pk, gsi4sk' }));

    let deleted: { status: number; text: string } | undefined;
    await holding('gsi4pk', async () => (deleted = await byOwner('DELETE', `/v1/budgets/${b.id}/expenses/${payment!.id}`)), () =>
      t.system.jobs.plan('expenses-payments-index-backfill', clock.now(), jobCtx()),
      ANY_WRITE,
    );
    expect(deleted?.status, deleted?.text).toBe(204);
    const listed = await byOwner('GET', `/v1/budgets/${b.id}/expenses?recurringExpenseId=${bill.json.id}`);
    expect(listed.json.items, listed.text).toEqual([]);
    const indexed = (await tableItems(t.doc, t.tableName)).filter((i) => i.gsi4pk !== undefined && `${i.pk} ${i.sk}`.includes(payment!.id));
    expect(indexed).toEqual([]);
  });
});

describe('a CSV import of more than 25 chunks started while its budget is deleted', { timeout: 30_000 }, () => {
  it('every chunk is deleted with the refusal (more than one 25-key batch): 404, nothing stored', async () => {
    const b = await createBudget(t.app, owner, { currency: 'EUR' });
    const marker = `Bakery ${b.id}`;
    const rows = Array.from({ length: 30 }, (_, i) => `2026-12-01,${i + 1}.00,,${i === 0 ? marker : `Shop ${i}`},`);
    const res = await holding(marker, () => deleteAndCascade(b.id), () =>
      byOwner('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: `${rows.join('\n')}\n`, headers: { 'content-type': 'text/csv' } }),
    );
    expect(await leftOf(b.id)).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });
});

describe("the day-totals fold meets the budget's deletion", { timeout: 30_000 }, () => {
  it('nothing of the budget is left after both: the fold does not re-create the month item the cleanup deleted', async () => {
    const b = await createBudget(t.app, owner, { currency: 'EUR', timezone: 'UTC' });
    expect((await byOwner('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 12_00, occurredOn: '2026-12-03' } })).status).toBe(201);
    // As stored before 2026-11-30: the day's figures on a day item, the month item only month-level.
    const totalsPk = `expenses#totals#${b.id}`;
    const [month] = await partition(t, totalsPk);
    const [, , , shard] = String(month!.sk).split('#');
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: totalsPk, sk: month!.sk }, UpdateExpression: 'REMOVE d03_total, d03_uncategorized' }));
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: totalsPk, sk: `expenses#day#2026-12-03#${shard}`, total: 12_00, uncategorized: 12_00 } }));

    await holding('expenses#day#2026-12-03', () => deleteAndCascade(b.id), () =>
      t.system.jobs.plan('expenses-fold-day-totals', clock.now(), jobCtx()),
      ANY_WRITE,
    );
    expect(await leftOf(b.id)).toEqual([]);
  });
});
