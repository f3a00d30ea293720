import { ModuleStore } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { withoutClosedMarkers } from '../../support/closed-budgets';
import {
  addExpense,
  addMember,
  asUser,
  createBudget,
  deliver,
  outboxEvents,
  signup,
  tableItems,
  theEvent,
} from './support';

/**
 * user.deleted (budgets-on-users): the account's budgets go with every membership in them
 * (budget.deleted each), its memberships elsewhere go (budget.member_removed); redelivering
 * the event, or the budget.deleted events it caused, changes nothing.
 */
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t.destroy());

async function scenario() {
  const [alice, bob, carol] = [await signup(t.app, 'alice'), await signup(t.app, 'bob'), await signup(t.app, 'carol')];
  const shared = await createBudget(t.app, alice, { name: 'Shared with Bob' });
  const own = await createBudget(t.app, alice, { name: 'Alone' });
  const carols = await createBudget(t.app, carol, { name: "Carol's" });
  await addMember(t.app, alice, shared.id, bob, 'editor');
  await addMember(t.app, carol, carols.id, alice, 'editor');
  await addExpense(t.app, bob, shared.id, { amount: 100, occurredOn: '2026-11-02' });
  await addExpense(t.app, alice, own.id, { amount: 200, occurredOn: '2026-11-03' });
  await addExpense(t.app, alice, carols.id, { amount: 300, occurredOn: '2026-11-04' });
  // A budget Alice left before: it keeps the record of her last membership version, which her deletion takes too.
  const leftEarlier = await createBudget(t.app, carol, { name: 'Left earlier' });
  await addMember(t.app, carol, leftEarlier.id, alice, 'viewer');
  expect((await asUser(t.app, alice)('DELETE', `/v1/budgets/${leftEarlier.id}/members/${alice.id}`)).status).toBe(204);
  const res = await asUser(t.app, alice)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  const userDeleted = await theEvent(t, 'user.deleted', { userId: alice.id });
  return { alice, bob, carol, shared, own, carols, userDeleted };
}

const mentioning = async (id: string) => (await tableItems(t.doc, t.tableName)).filter((i) => `${i.pk} ${i.sk}`.includes(id));

describe('user.deleted', { timeout: 120_000 }, () => {
  it("deletes the user's budgets, then their expenses; removes the user's other memberships", async () => {
    const { alice, bob, carol, shared, own, carols, userDeleted } = await scenario();
    await deliver(t, userDeleted);

    for (const budget of [shared, own]) {
      const deleted = await theEvent(t, 'budget.deleted', { budgetId: budget.id });
      expect(deleted.envelope.data.ownerId).toBe(alice.id);
      expect((await mentioning(budget.id)).filter((i) => String(i.pk).startsWith('budgets#budget#'))).toEqual([]);
    }
    expect((await theEvent(t, 'budget.deleted', { budgetId: shared.id })).envelope.data.memberIds.sort()).toEqual([alice.id, bob.id].sort());
    expect((await asUser(t.app, bob)('GET', `/v1/budgets/${shared.id}`)).status).toBe(404);

    const removed = await theEvent(t, 'budget.member_removed', { budgetId: carols.id });
    expect(removed.envelope.data).toEqual({ budgetId: carols.id, userId: alice.id, removedBy: alice.id });
    const members = await asUser(t.app, carol)('GET', `/v1/budgets/${carols.id}/members`);
    expect(members.json.items.map((m: { userId: string }) => m.userId)).toEqual([carol.id]);
    expect((await asUser(t.app, carol)('GET', `/v1/budgets/${carols.id}`)).json.role).toBe('owner');

    // The expenses follow with budget.deleted.
    await deliver(t, ...(await outboxEvents(t, 'budget.deleted')).filter((e) => [shared.id, own.id].includes(e.envelope.data.budgetId)));
    expect(withoutClosedMarkers(await mentioning(shared.id))).toEqual([]);
    expect(withoutClosedMarkers(await mentioning(own.id))).toEqual([]);
    const carolsExpenses = await asUser(t.app, carol)('GET', `/v1/budgets/${carols.id}/expenses`);
    expect(carolsExpenses.json.items.map((e: { amount: number }) => e.amount)).toEqual([300]);
    expect(await mentioning(alice.id)).toEqual([]); // no membership, no index entry of the account left
  });

  it('changes nothing when delivered again', async () => {
    const { userDeleted } = await scenario();
    await deliver(t, userDeleted);
    const once = await tableItems(t.doc, t.tableName);
    expect(once.some((i) => i.kind === 'inbox' && i.subscription === 'budgets-on-users' && i.eventId === userDeleted.envelope.id)).toBe(true);

    await deliver(t, userDeleted);
    expect(await tableItems(t.doc, t.tableName)).toEqual(once);
  });

  it('finishes the job on redelivery after stopping half-way, announcing nothing twice', async () => {
    const { own, shared, carols, userDeleted } = await scenario();
    const cascade = async () =>
      (await outboxEvents(t))
        .filter((e) => ['budget.deleted', 'budget.member_removed'].includes(e.detailType))
        .filter((e) => [own.id, shared.id, carols.id].includes(e.envelope.data.budgetId))
        .map((e) => `${e.detailType} ${e.envelope.data.budgetId}`)
        .sort();

    // The first delivery dies after the first budget's transaction (memberships come in budget order).
    const real = ModuleStore.prototype.transactWrite;
    let budgetWrites = 0;
    const spy = vi.spyOn(ModuleStore.prototype, 'transactWrite').mockImplementation(async function (this: ModuleStore, ...args) {
      if (this.module === 'budgets' && ++budgetWrites === 2) throw new Error('process died');
      return real.apply(this, args);
    });
    try {
      await expect(deliver(t, userDeleted)).rejects.toThrow(/process died/);
    } finally {
      spy.mockRestore();
    }
    expect(await cascade()).toEqual([`budget.deleted ${shared.id}`]);

    await deliver(t, userDeleted);
    expect(await cascade()).toEqual(
      [`budget.deleted ${own.id}`, `budget.deleted ${shared.id}`, `budget.member_removed ${carols.id}`].sort(),
    );
  });
});
