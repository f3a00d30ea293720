import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../packages/platform/src/clock';
import { addMember, asAtClock, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { APNS_APP } from '../../support/sns-push';
import { notifiedSystem } from '../../support/notified-system';
import { type TestSystem } from '../../support/test-system';

/**
 * Push quiet hours (PATCH /v1/me notifications.quietHours) on DynamoDB Local, SNS mocked: a
 * comment handled during the recipient's quiet hours (on their profile zone's wall clock) is a
 * notification in the app, counted unread, without a push, and its guard says why
 * (`pushSkipped: quiet-hours`); redelivered in the window and again after it, it is never
 * pushed later. The same comment flow outside the window pushes, once.
 */
const { push, start } = notifiedSystem();
const BASE = '2026-11-24T12:00:00Z';
const clock = fixedClock(BASE);
let t: TestSystem;
let owner: Actor;
let editor: Actor;

beforeAll(async () => {
  t = await start({ clock });
  // The owner lives in Berlin (UTC+1 in November); the window is on that wall clock.
  [owner, editor] = await Promise.all([signUp(t.app, 'quiet-owner', { timezone: 'Europe/Berlin' }), signUp(t.app, 'quiet-editor')]);
});
afterAll(async () => {
  push.restore();
  await t.destroy();
});
beforeEach(() => {
  clock.set(BASE);
  push.reset();
});

/** An HTTP call as `who` with a token valid at the clock's time (the tests move it). */
const api = (who: Actor) => asAtClock(t, who);
const commentNotifications = async (who: Actor) => {
  const res = await api(who)('GET', '/v1/notifications?limit=100');
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).filter((n) => n.kind === 'expense.comment');
};
const unread = async (who: Actor) => {
  const res = await api(who)('GET', '/v1/me/overview');
  expect(res.status, res.text).toBe(200);
  return res.json.unreadNotifications;
};
/** The comment's guard item in the recipient's partition, as stored. */
const guardOf = async (who: Actor, commentId: string) =>
  (await tableItems(t.doc, t.tableName)).find((i) => i.pk === `notifications#user#${who.id}` && String(i.sk).includes(commentId));
const publishedTo = push.publishedTo;
const ownerPhone = `${APNS_APP}/endpoint-quiet-owner-phone`;

describe('push quiet hours', { timeout: 60_000 }, () => {
  let budgetId: string;
  let expenseId: string;

  beforeAll(async () => {
    push.reset();
    const budget = await createBudget(t.app, owner, { name: 'Household' });
    budgetId = budget.id;
    await addMember(t.app, owner, budgetId, editor, 'editor');
    expect((await api(owner)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'quiet-owner-phone' } })).status).toBe(201);
    const created = await api(owner)('POST', `/v1/budgets/${budgetId}/expenses`, { body: { amount: 4_200, occurredOn: '2026-11-20', merchant: 'Toy Store' } });
    expect(created.status, created.text).toBe(201);
    expenseId = created.json.id;
    const quiet = await api(owner)('PATCH', '/v1/me', { body: { notifications: { quietHours: { from: '22:00', to: '07:00' } } } });
    expect(quiet.status, quiet.text).toBe(200);
    expect(quiet.json.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: false });
  });

  /** The editor comments on the owner's expense (at the base time); its expense.comment_added event. */
  async function commentEvent(text: string) {
    const res = await api(editor)('POST', `/v1/budgets/${budgetId}/expenses/${expenseId}/comments`, { body: { text } });
    expect(res.status, res.text).toBe(201);
    return { commentId: res.json.id as string, event: await theEvent(t, 'expense.comment_added', { commentId: res.json.id }) };
  }

  it('a comment handled in the quiet hours is in the app, unread, and not pushed; redelivered in and after the window, never pushed later', async () => {
    const { commentId, event } = await commentEvent('Late thought about this one');
    const before = { listed: (await commentNotifications(owner)).length, unread: await unread(owner) };

    // 21:30 UTC is 22:30 in Berlin: quiet (in UTC it would not be yet).
    clock.set('2026-11-24T21:30:00Z');
    await deliver(t, event);
    const notes = await commentNotifications(owner);
    expect(notes).toHaveLength(before.listed + 1);
    expect(notes[0]).toMatchObject({ kind: 'expense.comment', commentId, authorId: editor.id, excerpt: 'Late thought about this one', readAt: null });
    expect(await unread(owner)).toEqual({ count: before.unread.count + 1, more: false });
    expect(publishedTo()).toEqual([]);
    const guard = await guardOf(owner, commentId);
    expect(guard).toMatchObject({ pushSkipped: 'quiet-hours', pushSkippedAt: '2026-11-24T21:30:00.000Z' });
    expect(guard!.pushedAt).toBeUndefined();

    // Redelivered at 06:59 Berlin (still quiet), then at 07:00 (over) and at noon: no push, one notification.
    clock.set('2026-11-25T05:59:00Z');
    await deliver(t, event);
    clock.set('2026-11-25T06:00:00Z');
    await deliver(t, event);
    clock.set('2026-11-25T11:00:00Z');
    await deliver(t, event);
    expect(publishedTo()).toEqual([]);
    expect(await commentNotifications(owner)).toHaveLength(before.listed + 1);
  });

  it('a comment handled outside the quiet hours is pushed, once however often delivered', async () => {
    const { commentId, event } = await commentEvent('Daytime question');
    // 06:00 UTC is 07:00 in Berlin: the window ends (exclusive), so this one is pushed.
    clock.set('2026-11-25T06:00:00Z');
    await deliver(t, event, event);
    expect(publishedTo()).toEqual([ownerPhone]);
    const guard = await guardOf(owner, commentId);
    expect(guard).toMatchObject({ pushedAt: '2026-11-25T06:00:00.000Z' });
    expect(guard!.pushSkipped).toBeUndefined();
    expect((await commentNotifications(owner)).filter((n) => n.commentId === commentId)).toHaveLength(1);
  });

  it('from is inclusive; with the quiet hours removed (null) the same hour pushes', async () => {
    const atStart = await commentEvent('Right at ten');
    // 21:00 UTC is 22:00 in Berlin: the first quiet minute.
    clock.set('2026-11-24T21:00:00Z');
    await deliver(t, atStart.event);
    expect(publishedTo()).toEqual([]);

    clock.set(BASE);
    const cleared = await api(owner)('PATCH', '/v1/me', { body: { notifications: { quietHours: null } } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.notifications.quietHours).toBeNull();
    const after = await commentEvent('Ten again, no quiet hours');
    clock.set('2026-11-24T21:00:00Z');
    await deliver(t, after.event);
    expect(publishedTo()).toEqual([ownerPhone]);
    // Restore the window for whatever runs after.
    clock.set(BASE);
    expect((await api(owner)('PATCH', '/v1/me', { body: { notifications: { quietHours: { from: '22:00', to: '07:00' } } } })).status).toBe(200);
  });
});
