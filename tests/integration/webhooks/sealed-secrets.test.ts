import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '@budgeting/platform';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { busEvent, tableItems, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { startReceiver, type Receiver, type Received } from './receiver';

/**
 * Signing secrets at rest, on DynamoDB Local: the webhook's item holds only the sealed form
 * (no attribute carries the `whsec_` secret), deliveries are still signed with the secret the
 * creation answered, and an item written before sealing (plain `secret`) still delivers. The
 * clock is real because `Webhook.verify` refuses timestamps five minutes off its own.
 */
let t: TestSystem;
let receiver: Receiver;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock: systemClock, env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' } });
  receiver = await startReceiver();
  alice = await signUp(t.app, 'alice');
});
afterAll(async () => {
  await t?.destroy();
  await receiver?.close();
});

async function register(path: string): Promise<{ id: string; secret: string }> {
  const res = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: receiver.url(path), eventTypes: ['expense.recorded'] } });
  expect(res.status, res.text).toBe(201);
  expect(res.json.secret).toMatch(/^whsec_/);
  return res.json;
}

async function webhookItem(id: string): Promise<Record<string, any>> {
  const items = (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'webhook' && i.id === id);
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** Records an expense and works its event through the fan-out and the delivery queue. */
async function recordAndDeliver(budgetId: string) {
  const expense = await addExpense(t.app, alice, budgetId, { amount: 42, occurredOn: '2026-11-20' });
  await createBusDelivery(t.system)(busEvent(await theEvent(t, 'expense.recorded', { expenseId: expense.id })));
  await t.system.webhooks.localQueue!.idle();
  return expense;
}

function verified(secret: string, r: Received) {
  const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
  return new Webhook(secret).verify(r.body, headers);
}

describe('webhook signing secrets at rest', { timeout: 60_000 }, () => {
  it('stores only the sealed secret, and deliveries verify with the secret of the creation answer', async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await register('/sealed');

    const item = await webhookItem(hook.id);
    const stored = JSON.stringify(item);
    expect(stored).not.toContain('whsec_');
    expect(stored).not.toContain(hook.secret.slice('whsec_'.length));
    expect(item).not.toHaveProperty('secret');
    expect(item).not.toHaveProperty('previousSecret');
    expect(item.sealedSecret).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);

    await recordAndDeliver(budget.id);
    const [received] = receiver.on('/sealed');
    expect(received).toBeDefined();
    expect(() => verified(hook.secret, received!)).not.toThrow();
    expect(() => verified(`whsec_${randomBytes(32).toString('base64')}`, received!)).toThrow();
  });

  it('still delivers, signed with its plain secret, for an item written before secrets were sealed', async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await register('/legacy');
    // Rewrite the item as the module stored it before: the plain secret, no sealed attributes.
    const legacySecret = `whsec_${randomBytes(32).toString('base64')}`;
    const { sealedSecret: _sealed, sealedPreviousSecret: _previous, ...rest } = await webhookItem(hook.id);
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...rest, secret: legacySecret, previousSecret: null } }));

    const listed = await as(t.app, alice)('GET', `/v1/webhooks/${hook.id}`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json).not.toHaveProperty('secret');

    const expense = await recordAndDeliver(budget.id);
    const [received] = receiver.on('/legacy');
    expect(received).toBeDefined();
    expect(() => verified(legacySecret, received!)).not.toThrow();
    expect(received!.body).toContain(expense.id);
    expect(() => verified(hook.secret, received!)).toThrow();

    // Its next write (here a rotation) stores both secrets sealed; both still sign for 24 h.
    const rotated = await as(t.app, alice)('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status, rotated.text).toBe(200);
    const item = await webhookItem(hook.id);
    expect(JSON.stringify(item)).not.toContain('whsec_');
    expect(item).not.toHaveProperty('secret');
    expect(item).not.toHaveProperty('previousSecret');
    expect(item.sealedPreviousSecret).toMatch(/^v1\./);
    await recordAndDeliver(budget.id);
    const second = receiver.on('/legacy')[1];
    expect(second).toBeDefined();
    expect(() => verified(rotated.json.secret, second!)).not.toThrow();
    expect(() => verified(legacySecret, second!)).not.toThrow();
  });
});
