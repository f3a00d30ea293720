import { etagFor, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { appKeys } from '../../support/app-keys';
import { withCommandMiddleware } from '../../support/command-middleware';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { theEvent } from '../../support/events';
import { commandsSentDuring } from '../../support/sent-commands';
import { setClockFor } from '../../support/system-with-account';
import { keyedTransactionHeld } from '../../support/lease-taken-over';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A keyed webhook create whose answer was lost: the process died right after the webhook was
 * written (tests/support/crash-after-commit.ts). Its retry once the lease was over found the
 * webhook under the key's reserved id and answered it, but only while it still existed: after
 * the owner deleted it (it is listed, the owner may well) the retry created it again, a second
 * endpoint with a secret the first answer never carried. The key is now completed with the 201
 * (sealed, `Cache-Control: no-store`) INSIDE the webhook's transaction, so the retry replays it.
 * A replay runs nothing: the watchers' mark (the fan-out's "nobody watches" hint,
 * packages/budgets/docs/alerts.md "Event watchers") must not depend on code after the commit either. The owner is
 * pinned as a watcher BEFORE the transaction, a pin no recount of the hint removes, and the
 * mark after the commit unpins it: a crash between the two leaves the owner listed (a read more
 * per event), never a webhook that misses its events.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let alice: Actor;
let crash: ReturnType<typeof crashAfterCommit>;
let held: ReturnType<typeof keyedTransactionHeld>;
beforeAll(async () => {
  t = await createTestSystem({
    clock,
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    webhooks: { post: async () => ({ status: 204, latencyMs: 1, error: null }) },
  });
  crash = crashAfterCommit(t.doc);
  held = keyedTransactionHeld(t.doc);
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

const keyOf = appKeys(clock);
const create = (key: string, body: unknown) => () => as(t.app, alice)('POST', '/v1/webhooks', { body, headers: { 'idempotency-key': key } });
const listed = async () => (await as(t.app, alice)('GET', '/v1/webhooks')).json.items as { id: string; url: string }[];

/** Records an expense in `budgetId`; `fanOut()` then hands its event to the webhooks fan-out alone. */
async function expenseToFanOut(budgetId: string, amount: number) {
  const expense = await addExpense(t.app, alice, budgetId, { amount, occurredOn: '2026-11-20' });
  const event = await theEvent(t, 'expense.recorded', { expenseId: expense.id });
  const handler = t.system.subscriptions.find((s) => s.name === 'webhooks-on-expenses')!;
  return { fanOut: () => handler.handle(event.envelope, { logger: t.system.deps.logger }) };
}

/**
 * crashAfterCommit throws after the commit, so the service's own failure path still runs (it
 * ends its pin with the mark); a process that died runs nothing: its marks are lost here too.
 */
async function marksLost<T>(work: () => Promise<T>): Promise<T> {
  return withCommandMiddleware(
    t.doc,
    'marksLost',
    (next, context) => async (args) => {
      const input = args.input as { UpdateExpression?: string };
      if (/^Update(Item)?Command$/.test(String(context.commandName)) && /ADD watchers/.test(input.UpdateExpression ?? '')) throw new Error('process died');
      return next(args);
    },
    work,
  );
}

async function deliveriesOf(webhookId: string) {
  const res = await as(t.app, alice)('GET', `/v1/webhooks/${webhookId}/deliveries`);
  expect(res.status, res.text).toBe(200);
  return res.json.items as unknown[];
}

describe('a keyed webhook create whose answer was lost (crash after the commit)', { timeout: 60_000 }, () => {
  it('retried after the webhook was deleted: the first 201 (its secret, Location, ETag, no-store), not created again', async () => {
    const send = create(keyOf('deleted'), { url: 'http://127.0.0.1:9/deleted', eventTypes: ['expense.recorded'] });
    const lost = await crash.during(send);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const made = (await listed()).filter((w) => w.url === 'http://127.0.0.1:9/deleted');
    expect(made).toHaveLength(1);
    const id = made[0]!.id;
    expect((await as(t.app, alice)('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);

    clock.advance(61_000);
    const retry = await send();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(id);
    expect(retry.json.secret).toMatch(/^whsec_/);
    expect(retry.headers.get('location')).toBe(`/v1/webhooks/${id}`);
    expect(retry.headers.get('etag')).toBe(etagFor(1));
    expect(retry.headers.get('cache-control')).toBe('no-store');
    expect((await listed()).filter((w) => w.url === 'http://127.0.0.1:9/deleted')).toEqual([]);
    // The same answer every time: the secret was made once.
    expect((await send()).json).toEqual(retry.json);
  });

  it('gets the events of a budget found unwatched, also when a recount ran between the pin and the commit', async () => {
    const budget = await createBudget(t.app, alice);
    // The hint learns "nobody watches" (the first fan-out reads everything and records it).
    await (await expenseToFanOut(budget.id, 100)).fanOut();
    const racing = await expenseToFanOut(budget.id, 200);

    const send = create(keyOf('watch'), { url: 'http://127.0.0.1:9/watch', budgetIds: [budget.id], eventTypes: ['expense.recorded'] });
    const lost = await marksLost(() => crash.during(async () => {
      const reached = held.hold();
      const request = send();
      await reached;
      // A fan-out between the pin and the webhook's commit: it finds no webhook and records its recount.
      await racing.fanOut();
      held.release();
      return request;
    }));
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const id = (await listed()).find((w) => w.url === 'http://127.0.0.1:9/watch')!.id;
    expect(await deliveriesOf(id)).toEqual([]);

    // Nothing ran after the commit (no mark): the pin keeps the owner listed.
    await (await expenseToFanOut(budget.id, 300)).fanOut();
    expect(await deliveriesOf(id)).toHaveLength(1);
    clock.advance(61_000);
    expect((await send()).status).toBe(201);
    await (await expenseToFanOut(budget.id, 400)).fanOut();
    expect(await deliveriesOf(id)).toHaveLength(2);
  });

  it('an attempt refused "in use" after its retry pinned leaves the retry\'s pin (the retry then crashes after its commit)', async () => {
    const budget = await createBudget(t.app, alice);
    await (await expenseToFanOut(budget.id, 100)).fanOut();
    const racing = await expenseToFanOut(budget.id, 200);
    const heldRetry = keyedTransactionHeld(t.doc, 'heldRetry');
    const send = create(keyOf('pin-own'), { url: 'http://127.0.0.1:9/pin-own', budgetIds: [budget.id], eventTypes: ['expense.recorded'] });

    const atFirst = held.hold();
    const first = send();
    await atFirst; // pinned, before its transaction
    clock.advance(61_000);
    const atRetry = heldRetry.hold();
    const retry = send();
    await atRetry; // the key taken over, pinned too, before its transaction
    held.release();
    expect((await first).status).toBe(409); // its mark ran: it must end its own pin only
    // A recount between that and the retry's commit: it cannot see the webhook yet.
    await racing.fanOut();
    const lost = await marksLost(() =>
      crash.during(async () => {
        heldRetry.release();
        return retry;
      }),
    );
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const id = (await listed()).find((w) => w.url === 'http://127.0.0.1:9/pin-own')!.id;
    await (await expenseToFanOut(budget.id, 300)).fanOut();
    expect(await deliveriesOf(id)).toHaveLength(1);
  });

  it('the pin its crash left ends by itself: once past its lifetime and the webhook deleted, the budget is unwatched again (one read an event)', async () => {
    const budget = await createBudget(t.app, alice);
    await (await expenseToFanOut(budget.id, 100)).fanOut();
    const send = create(keyOf('pin-heals'), { url: 'http://127.0.0.1:9/pin-heals', budgetIds: [budget.id], eventTypes: ['expense.recorded'] });
    const lost = await marksLost(() => crash.during(send));
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const id = (await listed()).find((w) => w.url === 'http://127.0.0.1:9/pin-heals')!.id;
    expect((await as(t.app, alice)('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);

    // Past any request that could still be between its pin and its commit (Lambda's longest
    // timeout, 15 minutes): the pin no longer lists the owner, and a recount drops it.
    await setClockFor(t, clock, alice, new Date(clock.now().getTime() + 16 * 60_000).toISOString());
    await (await expenseToFanOut(budget.id, 200)).fanOut();
    const next = await expenseToFanOut(budget.id, 300);
    const { commands } = await commandsSentDuring(t.doc, next.fanOut);
    expect(commands).toEqual(['GetItemCommand']); // nobody watches: the hint alone
  });

  it('the pin its crash left, past its lifetime with the webhook kept: the next event still reaches the webhook (the recount finds it)', async () => {
    const budget = await createBudget(t.app, alice);
    // The hint learns "nobody watches"; the crash leaves only the pin to list the owner.
    await (await expenseToFanOut(budget.id, 100)).fanOut();
    const send = create(keyOf('pin-kept'), { url: 'http://127.0.0.1:9/pin-kept', budgetIds: [budget.id], eventTypes: ['expense.recorded'] });
    const lost = await marksLost(() => crash.during(send));
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const id = (await listed()).find((w) => w.url === 'http://127.0.0.1:9/pin-kept')!.id;

    await setClockFor(t, clock, alice, new Date(clock.now().getTime() + 16 * 60_000).toISOString());
    await (await expenseToFanOut(budget.id, 200)).fanOut();
    expect(await deliveriesOf(id)).toHaveLength(1);
    // Recorded as a watcher by that recount: the next one too.
    await (await expenseToFanOut(budget.id, 300)).fanOut();
    expect(await deliveriesOf(id)).toHaveLength(2);
  });
});
