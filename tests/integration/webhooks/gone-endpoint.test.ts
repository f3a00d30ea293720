import type { EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * An endpoint answering `410 Gone`: Standard Webhooks ("Delivery success and failure", which the
 * spec names as the webhooks' standard) reads it as "no longer interested in receiving webhooks
 * from this source": the sender disables the endpoint and stops sending it messages. Here the
 * retries are quick (20 to 40 ms) and the 24 h of them never pass (the clock stands): an endpoint
 * that answers 410 to its first request (and 204 after, so a sender that retries ends) must be
 * posted to once, disabled, and its owner mailed why.
 */
let t: TestSystem;
let alice: Actor;
const mail: EmailMessage[] = [];
const posted: string[] = [];

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    mail: { send: async (m) => void mail.push(m) },
    webhooks: {
      retry: { baseDelayMs: 20, maxDelayMs: 40 },
      post: async (url) => {
        posted.push(url);
        return { status: posted.filter((u) => u === url).length === 1 ? 410 : 204, latencyMs: 1, error: null };
      },
    },
  });
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

describe('an endpoint that answers 410 Gone', { timeout: 60_000 }, () => {
  it('is disabled at its first 410, posted to no more, and its owner mailed why', async () => {
    const url = 'http://127.0.0.1:9/hook/gone';
    const budget = await createBudget(t.app, alice);
    const hook = await as(t.app, alice)('POST', '/v1/webhooks', { body: { url, eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    const expense = await addExpense(t.app, alice, budget.id, { amount: 42, occurredOn: '2026-11-20' });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
    await t.system.webhooks.localQueue!.idle();

    expect(posted.filter((u) => u === url)).toHaveLength(1);
    const state = await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}`);
    expect(state.json).toMatchObject({ status: 'disabled', disabledReason: 'The endpoint answered 410 Gone: it asked for no more deliveries.' });
    const deliveries = (await as(t.app, alice)('GET', `/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    expect(deliveries.map((d: { status: string; attempts: unknown[] }) => [d.status, d.attempts.length])).toEqual([['failed', 1]]);
    // Not the webhook's security notice at its creation (packages/users/docs/security-notices.md).
    const mailed = mail.filter((m) => m.to === alice.email && !m.id.startsWith('security-'));
    expect(mailed.map((m) => m.subject)).toEqual([`Webhook disabled: ${url}`]);
    expect(mailed[0]!.text).toContain('answered 410 Gone');
    expect(mailed[0]!.text).not.toContain('24 hours');

    // A later event of the budget creates no delivery for it (disabled).
    const later = await addExpense(t.app, alice, budget.id, { amount: 43, occurredOn: '2026-11-21' });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: later.id }));
    await t.system.webhooks.localQueue!.idle();
    expect(posted.filter((u) => u === url)).toHaveLength(1);
  });
});
