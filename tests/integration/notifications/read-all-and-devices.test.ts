import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, tokenAtClock, type Actor } from '../../support/actors';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { responseValidator } from '../../support/response-validator';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { spentToLimit } from './alerts-helper';

/**
 * POST /v1/notifications/read-all (one mark item per user, whatever the number of
 * notifications) and GET /v1/me/devices (the caller's own, at most 20). Pushes go to a folder,
 * as under `npm start`.
 */
const clock = fixedClock('2026-11-24T12:00:00.000Z');
const pushDir = mkdtempSync(join(tmpdir(), 'notifications-push-'));
let t: TestSystem;
let owner: Actor;
let other: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock, env: { PUSH_DIR: pushDir } });
  [owner, other] = await Promise.all([signUp(t.app, 'owner'), signUp(t.app, 'other')]);
});
afterAll(async () => {
  await t.destroy();
});

const api = (who: Actor) => as(t.app, who);

const alerts = (who: Actor, alertThresholds: number[]) => spentToLimit(t, who, alertThresholds);

async function notificationsOf(who: Actor): Promise<{ id: string; budgetId: string; readAt: string | null }[]> {
  const res = await api(who)('GET', '/v1/notifications?limit=100');
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

const readAll = async (who: Actor) => {
  const res = await api(who)('POST', '/v1/notifications/read-all');
  expect(res.status, res.text).toBe(200);
  return res.json as { readUpTo: string | null; readAt: string | null };
};

describe('mark all notifications read', { timeout: 180_000 }, () => {
  it('30 notifications read at once; a new one after is unread; a single read still works; idempotent; per user', async () => {
    expect(await readAll(owner)).toEqual({ readUpTo: null, readAt: null }); // nothing to read yet
    await alerts(owner, [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100]);
    clock.advance(1_000);
    await alerts(owner, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    await alerts(other, [80]);
    const before = await notificationsOf(owner);
    expect(before).toHaveLength(30);
    expect(before.filter((n) => n.readAt !== null)).toEqual([]);

    // One read on its own first: its own, earlier readAt stays.
    clock.advance(60_000);
    const early = before[7]!;
    const single = await api(owner)('POST', `/v1/notifications/${early.id}/read`);
    expect(single.json.readAt).toBe('2026-11-24T12:01:01.000Z');

    clock.advance(60_000);
    const mark = await readAll(owner);
    expect(mark).toEqual({ readUpTo: before[0]!.id, readAt: '2026-11-24T12:02:01.000Z' });
    const after = await notificationsOf(owner);
    expect(after.map((n) => n.id)).toEqual(before.map((n) => n.id));
    expect(after.filter((n) => n.id !== early.id).map((n) => n.readAt)).toEqual(Array(29).fill(mark.readAt));
    expect(after.find((n) => n.id === early.id)!.readAt).toBe('2026-11-24T12:01:01.000Z');
    // Another user's notifications are not touched.
    expect((await notificationsOf(other)).map((n) => n.readAt)).toEqual([null]);

    // Idempotent: again with nothing new, the same mark and the same readAt.
    clock.advance(60_000);
    expect(await readAll(owner)).toEqual(mark);
    expect((await notificationsOf(owner)).map((n) => n.readAt)).toEqual(after.map((n) => n.readAt));

    // Marking one read that read-all covers answers the read-all time (the first readAt).
    const covered = await api(owner)('POST', `/v1/notifications/${before[3]!.id}/read`);
    expect(covered.status, covered.text).toBe(200);
    expect(covered.json.readAt).toBe(mark.readAt);

    // A notification after read-all arrives unread; reading it on its own works.
    clock.advance(60_000);
    const late = await alerts(owner, [80]);
    const [fresh, ...older] = await notificationsOf(owner);
    expect(fresh).toMatchObject({ budgetId: late.id, readAt: null });
    expect(older.map((n) => n.readAt)).toEqual(after.map((n) => n.readAt));
    const readFresh = await api(owner)('POST', `/v1/notifications/${fresh!.id}/read`);
    expect(readFresh.json.readAt).toBe('2026-11-24T12:04:01.000Z');
    expectProblem(await api(other)('POST', `/v1/notifications/${fresh!.id}/read`), 404);
  });

  it('costs the same DynamoDB requests for 31 notifications as for 1', async () => {
    const many = await commandsSentDuring(t.doc, () => readAll(owner));
    const one = await commandsSentDuring(t.doc, () => readAll(other));
    expect(many.commands).toEqual(one.commands);
    // Of this module's items: the newest id (one Query, Limit 1) and the mark (one Put, in a
    // transaction with the account's check since feat/races7).
    const ofNotifications = many.sent.filter((c) => JSON.stringify(c.input).includes('notifications#'));
    expect(ofNotifications.map((c) => [c.name, c.input.Limit])).toEqual([['QueryCommand', 1], ['TransactWriteItemsCommand', undefined]]);
    expect((await notificationsOf(other)).map((n) => n.readAt)).toEqual([clock.now().toISOString()]);
  });
});

describe('marking read with a personal access token', { timeout: 120_000 }, () => {
  it('a write token marks read; a read token is refused with the 403 insufficient-scope both operations declare', async () => {
    const who = await signUp(t.app, 'pat-reader');
    await alerts(who, [50]);
    const [notification] = await notificationsOf(who);
    const tokenOf = async (scope: 'read' | 'write') => {
      const made = await api(who)('POST', '/v1/me/tokens', { body: { name: `Marks ${scope}`, scope } });
      expect(made.status, made.text).toBe(201);
      return { token: made.json.token as string };
    };
    const [reader, writer] = [await tokenOf('read'), await tokenOf('write')];
    const served = (await call(t.app, 'GET', '/v1/openapi.json')).json;
    for (const path of [`/v1/notifications/${notification!.id}/read`, '/v1/notifications/read-all']) {
      const refused = await as(t.app, reader)('POST', path);
      expectProblem(refused, 403);
      expect(refused.json.type, path).toBe('https://budgeting.dev/problems/insufficient-scope');
      const template = path.endsWith('/read-all') ? path : '/v1/notifications/{notificationId}/read';
      expect(served.paths[template].post.responses['403']?.description, template).toContain('insufficient-scope');
    }
    expect((await notificationsOf(who)).map((n) => n.readAt)).toEqual([null]);
    const marked = await as(t.app, writer)('POST', `/v1/notifications/${notification!.id}/read`);
    expect(marked.status, marked.text).toBe(200);
    expect(marked.json.readAt).toBe(clock.now().toISOString());
    expect((await as(t.app, writer)('POST', '/v1/notifications/read-all')).status).toBe(200);
  });
});

describe('GET /v1/me/devices', { timeout: 120_000 }, () => {
  const register = async (who: Actor, platform: 'apns' | 'fcm', token: string) => {
    const res = await api(who)('POST', '/v1/me/devices', { body: { platform, token } });
    expect([200, 201], res.text).toContain(res.status);
    return res.json as { id: string; platform: string; createdAt: string };
  };
  const devicesOf = async (who: Actor) => {
    const res = await api(who)('GET', '/v1/me/devices');
    expect(res.status, res.text).toBe(200);
    return res.json.items as Record<string, unknown>[];
  };

  it("lists the caller's own devices, newest first, never the token or the address", async () => {
    const [a, b] = await Promise.all([signUp(t.app, 'devices-a'), signUp(t.app, 'devices-b')]);
    expect(await devicesOf(a)).toEqual([]);
    const phone = await register(a, 'apns', 'd'.repeat(64));
    clock.advance(1_000);
    const tablet = await register(a, 'fcm', 'tablet-token');
    await register(b, 'fcm', 'b-token');
    const listed = await devicesOf(a);
    expect(listed).toEqual([tablet, phone]);
    expect(Object.keys(listed[0]!).sort()).toEqual(['createdAt', 'id', 'platform']);
    expect(JSON.stringify(listed)).not.toMatch(/tablet-token|dddd|local:/);
    expect((await devicesOf(b)).map((d) => d.platform)).toEqual(['fcm']);
    expect((await api(a)('DELETE', `/v1/me/devices/${phone.id}`)).status).toBe(204);
    expect(await devicesOf(a)).toEqual([tablet]);
    expectProblem(await call(t.app, 'GET', '/v1/me/devices'), 401);
  });

  it('refuses under npm start (the local folder) the APNs token SNS refuses in AWS: one that is not hexadecimal is a 400 naming token, nothing stored', async () => {
    const who = await signUp(t.app, 'devices-local-refused');
    // An Android app's FCM token sent as apns: SNS's CreatePlatformEndpoint refuses it (gone-devices.test.ts).
    expectProblem(await api(who)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'fcm:APA91bHun4MxP5egoKMwt2KZFBaFUH' } }), 400, ['token']);
    expect(await devicesOf(who)).toEqual([]);
    // A hexadecimal one, and any FCM token, are taken.
    await register(who, 'apns', 'ab'.repeat(32));
    await register(who, 'fcm', 'fcm:APA91bHun4MxP5egoKMwt2KZFBaFUH');
    expect(await devicesOf(who)).toHaveLength(2);
  });

  it('answers a new registration with 201 and the Location of the device (the one DELETE removes), documented, and a repeated one with 200', async () => {
    const who = await signUp(t.app, 'devices-location');
    const body = { platform: 'fcm', token: 'location-token' };
    const made = await api(who)('POST', '/v1/me/devices', { body });
    expect(made.status, made.text).toBe(201);
    expect(made.headers.get('location')).toBe(`/v1/me/devices/${made.json.id}`);
    const served = (await call(t.app, 'GET', '/v1/openapi.json')).json;
    const validator = responseValidator(served);
    expect(validator.violations({ method: 'POST', url: '/v1/me/devices', status: made.status, headers: made.headers, body: made.text })).toEqual([]);
    expect(served.paths['/v1/me/devices'].post.responses['201'].headers.Location).toBeDefined();
    const again = await api(who)('POST', '/v1/me/devices', { body });
    expect(again.status, again.text).toBe(200);
    expect(validator.violations({ method: 'POST', url: '/v1/me/devices', status: again.status, headers: again.headers, body: again.text })).toEqual([]);
    expect((await api(who)('DELETE', made.headers.get('location')!)).status).toBe(204);
  });

  it("the registration's Location answers 200 with the device as the list shows it, never its token; another account's, an unknown or removed id: 404", async () => {
    const [who, someone] = await Promise.all([signUp(t.app, 'devices-get'), signUp(t.app, 'devices-get-other')]);
    const made = await api(who)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'ef'.repeat(32) } });
    expect(made.status, made.text).toBe(201);
    const url = made.headers.get('location')!;
    const got = await api(who)('GET', url);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual((await devicesOf(who))[0]);
    expect(got.json).toEqual(made.json);
    expect(got.text).not.toMatch(/efef|local:/);
    expect(got.headers.get('cache-control')).toBe('no-store');
    const served = (await call(t.app, 'GET', '/v1/openapi.json')).json;
    expect(responseValidator(served).violations({ method: 'GET', url, status: got.status, headers: got.headers, body: got.text })).toEqual([]);
    const theirs = await api(someone)('GET', url);
    const unknown = await api(someone)('GET', `/v1/me/devices/${made.json.id.replace(/.{4}$/, 'ZZZZ')}`);
    expectProblem(theirs, 404);
    expectProblem(unknown, 404);
    expect(theirs.json.detail).toBe(unknown.json.detail);
    expectProblem(await call(t.app, 'GET', url), 401);
    expect((await api(who)('DELETE', url)).status).toBe(204);
    expectProblem(await api(who)('GET', url), 404);
  });

  it('an APNs token is the same device in upper and lower case (hex: an app that formats it otherwise after an update got a second device, every push twice); one stored before under its upper case is found again, in either case', async () => {
    const e = await signUp(t.app, 'devices-e');
    const phone = await register(e, 'apns', 'AB'.repeat(32));
    const again = await api(e)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'ab'.repeat(32) } });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toEqual(phone);
    expect(await devicesOf(e)).toEqual([phone]);
    // FCM tokens are case-sensitive: two devices.
    await register(e, 'fcm', 'Fcm-Token');
    await register(e, 'fcm', 'fcm-token');
    expect(await devicesOf(e)).toHaveLength(3);
    // A device stored before, under the id of its token as sent (upper case), is answered as it is.
    const legacyId = createHash('sha256').update(`apns\n${'CD'.repeat(32)}`).digest('base64url').slice(0, 32);
    const legacy = { pk: `notifications#user#${e.id}`, sk: `notifications#device#${legacyId}`, kind: 'device', id: legacyId, userId: e.id, platform: 'apns', address: `local:apns:${'CD'.repeat(32)}`, createdAt: '2026-01-01T00:00:00.000Z' };
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: legacy }));
    const found = await api(e)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'CD'.repeat(32) } });
    expect(found.status, found.text).toBe(200);
    expect(found.json).toEqual({ id: legacyId, platform: 'apns', createdAt: legacy.createdAt });
    const foundLower = await api(e)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'cd'.repeat(32) } });
    expect(foundLower.status, foundLower.text).toBe(200);
    expect(foundLower.json).toEqual(found.json);
    expect(await devicesOf(e)).toHaveLength(4);
  });

  it('keeps at most 20: the 21st replaces the oldest, which no longer gets pushes', async () => {
    const c = await signUp(t.app, 'devices-c');
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) {
      clock.advance(1_000);
      ids.push((await register(c, 'fcm', `token-${i}`)).id);
    }
    const listed = (await devicesOf(c)).map((d) => d.id);
    expect(listed).toHaveLength(20);
    expect(listed).toEqual(ids.slice(1).reverse());
    // Pushes (written to the folder locally) go to the 20 kept devices only.
    await alerts(c, [80]);
    const files = readdirSync(pushDir).filter((f) => ids.some((id) => f.endsWith(`${id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`)));
    expect(files).toHaveLength(20);
    expect(files.some((f) => f.includes(ids[0]!.replace(/[^A-Za-z0-9_-]/g, '_')))).toBe(false);
  });

  it('the device replaced is the one registered again longest ago: a phone its app registers at every start is kept, however long ago it first was', async () => {
    const d = await signUp(t.app, 'devices-d');
    const phone = await register(d, 'fcm', 'daily-phone');
    const reinstalls: string[] = [];
    for (let i = 0; i < 19; i++) {
      clock.advance(1_000);
      reinstalls.push((await register(d, 'fcm', `reinstall-${i}`)).id);
    }
    // A day later the phone's app starts and registers its token again (200, the same device).
    clock.advance(24 * 60 * 60 * 1000);
    d.token = await tokenAtClock(t, d);
    expect(await register(d, 'fcm', 'daily-phone')).toEqual(phone);
    const newest = await register(d, 'fcm', 'new-tablet');
    const listed = (await devicesOf(d)).map((x) => x.id);
    expect(listed).toHaveLength(20);
    expect(listed).toContain(phone.id);
    expect(listed).toContain(newest.id);
    expect(listed).not.toContain(reinstalls[0]);
  });
});
