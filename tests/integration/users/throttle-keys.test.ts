import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fromAddress } from '../../support/http';
import { createTestSystem, TEST_SIGNING_KEY, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, throttleKeysOf } from './helpers';

/**
 * The sign-in throttle's items hold no client address and no email (packages/users/docs/throttling.md, "Throttling",
 * "What the keys hold"): their keys carry keyed hashes, the table holds nothing else of either.
 * On DynamoDB Local, with the commands a login sends recorded.
 */
const KEY_B = 'the-new-signing-key-after-rotation-0123456789abcdef';
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let rotated: TestSystem;

/** While set, the name of every DynamoDB command `t` sends. */
let recording: string[] | undefined;

beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
  rotated = await createTestSystem({ clock, modules: ['users'], tableName: t.tableName, env: { TOKEN_SIGNING_KEY: KEY_B, TOKEN_SIGNING_KEY_PREVIOUS: TEST_SIGNING_KEY } });
  t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      recording?.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'throttleKeysTestLog' },
  );
});
afterAll(async () => {
  await Promise.all([rotated, t].map((s) => s?.destroy()));
});

const login = (system: TestSystem, email: string, password: string, ip: string) => call(system.app, 'POST', '/v1/auth/login', { body: { email, password }, env: fromAddress(ip) });

/** Every throttle item: the per-email partitions and the per-address counters. */
const throttleItems = async () => (await scanTable(t.doc, t.tableName)).filter((i) => /^users#(throttle|address)#/.test(String(i.pk)));

describe('the throttle keys', () => {
  it('hold neither the client address (IPv4, IPv6 or its /64) nor the email, yet count as before', async () => {
    const owner = await signup(t.app);
    const v4 = '203.0.113.77';
    const v6 = '2001:db8:7:7::1234';
    // Failures from both (client counters, the email-wide one, the per-address hashing counter),
    // a success from the IPv4 one (a known client), a reset request and a refresh (their
    // per-address counters, the email's reset counter).
    expectProblem(await login(t, owner.email, 'wrong password 1', v4), 401);
    expectProblem(await login(t, owner.email, 'wrong password 2', v6), 401);
    expect((await login(t, owner.email, owner.password, v4)).status).toBe(200);
    expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: owner.email }, env: fromAddress(v4) })).status).toBe(202);
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: owner.refreshToken }, env: fromAddress(v6) })).status).toBe(200);

    const items = await throttleItems();
    const keys = throttleKeysOf(owner.email);
    const mine = items.filter((i) => i.pk === keys.pk).map((i) => ({ sk: i.sk, kind: i.kind, attempts: i.attempts }));
    expect(mine.sort((a, b) => String(a.sk).localeCompare(String(b.sk)))).toEqual(
      [
        { sk: 'users#throttle', kind: 'login-throttle', attempts: 2 },
        // The IPv4 client's count was cleared by its success; it is known now.
        { sk: keys.clientSk('2001:db8:7:7::/64'), kind: 'login-throttle', attempts: 1 },
        { sk: keys.knownSk(v4), kind: 'known-client', attempts: undefined },
        { sk: 'users#throttle#reset', kind: 'login-throttle', attempts: 1 },
      ].sort((a, b) => a.sk.localeCompare(b.sk)),
    );
    expect(items.filter((i) => i.pk === keys.addressPk(v4)).map((i) => [i.sk, i.attempts]).sort()).toEqual([
      ['users#address#hashing', 2],
      ['users#address#reset', 1],
    ]);
    expect(items.filter((i) => i.pk === keys.addressPk('2001:db8:7:7::/64')).map((i) => [i.sk, i.attempts]).sort()).toEqual([
      ['users#address#hashing', 1],
      ['users#address#refresh', 1],
    ]);

    const text = JSON.stringify(items).toLowerCase();
    for (const raw of [v4, '203.0.113', v6, '2001:db8:7:7', owner.email, owner.email.split('@')[0]!]) expect(text).not.toContain(raw.toLowerCase());
  });

  it('cost no request: a login sends the commands it sent when the keys held the address and email', async () => {
    const owner = await signup(t.app);
    clock.advance(61_000);
    const commands: string[] = [];
    recording = commands;
    try {
      expectProblem(await login(t, owner.email, 'wrong password!', '198.51.100.61'), 401);
      commands.push('|');
      expect((await login(t, owner.email, owner.password, '198.51.100.61')).status).toBe(200);
    } finally {
      recording = undefined;
    }
    // Written down from a run before the keys were hashed (the same two logins), per login and
    // sorted: the throttle's requests run in parallel, so their order is not fixed.
    const [failure, success] = commands.join(' ').split(' | ').map((part) => part.split(' ').sort());
    // Failure: the address's hashing counter, the client's counter and known check, the email-wide counter, the profile and its password check.
    expect(failure).toEqual(['GetItemCommand', 'GetItemCommand', 'GetItemCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
    // Success: the same, then the session's transaction and the throttle's success writes (client count cleared, known, refund).
    expect(success).toEqual([
      'DeleteItemCommand', 'GetItemCommand', 'GetItemCommand', 'GetItemCommand', 'PutItemCommand',
      'TransactWriteItemsCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand',
    ]);
  });

  it('account deletion during a rotation removes the email\'s items under both keys and those written before the keys were hashed', async () => {
    const owner = await signup(t.app);
    const email = owner.email;
    clock.advance(61_000);
    // Under the previous key (before the rotation's deploy): a failure and a known client.
    expectProblem(await login(t, email, 'wrong password 1', '192.0.2.31'), 401);
    expect((await login(t, email, owner.password, '192.0.2.32')).status).toBe(200);
    // Written before the keys were hashed: the email and the address in clear (a known client lives 90 days).
    const until = Math.floor(clock.now().getTime() / 1000) + 86_400;
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: `users#throttle#${email}`, sk: 'users#throttle#known#192.0.2.33', kind: 'known-client', expiresAt: until } }));
    // Under the new key: a failure through the rotated deployment.
    expectProblem(await login(rotated, email, 'wrong password 2', '192.0.2.34'), 401);
    const partitions = [throttleKeysOf(email).pk, throttleKeysOf(email, KEY_B).pk, `users#throttle#${email}`];
    const inPartitions = async () => (await throttleItems()).filter((i) => partitions.includes(String(i.pk)));
    expect(new Set((await inPartitions()).map((i) => i.pk))).toEqual(new Set(partitions));

    const fresh = await login(rotated, email, owner.password, '192.0.2.32');
    expect(fresh.status, fresh.text).toBe(200);
    expect((await call(rotated.app, 'DELETE', '/v1/me', { token: fresh.json.tokens.accessToken })).status).toBe(204);
    expect(await inPartitions()).toEqual([]);
  });
});
