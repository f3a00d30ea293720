import { budgetDeleted } from '@budgeting/budgets';
import type { EmailMessage } from '@budgeting/platform';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type Received } from '../integration/webhooks/receiver';
import { addExpense, addMember, asUser, createBudget, signup, type User } from '../integration/subscribers/support';
import { tokenAtClock } from '../support/actors';
import { startE2eSystem, type E2eSystem } from './support';

/**
 * Signed webhooks end to end, as `npm start` runs them: HTTP writes -> outbox -> stream ->
 * relay -> local bus -> webhooks' fan-out -> the in-process delivery queue (the stand-in of
 * SQS, same worker) -> a real HTTP receiver on loopback. Retry delays are scaled down to
 * milliseconds (the policy is injected; the 24 h are measured on the system's clock, which a
 * test moves). The clock runs with real time (plus an offset a test can add), because the
 * receiver verifies signatures with `Webhook.verify`, which refuses timestamps more than five
 * minutes away from its own clock.
 */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const mail: EmailMessage[] = [];
let e2e: E2eSystem;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  e2e = await startE2eSystem([budgetDeleted], {
    clock,
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    mail: { send: async (m) => void mail.push(m) },
    webhooks: { retry: { baseDelayMs: 40, maxDelayMs: 160 } },
  });
});
afterAll(async () => {
  await e2e?.stop();
  await receiver?.close();
});

const queue = () => e2e.t.system.webhooks.localQueue!;
/** Events relayed and delivered, and no webhook attempt waiting or running. */
async function quiet() {
  for (let round = 0; round < 50; round++) {
    await e2e.settled();
    await queue().idle();
    if ((await e2e.events.relay.pollOnce()) === 0) return;
  }
  throw new Error('never quiet');
}
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const fresh = async (who: User) => ({ ...who, token: await tokenAtClock(e2e.t, who) });
const api = async (who: User) => asUser(e2e.t.app, await fresh(who));

async function register(who: User, body: Record<string, unknown>) {
  const res = await (await api(who))('POST', '/v1/webhooks', { body });
  expect(res.status, res.text).toBe(201);
  expect(res.json.secret).toMatch(/^whsec_/);
  return res.json as { id: string; secret: string; version: number };
}

/** The payload after checking its signature with the package's own verifier. */
function verified(secret: string, r: Received): any {
  const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
  const payload = new Webhook(secret).verify(r.body, headers);
  expect(JSON.parse(r.body)).toEqual(payload);
  return payload;
}

describe('signed webhooks, end to end', { timeout: 240_000 }, () => {
  it('delivers 50 changes of two budgets, each signed, in per-budget order of sequence and serverKnowledge', async () => {
    const alice = await signup(e2e.t.app, 'alice');
    const [home, trip] = [await createBudget(e2e.t.app, alice, { name: 'Home' }), await createBudget(e2e.t.app, alice, { name: 'Trip' })];
    await quiet();
    const hook = await register(alice, { url: receiver.url('/fifty'), budgetIds: [home.id, trip.id], eventTypes: ['expense.recorded', 'expense.updated', 'expense.deleted'] });
    const as = await api(alice);

    // 25 changes per budget: 15 creates, 7 updates, 3 deletes, interleaved, some relayed one by one.
    const made: { budgetId: string; expenseId: string; type: string }[] = [];
    for (const budget of [home, trip]) {
      const ids: string[] = [];
      for (let i = 0; i < 15; i++) {
        const e = await addExpense(e2e.t.app, alice, budget.id, { amount: 100 + i, occurredOn: '2026-11-20' });
        ids.push(e.id);
        made.push({ budgetId: budget.id, expenseId: e.id, type: 'expense.recorded' });
        if (i % 4 === 0) await e2e.settled();
      }
      for (let i = 0; i < 7; i++) {
        const res = await as('PATCH', `/v1/budgets/${budget.id}/expenses/${ids[i]}`, { body: { amount: 500 + i } });
        expect(res.status, res.text).toBe(200);
        made.push({ budgetId: budget.id, expenseId: ids[i]!, type: 'expense.updated' });
      }
      for (let i = 12; i < 15; i++) {
        expect((await as('DELETE', `/v1/budgets/${budget.id}/expenses/${ids[i]}`)).status).toBe(204);
        made.push({ budgetId: budget.id, expenseId: ids[i]!, type: 'expense.deleted' });
      }
    }
    expect(made).toHaveLength(50);
    await quiet();

    const got = receiver.on('/fifty');
    expect(got).toHaveLength(50);
    const payloads = got.map((r) => verified(hook.secret, r));
    // Each delivery once (webhook-id), each event once, exactly the changes made.
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(50);
    expect(new Set(payloads.map((p) => p.data.event.id)).size).toBe(50);
    const key = (x: { budgetId: string; expenseId: string; type: string }) => `${x.budgetId} ${x.expenseId} ${x.type}`;
    expect(payloads.map((p) => key({ budgetId: p.data.budgetId, expenseId: p.data.event.data.expenseId, type: p.type })).sort()).toEqual(made.map(key).sort());

    for (const budget of [home, trip]) {
      const mine = payloads.filter((p) => p.data.budgetId === budget.id);
      // Received in sequence order, without gaps.
      expect(mine.map((p) => p.data.sequence)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      // serverKnowledge only moves forward: what a sync from the i-th knowledge still has to
      // fetch shrinks (or stays) with i, and it never misses the change the delivery announced
      // (only a later change of the same expense can bring it back).
      const pending: string[][] = [];
      for (const p of mine) {
        const sync = await as('GET', `/v1/budgets/${budget.id}/changes?since=${encodeURIComponent(p.data.serverKnowledge)}`);
        expect(sync.status, sync.text).toBe(200);
        expect(sync.json.hasMore).toBe(false);
        pending.push(sync.json.expenses.map((e: { id: string }) => e.id));
      }
      for (let i = 0; i < mine.length; i++) {
        if (i > 0) expect(pending[i]!.every((id) => pending[i - 1]!.includes(id)), `knowledge ${i} is behind knowledge ${i - 1}`).toBe(true);
        const expenseId = mine[i]!.data.event.data.expenseId;
        const changedLater = mine.slice(i + 1).some((p) => p.data.event.data.expenseId === expenseId);
        if (!changedLater) expect(pending[i], `delivery ${i} carries a knowledge from before its own change`).not.toContain(expenseId);
      }
      // The last knowledge is the budget's current one: nothing left to sync.
      expect(pending[pending.length - 1]).toEqual([]);
    }
  });

  it('retries a receiver answering 500 three times: the fourth attempt delivers, and the next event waited for it', async () => {
    const alice = await signup(e2e.t.app, 'alice');
    const budget = await createBudget(e2e.t.app, alice);
    await quiet();
    receiver.answer = (path, n) => (path === '/flaky' && n <= 3 ? 500 : 204);
    const hook = await register(alice, { url: receiver.url('/flaky'), eventTypes: ['expense.recorded'] });
    const first = await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 111, occurredOn: '2026-11-20' });
    const second = await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 222, occurredOn: '2026-11-20' });
    await quiet();

    const got = receiver.on('/flaky');
    expect(got.map((r) => r.answeredWith)).toEqual([500, 500, 500, 204, 204]);
    const payloads = got.map((r) => verified(hook.secret, r));
    // The stream's first delivery is retried until it succeeds; the second waits for it. (Which
    // of the two events is number 1 is the bus's order: it promises none.)
    expect(payloads.map((p) => p.data.sequence)).toEqual([1, 1, 1, 1, 2]);
    expect(new Set(payloads.slice(0, 4).map((p) => p.data.event.data.expenseId)).size).toBe(1);
    expect([payloads[0].data.event.data.expenseId, payloads[4].data.event.data.expenseId].sort()).toEqual([first.id, second.id].sort());
    // A retry is the same message: same webhook-id and body, a fresh timestamp and signature.
    expect(new Set(got.slice(0, 4).map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(got.slice(0, 4).map((r) => r.body)).size).toBe(1);

    const list = await (await api(alice))('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(list.status, list.text).toBe(200);
    const [newest, oldest] = list.json.items;
    expect(oldest).toMatchObject({ id: got[0]!.headers['webhook-id'], sequence: 1, status: 'delivered', eventType: 'expense.recorded' });
    expect(oldest.attempts.map((a: any) => [a.attempt, a.responseStatus, a.redelivery])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, false],
      [4, 204, false],
    ]);
    expect(oldest.attempts.every((a: any) => Number.isInteger(a.latencyMs) && a.latencyMs >= 0)).toBe(true);
    expect(newest).toMatchObject({ sequence: 2, status: 'delivered' });

    // Redelivery: the same message once more, recorded as a manual attempt.
    const again = await (await api(alice))('POST', `/v1/webhooks/${hook.id}/deliveries/${oldest.id}/redeliver`);
    expect(again.status, again.text).toBe(202);
    await quiet();
    const last = receiver.on('/flaky').at(-1)!;
    expect(last.headers['webhook-id']).toBe(oldest.id);
    expect(verified(hook.secret, last).data.event.data.expenseId).toBe(payloads[0].data.event.data.expenseId);
    const after = await (await api(alice))('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(after.json.items[1].attempts.at(-1)).toMatchObject({ attempt: 5, responseStatus: 204, redelivery: true });
    expect((await (await api(alice))('POST', `/v1/webhooks/${hook.id}/deliveries/msg_01JDQ5B1C2D3E4F5G6H7J8K9M0/redeliver`)).status).toBe(404);
  });

  it("a removed member's webhook gets nothing more of that budget, not even a delivery created before the removal", async () => {
    const [alice, bob] = [await signup(e2e.t.app, 'alice'), await signup(e2e.t.app, 'bob')];
    const budget = await createBudget(e2e.t.app, alice);
    await addMember(e2e.t.app, alice, budget.id, bob, 'editor');
    await quiet();
    let down = false;
    receiver.answer = (path) => (path === '/bob' && down ? 503 : 204);
    const hook = await register(bob, { url: receiver.url('/bob') });

    await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 10, occurredOn: '2026-11-20' });
    await quiet();
    expect(receiver.on('/bob').map((r) => verified(hook.secret, r).type)).toEqual(['expense.recorded']);

    // Bob's endpoint fails while an event for him is retried; he is removed meanwhile.
    down = true;
    await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 20, occurredOn: '2026-11-20' });
    await until(() => receiver.on('/bob').length >= 2, 'a failed attempt');
    const removed = await (await api(alice))('DELETE', `/v1/budgets/${budget.id}/members/${bob.id}`);
    expect(removed.status, removed.text).toBe(204);
    // The next attempt checks access first and sends nothing (an attempt already under way
    // during the removal still met the failing endpoint).
    const statusOf = async (sequence: number) =>
      ((await (await api(bob))('GET', `/v1/webhooks/${hook.id}/deliveries`)).json.items as any[]).find((d) => d.sequence === sequence)?.status;
    await until(async () => (await statusOf(2)) === 'skipped', 'the retried delivery to be skipped');
    down = false;
    await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 30, occurredOn: '2026-11-20' });
    await quiet();

    const got = receiver.on('/bob');
    expect(got.filter((r) => r.answeredWith === 204).map((r) => verified(hook.secret, r).data.event.data.amount)).toEqual([10]);
    const deliveries = (await (await api(bob))('GET', `/v1/webhooks/${hook.id}/deliveries`)).json.items;
    expect(deliveries.map((d: any) => [d.sequence, d.status])).toEqual([
      [2, 'skipped'],
      [1, 'delivered'],
    ]);
  });

  it('signs with both secrets after a rotation; an endpoint failing for 24 h is disabled and its owner emailed, and enabled again it receives new events', async () => {
    const alice = await signup(e2e.t.app, 'alice');
    const budget = await createBudget(e2e.t.app, alice);
    await quiet();
    const hook = await register(alice, { url: receiver.url('/rotating'), eventTypes: ['expense.recorded'] });
    const rotated = await (await api(alice))('POST', `/v1/webhooks/${hook.id}/rotate-secret`, { headers: { 'idempotency-key': 'rotate-1' } });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.secret).not.toBe(hook.secret);
    // The same key again: the same answer, not a second rotation.
    const replay = await (await api(alice))('POST', `/v1/webhooks/${hook.id}/rotate-secret`, { headers: { 'idempotency-key': 'rotate-1' } });
    expect(replay.json.secret).toBe(rotated.json.secret);
    await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 5, occurredOn: '2026-11-20' });
    await quiet();
    const [signed] = receiver.on('/rotating');
    expect(String(signed!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    verified(rotated.json.secret, signed!);
    verified(hook.secret, signed!);

    receiver.answer = (path) => (path === '/down' ? 500 : 204);
    const down = await register(alice, { url: receiver.url('/down'), eventTypes: ['expense.recorded'] });
    await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 6, occurredOn: '2026-11-20' });
    await until(() => receiver.on('/down').length >= 2, 'two failed attempts');
    offsetMs += 25 * 60 * 60 * 1000; // a day passes: the next failure is the last
    await quiet();
    const state = await (await api(alice))('GET', `/v1/webhooks/${down.id}`);
    expect(state.json).toMatchObject({ status: 'disabled', disabledReason: expect.stringContaining('HTTP 500') });
    expect(state.json.secret).toBeUndefined();
    // Besides the security notice of each webhook she added (users docs/security-notices.md).
    expect(mail.filter((m) => m.to === alice.email && !m.id.startsWith('security-')).map((m) => m.subject)).toEqual([`Webhook disabled: ${receiver.url('/down')}`]);
    const [failed] = (await (await api(alice))('GET', `/v1/webhooks/${down.id}/deliveries`)).json.items;
    expect(failed.status).toBe('failed');

    // Disabled: events are not recorded for it; enabled again (endpoint fixed), new ones go out.
    const attemptsBefore = receiver.on('/down').length;
    await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 7, occurredOn: '2026-11-20' });
    await quiet();
    expect(receiver.on('/down')).toHaveLength(attemptsBefore);
    receiver.answer = () => 204;
    offsetMs = 0;
    const enabled = await (await api(alice))('PATCH', `/v1/webhooks/${down.id}`, { body: { enabled: true } });
    expect(enabled.status, enabled.text).toBe(200);
    expect(enabled.json).toMatchObject({ status: 'enabled', disabledReason: null });
    await addExpense(e2e.t.app, await fresh(alice), budget.id, { amount: 8, occurredOn: '2026-11-20' });
    await quiet();
    const resumed = receiver.on('/down').slice(attemptsBefore).map((r) => verified(down.secret, r));
    expect(resumed.map((p) => p.data.event.data.amount)).toEqual([8]);
    // What was missed while disabled comes with one sync from the last knowledge processed.
    const lastProcessed = verified(down.secret, receiver.on('/down')[0]!).data.serverKnowledge;
    const sync = await (await api(alice))('GET', `/v1/budgets/${budget.id}/changes?since=${encodeURIComponent(lastProcessed)}`);
    expect(sync.json.expenses.map((e: { amount: number }) => e.amount).sort()).toEqual([7, 8]);
  });
});
