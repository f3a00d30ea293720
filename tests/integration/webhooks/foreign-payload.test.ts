import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { busEvent, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A webhook's payload is the event's data (DynamoDB Local, a stand-in poster): an expense's
 * foreign amount reaches the receiver in `expense.recorded` and, with its before/after, in
 * `expense.updated`; so does a refund's `refund: true` (packages/expenses/docs/expense-fields.md "Refunds").
 */
const posted: { url: string; body: string }[] = [];
let t: TestSystem;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    webhooks: {
      post: async (url, _headers, body) => {
        posted.push({ url, body });
        return { status: 204, latencyMs: 1, error: null };
      },
    },
  });
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

describe('webhook payloads of an expense with a foreign amount', { timeout: 60_000 }, () => {
  it('carry foreign in expense.recorded and foreign and changes.foreign in expense.updated', async () => {
    const api = as(t.app, alice);
    const budget = await createBudget(t.app, alice, { currency: 'EUR' });
    const hook = await api('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.recorded', 'expense.updated'] } });
    expect(hook.status, hook.text).toBe(201);
    const created = await api('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 5240, occurredOn: '2026-11-20', foreign: { amount: 8000, currency: 'JPY' } } });
    expect(created.status, created.text).toBe(201);
    const changed = await api('PATCH', `/v1/budgets/${budget.id}/expenses/${created.json.id}`, { body: { foreign: { amount: 8200, currency: 'JPY' } } });
    expect(changed.status, changed.text).toBe(200);

    const deliver = createBusDelivery(t.system);
    await deliver(busEvent(await theEvent(t, 'expense.recorded', { expenseId: created.json.id })));
    await deliver(busEvent(await theEvent(t, 'expense.updated', { expenseId: created.json.id, version: 2 })));
    await t.system.webhooks.localQueue!.idle();

    // Standard Webhooks: {type, data}; the data wraps the event (with the budget's serverKnowledge).
    const payloads = posted.map((p) => JSON.parse(p.body) as { type: string; data: { event: { data: Record<string, unknown> } } });
    expect(payloads.map((p) => p.type).sort()).toEqual(['expense.recorded', 'expense.updated']);
    const recorded = payloads.find((p) => p.type === 'expense.recorded')!;
    expect(recorded.data.event.data).toMatchObject({ expenseId: created.json.id, amount: 5240, foreign: { amount: 8000, currency: 'JPY' } });
    const updated = payloads.find((p) => p.type === 'expense.updated')!;
    expect(updated.data.event.data).toMatchObject({
      amount: 5240,
      foreign: { amount: 8200, currency: 'JPY' },
      changes: { foreign: { before: { amount: 8000, currency: 'JPY' }, after: { amount: 8200, currency: 'JPY' } } },
    });
  });

  it('carry refund: true in expense.recorded, and previous.refund and changes.refund in expense.updated', async () => {
    const api = as(t.app, alice);
    // The first test's webhook (every budget of alice) receives these too.
    const budget = await createBudget(t.app, alice);
    const created = await api('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 5999, occurredOn: '2026-11-20', refund: true } });
    expect(created.status, created.text).toBe(201);
    const changed = await api('PATCH', `/v1/budgets/${budget.id}/expenses/${created.json.id}`, { body: { refund: false } });
    expect(changed.status, changed.text).toBe(200);

    const deliver = createBusDelivery(t.system);
    await deliver(busEvent(await theEvent(t, 'expense.recorded', { expenseId: created.json.id })));
    await deliver(busEvent(await theEvent(t, 'expense.updated', { expenseId: created.json.id, version: 2 })));
    await t.system.webhooks.localQueue!.idle();

    const payloads = posted
      .map((p) => JSON.parse(p.body) as { type: string; data: { event: { data: Record<string, unknown> } } })
      .filter((p) => p.data.event.data.expenseId === created.json.id);
    expect(payloads.map((p) => p.type).sort()).toEqual(['expense.recorded', 'expense.updated']);
    const recorded = payloads.find((p) => p.type === 'expense.recorded')!;
    expect(recorded.data.event.data).toMatchObject({ expenseId: created.json.id, amount: 5999, refund: true });
    const updated = payloads.find((p) => p.type === 'expense.updated')!.data.event.data;
    expect(updated).toMatchObject({ amount: 5999, previous: { amount: 5999, refund: true }, changes: { refund: { before: true, after: false } } });
    expect('refund' in updated).toBe(false);
  });
});
