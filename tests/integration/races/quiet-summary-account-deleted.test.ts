import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../packages/platform/src/clock';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, notificationItemsOf, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { notifiedSystem } from '../../support/notified-system';
import type { TestSystem } from '../../support/test-system';

/**
 * A push held by its recipient's quiet hours (with a summary asked for) while the recipient
 * deletes their account (DELETE /v1/me, then user.deleted's cleanups). The comment's
 * notification was written while the account existed; the night's summary reservation (one
 * PutItem, with the due index's keys) is held until the deletion and every cleanup ran. The
 * invariant, as for the notification itself (subscriber-account-deleted.test.ts): nothing is
 * left in the deleted account's notifications partition.
 */
const { push, start } = notifiedSystem();
// 22:30 in Berlin (CET): inside the quiet hours below.
const clock = fixedClock('2026-11-24T21:30:00Z');
let t: TestSystem;

beforeAll(async () => {
  t = await start({ clock });
});
beforeEach(() => push.reset());
afterAll(async () => {
  push.restore();
  await t?.destroy();
});

async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}

const notificationsOf = (user: Actor) => notificationItemsOf(t, user.id);

/** Bob (Berlin, a phone, quiet hours 22:00-07:00 with a summary) created an expense Alice comments on. */
async function aHeldCommentForBob(label: string) {
  const [alice, bob] = [await signUp(t.app, `${label}-alice`), await signUp(t.app, label, { timezone: 'Europe/Berlin' })];
  const budget = await createBudget(t.app, alice);
  await addMember(t.app, alice, budget.id, bob, 'editor');
  expect((await as(t.app, bob)('POST', '/v1/me/devices', { body: { platform: 'apns', token: `${label}-phone` } })).status).toBe(201);
  const quiet = await as(t.app, bob)('PATCH', '/v1/me', { body: { notifications: { quietHours: { from: '22:00', to: '07:00', summary: true } } } });
  expect(quiet.status, quiet.text).toBe(200);
  const expense = await addExpense(t.app, bob, budget.id, { amount: 1250, occurredOn: '2026-11-20' });
  const comment = await as(t.app, alice)('POST', `/v1/budgets/${budget.id}/expenses/${expense.id}/comments`, { body: { text: 'What was this?' } });
  expect(comment.status, comment.text).toBe(201);
  return { bob, event: await theEvent(t, 'expense.comment_added', { commentId: comment.json.id }) };
}

describe("a quiet-hours summary's reservation against its user deleting their account", { timeout: 120_000 }, () => {
  it('the reservation written after the cleanup leaves nothing of the deleted account', async () => {
    const { bob, event } = await aHeldCommentForBob('bob-deleted');
    await holdingFirstWrite(t, `notifications#user#${bob.id}","sk":"notifications#summary#`, () => deleteAccount(bob), () => deliver(t, event));
    expect(await notificationsOf(bob)).toEqual([]);
  });

  it('(control) a living user gets the notification and the night reserved, nothing pushed', async () => {
    const { bob, event } = await aHeldCommentForBob('bob-alive');
    await deliver(t, event);
    expect((await notificationsOf(bob)).map((i) => i.split(' ')[0]).sort()).toEqual(['alert-guard', 'device', 'notification', 'quiet-summary']);
  });
});
