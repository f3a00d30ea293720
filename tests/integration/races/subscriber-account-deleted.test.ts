import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { withCommandMiddleware } from '../../support/command-middleware';
import { deliver, notificationItemsOf, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A subscriber writing rows for a USER (here the notifications module's: a comment's
 * notification, its guard, the guard's delivery mark) while that user's account is deleted
 * (DELETE /v1/me, then user.deleted's cleanups). The subscriber read the recipients before the
 * deletion; its write is held until the deletion and every cleanup ran. The invariant: once both
 * are done, nothing is left in the deleted account's notifications partition (a notification
 * keeps its 180-day TTL, but a deleted account's texts must not outlive its deletion; an
 * UpdateItem after the cleanup would even create a guard without any TTL).
 */
let t: TestSystem;
let alice: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  alice = await signUp(t.app, 'alice');
});
afterAll(() => t?.destroy());

async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}

const notificationsOf = (user: Actor) => notificationItemsOf(t, user.id);

/** Runs `work` with its first `command` naming `marker` held until `meanwhile` has run. */
function holdingFirst<T>(command: string, marker: string, meanwhile: () => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  let held = false;
  return withCommandMiddleware(
    t.doc,
    'holdFirstCommandNaming',
    (next, context) => async (args) => {
      if (!held && context.commandName === command && JSON.stringify(args.input).includes(marker)) {
        held = true;
        await meanwhile();
      }
      return next(args);
    },
    work,
  );
}

/** Bob, a member of Alice's budget, created an expense Alice comments on: its comment_added event tells Bob. */
async function aCommentForBob(label: string) {
  const bob = await signUp(t.app, label);
  const budget = await createBudget(t.app, alice);
  await addMember(t.app, alice, budget.id, bob, 'editor');
  const expense = await addExpense(t.app, bob, budget.id, { amount: 1250, occurredOn: '2026-11-20' });
  const comment = await as(t.app, alice)('POST', `/v1/budgets/${budget.id}/expenses/${expense.id}/comments`, { body: { text: 'What was this?' } });
  expect(comment.status, comment.text).toBe(201);
  return { bob, event: await theEvent(t, 'expense.comment_added', { commentId: comment.json.id }) };
}

describe('a notification subscriber against its recipient deleting their account', () => {
  it('the notification written after the cleanup leaves nothing of the deleted account', { timeout: 120_000 }, async () => {
    const { bob, event } = await aCommentForBob('bob-created');
    await holdingFirst('TransactWriteItemsCommand', `notifications#user#${bob.id}`, () => deleteAccount(bob), () => deliver(t, event));
    expect(await notificationsOf(bob)).toEqual([]);
  });

  it("the guard's delivery mark written after the cleanup leaves nothing of the deleted account", { timeout: 120_000 }, async () => {
    const { bob, event } = await aCommentForBob('bob-marked');
    await holdingFirst('UpdateItemCommand', `notifications#user#${bob.id}`, () => deleteAccount(bob), () => deliver(t, event));
    expect(await notificationsOf(bob)).toEqual([]);
  });

  it('(control) a living recipient gets the notification, its guard marked', { timeout: 120_000 }, async () => {
    const { bob, event } = await aCommentForBob('bob-alive');
    await deliver(t, event);
    expect((await notificationsOf(bob)).map((i) => i.split(' ')[0]).sort()).toEqual(['alert-guard', 'notification']);
  });
});
