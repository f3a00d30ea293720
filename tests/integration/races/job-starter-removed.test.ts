import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_UNDO_JOB, MERCHANT_RENAME_JOB } from '../../../packages/expenses/src/jobs/names';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';
import { unitControls } from '../jobs/unit-controls';

/**
 * A job started by an editor who is removed, or made a viewer, before its units run. Access is
 * checked once, when the job is asked for (packages/expenses/docs/merchants-and-tags.md "Who":
 * "the writes are the job's, in that member's name"; import-export.md "Undoing an import"): the
 * units then write as the job, so they neither count expenses as removed that are still there
 * nor fail every attempt (dead-lettered) on the starter's lost role. The writer's membership
 * check of a request's own write (member-removal-races.test.ts) is not the job's.
 */
const undos = unitControls<{ budgetId: string; chunk: number }>(IMPORT_UNDO_JOB, (unit) => `${unit.budgetId}#${unit.chunk}`);
const renames = unitControls<{ budgetId: string; n: number }>(MERCHANT_RENAME_JOB, (unit) => `${unit.budgetId}#${unit.n}`);
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;
let editor: Actor;

beforeAll(async () => {
  s = await createFanOutSystem({
    concurrency: 2,
    expenses: { csv: { chunkRows: 2 } },
    beforeDelivery: async (job, message) => {
      await undos.beforeDelivery(job, message);
      await renames.beforeDelivery(job, message);
    },
  });
  [owner, editor] = [await signUp(s.t.app, 'jobrace-owner'), await signUp(s.t.app, 'jobrace-editor')];
});
afterAll(() => s.t.destroy());

const FILE = `date,amount,category,description,merchant\n${[0, 1, 2].map((n) => `2026-11-0${n + 1},${n + 1}.25,,row ${n},Shop`).join('\n')}\n`;
const expensesOf = async (budgetId: string) => (await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === budgetId);
const markersOf = async (budgetId: string) => (await itemsOfKind(s.t, 'import-marker')).filter((m) => String(m.pk).endsWith(budgetId));

async function editorsBudget() {
  const b = await createBudget(s.t.app, owner);
  await addMember(s.t.app, owner, b.id, editor, 'editor');
  return b;
}

describe('a job whose starter lost their role before its units ran', { timeout: 120_000 }, () => {
  /**
   * The editor imports `file` (3 rows: two undo units of 2 rows), starts its undo, and is removed
   * while both units are held; answers the undo's record once the units ran.
   */
  async function undoAfterStarterRemoved(path: string, file: string, importedAs: Record<string, unknown>) {
    const b = await editorsBudget();
    const imported = await as(s.t.app, editor)('POST', `/v1/budgets/${b.id}/expenses/import${path}`, { rawBody: file, headers: { 'content-type': 'text/csv', prefer: 'wait=10' } });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 3, ...importedAs });
    const gates = [undos.gate(`${b.id}#0`), undos.gate(`${b.id}#1`)];
    const started = await as(s.t.app, editor)('POST', `/v1/budgets/${b.id}/imports/${imported.json.id}/undo`);
    expect(started.status, started.text).toBe(202);
    await Promise.all(gates.map((g) => g.entered));
    expect((await as(s.t.app, owner)('DELETE', `/v1/budgets/${b.id}/members/${editor.id}`)).status).toBe(204);
    gates.forEach((g) => g.release());
    await s.queue.idle();
    return { budgetId: b.id, undo: (await as(s.t.app, owner)('GET', `/v1/budgets/${b.id}/imports/${imported.json.id}`)).json.undo };
  }

  it('an import undo started by an editor removed since removes the expenses it counts as removed', async () => {
    const { budgetId, undo } = await undoAfterStarterRemoved('', FILE, {});
    // Whatever it answers, its counts are what it did: removed means gone.
    expect(undo).toMatchObject({ status: 'succeeded', removed: 3, kept: 0, gone: 0, total: 3 });
    expect(await expensesOf(budgetId)).toEqual([]);
    expect(await markersOf(budgetId)).toEqual([]);
  });

  it('an import undo started by an editor removed since removes the income entries it counts as removed (credits=income)', async () => {
    const bankFile = 'Date,Amount,Payee,Memo\n2026-11-03,-12.50,Shop,a\n2026-11-05,2500.00,Acme payroll,b\n2026-11-06,100.00,Refund,c\n';
    const query = '?dateColumn=Date&amountColumn=Amount&merchantColumn=Payee&descriptionColumn=Memo&amountSign=negativeIsSpending&credits=income';
    const { budgetId, undo } = await undoAfterStarterRemoved(query, bankFile, { incomeImported: 2 });
    expect(undo).toMatchObject({ status: 'succeeded', removed: 3, kept: 0, gone: 0, total: 3 });
    expect(await expensesOf(budgetId)).toEqual([]);
    expect((await itemsOfKind(s.t, 'income')).filter((i) => i.budgetId === budgetId)).toEqual([]);
    expect(await markersOf(budgetId)).toEqual([]);
  });

  it('a merchant rename started by an editor made a viewer since renames, its unit not dead-lettered', async () => {
    const b = await editorsBudget();
    for (const [n, merchant] of ['Shop', 'Shop', 'Other'].entries()) {
      const made = await as(s.t.app, owner)('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 100 + n, occurredOn: '2026-11-10', merchant } });
      expect(made.status, made.text).toBe(201);
    }
    const gate = renames.gate(`${b.id}#0`);
    const started = await as(s.t.app, editor)('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['Shop'], to: 'Store' } });
    expect(started.status, started.text).toBe(202);
    await gate.entered;
    const demoted = await as(s.t.app, owner)('PATCH', `/v1/budgets/${b.id}/members/${editor.id}`, { body: { role: 'viewer' } });
    expect(demoted.status, demoted.text).toBe(200);
    gate.release();
    await s.queue.idle();
    expect(s.queue.deadLettered).toBe(0);
    const rename = (await as(s.t.app, owner)('GET', `/v1/budgets/${b.id}/merchant-renames/${started.json.id}`)).json;
    expect(rename).toMatchObject({ status: 'succeeded', renamed: 2 });
    expect((await expensesOf(b.id)).map((e) => e.merchant).sort()).toEqual(['Other', 'Store', 'Store']);
  });
});
