import { newId } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { addMember, as, signUp } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { archiveRaceSuite } from '../../support/archive-race';

/**
 * A member removed, or made a viewer, while they write an expense: the write passed its access
 * check before the owner's change, and its transaction is held until the change has answered
 * and the owner has read the budget's expenses. The invariant: no write of theirs commits after
 * the change that took their right to write (the owner, having seen the removal answered and
 * the expenses as they were, must not find a change by a non-writer appear later).
 */
const race = archiveRaceSuite();

async function freshEditor() {
  const { h, team } = race;
  const budget = await h.createBudget(team.owner, { categories: ['Groceries'] });
  await addMember(h.app, team.owner, budget.id, team.editor, 'editor');
  return budget;
}

const listed = async (budgetId: string) => (await race.h.listExpenses({ id: budgetId }, race.team.owner.token)).map((e) => [e.amount, e.description ?? null]);

describe('member removal and demotion against the member writing', { timeout: 120_000 }, () => {
  it('an expense created without a day (the read-first create), written after the removal, is refused (404) and not recorded', async () => {
    const budget = await freshEditor();
    const note = `removed-create-${budget.id}`;
    let seen: unknown[] = [];
    const { result: created } = await race.holding(
      note,
      async () => {
        expect((await race.req('DELETE', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`)).status).toBe(204);
        seen = await listed(budget.id);
      },
      () => as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 700, description: note } }),
    );
    expect(seen).toEqual([]);
    expect(created.status, created.text).toBe(404);
    expect(await listed(budget.id)).toEqual([]);
  });

  it("an expense PATCH written after the editor was made a viewer is refused (403) and changes nothing", async () => {
    const budget = await freshEditor();
    const made = await as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 500, occurredOn: '2026-11-10' } });
    expect(made.status, made.text).toBe(201);
    const note = `demoted-patch-${budget.id}`;
    const { result: patched } = await race.holding(
      note,
      async () => {
        expect((await race.req('PATCH', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`, { role: 'viewer' })).status).toBe(200);
      },
      () => as(race.h.app, race.team.editor)('PATCH', `/v1/budgets/${budget.id}/expenses/${made.json.id}`, { body: { amount: 900, description: note } }),
    );
    expect(patched.status, patched.text).toBe(403);
    expect(await listed(budget.id)).toEqual([[500, null]]);
  });

  it('an expense DELETE written after the removal is refused (404) and deletes nothing', async () => {
    const budget = await freshEditor();
    const made = await as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 300, occurredOn: '2026-11-11' } });
    expect(made.status, made.text).toBe(201);
    // The delete's transaction names the expense's id; the removal's does not.
    const { result: deleted } = await race.holding(
      made.json.id,
      async () => {
        expect((await race.req('DELETE', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`)).status).toBe(204);
      },
      () => as(race.h.app, race.team.editor)('DELETE', `/v1/budgets/${budget.id}/expenses/${made.json.id}`),
    );
    expect(deleted.status, deleted.text).toBe(404);
    expect(await listed(budget.id)).toEqual([[300, null]]);
  });

  it('an offline push create written after the removal is not applied and records nothing', async () => {
    const budget = await freshEditor();
    const description = `removed-push-${budget.id}`;
    const { result: pushed } = await race.holding(
      description,
      async () => {
        expect((await race.req('DELETE', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`)).status).toBe(204);
      },
      () =>
        as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/changes`, {
          body: { mutations: [{ op: 'create', id: `01JDZZ${'7'.padStart(20, '0')}`, expense: { amount: 800, occurredOn: '2026-11-12', description } }] },
        }),
    );
    // The whole push may be refused (404), or this mutation answered with its error: never applied.
    if (pushed.status === 200) expect(pushed.json.results.map((r: { status: string }) => r.status)).not.toContain('applied');
    else expect(pushed.status, pushed.text).toBe(404);
    expect(await listed(budget.id)).toEqual([]);
  });

  it("a PATCH sharing with a member removed while it was written: the 400 naming that sharedWith entry (the writer's own check held), nothing changed", async () => {
    const budget = await freshEditor();
    const mate = await signUp(race.h.app, 'mate');
    await addMember(race.h.app, race.team.owner, budget.id, mate, 'editor');
    const made = await as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 400, occurredOn: '2026-11-13' } });
    expect(made.status, made.text).toBe(201);
    const note = `shared-removed-${budget.id}`;
    const { result: patched } = await race.holding(
      note,
      async () => expect((await race.req('DELETE', `/v1/budgets/${budget.id}/members/${mate.id}`)).status).toBe(204),
      () => as(race.h.app, race.team.editor)('PATCH', `/v1/budgets/${budget.id}/expenses/${made.json.id}`, { body: { description: note, sharedWith: [race.team.owner.id, mate.id] } }),
    );
    expectProblem(patched, 400);
    expect(patched.json.errors).toEqual([{ path: 'sharedWith.1', message: 'Not a member of this budget' }]);
    expect(await listed(budget.id)).toEqual([[400, null]]);
    // Sent again after the removal (no race): the same 400.
    const again = await as(race.h.app, race.team.editor)('PATCH', `/v1/budgets/${budget.id}/expenses/${made.json.id}`, { body: { sharedWith: [race.team.owner.id, mate.id] } });
    expectProblem(again, 400);
    expect(again.json.errors).toEqual([{ path: 'sharedWith.1', message: 'Not a member of this budget' }]);
  });

  // README "HTTP conventions": a replayed answer is served only to a caller who may still make the request.
  for (const [kind, keyOf] of [
    ['a key naming no id', (budgetId: string) => `plain-${budgetId}`],
    // Made at the suite clock's time (2026-11-24T12:00Z), so the expense's id comes from it.
    ['a ULID key (the expense id from it)', () => newId(Date.parse('2026-11-24T12:00:00.000Z'))],
  ] as const) {
    it(`a keyed create without a day (${kind}) retried by the member removed since its commit: 404, nothing written`, async () => {
      const budget = await freshEditor();
      const key = keyOf(budget.id);
      const send = () => as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 250, description: `keyed-${budget.id}` }, headers: { 'Idempotency-Key': key } });
      const first = await send();
      expect(first.status, first.text).toBe(201);
      if (key.startsWith('0')) expect(first.json.id.slice(0, 10)).toBe(key.slice(0, 10));
      expect((await race.req('DELETE', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`)).status).toBe(204);
      expectProblem(await send(), 404);
      expect(await listed(budget.id)).toEqual([[250, `keyed-${budget.id}`]]);
    });

    it(`a keyed create without a day (${kind}) retried as the member is removed (its write after the removal): 404, not the replay`, async () => {
      const budget = await freshEditor();
      const key = keyOf(budget.id);
      const note = `keyed-race-${budget.id}`;
      const send = () => as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 260, description: note }, headers: { 'Idempotency-Key': key } });
      const first = await send();
      expect(first.status, first.text).toBe(201);
      const { result: retried } = await race.holding(
        note,
        async () => expect((await race.req('DELETE', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`)).status).toBe(204),
        send,
      );
      expectProblem(retried, 404);
      expect(await listed(budget.id)).toEqual([[260, note]]);
    });
  }

  describe('the writes over many (bulk undo, category reassign) of an editor removed while they run', () => {
    /** A budget of two categories with the team's editor, and one expense of theirs in Groceries. */
    async function editorsExpense(amount: number) {
      const { h, team } = race;
      const budget = await h.createBudget(team.owner, { categories: ['Groceries', 'Transport'] });
      await addMember(h.app, team.owner, budget.id, team.editor, 'editor');
      const [groceries, transport] = budget.categories.map((c) => c.id);
      const made = await as(h.app, team.editor)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount, occurredOn: '2026-11-12', categoryId: groceries } });
      expect(made.status, made.text).toBe(201);
      return { budget, expenseId: made.json.id as string, groceries: groceries!, transport: transport! };
    }
    const bulk = async (budgetId: string, expenseId: string, action: Record<string, unknown>) => {
      const res = await as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budgetId}/expenses/bulk`, { body: { expenseIds: [expenseId], action } });
      expect(res.status, res.text).toBe(200);
      return res.json.undo.id as string;
    };
    const undo = (budgetId: string, bulkId: string) => as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budgetId}/expenses/bulk/${bulkId}/undo`);
    const removeEditor = async (budgetId: string) => expect((await race.req('DELETE', `/v1/budgets/${budgetId}/members/${race.team.editor.id}`)).status).toBe(204);
    const categoryOf = async (budgetId: string) => (await race.h.listExpenses({ id: budgetId }, race.team.owner.token)).map((e) => e.categoryId);

    it("a bulk delete's undo whose restore is written after the removal restores nothing", async () => {
      const { budget, expenseId } = await editorsExpense(410);
      const bulkId = await bulk(budget.id, expenseId, { type: 'delete' });
      // The restore's transaction names the expense's id; the removal's and the undo's claim do not.
      const { result: undone } = await race.holding(expenseId, () => removeEditor(budget.id), () => undo(budget.id, bulkId));
      expect(undone.json?.undone ?? [], undone.text).toEqual([]);
      // The restore's refusal is the entry's answer: 404, as if the undo were sent after the removal.
      expect(undone.json.failed.map((f: { problem: { status: number } }) => f.problem.status)).toEqual([404]);
      expect(await listed(budget.id)).toEqual([]);
    });

    it("a bulk recategorize's undo written after the removal changes nothing", async () => {
      const { budget, expenseId, transport } = await editorsExpense(420);
      const bulkId = await bulk(budget.id, expenseId, { type: 'recategorize', categoryId: transport });
      const { result: undone } = await race.holding(expenseId, () => removeEditor(budget.id), () => undo(budget.id, bulkId));
      expect(undone.json?.undone ?? [], undone.text).toEqual([]);
      expect(await categoryOf(budget.id)).toEqual([transport]);
    });

    it('a restore (POST .../restore) written after the editor was made a viewer is refused (403) and restores nothing', async () => {
      const { budget, expenseId } = await editorsExpense(440);
      const gone = await as(race.h.app, race.team.editor)('DELETE', `/v1/budgets/${budget.id}/expenses/${expenseId}`);
      expect(gone.status, gone.text).toBe(204);
      // The restore's transaction names the expense's id; the role change's does not.
      const { result: restored } = await race.holding(
        expenseId,
        async () => expect((await race.req('PATCH', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`, { role: 'viewer' })).status).toBe(200),
        () => as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses/${expenseId}/restore`),
      );
      expectProblem(restored, 403);
      expect(await listed(budget.id)).toEqual([]);
    });

    it('a restore by a viewer made an editor, and by the owner, puts the expense back (the check asks the role now)', async () => {
      const { budget, expenseId } = await editorsExpense(450);
      expect((await race.req('DELETE', `/v1/budgets/${budget.id}/expenses/${expenseId}`)).status).toBe(204);
      expect((await race.req('PATCH', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`, { role: 'viewer' })).status).toBe(200);
      expect((await as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses/${expenseId}/restore`)).status).toBe(403);
      expect((await race.req('PATCH', `/v1/budgets/${budget.id}/members/${race.team.editor.id}`, { role: 'editor' })).status).toBe(200);
      const restored = await as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/expenses/${expenseId}/restore`);
      expect(restored.status, restored.text).toBe(200);
      expect(await listed(budget.id)).toEqual([[450, null]]);
      // The owner's restore after a second delete.
      expect((await race.req('DELETE', `/v1/budgets/${budget.id}/expenses/${expenseId}`)).status).toBe(204);
      expect((await race.req('POST', `/v1/budgets/${budget.id}/expenses/${expenseId}/restore`)).status).toBe(200);
      expect(await listed(budget.id)).toEqual([[450, null]]);
    });

    it('a category reassign written after the removal moves nothing', async () => {
      const { budget, expenseId, groceries, transport } = await editorsExpense(430);
      const { result: moved } = await race.holding(expenseId, () => removeEditor(budget.id), () =>
        as(race.h.app, race.team.editor)('POST', `/v1/budgets/${budget.id}/categories/${groceries}/reassign`, { body: { to: transport } }),
      );
      expect(moved.json?.moved ?? [], moved.text).toEqual([]);
      expect(await categoryOf(budget.id)).toEqual([groceries]);
    });
  });
});
