import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBusDelivery } from '../../../packages/app/src/events/bus-delivery';
import { sealerFromBase64 } from '../../../packages/webhooks/src/domain/secret-sealer';
import { resumeDeliveriesJob } from '../../../packages/webhooks/src/jobs/resume-deliveries-job';
import { DeliveriesRepository } from '../../../packages/webhooks/src/repository/deliveries.repository';
import { WebhooksRepository } from '../../../packages/webhooks/src/repository/webhooks.repository';
import { addExpense, as, asAtClock, createBudget, signUp, type Actor, type CreatedBudget } from '../../support/actors';
import { busEvent, outboxEvents } from '../../support/events';
import { heldJobs } from '../../support/held-jobs';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import type { fixedClock } from '../../../packages/platform/src/clock';

/**
 * PATCH {"enabled": true} of a webhook with deliveries waiting (its endpoint failed, its owner
 * disabled it), on DynamoDB Local: the request's work does not grow with what waits (it writes
 * one job unit with the webhook, reads no delivery and queues none); the unit
 * (`webhooks-resume-deliveries`) queues each budget stream's next delivery, and the worker sends
 * them all, each once, in sequence order per stream. Before, the PATCH read every pending delivery
 * and queued a message for each. The poster is a stand-in recording what it was given.
 */
const jobs = heldJobs('webhook-resume');
const posted: { url: string; id: string }[] = [];
let down = true;
/** Attempts the endpoint, up again, still fails (503) before it answers 204. */
let failNext = 0;

let t: TestSystem;
let alice: Actor;
let home: CreatedBudget;
let trip: CreatedBudget;

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    jobs: { transport: jobs.transport },
    webhooks: {
      retry: { baseDelayMs: 5, maxDelayMs: 10 },
      post: async (url, headers) => {
        if (down) return { status: 500, latencyMs: 1, error: null };
        if (failNext > 0) {
          failNext--;
          return { status: 503, latencyMs: 1, error: null };
        }
        posted.push({ url, id: headers['webhook-id']! });
        return { status: 204, latencyMs: 1, error: null };
      },
    },
  });
  alice = await signUp(t.app, 'alice');
  [home, trip] = [await createBudget(t.app, alice, { name: 'Home' }), await createBudget(t.app, alice, { name: 'Trip' })];
});
afterAll(async () => {
  await t?.destroy();
  await jobs.stop();
});

const queue = () => t.system.webhooks.localQueue!;
const patch = (id: string, body: Record<string, unknown>) => as(t.app, alice)('PATCH', `/v1/webhooks/${id}`, { body });
const deliveriesOf = async (id: string) => (await as(t.app, alice)('GET', `/v1/webhooks/${id}/deliveries?limit=100`)).json.items as any[];

async function register(path: string, budgets: CreatedBudget[]): Promise<string> {
  const res = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: `http://127.0.0.1:9${path}`, budgetIds: budgets.map((b) => b.id), eventTypes: ['expense.recorded'] } });
  expect(res.status, res.text).toBe(201);
  // Its security notice's mail unit (the users module's, packages/users/docs/security-notices.md) is not this test's.
  for (let i = jobs.held.length - 1; i >= 0; i--) if (jobs.held[i]!.job === 'users-security-notice-mail') jobs.held.splice(i, 1);
  return res.json.id;
}

/** `amounts` per budget recorded and fanned out while the endpoints fail, then both webhooks disabled by their owner and the failed retries dropped. */
async function waitingWhileDisabled(hooks: string[], amounts: [CreatedBudget, number[]][]): Promise<void> {
  down = true;
  const before = new Set((await outboxEvents(t, 'expense.recorded')).map((e) => e.envelope.id));
  for (const [budget, list] of amounts) for (const amount of list) await addExpense(t.app, alice, budget.id, { amount, occurredOn: '2026-11-20' });
  const deliver = createBusDelivery(t.system);
  for (const e of (await outboxEvents(t, 'expense.recorded')).filter((e) => !before.has(e.envelope.id))) expect(await deliver(busEvent(e))).toBeUndefined();
  for (const id of hooks) expect((await patch(id, { enabled: false })).status).toBe(200);
  await queue().idle();
  down = false;
}

/** Every delivery of the webhook delivered, each posted once, and per budget in sequence order. */
async function deliveredInOrder(id: string, expected: number, budgets: CreatedBudget[]): Promise<void> {
  const listed = await deliveriesOf(id);
  expect(listed).toHaveLength(expected);
  expect(listed.map((d) => d.status)).toEqual(listed.map(() => 'delivered'));
  const byId = new Map(listed.map((d) => [d.id, d]));
  const sent = posted.filter((p) => byId.has(p.id)).map((p) => byId.get(p.id));
  expect(sent.map((d) => d.id).sort()).toEqual(listed.map((d) => d.id).sort());
  for (const budgetId of budgets.map((b) => b.id)) {
    const sequences = sent.filter((d) => d.budgetId === budgetId).map((d) => d.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  }
}

describe('re-enabling a webhook with deliveries waiting', { timeout: 60_000 }, () => {
  it('costs the PATCH the same few requests and no queue message for 1 or 6 waiting deliveries; the job then sends each once, in order per stream', async () => {
    const few = await register('/few', [home, trip]);
    await waitingWhileDisabled([few], [[trip, [1]]]);
    const many = await register('/many', [home, trip]);
    await waitingWhileDisabled([many], [[home, [2, 3, 4, 5]], [trip, [6, 7]]]);
    expect((await deliveriesOf(many)).filter((d) => d.status === 'pending')).toHaveLength(6);

    const send = vi.spyOn(queue(), 'send');
    const enable = async (id: string) => {
      send.mockClear();
      const { result, commands } = await commandsSentDuring(t.doc, () => patch(id, { enabled: true }));
      expect(result.status, result.text).toBe(200);
      return { commands: [...commands].sort(), sends: send.mock.calls.length };
    };
    const [forFew, forMany] = [await enable(few), await enable(many)];
    send.mockRestore();
    expect(forMany.sends).toBe(0);
    expect(forFew.sends).toBe(0);
    expect(forMany.commands).toEqual(forFew.commands);
    expect(forMany.commands.filter((c) => c === 'QueryCommand').length).toBeLessThanOrEqual(1);
    // One unit per re-enabled webhook, queued with its enable.
    expect(jobs.held.map((m) => m.job)).toEqual(['webhooks-resume-deliveries', 'webhooks-resume-deliveries']);

    await jobs.run();
    await queue().idle();
    await deliveredInOrder(few, 1, [home, trip]);
    await deliveredInOrder(many, 6, [home, trip]);
  });

  it('pages through the waiting deliveries over several invocations, and a unit worked again queues nothing twice', async () => {
    // Budgets of its own: the first test's webhooks, enabled again, would fail on these events for ever (the clock stands still).
    const [car, garden] = [await createBudget(t.app, alice, { name: 'Car' }), await createBudget(t.app, alice, { name: 'Garden' })];
    const hook = await register('/paged', [car, garden]);
    await waitingWhileDisabled([hook], [[car, [11, 12, 13]], [garden, [14, 15, 16]]]);
    expect((await patch(hook, { enabled: true })).status).toBe(200);
    const [unit] = jobs.held.splice(0);
    if (unit?.type !== 'unit') throw new Error('expected the enable to queue one job unit');
    const queuedIds: string[] = [];
    const store = t.system.deps.storeFor('webhooks');
    const job = resumeDeliveriesJob({
      webhooks: new WebhooksRepository(store, sealerFromBase64(t.system.config.webhookSecretsKey)),
      deliveries: new DeliveriesRepository(store),
      // What the job itself queues (the worker's own messages, each settled delivery queuing the next, are not counted).
      queue: { send: (message, delayMs) => (queuedIds.push(message.deliveryId), queue().send(message, delayMs)) },
      page: 2,
    });
    // A deadline already passed: each invocation reads one page and queues the rest.
    const ctx = { logger: t.system.deps.logger, deadline: 0 };
    const first = await job.parseUnit(unit.unit);
    let next: typeof first | undefined = first;
    let invocations = 0;
    while (next) {
      invocations++;
      next = (await job.work(next, new Date(), ctx))?.again;
    }
    expect(invocations).toBeGreaterThan(1);
    // Redelivered from its start: both streams are marked as resumed by this enable.
    await job.work(first, new Date(), ctx);
    expect(queuedIds).toHaveLength(2);
    await queue().idle();
    await deliveredInOrder(hook, 6, [car, garden]);
  });
});

describe('re-enabling a webhook whose first waiting delivery expired', { timeout: 60_000 }, () => {
  it('sends the deliveries still kept, in order, and the new events after them (the stream waited for good on the expired one)', async () => {
    // Disabled about 30 days: the stream's next delivery (the oldest waiting) and its sequence
    // pointer have reached their 30-day TTL and been deleted, the later ones (recorded hours after
    // it) are still kept. DynamoDB's TTL is what deletes them; here they are deleted by hand.
    const boat = await createBudget(t.app, alice, { name: 'Boat' });
    const hook = await register('/expired', [boat]);
    await waitingWhileDisabled([hook], [[boat, [21, 22, 23]]]);
    const waiting = (await deliveriesOf(hook)).sort((a, b) => a.sequence - b.sequence);
    expect(waiting.map((d) => [d.sequence, d.status])).toEqual([[1, 'pending'], [2, 'pending'], [3, 'pending']]);
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `webhooks#webhook#${hook}`, sk: `webhooks#delivery#${waiting[0].id}` } }));
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `webhooks#stream#${hook}#${boat.id}`, sk: 'webhooks#seq#000000000001' } }));

    expect((await patch(hook, { enabled: true })).status).toBe(200);
    await jobs.run();
    await queue().idle();
    await addExpense(t.app, alice, boat.id, { amount: 24, occurredOn: '2026-11-21' });
    const deliver = createBusDelivery(t.system);
    const [fresh] = (await outboxEvents(t, 'expense.recorded')).filter((e) => (e.envelope.data as { budgetId: string }).budgetId === boat.id && (e.envelope.data as { amount: number }).amount === 24);
    expect(await deliver(busEvent(fresh!))).toBeUndefined();
    await queue().idle();

    const listed = (await deliveriesOf(hook)).sort((a, b) => a.sequence - b.sequence);
    expect(listed.map((d) => [d.sequence, d.status])).toEqual([[2, 'delivered'], [3, 'delivered'], [4, 'delivered']]);
    const sent = posted.filter((p) => listed.some((d) => d.id === p.id)).map((p) => listed.find((d) => d.id === p.id).sequence);
    expect(sent).toEqual([2, 3, 4]);
  });
});

describe('a stream whose next delivery expired while the one before it was retried', { timeout: 60_000 }, () => {
  it('moves on to the first delivery still kept once that one is delivered (it looked for the expired one only, and waited for good)', async () => {
    const barn = await createBudget(t.app, alice, { name: 'Barn' });
    const hook = await register('/expired-next', [barn]);
    await waitingWhileDisabled([hook], [[barn, [51, 52, 53]]]);
    const waiting = (await deliveriesOf(hook)).sort((a, b) => a.sequence - b.sequence);
    // Enabled again near the end of the 30 days: the first delivery fails on, and meanwhile the
    // second (recorded later, expiring later than the first, earlier than the third) reaches its TTL.
    down = true;
    expect((await patch(hook, { enabled: true })).status).toBe(200);
    await jobs.run();
    await vi.waitFor(async () => expect((await deliveriesOf(hook)).find((d) => d.id === waiting[0].id).attempts.length).toBeGreaterThan(0));
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `webhooks#webhook#${hook}`, sk: `webhooks#delivery#${waiting[1].id}` } }));
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `webhooks#stream#${hook}#${barn.id}`, sk: 'webhooks#seq#000000000002' } }));
    down = false;
    await queue().idle();

    const listed = (await deliveriesOf(hook)).sort((a, b) => a.sequence - b.sequence);
    expect(listed.map((d) => [d.sequence, d.status])).toEqual([[1, 'delivered'], [3, 'delivered']]);
  });
});

describe('re-enabling a webhook whose waiting delivery failed before it was disabled, days ago', { timeout: 60_000 }, () => {
  // Last in the file: it moves the clock three days on.
  it('retries it with backoff for 24 h from the re-enabling: one more failure does not disable it again (the days it was disabled counted as 24 h of failures)', async () => {
    const dock = await createBudget(t.app, alice, { name: 'Dock' });
    const hook = await register('/days', [dock]);
    // Failed a few times, then its owner turned it off while fixing the endpoint.
    down = true;
    await addExpense(t.app, alice, dock.id, { amount: 41, occurredOn: '2026-11-20' });
    const [recorded] = (await outboxEvents(t, 'expense.recorded')).filter((e) => (e.envelope.data as { budgetId: string }).budgetId === dock.id);
    expect(await createBusDelivery(t.system)(busEvent(recorded!))).toBeUndefined();
    await vi.waitFor(async () => expect((await deliveriesOf(hook))[0].attempts.length).toBeGreaterThan(1));
    expect((await patch(hook, { enabled: false })).status).toBe(200);
    await queue().idle();
    down = false;
    const [waiting] = await deliveriesOf(hook);
    expect(waiting.status).toBe('pending');
    expect(waiting.attempts.length).toBeGreaterThan(0);

    // Three days later, enabled again: the endpoint's first answer is still a 503, then it works.
    (t.clock as ReturnType<typeof fixedClock>).advance(3 * 24 * 60 * 60 * 1000);
    failNext = 1;
    const enabled = await asAtClock(t, alice)('PATCH', `/v1/webhooks/${hook}`, { body: { enabled: true } });
    expect(enabled.status, enabled.text).toBe(200);
    await jobs.run();
    await queue().idle();

    const after = (await asAtClock(t, alice)('GET', `/v1/webhooks/${hook}`)).json;
    expect([after.status, after.disabledReason]).toEqual(['enabled', null]);
    const [delivery] = (await asAtClock(t, alice)('GET', `/v1/webhooks/${hook}/deliveries`)).json.items;
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.slice(-2).map((a: any) => a.responseStatus)).toEqual([503, 204]);
  });
});
