import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { tableItems } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

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

beforeAll(async () => {
  t = await createTestSystem();
  [owner, editor] = [await signUp(t.app, 'audit-owner'), await signUp(t.app, 'audit-editor')];
});
afterAll(() => t.destroy());

async function editorsBudget() {
  const b = await createBudget(t.app, owner, { currency: 'EUR' });
  await addMember(t.app, owner, b.id, editor, 'editor');
  return b;
}
const removeEditor = async (budgetId: string) => expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budgetId}/members/${editor.id}`)).status).toBe(204);
const ofBudget = async (budgetId: string, kind: string) => (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === kind && i.budgetId === budgetId);
const csv = { 'content-type': 'text/csv', prefer: 'wait=10' };

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
