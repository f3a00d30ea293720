import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, notificationItemsOf, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A budget's notification (here a comment's: its excerpt is the budget's conversation) to a
 * member who is removed from the budget while the subscriber writes it. The subscriber read the
 * members before the removal; its transaction is held until the removal has answered. The
 * invariant (packages/notifications/README.md: "A member who left the budget since ... gets
 * nothing"): no notification of the budget reaches a member removed before it was written.
 */
let t: TestSystem;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

const notificationsOf = (user: Actor) => notificationItemsOf(t, user.id);

/** Bob, a member of Alice's budget, created an expense Alice comments on: its comment_added event tells Bob. */
async function aCommentForBob(label: string) {
  const bob = await signUp(t.app, label);
  const budget = await createBudget(t.app, alice);
  await addMember(t.app, alice, budget.id, bob, 'editor');
  const expense = await addExpense(t.app, bob, budget.id, { amount: 1250, occurredOn: '2026-11-20' });
  const comment = await as(t.app, alice)('POST', `/v1/budgets/${budget.id}/expenses/${expense.id}/comments`, { body: { text: 'What was this?' } });
  expect(comment.status, comment.text).toBe(201);
  return { bob, budget, event: await theEvent(t, 'expense.comment_added', { commentId: comment.json.id }) };
}

describe("a budget's notification against its recipient being removed from the budget", { timeout: 120_000 }, () => {
  it('the notification written after the removal is not written', async () => {
    const { bob, budget, event } = await aCommentForBob('bob-removed');
    const remove = async () => expect((await as(t.app, alice)('DELETE', `/v1/budgets/${budget.id}/members/${bob.id}`)).status).toBe(204);
    await holdingFirstWrite(t, `notifications#user#${bob.id}`, remove, () => deliver(t, event));
    expect(await notificationsOf(bob)).toEqual([]);
  });

  it('(control) a member still in the budget gets it', async () => {
    const { bob, event } = await aCommentForBob('bob-stays');
    await deliver(t, event);
    expect((await notificationsOf(bob)).map((i) => i.split(' ')[0]).sort()).toEqual(['alert-guard', 'notification']);
  });
});
