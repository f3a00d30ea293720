import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addExpense, asUser, createBudget, deliver, signup, tableItems, theEvent, type User } from './support';
import { withoutClosedMarkers } from '../../support/closed-budgets';

/**
 * budget.deleted: DELETE /v1/budgets/{id} removes the budget at once; its expenses, running
 * totals (expenses-on-budgets) and threshold markers (budgets-on-budgets) go when the event is
 * delivered. Redelivering it changes nothing.
 */
let t: TestSystem;
let alice: User;

beforeAll(async () => {
  t = await createTestSystem();
  alice = await signup(t.app, 'alice');
});
afterAll(() => t.destroy());

/** Items whose keys name the budget (expenses, totals, markers, budget, memberships). */
async function itemsOf(budgetId: string) {
  return (await tableItems(t.doc, t.tableName)).filter((i) => `${i.pk} ${i.sk}`.includes(budgetId));
}

async function budgetWithHistory() {
  const budget = await createBudget(t.app, alice, { limit: 1_000 });
  for (const [amount, occurredOn] of [[300, '2026-10-05'], [600, '2026-11-02'], [200, '2026-11-03']] as const) {
    const expense = await addExpense(t.app, alice, budget.id, { amount, occurredOn });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  }
  return budget;
}

describe('budget.deleted', { timeout: 120_000 }, () => {
  it('deletes the budget at once, then its expenses, totals and markers when the event is delivered', async () => {
    const doomed = await budgetWithHistory();
    const kept = await budgetWithHistory();
    const keptBefore = await itemsOf(kept.id);
    const kinds = (items: Record<string, any>[]) => [...new Set(items.map((i) => String(i.pk).split('#').slice(0, 2).join('#')))].sort();
    expect(kinds(await itemsOf(doomed.id))).toEqual(['budgets#budget', 'budgets#thresholds', 'expenses#budget', 'expenses#totals']);

    const res = await asUser(t.app, alice)('DELETE', `/v1/budgets/${doomed.id}`);
    expect(res.status, res.text).toBe(204);
    expect((await asUser(t.app, alice)('GET', `/v1/budgets/${doomed.id}`)).status).toBe(404);
    expect((await asUser(t.app, alice)('GET', `/v1/budgets/${doomed.id}/expenses`)).status).toBe(404);
    // Until the event is delivered, only the budget and its memberships are gone.
    expect(kinds(await itemsOf(doomed.id))).toEqual(['budgets#thresholds', 'expenses#budget', 'expenses#totals']);

    const deleted = await theEvent(t, 'budget.deleted', { budgetId: doomed.id });
    expect(deleted.envelope.data).toEqual({ budgetId: doomed.id, ownerId: alice.id, memberIds: [alice.id] });
    await deliver(t, deleted);

    // Only the closed markers that keep late expense creations out (see closed-budgets.ts).
    expect(new Set((await itemsOf(doomed.id)).map((i) => i.kind))).toEqual(new Set(['closed-budget']));
    expect(withoutClosedMarkers(await itemsOf(doomed.id))).toEqual([]);
    expect(await itemsOf(kept.id)).toEqual(keptBefore);
    expect((await t.system.facades.spending.totalsBetween(kept.id, '2026-11-01', '2026-11-30')).total).toBe(800);
  });

  it('changes nothing when delivered again (both subscribers)', async () => {
    const budget = await budgetWithHistory();
    expect((await asUser(t.app, alice)('DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);
    const deleted = await theEvent(t, 'budget.deleted', { budgetId: budget.id });
    await deliver(t, deleted);
    const once = await tableItems(t.doc, t.tableName);
    const inboxes = once.filter((i) => i.kind === 'inbox' && i.eventId === deleted.envelope.id).map((i) => i.subscription);
    expect(inboxes.sort()).toEqual(['budgets-on-budgets', 'expenses-on-budgets']);

    await deliver(t, deleted);
    expect(await tableItems(t.doc, t.tableName)).toEqual(once);
  });
});
