import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The account-deletion audit (packages/users/docs/account-deletion.md, "Writes in flight when an
 * account is deleted"): the writes the audit found held by NOTHING, each raced against DELETE
 * /v1/me and its user.deleted cleanups. All of them are the webhooks module's deliveries: a
 * delivery carries its owner's id and the event's body (expense notes, names, amounts), kept 30
 * days, so one left after the deletion is personal data of a deleted account.
 * The invariant: once user.deleted is handled, nothing of the account's webhooks is left but
 * their streams' heads, pointers and guards (ids and numbers only; their 30-day TTL).
 */
let t: TestSystem;
/** Runs once, inside the poster, during the next attempt's POST (before its record). */
let duringPost: (() => Promise<void>) | undefined;

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    webhooks: {
      retry: { baseDelayMs: 20, maxDelayMs: 40 },
      post: async () => {
        const meanwhile = duringPost;
        duringPost = undefined;
        await meanwhile?.();
        return { status: 204, latencyMs: 1, error: null };
      },
    },
  });
});
afterAll(() => t?.destroy());

/** A user with a budget and a webhook of its expense.recorded events. */
async function withWebhook(label: string) {
  const user = await signUp(t.app, label);
  const budget = await createBudget(t.app, user);
  const hook = await as(t.app, user)('POST', '/v1/webhooks', { body: { url: `http://127.0.0.1:9/hook/${label}`, eventTypes: ['expense.recorded'] } });
  expect(hook.status, hook.text).toBe(201);
  return { user, budgetId: budget.id, webhookId: String(hook.json.id) };
}

/** DELETE /v1/me as `user`, then user.deleted delivered to every subscriber (and the jobs they queue, inline). */
async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}

/** An expense recorded, its event handed to the subscribers (the webhooks fan-out among them). */
async function recordAndFanOut(user: Actor, budgetId: string, amount: number) {
  const expense = await addExpense(t.app, user, budgetId, { amount, occurredOn: '2026-11-20' });
  return () => theEvent(t, 'expense.recorded', { expenseId: expense.id }).then((e) => deliver(t, e));
}

/**
 * What the webhooks module keeps of the webhook or the user, and any item keyed by the user, but
 * the webhook's streams (ids and numbers, 30-day TTL) and the outbox's events and job units (24 h).
 * The budget's own contents go with budget.deleted, not delivered here.
 */
async function leftOf(user: Actor, webhookId: string) {
  const items = await tableItems(t.doc, t.tableName);
  const mentions = (i: Record<string, unknown>) => JSON.stringify(i).includes(webhookId) || JSON.stringify(i).includes(user.id);
  return items
    .filter((i) => (String(i.pk).startsWith('webhooks#') && mentions(i)) || String(i.pk).includes(user.id))
    .filter((i) => i.kind !== 'outbox' && i.kind !== 'job-unit' && !String(i.pk).startsWith(`webhooks#stream#${webhookId}#`))
    .map((i) => `${i.kind} ${i.pk} ${i.sk}`);
}

describe("account deletion against its webhooks' deliveries", { timeout: 120_000 }, () => {
  it('the deliveries made before the deletion go with the account', async () => {
    const { user, budgetId, webhookId } = await withWebhook('before');
    await (await recordAndFanOut(user, budgetId, 1_200))();
    await t.system.webhooks.localQueue!.idle();
    await deleteAccount(user);
    expect(await leftOf(user, webhookId)).toEqual([]);
  });

  it('a fan-out that read the webhook before the deletion, writing after its cleanup, leaves nothing', async () => {
    const { user, budgetId, webhookId } = await withWebhook('fanout');
    const fanOut = await recordAndFanOut(user, budgetId, 1_300);
    await holdingFirstWrite(t, '"stream-head"', () => deleteAccount(user), fanOut);
    await t.system.webhooks.localQueue!.idle();
    expect(await leftOf(user, webhookId)).toEqual([]);
  });

  it('a ping that read the webhook before the deletion, writing after its cleanup, leaves nothing', async () => {
    const { user, webhookId } = await withWebhook('ping');
    const ping = await holdingFirstWrite(t, '"webhook.ping"', () => deleteAccount(user), () => as(t.app, user)('POST', `/v1/webhooks/${webhookId}/ping`));
    expect([202, 404], ping.text).toContain(ping.status);
    await t.system.webhooks.localQueue!.idle();
    expect(await leftOf(user, webhookId)).toEqual([]);
  });

  it("an attempt in flight during the deletion does not write its record back after the cleanup", async () => {
    const { user, budgetId, webhookId } = await withWebhook('inflight');
    duringPost = () => deleteAccount(user);
    await (await recordAndFanOut(user, budgetId, 1_400))();
    await t.system.webhooks.localQueue!.idle();
    expect(duringPost).toBeUndefined();
    expect(await leftOf(user, webhookId)).toEqual([]);
  });

  it("a webhook its owner deletes takes its deliveries with it (an account deleted later has no list left to find them by)", async () => {
    const { user, budgetId, webhookId } = await withWebhook('owner-deletes');
    await (await recordAndFanOut(user, budgetId, 1_300))();
    await t.system.webhooks.localQueue!.idle();
    const ofTheWebhook = async () =>
      (await tableItems(t.doc, t.tableName))
        .filter((i) => String(i.pk).startsWith('webhooks#') && !String(i.pk).startsWith(`webhooks#stream#${webhookId}#`) && i.kind !== 'outbox' && i.kind !== 'job-unit')
        .filter((i) => JSON.stringify(i).includes(webhookId))
        .map((i) => `${i.kind} ${i.pk} ${i.sk}`);
    expect((await ofTheWebhook()).some((line) => line.startsWith('delivery ')), 'a delivery to clean up').toBe(true);
    const res = await as(t.app, user)('DELETE', `/v1/webhooks/${webhookId}`);
    expect(res.status, res.text).toBe(204);
    await t.system.webhooks.localQueue!.idle();
    expect(await ofTheWebhook()).toEqual([]);
  });

  it('(control) a living account keeps its delivery, attempted once', async () => {
    const { user, budgetId, webhookId } = await withWebhook('control');
    await (await recordAndFanOut(user, budgetId, 1_500))();
    await t.system.webhooks.localQueue!.idle();
    const items = await tableItems(t.doc, t.tableName);
    const deliveries = items.filter((i) => i.kind === 'delivery' && i.webhookId === webhookId);
    expect(deliveries.map((d) => [d.status, d.attempts.length])).toEqual([['delivered', 1]]);
  });
});
