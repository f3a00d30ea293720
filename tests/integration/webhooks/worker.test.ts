import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import type { fixedClock } from '../../../packages/platform/src/clock';
import { addExpense, as, asAtClock, createBudget, signUp, type Actor } from '../../support/actors';
import { busEvent, theEvent } from '../../support/events';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { withCommandMiddleware } from '../../support/command-middleware';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import type { DeliveryMessage } from '@budgeting/webhooks';

/**
 * The delivery worker against duplicates, on DynamoDB Local: the bus delivering an event twice
 * and the queue handing one delivery to several invocations at once must still send it once;
 * a redelivery and the ordered retry of the same delivery at once both keep their attempt.
 * The poster is a stand-in that records requests and answers when the test lets it (`status`:
 * the answers to give first, then 204).
 */
const posted: { url: string; id: string }[] = [];
let release: () => void = () => undefined;
let gate: Promise<void> = Promise.resolve();
const status: number[] = [];
/** URLs answered 500 whatever `status` says. */
const failing = new Set<string>();
/** Requests the poster was given (counted before the gate). */
let arrived = 0;

let t: TestSystem;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    webhooks: {
      retry: { baseDelayMs: 20, maxDelayMs: 40 },
      post: async (url, headers) => {
        arrived += 1;
        const answer = failing.has(url) ? 500 : (status.shift() ?? 204);
        if (answer === 204) await gate;
        posted.push({ url, id: headers['webhook-id']! });
        return { status: answer, latencyMs: 1, error: null };
      },
    },
  });
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

/**
 * The local queue's messages of webhook `hookId` kept, each with when it is due, instead of being
 * worked: the test hands them to the worker itself once their delay is over, as SQS would.
 * `workDue` hands the messages due by now; with `untilNone`, again until none is due (the ones
 * that work queued at once too). `restore` gives the queue its own send back.
 */
function heldQueue(hookId: string, untilNone: boolean) {
  const queue = t.system.webhooks.localQueue!;
  const send = queue.send;
  const queued: { message: DeliveryMessage; at: number }[] = [];
  queue.send = async (message, delayMs) => (message.webhookId === hookId ? void queued.push({ message, at: t.clock.now().getTime() + delayMs }) : send(message, delayMs));
  const ctx = { logger: t.system.deps.logger };
  const dueNow = () => queued.filter((q) => q.at <= t.clock.now().getTime());
  const workDue = async () => {
    for (let due = dueNow(); due.length > 0; due = untilNone ? dueNow() : []) {
      queued.splice(0, queued.length, ...queued.filter((q) => !due.includes(q)));
      for (const { message } of due) await t.system.webhooks.deliver(message, ctx);
    }
  };
  return { queued, workDue, ctx, restore: () => void (queue.send = send) };
}

describe('the webhook delivery worker', { timeout: 60_000 }, () => {
  it('sends a delivery once when the bus delivers its event twice and three invocations work its message at once', async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    gate = new Promise<void>((resolve) => (release = resolve));
    const expense = await addExpense(t.app, alice, budget.id, { amount: 42, occurredOn: '2026-11-20' });
    const recorded = await theEvent(t, 'expense.recorded', { expenseId: expense.id });

    const delivery = createBusDelivery(t.system);
    expect(await delivery(busEvent(recorded))).toBeUndefined();
    expect(await delivery(busEvent(recorded))).toBeUndefined(); // redelivered by the bus
    const listed = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    expect(listed).toHaveLength(1);

    // The queue's own message is in flight (its attempt waits at the gate); three more invocations of it.
    await new Promise((r) => setTimeout(r, 50));
    const message = { webhookId: hook.json.id, ownerId: alice.id, deliveryId: listed[0].id };
    const ctx = { logger: t.system.deps.logger };
    const extra = [1, 2, 3].map(() => t.system.webhooks.deliver(message, ctx));
    release();
    await Promise.all(extra);
    await t.system.webhooks.localQueue!.idle();

    expect(posted.map((p) => p.id)).toEqual([listed[0].id]);
    const after = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    expect(after.map((d: any) => [d.status, d.attempts.length])).toEqual([['delivered', 1]]);

    // Once delivered, another copy of the message sends nothing either.
    await t.system.webhooks.deliver(message, ctx);
    expect(posted).toHaveLength(1);
  });

  it('keeps both attempts when a redelivery and the scheduled retry of the delivery run at once, and ends delivered (the later write put back what it had read: one attempt lost, or the delivery pending again)', async () => {
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status, hook.text).toBe(201);
    const sent = posted.length;
    status.push(500);
    gate = new Promise<void>((resolve) => (release = resolve));
    const ping = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/ping`);
    expect(ping.status, ping.text).toBe(202);
    const deliveries = async () => (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    // Its first attempt fails (500); then its retry (20 to 40 ms later) and a redelivery both read it and wait at the gate.
    while ((await deliveries())[0].attempts.length === 0) await new Promise((r) => setTimeout(r, 5));
    const redelivered = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/deliveries/${ping.json.id}/redeliver`);
    expect(redelivered.status, redelivered.text).toBe(202);
    while (arrived < sent + 3) await new Promise((r) => setTimeout(r, 5));
    release();
    await t.system.webhooks.localQueue!.idle();

    expect(posted.length - sent).toBe(3);
    const [after] = await deliveries();
    expect(after).toMatchObject({ id: ping.json.id, status: 'delivered', reason: null, nextAttemptAt: null });
    expect(after.attempts.map((a: any) => a.attempt)).toEqual([1, 2, 3]);
    expect(after.attempts.map((a: any) => [a.responseStatus, a.redelivery]).sort()).toEqual([[204, false], [204, true], [500, false]]);
  });

  it('numbers every attempt past the 40 a delivery keeps (the 42nd is attempt 42, not a 41 again) and keeps its first ordered attempt', async () => {
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    const ping = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/ping`);
    expect(ping.status, ping.text).toBe(202);
    await t.system.webhooks.localQueue!.idle();
    for (let i = 0; i < 41; i++) {
      const redelivered = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/deliveries/${ping.json.id}/redeliver`);
      expect(redelivered.status, redelivered.text).toBe(202);
      await t.system.webhooks.localQueue!.idle();
    }
    const [after] = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    // 42 attempts made; the delivery keeps its first ordered attempt (its retries' 24 hours count
    // from it: lost, a user redelivering during the retries restarted them) and the last 39, numbered as made.
    expect(after.attempts.map((a: any) => a.attempt)).toEqual([1, ...Array.from({ length: 39 }, (_, i) => i + 4)]);
    expect(after.attempts[0].redelivery).toBe(false);
  });

  it('attempts a delivery again when the worker failed on it after taking it (its record refused once): the message\'s retry found it still held for a minute, did nothing, and the stream waited for good', async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/held', budgetIds: [budget.id] } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    const sent = posted.length;
    const expense = await addExpense(t.app, alice, budget.id, { amount: 7, occurredOn: '2026-11-20' });
    const recorded = await theEvent(t, 'expense.recorded', { expenseId: expense.id });
    let refused = 0;
    await withCommandMiddleware(
      t.doc,
      'refuseAttemptRecordOnce',
      (next) => async (args) => {
        const input = args.input as { UpdateExpression?: string };
        if (refused === 0 && input.UpdateExpression?.startsWith('SET attempts') && JSON.stringify(args.input).includes(hook.json.id)) {
          refused++;
          throw new Error('a DynamoDB error of ours');
        }
        return next(args);
      },
      async () => {
        expect(await createBusDelivery(t.system)(busEvent(recorded))).toBeUndefined();
        await t.system.webhooks.localQueue!.idle();
      },
    );
    expect(refused).toBe(1);
    const [after] = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    // Sent twice (the first answer was never recorded: at least once, dropped by webhook-id), recorded once.
    expect(posted.slice(sent).filter((p) => p.url.endsWith('/held')).map((p) => p.id)).toEqual([after.id, after.id]);
    expect([after.status, after.attempts.length]).toEqual(['delivered', 1]);
  });

  it("attempts a failing delivery's retry once when the queue hands its message twice: the copy attempted it again at once, ignoring the backoff, and queued a second retry, so every later failure doubled the attempts", async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/flaky', budgetIds: [budget.id], eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    // The queue's messages are kept here instead of being worked: the test hands them to the worker itself, as SQS would.
    const queue = t.system.webhooks.localQueue!;
    const send = queue.send;
    const queued: DeliveryMessage[] = [];
    queue.send = async (message, delayMs) => (message.webhookId === hook.json.id ? void queued.push(message) : send(message, delayMs));
    try {
      const expense = await addExpense(t.app, alice, budget.id, { amount: 42, occurredOn: '2026-11-20' });
      expect(await createBusDelivery(t.system)(busEvent(await theEvent(t, 'expense.recorded', { expenseId: expense.id })))).toBeUndefined();
      const first = queued.shift()!;
      const ctx = { logger: t.system.deps.logger };
      failing.add('http://127.0.0.1:9/flaky');
      const sent = () => posted.filter((p) => p.url === 'http://127.0.0.1:9/flaky').length;
      const deliveries = async () => (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
      // The clock to the delivery's next attempt, as the queue hands a retry when its delay is over.
      const untilDue = async () => (t.clock as ReturnType<typeof fixedClock>).advance(Date.parse((await deliveries())[0].nextAttemptAt) - t.clock.now().getTime());
      await t.system.webhooks.deliver(first, ctx); // attempt 1 fails: its retry is queued with the backoff's delay
      expect(queued).toHaveLength(1);
      const retry = queued.shift()!;
      await untilDue();
      await t.system.webhooks.deliver(retry, ctx); // attempt 2, the retry: fails, the next retry queued
      await t.system.webhooks.deliver(retry, ctx); // SQS hands the same message again (at least once)

      expect(sent()).toBe(2);
      const [delivery] = await deliveries();
      expect(delivery.attempts.map((a: any) => a.responseStatus)).toEqual([500, 500]);
      // What is queued now (the next retry, and the copy waiting for it) is for that retry alone: worked when due, it is attempted once.
      expect(queued.map((m) => m.dueAt)).toEqual(queued.map(() => delivery.nextAttemptAt));
      await untilDue();
      for (const message of queued.splice(0)) await t.system.webhooks.deliver(message, ctx);
      expect(sent()).toBe(3);
      expect((await deliveries())[0].attempts.map((a: any) => a.responseStatus)).toEqual([500, 500, 500]);
    } finally {
      failing.clear();
      queue.send = send;
    }
  });

  it("attempts a failing delivery once per retry when the bus delivers its event again: the fan-out's message for it was attempted at once, ignoring the backoff, and its failure queued a second retry", async () => {
    const budget = await createBudget(t.app, alice);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/flaky-again', budgetIds: [budget.id], eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    // The queue's messages (and their delays) kept here: the test hands each to the worker once its delay is over, as SQS would.
    const { workDue, restore } = heldQueue(hook.json.id, false);
    const clock = t.clock as ReturnType<typeof fixedClock>;
    try {
      failing.add('http://127.0.0.1:9/flaky-again');
      const sent = () => posted.filter((p) => p.url === 'http://127.0.0.1:9/flaky-again').length;
      const deliveries = async () => (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
      const expense = await addExpense(t.app, alice, budget.id, { amount: 42, occurredOn: '2026-11-20' });
      const recorded = busEvent(await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
      expect(await createBusDelivery(t.system)(recorded)).toBeUndefined();
      await workDue(); // attempt 1 fails: its retry is queued with the backoff's delay
      expect(sent()).toBe(1);

      expect(await createBusDelivery(t.system)(structuredClone(recorded))).toBeUndefined(); // the bus delivers the event again
      await workDue();
      expect(sent()).toBe(1); // nothing before the retry is due
      clock.advance(Date.parse((await deliveries())[0].nextAttemptAt) - clock.now().getTime());
      await workDue();
      expect(sent()).toBe(2); // the retry, once
      expect((await deliveries())[0].attempts.map((a: any) => a.responseStatus)).toEqual([500, 500]);
      clock.advance(Date.parse((await deliveries())[0].nextAttemptAt) - clock.now().getTime());
      await workDue();
      expect(sent()).toBe(3); // and the next one, once: a single chain of retries
    } finally {
      failing.clear();
      restore();
    }
  });

  it("attempts the next delivery of a stream once per retry when its own message and the settled one's move on both reach it, and when the settled one's message comes again: the stream's next was queued naming no attempt, attempted beside the other or at once, ignoring its backoff", async () => {
    const budget = await createBudget(t.app, alice);
    const url = 'http://127.0.0.1:9/second-fails';
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url, budgetIds: [budget.id], eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    const { queued, workDue, ctx, restore } = heldQueue(hook.json.id, true);
    const clock = t.clock as ReturnType<typeof fixedClock>;
    try {
      const sent = () => posted.filter((p) => p.url === url).length;
      const deliveries = async () => (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
      for (const amount of [1, 2]) {
        const expense = await addExpense(t.app, alice, budget.id, { amount, occurredOn: '2026-11-20' });
        expect(await createBusDelivery(t.system)(busEvent(await theEvent(t, 'expense.recorded', { expenseId: expense.id })))).toBeUndefined();
      }
      const [first] = queued.splice(0, 1); // the first delivery's message; the second's waits behind it
      await t.system.webhooks.deliver(first!.message, ctx); // delivered: the stream's next is queued
      expect(sent()).toBe(1);
      failing.add(url);
      await workDue(); // the second delivery's first attempt fails: its retry is queued with the backoff's delay
      expect(sent()).toBe(2);
      await t.system.webhooks.deliver(first!.message, ctx); // the first one's message handed again (at least once)
      await workDue();
      expect(sent()).toBe(2); // nothing before the retry is due

      const second = async () => (await deliveries()).find((d: any) => d.id !== first!.message.deliveryId);
      clock.advance(Date.parse((await second()).nextAttemptAt) - clock.now().getTime());
      await workDue();
      expect(sent()).toBe(3); // the retry, once
      clock.advance(Date.parse((await second()).nextAttemptAt) - clock.now().getTime());
      await workDue();
      expect(sent()).toBe(4); // and the next one, once
      expect((await second()).attempts.map((a: any) => a.responseStatus)).toEqual([500, 500, 500]);
    } finally {
      failing.clear();
      restore();
    }
  });

  it('makes one attempt per redelivery asked for when the queue hands its message twice: each copy posted the delivery again and recorded an attempt', async () => {
    const url = 'http://127.0.0.1:9/redelivered';
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    const ping = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/ping`);
    expect(ping.status, ping.text).toBe(202);
    await t.system.webhooks.localQueue!.idle();
    const queue = t.system.webhooks.localQueue!;
    const send = queue.send;
    const queued: DeliveryMessage[] = [];
    queue.send = async (message, delayMs) => (message.webhookId === hook.json.id ? void queued.push(message) : send(message, delayMs));
    try {
      const sent = () => posted.filter((p) => p.url === url).length;
      expect(sent()).toBe(1);
      const redelivered = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/deliveries/${ping.json.id}/redeliver`);
      expect(redelivered.status, redelivered.text).toBe(202);
      const [message] = queued.splice(0);
      const ctx = { logger: t.system.deps.logger };
      await t.system.webhooks.deliver(message!, ctx);
      await t.system.webhooks.deliver(message!, ctx); // SQS hands the same message again (at least once)

      expect(sent()).toBe(2);
      const [delivery] = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
      expect(delivery.attempts.map((a: any) => a.redelivery)).toEqual([false, true]);
    } finally {
      queue.send = send;
    }
  });

  it("attempts a failing ping once per retry when the queue hands its first message twice: the copy attempted it again at once, ignoring the backoff, and queued a second retry", async () => {
    const url = 'http://127.0.0.1:9/ping-fails';
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    const { queued, workDue, ctx, restore } = heldQueue(hook.json.id, true);
    const clock = t.clock as ReturnType<typeof fixedClock>;
    try {
      failing.add(url);
      const sent = () => posted.filter((p) => p.url === url).length;
      const ping = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/ping`);
      expect(ping.status, ping.text).toBe(202);
      const [first] = queued;
      await workDue(); // attempt 1 fails: its retry is queued with the backoff's delay
      await t.system.webhooks.deliver(first!.message, ctx); // SQS hands the ping's first message again
      await workDue();
      expect(sent()).toBe(1); // nothing before the retry is due

      const [delivery] = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
      clock.advance(Date.parse(delivery.nextAttemptAt) - clock.now().getTime());
      await workDue();
      expect(sent()).toBe(2); // the retry, once
    } finally {
      failing.clear();
      restore();
    }
  });

  /**
   * An expense event of a new budget delivered to a new webhook at `/<slug>` with the first
   * sending of the delivery's UpdateItem that `write` matches answered as lost (the SDK sends it
   * again and meets it): the delivery as listed after, and the ids posted to that URL.
   */
  async function deliveredWithAnswerLost(slug: string, amount: number, write: string) {
    const budget = await createBudget(t.app, alice);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: `http://127.0.0.1:9/${slug}`, budgetIds: [budget.id] } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    const sent = posted.length;
    const expense = await addExpense(t.app, alice, budget.id, { amount, occurredOn: '2026-11-20' });
    const recorded = await theEvent(t, 'expense.recorded', { expenseId: expense.id });
    const matches = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(hook.json.id) && input.includes(write);
    const { resent } = await withFirstAnswerLost(t.doc, matches, async () => {
      expect(await createBusDelivery(t.system)(busEvent(recorded))).toBeUndefined();
      await t.system.webhooks.localQueue!.idle();
    });
    expect(resent).toBe(true);
    const [after] = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    return { after, postedIds: posted.slice(sent).filter((p) => p.url.endsWith(`/${slug}`)).map((p) => p.id) };
  }

  it('sends a delivery whose claim committed but whose answer was lost (the SDK sent it again and met that claim): the worker took it for another message\'s, did nothing, and the delivery and its stream waited for good', async () => {
    const { after, postedIds } = await deliveredWithAnswerLost('claim-lost', 8, 'SET leaseUntil = :until');
    expect(postedIds).toEqual([after.id]);
    expect([after.status, after.attempts.length]).toEqual(['delivered', 1]);
  });

  it('a delivery whose attempt\'s record committed but whose answer was lost (the SDK sent the UpdateItem again and met it) lists that attempt once, not a second attempt that never was', async () => {
    const { after, postedIds } = await deliveredWithAnswerLost('record-lost', 9, 'SET attempts = :attempts');
    expect(postedIds).toEqual([after.id]);
    expect([after.status, after.attempts.map((a: any) => a.attempt)]).toEqual(['delivered', [1]]);
  });

  // Last in the file: it moves the clock 31 days on.
  it('lists and redelivers a delivery for its 30 days only: one past them, not yet deleted by DynamoDB\'s TTL (it lags, by days), was still listed and redelivered', async () => {
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/kept' } });
    expect(hook.status, hook.text).toBe(201);
    gate = Promise.resolve();
    const ping = await as(t.app, alice)('POST', `/v1/webhooks/${hook.json.id}/ping`);
    expect(ping.status, ping.text).toBe(202);
    await t.system.webhooks.localQueue!.idle();
    const api = asAtClock(t, alice);
    const listed = async () => (await api('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items.map((d: any) => d.id);
    expect(await listed()).toEqual([ping.json.id]);

    (t.clock as ReturnType<typeof fixedClock>).advance(29 * 24 * 60 * 60 * 1000);
    expect(await listed()).toEqual([ping.json.id]);
    (t.clock as ReturnType<typeof fixedClock>).advance(2 * 24 * 60 * 60 * 1000);
    expect(await listed()).toEqual([]);
    const sent = posted.length;
    expectProblem(await api('POST', `/v1/webhooks/${hook.json.id}/deliveries/${ping.json.id}/redeliver`), 404);
    await t.system.webhooks.localQueue!.idle();
    expect(posted.length).toBe(sent);
  });
});

