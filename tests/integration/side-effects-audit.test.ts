import type { EmailMessage, PushMessage, PushPlatform, PushSender } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../support/actors';
import { deliver, outboxEvents, theEvent, type OutboxEvent } from '../support/events';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * Audit round 21: side effects outside the table (docs/architecture.md "Side effects outside
 * the table"). The same event delivered again, with in-process transports that count what was
 * sent: a push accepted by one device is not pushed to it again because another device's
 * send failed and the event was redelivered.
 */

/** A push sender that records each accepted push and refuses (throws) for the addresses in `failing`. */
function recordingPush() {
  const sent: { address: string; message: PushMessage }[] = [];
  const failing = new Set<string>();
  const sender: PushSender = {
    async register(_platform: PushPlatform, token: string) {
      return `endpoint-${token}`;
    },
    async send(address, _platform, message) {
      if (failing.has(address)) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
      sent.push({ address, message });
      return 'sent';
    },
    async unregister() {},
  };
  return { sender, sent, failing, to: (address: string) => sent.filter((s) => s.address === address).length };
}

const push = recordingPush();
const mails: EmailMessage[] = [];
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ push: push.sender, mail: { send: async (m) => void mails.push(m) } });
  owner = await signUp(t.app, 'owner');
});
afterAll(async () => {
  await t?.destroy();
});

/** A budget of `who` that crosses 80% once spent: its budget.threshold_crossed event. */
async function crossing(who: Actor): Promise<OutboxEvent> {
  const budget = await createBudget(t.app, who, { currency: 'EUR', limit: 10_000 });
  const expense = await addExpense(t.app, who, budget.id, { amount: 8_000, occurredOn: '2026-11-20' });
  await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  const [event] = (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budget.id);
  return event!;
}

describe('side effects outside the table, delivered again', { timeout: 30_000 }, () => {
  it('a push one device took is not pushed to it again when another device failed and the event is redelivered', async () => {
    for (const token of ['phone-token', 'tablet-token']) {
      const res = await as(t.app, owner)('POST', '/v1/me/devices', { body: { platform: 'fcm', token } });
      expect(res.status, res.text).toBe(201);
    }
    push.failing.add('endpoint-tablet-token'); // SNS throttles the tablet's endpoint for a while
    const event = await crossing(owner);

    await expect(deliver(t, event)).rejects.toThrow(); // the tablet's failure fails the event
    expect(push.to('endpoint-phone-token')).toBe(1);
    expect(push.to('endpoint-tablet-token')).toBe(0);

    // EventBridge retries while the tablet still fails, then after it recovered.
    await expect(deliver(t, event)).rejects.toThrow();
    push.failing.clear();
    await deliver(t, event);
    await deliver(t, event); // settled: nothing more
    expect(push.to('endpoint-phone-token')).toBe(1);
    expect(push.to('endpoint-tablet-token')).toBe(1);
  });
});
