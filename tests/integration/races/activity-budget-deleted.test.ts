import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The activity subscriber recording a budget's event (here budget.updated) while the budget is
 * deleted (DELETE, then budget.deleted: the activity log's cleanup job, a Query of the partition
 * then a batch delete). The entry's transaction is held until the deletion and the whole cleanup
 * ran: the order a late delivery (a retry of the bus, a replayed dead letter) takes. The
 * invariant: nothing is left in the deleted budget's activity partition (nothing reads it any
 * more, and nothing would delete it before its 90-day TTL).
 */
let t: TestSystem;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

async function activityOf(budgetId: string) {
  return (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `activity#budget#${budgetId}`).map((i) => `${i.kind} ${i.action ?? ''}`);
}

async function renamed(name: string) {
  const budget = await createBudget(t.app, alice);
  const res = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { name } });
  expect(res.status, res.text).toBe(200);
  return { budget, event: await theEvent(t, 'budget.updated', { budgetId: budget.id }) };
}

async function deleteBudget(budgetId: string) {
  expect((await as(t.app, alice)('DELETE', `/v1/budgets/${budgetId}`)).status).toBe(204);
  await deliver(t, await theEvent(t, 'budget.deleted', { budgetId }));
}

describe('an activity entry against its budget being deleted', { timeout: 120_000 }, () => {
  it('the entry written after the deletion and its cleanup leaves nothing in the partition', async () => {
    const { budget, event } = await renamed('Renamed late');
    // The entry's transaction names the partition; the deletion's writes do not (the cleanup's batch is not held).
    await holdingFirstWrite(t, `activity#budget#${budget.id}`, () => deleteBudget(budget.id), () => deliver(t, event));
    expect(await activityOf(budget.id)).toEqual([]);
  });

  it('an entry delivered after the deletion (a late retry) writes nothing', async () => {
    const { budget, event } = await renamed('Renamed later');
    await deleteBudget(budget.id);
    await deliver(t, event);
    expect(await activityOf(budget.id)).toEqual([]);
  });

  it('(control) a living budget gets its entry', async () => {
    const { budget, event } = await renamed('Renamed in time');
    await deliver(t, event);
    expect(await activityOf(budget.id)).toEqual(['activity budget.settings_changed']);
  });
});
