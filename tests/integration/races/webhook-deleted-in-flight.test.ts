import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { captureLogLines } from '../../support/log-lines';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A webhook deleted (DELETE /v1/webhooks/{id}) while a delivery of it is in flight: the
 * delete runs inside the poster, between the worker's reads and its record of the attempt.
 * Whatever the receiver answers, after the delete: nothing more is posted (no retry of it runs a
 * request), nothing fails or dead-letters (no warning or error logged), and every item the
 * delivery left carries its retention TTL (a record without one would be stored for ever).
 */
let t: TestSystem;
let alice: Actor;
/** What the receiver answers; the delete happens during the first post of each test. */
let answer = 204;
let duringPost: (() => Promise<void>) | undefined;
const posted: string[] = [];

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true', LOG_LEVEL: 'WARN' },
    webhooks: {
      retry: { baseDelayMs: 20, maxDelayMs: 40 },
      post: async (url) => {
        posted.push(url);
        const meanwhile = duringPost;
        duringPost = undefined;
        await meanwhile?.();
        return { status: answer, latencyMs: 1, error: null };
      },
    },
  });
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

describe.each([204, 500])('a webhook deleted while a delivery of it is in flight (the receiver answers %i)', (status) => {
  it('posts nothing more, logs no failure, and leaves no record without its TTL', { timeout: 60_000 }, async () => {
    answer = status;
    const budget = await createBudget(t.app, alice);
    const url = `http://127.0.0.1:9/hook/${status}`;
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url, eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    duringPost = async () => {
      const deleted = await as(t.app, alice)('DELETE', `/v1/webhooks/${hook.json.id}`);
      expect(deleted.status, deleted.text).toBe(204);
    };
    const logs = captureLogLines();
    try {
      const expense = await addExpense(t.app, alice, budget.id, { amount: 42, occurredOn: '2026-11-20' });
      await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
      // idle() waits for delayed messages too: a retry the failed attempt queued has run.
      await t.system.webhooks.localQueue!.idle();
    } finally {
      logs.restore();
    }
    expect(posted.filter((p) => p === url)).toHaveLength(1);
    expect(logs.lines.filter((l) => /"level":"(WARN|ERROR|CRITICAL)"/.test(l))).toEqual([]);
    const left = (await tableItems(t.doc, t.tableName)).filter((i) => String(i.pk).includes(hook.json.id));
    expect(left.filter((i) => typeof i.expiresAt !== 'number').map((i) => `${i.kind} ${i.pk} ${i.sk}`)).toEqual([]);
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}`)).status).toBe(404);
  });
});
