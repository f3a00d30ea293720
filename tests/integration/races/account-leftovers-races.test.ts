import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { deliver, tableItems, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Account deletion (DELETE /v1/me, then its user.deleted cleanups) racing the same account
 * creating something of its own that the deletion or a cleanup must remove: a personal access
 * token, a two-factor enrolment and a pending email change (users), a push device and the read-all mark (notifications),
 * a webhook (webhooks), the owned-budget count a first budget create starts (budgets). Such a thing is unusable
 * once the account is gone (every request checks the account), but a create that read the
 * account before the deletion and wrote after the cleanup would store it for ever.
 * The invariant, whatever the order: once user.deleted is handled, no item of the account is
 * left in any partition of its own (its profile's, its webhooks', its notifications').
 */
const pushDir = mkdtempSync(join(tmpdir(), 'leftovers-push-'));
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ env: { PUSH_DIR: pushDir } });
});
afterAll(() => t.destroy());

/** The items left in the account's own partitions (every module keys them `<module>#...#<userId>`). */
async function leftOf(user: Actor) {
  const items = await tableItems(t.doc, t.tableName);
  return items.filter((i) => String(i.pk).includes(user.id) && i.kind !== 'outbox').map((i) => `${i.kind} ${i.pk} ${i.sk}`);
}

/** DELETE /v1/me as `user`, then user.deleted delivered to every subscriber (the cleanups). */
async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}

const deviceId = (platform: string, token: string) => createHash('sha256').update(`${platform}\n${token}`).digest('base64url').slice(0, 32);

/** A notification in the account's partition, as the module stores it (POST .../read-all writes its mark only when there is one). */
async function seedNotification(user: Actor) {
  const id = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
  await t.doc.send(
    new PutCommand({
      TableName: t.tableName,
      Item: { pk: `notifications#user#${user.id}`, sk: `notifications#n#${id}`, kind: 'notification', id, userId: user.id, createdAt: '2026-12-06T12:00:00.000Z' },
    }),
  );
}

/** A create: the marker its write names (never named by the deletion's or the cleanups' writes), what it needs first, the request. */
interface Create {
  marker: string;
  /** Its success answers (201 unless said). */
  created?: number[];
  prepare?: () => Promise<void>;
  send: () => Promise<{ status: number; text: string }>;
}

const creates: Record<string, (user: Actor, n: string) => Create> = {
  'a personal access token': (user: Actor, n: string) => ({
    marker: `token ${n} ${user.id}`,
    send: () => as(t.app, user)('POST', '/v1/me/tokens', { body: { name: `token ${n} ${user.id}`, scope: 'read' } }),
  }),
  'a push device': (user: Actor, n: string) => ({
    marker: deviceId('fcm', `phone-${n}-${user.id}`),
    created: [200, 201],
    send: () => as(t.app, user)('POST', '/v1/me/devices', { body: { platform: 'fcm', token: `phone-${n}-${user.id}` } }),
  }),
  'a webhook': (user: Actor, n: string) => ({
    marker: `https://93.184.215.14/hooks/${user.id}/${n}`,
    send: () => as(t.app, user)('POST', '/v1/webhooks', { body: { url: `https://93.184.215.14/hooks/${user.id}/${n}` } }),
  }),
  'a two-factor enrolment': (user: Actor) => ({
    marker: '"kind":"mfa"',
    send: () => as(t.app, user)('POST', '/v1/me/mfa/totp', { body: { password: user.password } }),
  }),
  // Expires in 30 minutes, but its code mail's unit goes with it: a mail for a deleted account.
  'a pending email change': (user: Actor, n: string) => ({
    marker: '"kind":"email-change"',
    // 202: a mail follows.
    created: [202],
    send: () => as(t.app, user)('POST', '/v1/me/email', { body: { newEmail: `moved-${n}-${user.id.toLowerCase()}@example.org`, password: user.password } }),
  }),
  'the read-all mark': (user: Actor) => ({
    marker: '"kind":"read-all"',
    // 200: a mark, not a resource.
    created: [200],
    prepare: () => seedNotification(user),
    send: () => as(t.app, user)('POST', '/v1/notifications/read-all'),
  }),
  // A first budget's create starts the owned-budget count (budgets#owner#<userId>) before its
  // own transaction: that start is the write that could outlive the cleanup's forgetOwnedCount.
  'the owned-budget count': (user: Actor, n: string) => ({
    marker: '"kind":"owned-budget-count"',
    send: () => as(t.app, user)('POST', '/v1/budgets', { body: { name: `Budget ${n}`, currency: 'EUR', limit: 100_000 } }),
  }),
};

describe.each(Object.entries(creates))('account deletion against the account creating %s', (_, create) => {
  it('a create that read the account before the deletion, written after its cleanup, leaves nothing (401)', { timeout: 120_000 }, async () => {
    const alice = await signUp(t.app, 'alice');
    const { marker, prepare, send } = create(alice, 'held');
    await prepare?.();
    const created = await holdingFirstWrite(t, marker, () => deleteAccount(alice), send);
    expect(created.status, created.text).toBe(401);
    expect(await leftOf(alice)).toEqual([]);
  });

  it('many rounds sent together leave nothing of the deleted account', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 6; round++) {
      const user = await signUp(t.app, `round${round}`);
      const { created: ok = [201], prepare, send } = create(user, `r${round}`);
      await prepare?.();
      const [created] = await Promise.all([send(), deleteAccount(user)]);
      expect([...ok, 401], created.text).toContain(created.status);
      expect(await leftOf(user), `round ${round}: create answered ${created.status}`).toEqual([]);
    }
  });
});
