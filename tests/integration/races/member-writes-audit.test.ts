import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { tableItems } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { withCommandMiddleware } from '../../support/command-middleware';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { runRecurringJob } from '../../support/recurring-job';

/**
 * The holes of round 16's audit (packages/budgets/docs/members.md "Audit: every write in a
 * member's name against their removal"): a job started in an editor's name (an import, a rename,
 * an import's undo) whose start was written after the owner removed that editor. The job's units
 * write as the job (no member check, job-starter-removed.test.ts), so the start's own write must
 * carry the starter's check: held until the removal answered, it is refused (404) and nothing of
 * the job runs.
 */
let t: TestSystem;
let owner: Actor;
let editor: Actor;
let third: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  [owner, editor, third] = [await signUp(t.app, 'audit-owner'), await signUp(t.app, 'audit-editor'), await signUp(t.app, 'audit-third')];
});
afterAll(() => t.destroy());

async function editorsBudget() {
  const b = await createBudget(t.app, owner, { currency: 'EUR' });
  await addMember(t.app, owner, b.id, editor, 'editor');
  return b;
}
const demoteEditor = async (budgetId: string) => expect((await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/members/${editor.id}`, { body: { role: 'viewer' } })).status).toBe(200);
const removeEditor = async (budgetId: string) => expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}/members/${editor.id}`)).status).toBe(204);
const ofBudget = async (budgetId: string, kind: string) => (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === kind && i.budgetId === budgetId);
const csv = { 'content-type': 'text/csv', prefer: 'wait=10' };
const promoteEditor = async (budgetId: string) => expect((await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/members/${editor.id}`, { body: { role: 'editor' } })).status).toBe(200);
/** `work` with its first transaction naming `marker` meeting the editor as a viewer, an editor again by the time it answered (before any re-read of access). */
async function demotedForOneWrite<T>(budgetId: string, marker: string, work: () => Promise<T>): Promise<T> {
  let held = false;
  const res = await withCommandMiddleware(t.doc, 'demotedForOneWrite', (next, context) => async (args) => {
    if (held || context.commandName !== 'TransactWriteItemsCommand' || !JSON.stringify(args.input).includes(marker)) return next(args);
    held = true;
    await demoteEditor(budgetId);
    try {
      return await next(args);
    } finally {
      await promoteEditor(budgetId);
    }
  }, work);
  expect(held).toBe(true);
  return res;
}

describe("a job started in an editor's name, its start written after the editor's removal", { timeout: 60_000 }, () => {
  it('a CSV import: 404, no record, nothing imported', async () => {
    const b = await editorsBudget();
    const marker = `Bakery ${b.id}`;
    const res = await holdingFirstWrite(t, marker, () => removeEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: `2026-12-01,4.20,,${marker},\n`, headers: csv }),
    );
    expect(await ofBudget(b.id, 'expense')).toEqual([]);
    expect(await ofBudget(b.id, 'import')).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });

  it('a merchant rename: 404, nothing renamed', async () => {
    const b = await editorsBudget();
    const made = await as(t.app, owner)('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-10', merchant: 'Shop' } });
    expect(made.status, made.text).toBe(201);
    const to = `Store ${b.id}`;
    const res = await holdingFirstWrite(t, to, () => removeEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['Shop'], to }, headers: { prefer: 'wait=10' } }),
    );
    expect((await ofBudget(b.id, 'expense')).map((e) => e.merchant)).toEqual(['Shop']);
    expect(res.status, res.text).toBe(404);
  });

  it("an import's undo: 404, the imported expense kept", async () => {
    const b = await editorsBudget();
    const imported = await as(t.app, editor)('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: '2026-12-01,4.20,,Bakery,\n', headers: csv });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 1 });
    const res = await holdingFirstWrite(t, ':undo', () => removeEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/imports/${imported.json.id}/undo`, { headers: { prefer: 'wait=10' } }),
    );
    expect((await ofBudget(b.id, 'expense')).length).toBe(1);
    expect(res.status, res.text).toBe(404);
  });

  it("an undo with nothing to undo (the import recorded no row: it ends as it starts, with its event): 404, no undo", async () => {
    const b = await editorsBudget();
    const imported = await as(t.app, editor)('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: '2026-12-01,not-an-amount,,Bakery,\n', headers: csv });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 0 });
    const res = await holdingFirstWrite(t, ':undo', () => removeEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/imports/${imported.json.id}/undo`, { headers: { prefer: 'wait=10' } }),
    );
    expect(res.status, res.text).toBe(404);
    const [record] = await ofBudget(b.id, 'import');
    expect(record?.undo).toBeUndefined();
  });

  it('(control) the same by an editor still a member: imported and undone, renamed', async () => {
    const b = await editorsBudget();
    const api = as(t.app, editor);
    const imported = await api('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: '2026-12-01,4.20,,Bakery,\n', headers: csv });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 1 });
    const undone = await api('POST', `/v1/budgets/${b.id}/imports/${imported.json.id}/undo`, { headers: { prefer: 'wait=10' } });
    expect(undone.status, undone.text).toBeLessThan(300);
    expect(await ofBudget(b.id, 'expense')).toEqual([]);
    const made = await as(t.app, owner)('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-10', merchant: 'Shop' } });
    expect(made.status, made.text).toBe(201);
    const renamed = await api('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['Shop'], to: 'Store' }, headers: { prefer: 'wait=10' } });
    expect(renamed.status, renamed.text).toBeLessThan(300);
    expect((await ofBudget(b.id, 'expense')).map((e) => e.merchant)).toEqual(['Store']);
  });
});

describe('a settle-up payment written after its writer was removed or made a viewer', { timeout: 60_000 }, () => {
  const payments = async (budgetId: string) => (await ofBudget(budgetId, 'settlement')).map((p) => [p.amount, p.note ?? null]);

  it("recorded between two others by an editor removed meanwhile: 404, nothing recorded (the payer's and payee's checks held, not the caller's)", async () => {
    const b = await editorsBudget();
    await addMember(t.app, owner, b.id, third, 'viewer');
    const note = `paid-${b.id}`;
    const res = await holdingFirstWrite(t, note, () => removeEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/settlements`, { body: { fromUserId: third.id, toUserId: owner.id, amount: 1_00, note } }),
    );
    expect(await payments(b.id)).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });

  it('recorded by its payer made a viewer meanwhile: 403, nothing recorded', async () => {
    const b = await editorsBudget();
    const note = `paid-${b.id}`;
    const res = await holdingFirstWrite(t, note, () => demoteEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/settlements`, { body: { fromUserId: editor.id, toUserId: owner.id, amount: 1_00, note } }),
    );
    expect(await payments(b.id)).toEqual([]);
    expect(res.status, res.text).toBe(403);
  });

  it('recorded by its payer made a viewer for the write only (an editor again by the re-read): a 409 to retry, not a 422 naming fromUserId', async () => {
    const b = await editorsBudget();
    const note = `flap-${b.id}`;
    const res = await demotedForOneWrite(b.id, note, () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/settlements`, { body: { fromUserId: editor.id, toUserId: owner.id, amount: 1_00, note } }),
    );
    expect(await payments(b.id)).toEqual([]);
    expect(res.status, res.text).toBe(409);
  });

  it('changed and deleted by the editor who recorded it, made a viewer meanwhile: 403, unchanged, still there', async () => {
    const b = await editorsBudget();
    const made = await as(t.app, editor)('POST', `/v1/budgets/${b.id}/settlements`, { body: { fromUserId: editor.id, toUserId: owner.id, amount: 1_00 } });
    expect(made.status, made.text).toBe(201);
    const note = `changed-${b.id}`;
    const changed = await holdingFirstWrite(t, note, () => demoteEditor(b.id), () =>
      as(t.app, editor)('PATCH', `/v1/budgets/${b.id}/settlements/${made.json.id}`, { body: { amount: 2_00, note } }),
    );
    expect(changed.status, changed.text).toBe(403);
    expect(await payments(b.id)).toEqual([[1_00, null]]);
    // Made an editor again for the DELETE's race (the same check: an editor who is a viewer by its write).
    expect((await as(t.app, owner)('PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { body: { role: 'editor' } })).status).toBe(200);
    const deleted = await holdingFirstWrite(t, made.json.id, () => demoteEditor(b.id), () =>
      as(t.app, editor)('DELETE', `/v1/budgets/${b.id}/settlements/${made.json.id}`),
    );
    expect(deleted.status, deleted.text).toBe(403);
    expect(await payments(b.id)).toEqual([[1_00, null]]);
  });
});

describe('a recurring occurrence recorded now (record-next) by an editor removed meanwhile', { timeout: 60_000 }, () => {
  it("an expense (the editor's own definition): 404, nothing recorded (the recording carried no member's check)", async () => {
    const b = await editorsBudget();
    const made = await as(t.app, editor)('POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 9_00, description: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-11-20' } } });
    expect(made.status, made.text).toBe(201);
    const res = await holdingFirstWrite(t, made.json.id, () => removeEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/recurring-expenses/${made.json.id}/record-next`, { body: {} }),
    );
    expect(await ofBudget(b.id, 'expense')).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });

  it("of the owner's definitions by an editor made a viewer for the write only: a 409 to retry, not the creator's refusal (the owner can still record)", async () => {
    const b = await editorsBudget();
    const expense = await as(t.app, owner)('POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 9_00, description: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-11-20' } } });
    const income = await as(t.app, owner)('POST', `/v1/budgets/${b.id}/recurring-income`, { body: { amount: 1500_00, source: 'Payroll', schedule: { frequency: 'monthly', startsOn: '2026-11-20' } } });
    expect([expense.status, income.status]).toEqual([201, 201]);
    for (const [path, id] of [['recurring-expenses', expense.json.id], ['recurring-income', income.json.id]] as const) {
      const res = await demotedForOneWrite(b.id, id, () => as(t.app, editor)('POST', `/v1/budgets/${b.id}/${path}/${id}/record-next`, { body: {} }));
      expect(res.status, res.text).toBe(409);
      expect(res.json.detail, path).not.toMatch(/creator/i);
    }
    expect([...(await ofBudget(b.id, 'expense')), ...(await ofBudget(b.id, 'income'))]).toEqual([]);
  });

  it("income of the owner's definition: 404, nothing recorded (only the creator's check was carried)", async () => {
    const b = await editorsBudget();
    const made = await as(t.app, owner)('POST', `/v1/budgets/${b.id}/recurring-income`, { body: { amount: 1500_00, source: 'Payroll', schedule: { frequency: 'monthly', startsOn: '2026-11-20' } } });
    expect(made.status, made.text).toBe(201);
    const res = await holdingFirstWrite(t, made.json.id, () => removeEditor(b.id), () =>
      as(t.app, editor)('POST', `/v1/budgets/${b.id}/recurring-income/${made.json.id}/record-next`, { body: {} }),
    );
    expect(await ofBudget(b.id, 'income')).toEqual([]);
    expect(res.status, res.text).toBe(404);
  });
});

describe("the recurring job recording an editor's definition while the editor is removed", { timeout: 60_000 }, () => {
  it('nothing recorded: the recording carries its creator\'s check (as the income job\'s), not only the access read before it', async () => {
    const b = await editorsBudget();
    // The recording is the first write after the definition's create naming its description (the job's units name ids only).
    const description = `Streaming ${b.id}`;
    const made = await as(t.app, editor)('POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 7_00, description, schedule: { frequency: 'monthly', startsOn: '2026-11-24' } } });
    expect(made.status, made.text).toBe(201);
    let removed = false;
    await holdingFirstWrite(t, description, async () => { await removeEditor(b.id); removed = true; }, () => runRecurringJob(t));
    expect(removed, 'the recording was held (its occurrence due at the test clock)').toBe(true);
    expect(await ofBudget(b.id, 'expense')).toEqual([]);
  });
});
