import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { busEvent, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A webhook's payload is the event's data (DynamoDB Local, a stand-in poster): a refund's
 * `refund: true` (expenses README "Refunds") reaches the receiver in `expense.recorded` and, as
 * `previous.refund` and `changes.refund`, in the `expense.updated` that makes it a purchase.
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

describe('webhook payloads of a refund', { timeout: 60_000 }, () => {
  it('carry refund: true in expense.recorded, and previous.refund and changes.refund in expense.updated', async () => {
    const api = as(t.app, alice);
    const budget = await createBudget(t.app, alice);
    const hook = await api('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.recorded', 'expense.updated'] } });
    expect(hook.status, hook.text).toBe(201);
    const created = await api('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 5999, occurredOn: '2026-11-20', refund: true } });
    expect(created.status, created.text).toBe(201);
    const changed = await api('PATCH', `/v1/budgets/${budget.id}/expenses/${created.json.id}`, { body: { refund: false } });
    expect(changed.status, changed.text).toBe(200);

    const deliver = createBusDelivery(t.system);
    await deliver(busEvent(await theEvent(t, 'expense.recorded', { expenseId: created.json.id })));
    await deliver(busEvent(await theEvent(t, 'expense.updated', { expenseId: created.json.id, version: 2 })));
    await t.system.webhooks.localQueue!.idle();

    const payloads = posted.map((p) => JSON.parse(p.body) as { type: string; data: { event: { data: Record<string, unknown> } } });
    expect(payloads.map((p) => p.type).sort()).toEqual(['expense.recorded', 'expense.updated']);
    const recorded = payloads.find((p) => p.type === 'expense.recorded')!;
    expect(recorded.data.event.data).toMatchObject({ expenseId: created.json.id, amount: 5999, refund: true });
    const updated = payloads.find((p) => p.type === 'expense.updated')!.data.event.data;
    expect(updated).toMatchObject({ amount: 5999, previous: { amount: 5999, refund: true }, changes: { refund: { before: true, after: false } } });
    expect('refund' in updated).toBe(false);
  });
});
