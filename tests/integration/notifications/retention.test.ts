import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents, tableItems, theEvent } from '../../support/events';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Notifications expire (NotificationsRepository, NOTIFICATION_RETENTION_SECONDS): a notification
 * and its guard are written with the table's TTL attribute `expiresAt` (epoch seconds), 180 days
 * after the notification was created; the expected instant is computed here from the test
 * clock. And what DynamoDB's TTL deletion then does to the reads: the list and the unread count
 * (the home overview's) simply no longer see the deleted ones, nothing stored drifts (the count
 * is derived from the newest notifications, the read-all mark compares ids). DynamoDB Local
 * does not run TTL, so the deletion is done here by hand, item by item, as TTL does.
 */
const clock = fixedClock('2026-11-24T12:00:00.000Z');
const DAY_S = 24 * 60 * 60;
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  // Pushes go to a folder, as under `npm start` (a device needs a push transport).
  t = await createTestSystem({ clock, env: { PUSH_DIR: mkdtempSync(join(tmpdir(), 'notifications-retention-')) } });
  owner = await signUp(t.app, 'retention-owner');
});
afterAll(() => t.destroy());

const api = () => as(t.app, owner);
/** A fresh access token once the clock has moved past the old one's 15 minutes. */
async function signIn() {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
  expect(res.status, res.text).toBe(200);
  owner.token = res.json.tokens.accessToken;
}

/** A budget spent to its limit: one budget.alert per threshold for its owner. */
async function alerts(alertThresholds: number[], occurredOn: string) {
  const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000, alertThresholds });
  const expense = await addExpense(t.app, owner, budget.id, { amount: 10_000, occurredOn });
  await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  const crossings = (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budget.id);
  expect(crossings).toHaveLength(alertThresholds.length);
  await deliver(t, ...crossings);
  return budget;
}
/** The owner's notification partition as stored. */
const stored = async () => (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `notifications#user#${owner.id}`);
const unread = async () => {
  const res = await api()('GET', '/v1/me/overview');
  expect(res.status, res.text).toBe(200);
  return res.json.unreadNotifications;
};
const listed = async () => {
  const res = await api()('GET', '/v1/notifications?limit=100');
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { id: string }[]).map((n) => n.id);
};

describe('notification retention', { timeout: 60_000 }, () => {
  it('a written notification and its guard carry expiresAt 180 days after the notification was created', async () => {
    await alerts([50, 100], '2026-11-20');
    const items = await stored();
    const notifications = items.filter((i) => i.kind === 'notification');
    const guards = items.filter((i) => i.kind === 'alert-guard');
    expect(notifications).toHaveLength(2);
    expect(guards).toHaveLength(2);
    const expected = Math.floor(clock.now().getTime() / 1000) + 180 * DAY_S;
    for (const n of notifications) {
      expect(n.createdAt).toBe(clock.now().toISOString());
      expect(n.expiresAt).toBe(expected);
    }
    for (const g of guards) expect(g.expiresAt).toBe(expected);
    // Not the devices or the read-all mark: they are not history.
    expect(await api()('POST', '/v1/me/devices', { body: { platform: 'fcm', token: 'retention-phone' } })).toMatchObject({ status: 201 });
    expect((await api()('POST', '/v1/notifications/read-all')).status).toBe(200);
    const kept = (await stored()).filter((i) => i.kind === 'device' || i.kind === 'read-all');
    expect(kept.map((i) => i.kind).sort()).toEqual(['device', 'read-all']);
    for (const i of kept) expect(i.expiresAt).toBeUndefined();
  });

  it('once old notifications are deleted by TTL, the list and the unread count see only the rest (nothing stored drifts)', async () => {
    // Read-all covers the two above. Three new, unread: 3.
    await alerts([40, 80, 100], '2026-11-21');
    expect(await unread()).toEqual({ count: 3, more: false });
    const before = (await stored()).filter((i) => i.kind === 'notification').sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(before).toHaveLength(5);

    // 180 days on, TTL deletes the two read ones (covered by the mark) and the oldest unread one.
    clock.advance(181 * DAY_S * 1000);
    await signIn();
    for (const n of before.slice(0, 3)) await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: n.pk, sk: n.sk } }));
    expect(await unread()).toEqual({ count: 2, more: false });
    expect((await listed()).sort()).toEqual(before.slice(3).map((n) => n.id).sort());

    // Read-all still moves the mark over what is left: 0 unread.
    expect((await api()('POST', '/v1/notifications/read-all')).status).toBe(200);
    expect(await unread()).toEqual({ count: 0, more: false });
    // Every one of the remaining gone too: nothing listed, nothing unread, read-all answers as for a new user.
    for (const n of before.slice(3)) await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: n.pk, sk: n.sk } }));
    expect(await listed()).toEqual([]);
    expect(await unread()).toEqual({ count: 0, more: false });
    const nothing = await api()('POST', '/v1/notifications/read-all');
    expect(nothing.json).toEqual({ readUpTo: null, readAt: null });
    // The mark (naming a deleted notification) still says where reading stopped: a new one is unread.
    await alerts([100], '2027-05-20');
    expect(await unread()).toEqual({ count: 1, more: false });
  });
});
