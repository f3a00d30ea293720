import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp } from '../../support/actors';
import { deliver, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { createLogger } from '@budgeting/platform';

/**
 * A deleted account gets nothing more of the budgets it was in, from the moment DELETE /v1/me
 * answers: its tokens and calendar feeds are dead at once, its notifications are checked against
 * the account (packages/users/docs/account-deletion.md). Its webhooks were not: until the
 * `user.deleted` cleanups had run (the budgets module's removal of its memberships, the webhooks
 * module's of its webhooks: asynchronous, retried for hours when they fail), every event of a
 * budget it had been in was still posted to its URL (another member's expense: amount, merchant,
 * note). Here `user.deleted` is held back, as a subscriber that has not run yet.
 */
let t: TestSystem;
const posted: string[] = [];

beforeAll(async () => {
  t = await createTestSystem({
    env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
    webhooks: {
      retry: { baseDelayMs: 20, maxDelayMs: 40 },
      post: async (url: string) => {
        posted.push(url);
        return { status: 204, latencyMs: 1, error: null };
      },
    },
  });
});
afterAll(() => t?.destroy());

describe("a deleted account's webhooks before its user.deleted cleanups ran", { timeout: 60_000 }, () => {
  it('post nothing more of the budgets it was in', async () => {
    const alice = await signUp(t.app, 'alice');
    const bob = await signUp(t.app, 'bob');
    const budget = await createBudget(t.app, alice);
    await addMember(t.app, alice, budget.id, bob, 'editor');
    const hook = await as(t.app, bob)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook/bob', eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);

    // While Bob's account exists, Alice's expense reaches his webhook (the test can fail).
    const before = await addExpense(t.app, alice, budget.id, { amount: 1_200, occurredOn: '2026-11-20', merchant: 'Pharmacy' });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: before.id }));
    await t.system.webhooks.localQueue!.idle();
    expect(posted).toEqual(['http://127.0.0.1:9/hook/bob']);

    expect((await as(t.app, bob)('DELETE', '/v1/me')).status).toBe(204);
    const after = await addExpense(t.app, alice, budget.id, { amount: 3_400, occurredOn: '2026-11-21', merchant: 'Clinic' });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: after.id }));
    await t.system.webhooks.localQueue!.idle();
    expect(posted).toEqual(['http://127.0.0.1:9/hook/bob']);
  });
});

describe("a suspended account's webhooks", { timeout: 60_000 }, () => {
  it('post nothing of the budgets it is in while support holds the suspension (as its calendar feeds), and post again once it is lifted', async () => {
    // Support suspends a stolen account: until 2026-12-08 its webhooks kept posting the household's
    // expenses (another member's amount, merchant and note) to whatever URL the thief had set.
    const alice = await signUp(t.app, 'alice2');
    const carol = await signUp(t.app, 'carol');
    const budget = await createBudget(t.app, alice);
    await addMember(t.app, alice, budget.id, carol, 'editor');
    const url = 'http://127.0.0.1:9/hook/carol';
    const hook = await as(t.app, carol)('POST', '/v1/webhooks', { body: { url, eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    const operate = (name: string) => t.system.operations.find((o) => o.name === name)!.run({ email: carol.email, reason: 'TICKET-9: a stolen account', operator: 'support' }, { logger: createLogger('SILENT') });
    const postedTo = () => posted.filter((u) => u === url).length;

    await operate('users-suspend');
    const during = await addExpense(t.app, alice, budget.id, { amount: 5_600, occurredOn: '2026-11-22', merchant: 'Pharmacy' });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: during.id }));
    await t.system.webhooks.localQueue!.idle();
    expect(postedTo()).toBe(0);

    await operate('users-unsuspend');
    const after = await addExpense(t.app, alice, budget.id, { amount: 7_800, occurredOn: '2026-11-23', merchant: 'Bakery' });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: after.id }));
    await t.system.webhooks.localQueue!.idle();
    expect(postedTo()).toBe(1);
  });
});
