import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, theEvent } from '../../support/events';
import { commandsSentDuring } from '../../support/sent-commands';
import { withWritesThrottled } from '../../support/throttled-writes';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The webhooks fan-out skips a budget nobody watches with one read (issue 11: it read the
 * members and each member's webhooks after every expense write). The hint must never hide a
 * webhook: a member joining with a webhook for all their budgets, a webhook created or
 * re-enabled after the budget was found unwatched, each gets the next expense.
 */
let t: TestSystem;
let alice: Actor;
let bob: Actor;

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    // Attempts are not this test's subject: every one succeeds at once.
    webhooks: { post: async () => ({ status: 204, latencyMs: 1, error: null }) },
  });
  [alice, bob] = [await signUp(t.app, 'alice'), await signUp(t.app, 'bob')];
});
afterAll(() => t?.destroy());

/** Records an expense in `budgetId` and delivers its event to the webhooks fan-out alone; returns the requests it made. */
async function expenseFannedOut(budgetId: string, amount: number): Promise<string[]> {
  const expense = await addExpense(t.app, alice, budgetId, { amount, occurredOn: '2026-11-20' });
  const event = await theEvent(t, 'expense.recorded', { expenseId: expense.id });
  const fanOut = t.system.subscriptions.find((s) => s.name === 'webhooks-on-expenses')!;
  const { commands } = await commandsSentDuring(t.doc, () => fanOut.handle(event.envelope, { logger: t.system.deps.logger }));
  return commands.map((name) => name.replace(/Command$/, ''));
}

async function deliveriesOf(owner: Actor, webhookId: string): Promise<{ eventType: string }[]> {
  const res = await as(t.app, owner)('GET', `/v1/webhooks/${webhookId}/deliveries`);
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

describe('the webhooks fan-out of expense events', { timeout: 60_000 }, () => {
  it('reads once for a budget nobody watches, and a member who joins with an all-budgets webhook gets the next expense', async () => {
    const budget = await createBudget(t.app, alice);
    // Bob's webhook exists before he joins: creating it marked none of alice's budgets.
    const hook = await as(t.app, bob)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/bob', eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);

    // First event: nothing known about the budget yet, the members and their webhooks are read.
    expect((await expenseFannedOut(budget.id, 100)).length).toBeGreaterThan(1);
    // Then "nobody watches" is known: one read.
    expect(await expenseFannedOut(budget.id, 200)).toEqual(['GetItem']);

    const added = await as(t.app, alice)('POST', `/v1/budgets/${budget.id}/members`, { body: { email: bob.email, role: 'viewer' } });
    expect(added.status, added.text).toBe(201);
    await expenseFannedOut(budget.id, 300);
    expect((await deliveriesOf(bob, hook.json.id)).map((d) => d.eventType)).toEqual(['expense.recorded']);
  });

  it('a webhook created, or enabled again, after its budget was found unwatched gets the next expense', async () => {
    const budget = await createBudget(t.app, alice);
    await expenseFannedOut(budget.id, 100);
    expect(await expenseFannedOut(budget.id, 200)).toEqual(['GetItem']);

    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/alice', budgetIds: [budget.id] } });
    expect(hook.status, hook.text).toBe(201);
    await expenseFannedOut(budget.id, 300);
    expect(await deliveriesOf(alice, hook.json.id)).toHaveLength(1);

    // Disabled: the budget is found unwatched again (one read per expense)...
    const disabled = await as(t.app, alice)('PATCH', `/v1/webhooks/${hook.json.id}`, { body: { enabled: false } });
    expect(disabled.status, disabled.text).toBe(200);
    await expenseFannedOut(budget.id, 400);
    expect(await expenseFannedOut(budget.id, 500)).toEqual(['GetItem']);
    // ...until it is enabled again.
    const enabled = await as(t.app, alice)('PATCH', `/v1/webhooks/${hook.json.id}`, { body: { enabled: true } });
    expect(enabled.status, enabled.text).toBe(200);
    await expenseFannedOut(budget.id, 600);
    expect(await deliveriesOf(alice, hook.json.id)).toHaveLength(2);
  });

  it('a PATCH adding a budget whose watcher mark was throttled (503, the change committed) still gets that budget\'s next expense, also after the retry that changes nothing', async () => {
    const budget = await createBudget(t.app, alice);
    const other = await createBudget(t.app, alice);
    await expenseFannedOut(budget.id, 100);
    expect(await expenseFannedOut(budget.id, 200)).toEqual(['GetItem']);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/alice-patch', budgetIds: [other.id] } });
    expect(hook.status, hook.text).toBe(201);

    // The mark after the webhook's Put (its budgets' watch items listing the owner), refused on
    // every retry; anything before it (a pin) goes through.
    const body = { budgetIds: [other.id, budget.id] };
    const { result: throttled, attempts } = await withWritesThrottled(t.doc, 'ADD watchers :user', () => as(t.app, alice)('PATCH', `/v1/webhooks/${hook.json.id}`, { body }), ['UpdateItemCommand']);
    expect(attempts).toBeGreaterThan(0);
    expect(throttled.status, throttled.text).toBe(503);
    // The client's retry: the webhook has the budget already, nothing to change.
    const retried = await as(t.app, alice)('PATCH', `/v1/webhooks/${hook.json.id}`, { body });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.json.budgetIds).toEqual([other.id, budget.id]);

    await expenseFannedOut(budget.id, 300);
    expect(await deliveriesOf(alice, hook.json.id)).toHaveLength(1);
  });

  it('budget events still reach every member webhook (they never skip)', async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/all', budgetIds: [budget.id], eventTypes: ['budget.updated'] } });
    expect(hook.status, hook.text).toBe(201);
    const renamed = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { name: 'Renamed' } });
    expect(renamed.status, renamed.text).toBe(200);
    await deliver(t, await theEvent(t, 'budget.updated', { budgetId: budget.id }));
    expect((await deliveriesOf(alice, hook.json.id)).map((d) => d.eventType)).toEqual(['budget.updated']);
  });

  it('a settle-up payment recorded, corrected and deleted reaches a webhook that picked those types, not one that did not', async () => {
    const budget = await createBudget(t.app, alice);
    await addMember(t.app, alice, budget.id, bob, 'editor');
    const picked = await as(t.app, bob)('POST', '/v1/webhooks', {
      body: { url: 'http://127.0.0.1:9/settle', budgetIds: [budget.id], eventTypes: ['budget.settlement_recorded', 'budget.settlement_updated', 'budget.settlement_deleted'] },
    });
    expect(picked.status, picked.text).toBe(201);
    const other = await as(t.app, bob)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/other', budgetIds: [budget.id], eventTypes: ['budget.updated'] } });
    expect(other.status, other.text).toBe(201);

    const paid = await as(t.app, bob)('POST', `/v1/budgets/${budget.id}/settlements`, { body: { fromUserId: bob.id, toUserId: alice.id, amount: 3_000 } });
    expect(paid.status, paid.text).toBe(201);
    const corrected = await as(t.app, bob)('PATCH', `/v1/budgets/${budget.id}/settlements/${paid.json.id}`, { body: { amount: 3_100 } });
    expect(corrected.status, corrected.text).toBe(200);
    const removed = await as(t.app, alice)('DELETE', `/v1/budgets/${budget.id}/settlements/${paid.json.id}`);
    expect(removed.status, removed.text).toBe(204);
    await deliver(
      t,
      await theEvent(t, 'budget.settlement_recorded', { settlementId: paid.json.id }),
      await theEvent(t, 'budget.settlement_updated', { settlementId: paid.json.id }),
      await theEvent(t, 'budget.settlement_deleted', { settlementId: paid.json.id }),
    );

    expect((await deliveriesOf(bob, picked.json.id)).map((d) => d.eventType).sort()).toEqual(['budget.settlement_deleted', 'budget.settlement_recorded', 'budget.settlement_updated']);
    expect(await deliveriesOf(bob, other.json.id)).toEqual([]);
  });
});
