import type { EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { withCommandMiddleware } from '../../support/command-middleware';
import { deliver, tableItems, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A webhook deleted (DELETE /v1/webhooks/{id}) while its FINAL failing attempt is in flight
 * (the one after which the webhook is disabled and its owner mailed "Webhook disabled"): the
 * delete runs inside the poster. `giveUpAfterMs: 0` makes the first failed attempt the final
 * one. The owner deleted it: no "disabled" mail, and nothing of it is written back.
 * The control: the same final failure without the delete disables it and mails once.
 * And the mail is at least once again: a process that dies right after the disable (its
 * UpdateItem committed, the mail not sent) leaves the mail owed on the webhook, and the retry of
 * the message (the local queue retries a worker's error as SQS would) sends it.
 */
let t: TestSystem;
let alice: Actor;
let duringPost: (() => Promise<void>) | undefined;
const mail: EmailMessage[] = [];

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    mail: { send: async (m) => void mail.push(m) },
    webhooks: {
      retry: { baseDelayMs: 20, maxDelayMs: 40, giveUpAfterMs: 0 },
      post: async () => {
        const meanwhile = duringPost;
        duringPost = undefined;
        await meanwhile?.();
        return { status: 500, latencyMs: 1, error: null };
      },
    },
  });
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

async function failOnce(hookUrl: string, meanwhile?: (hookId: string) => Promise<void>): Promise<{ hookId: string; mailed: string[] }> {
  const budget = await createBudget(t.app, alice);
  const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url: hookUrl, eventTypes: ['expense.recorded'] } });
  expect(hook.status, hook.text).toBe(201);
  duringPost = meanwhile && (() => meanwhile(hook.json.id));
  const before = mail.length;
  const expense = await addExpense(t.app, alice, budget.id, { amount: 42, occurredOn: '2026-11-20' });
  await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  await t.system.webhooks.localQueue!.idle();
  return { hookId: hook.json.id, mailed: mail.slice(before).filter((m) => m.to === alice.email).map((m) => m.subject) };
}

describe('a webhook deleted during its final failing attempt', () => {
  it('mails its owner nothing and stays deleted', { timeout: 60_000 }, async () => {
    const url = 'http://127.0.0.1:9/hook/deleted';
    const { hookId, mailed } = await failOnce(url, async (id) => {
      const deleted = await as(t.app, alice)('DELETE', `/v1/webhooks/${id}`);
      expect(deleted.status, deleted.text).toBe(204);
    });
    expect(mailed).toEqual([]);
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${hookId}`)).status).toBe(404);
  });

  it('(control) left alone, the final failure disables it and mails its owner once', { timeout: 60_000 }, async () => {
    const url = 'http://127.0.0.1:9/hook/kept';
    const { hookId, mailed } = await failOnce(url);
    expect(mailed).toEqual([`Webhook disabled: ${url}`]);
    const state = await as(t.app, alice)('GET', `/v1/webhooks/${hookId}`);
    expect(state.json).toMatchObject({ status: 'disabled', disabledReason: expect.stringContaining('HTTP 500') });
  });

  /** failOnce with the process dying right after the disable committed (then `meanwhile`, before the queue's retry). */
  async function failOnceDyingAfterTheDisable(url: string, meanwhile?: (hookId: string) => Promise<void>) {
    let died = false;
    const run = await withCommandMiddleware(
      t.doc,
      'dieAfterTheDisable',
      (next, context) => async (args) => {
        const input = args.input as { UpdateExpression?: string; Key?: { sk?: string } };
        if (died || context.commandName !== 'UpdateItemCommand' || !String(input.UpdateExpression ?? '').includes(':disabled')) return next(args);
        await next(args);
        died = true;
        await meanwhile?.(String(input.Key?.sk ?? '').split('#').pop()!);
        throw new Error('process died right after the disable');
      },
      () => failOnce(url),
    );
    expect(died).toBe(true);
    return run;
  }

  it('a process dying right after the disable: the retry still mails its owner, once, and fails the delivery', { timeout: 60_000 }, async () => {
    const url = 'http://127.0.0.1:9/hook/crashed';
    const { hookId, mailed } = await failOnceDyingAfterTheDisable(url);
    expect(mailed).toEqual([`Webhook disabled: ${url}`]);
    const state = await as(t.app, alice)('GET', `/v1/webhooks/${hookId}`);
    expect(state.json).toMatchObject({ status: 'disabled', disabledReason: expect.stringContaining('HTTP 500') });
    const deliveries = await as(t.app, alice)('GET', `/v1/webhooks/${hookId}/deliveries`);
    expect(deliveries.json.items.map((d: { status: string }) => d.status)).toEqual(['failed']);
    // Nothing owed any more: a duplicate of the message mails nothing.
    const stored = (await tableItems(t.doc, t.tableName)).find((i) => i.kind === 'webhook' && i.id === hookId);
    expect(stored).toBeDefined();
    expect(stored!.disabledMailOwed).toBeUndefined();
  });

  it('a process dying right after the disable, the webhook deleted before the retry: no mail', { timeout: 60_000 }, async () => {
    const url = 'http://127.0.0.1:9/hook/crashed-deleted';
    const { hookId, mailed } = await failOnceDyingAfterTheDisable(url, async (id) => {
      const deleted = await as(t.app, alice)('DELETE', `/v1/webhooks/${id}`);
      expect(deleted.status, deleted.text).toBe(204);
    });
    expect(mailed).toEqual([]);
    expect((await as(t.app, alice)('GET', `/v1/webhooks/${hookId}`)).status).toBe(404);
  });
  it('a disable whose UpdateItem committed but whose answer was lost (the SDK sent it again and met it) still mails its owner, once: it was this call\'s disable', { timeout: 60_000 }, async () => {
    const url = 'http://127.0.0.1:9/hook/answer-lost';
    const disable = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes('disabledMailOwed = :owed');
    const { result, resent } = await withFirstAnswerLost(t.doc, disable, () => failOnce(url));
    expect(resent).toBe(true);
    expect(result.mailed).toEqual([`Webhook disabled: ${url}`]);
    const stored = (await tableItems(t.doc, t.tableName)).find((i) => i.kind === 'webhook' && i.id === result.hookId);
    expect(stored!.status).toBe('disabled');
    expect(stored!.disabledMailOwed).toBeUndefined();
  });
});
