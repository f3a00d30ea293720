import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { commandsSentDuring } from '../../support/sent-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { expectProblem, PASSWORD, signup, type Account } from './helpers';

/**
 * The profile's version: the ETag of GET and PATCH /v1/me, If-Match on PATCH (412 and nothing
 * written when stale), raised by every PATCH that changes something (one that changes nothing writes
 * nothing) and by nothing the answer does not show (a
 * password change), and read as 1 on a profile stored before it existed.
 */
let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem({ modules: ['users'] });
});
afterAll(() => t.destroy());

const getMe = (who: Account) => call(t.app, 'GET', '/v1/me', { token: who.accessToken });
const patchMe = (who: Account, body: unknown, ifMatch?: string) =>
  call(t.app, 'PATCH', '/v1/me', { token: who.accessToken, body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });
const profileItem = async (who: Account) =>
  (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `users#user#${who.user.id}`, sk: 'users#profile' }, ConsistentRead: true }))).Item!;

describe('PATCH /v1/me with If-Match', () => {
  it('a signup answers version 1; every PATCH raises it, name or email preferences, and sends it as the ETag', async () => {
    const who = await signup(t.app, { name: 'Ada' });
    expect(who.user.version).toBe(1);
    const named = await patchMe(who, { name: 'Ada L.' });
    expect(named.status, named.text).toBe(200);
    expect(named.headers.get('etag')).toBe('"2"');
    expect(named.json.version).toBe(2);
    const alerts = await patchMe(who, { notifications: { email: { budgetAlerts: true } } }, '"2"');
    expect(alerts.status, alerts.text).toBe(200);
    expect(alerts.headers.get('etag')).toBe('"3"');
    const read = await getMe(who);
    expect(read.headers.get('etag')).toBe('"3"');
    expect(read.json).toEqual(alerts.json);
    expect((await profileItem(who)).version).toBe(3);
  });

  it('a PATCH with If-Match whose write committed but whose answer was lost (the SDK sent it again and met the version it wrote) is a 200 with the change, not a 412 "changed meanwhile"', async () => {
    const who = await signup(t.app, { name: 'Lost' });
    const update = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(who.user.id) && input.includes('#version = :expected');
    const { result: res, resent } = await withFirstAnswerLost(t.doc, update, () => patchMe(who, { timezone: 'Europe/Berlin' }, '"1"'));
    expect(resent).toBe(true);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ timezone: 'Europe/Berlin', version: 2 });
    expect(res.headers.get('etag')).toBe('"2"');
    const read = await getMe(who);
    expect(read.json).toEqual(res.json);
  });

  it('a stale If-Match is a 412 and writes nothing; the current one (or `*`, or a list holding it) is a 200', async () => {
    const who = await signup(t.app, { name: 'Grace' });
    expect((await patchMe(who, { name: 'Grace H.' })).headers.get('etag')).toBe('"2"');
    const before = await profileItem(who);
    for (const stale of ['"1"', 'W/"2"', '"02"', '"1", "3"']) {
      const res = await patchMe(who, { name: 'Lost update' }, stale);
      expectProblem(res, 412);
      expect(await profileItem(who), stale).toEqual(before);
    }
    expectProblem(await patchMe(who, { name: 'Bad header' }, 'not-an-etag'), 400);
    expect(await profileItem(who)).toEqual(before);

    const ok = await patchMe(who, { name: 'Grace Hopper' }, '"1", "2"');
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('etag')).toBe('"3"');
    expect(ok.json.name).toBe('Grace Hopper');
    const any = await patchMe(who, { timezone: 'Europe/Berlin' }, '*');
    expect(any.status, any.text).toBe(200);
    expect(any.headers.get('etag')).toBe('"4"');
  });

  it('the If-Match check writes nothing when stale: one read, no write', async () => {
    const who = await signup(t.app);
    const { result, commands } = await commandsSentDuring(t.doc, () => patchMe(who, { name: 'Nope' }, '"9"'));
    expectProblem(result, 412);
    expect(commands.some((c) => /Update|Put|Transact|Delete/.test(c))).toBe(false);
  });

  it('a PATCH that changes nothing writes nothing and publishes nothing: 200 with the stored profile and its ETag; If-Match and unknown fields still checked', async () => {
    const who = await signup(t.app, { name: 'Mary' });
    const set = await patchMe(who, { timezone: 'Europe/Berlin', locale: 'en-GB', notifications: { quietHours: { from: '22:00', to: '07:00' } } });
    expect(set.status, set.text).toBe(200);
    const stored = await getMe(who);
    const etag = stored.headers.get('etag')!;
    const item = await profileItem(who);
    // The values it has, some in another spelling that is stored as the same value; push switches
    // that are on by default and were never sent; an empty email object.
    const same = [
      { name: 'Mary' },
      { timezone: 'europe/berlin' },
      { locale: 'en-gb' },
      { currency: stored.json.currency },
      { notifications: { email: {} } },
      { notifications: { email: { budgetAlerts: false }, push: { budgetAlerts: true, income: false } } },
      { notifications: { quietHours: { from: '22:00', to: '07:00', summary: false } } },
    ];
    for (const body of same) {
      for (const ifMatch of [undefined, etag]) {
        const patch = await commandsSentDuring(t.doc, () => patchMe(who, body, ifMatch));
        expect(patch.result.status, `${JSON.stringify(body)} ${patch.result.text}`).toBe(200);
        expect(patch.result.headers.get('etag')).toBe(etag);
        expect(patch.result.json).toEqual(stored.json);
        expect(patch.commands.filter((c) => /Update|Put|Transact|Delete|Write/.test(c)), JSON.stringify(body)).toEqual([]);
      }
    }
    expect(await profileItem(who)).toEqual(item);
    expectProblem(await patchMe(who, { name: 'Mary' }, '"99"'), 412);
    expectProblem(await patchMe(who, { name: 'Mary', colour: 'red' }), 400);
    // A real change after them moves the version by one.
    const renamed = await patchMe(who, { name: 'Mary J.' }, etag);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.version).toBe(stored.json.version + 1);
  });

  it('a deleted account is a 401 with If-Match too', async () => {
    const who = await signup(t.app);
    expect((await call(t.app, 'DELETE', '/v1/me', { token: who.accessToken })).status).toBe(204);
    expectProblem(await patchMe(who, { name: 'Ghost' }, '"1"'), 401);
  });
});

describe('what does not move the version', () => {
  it('a password change writes the profile but leaves its answer, hence its ETag, alone', async () => {
    const who = await signup(t.app, { name: 'Katherine' });
    const before = await getMe(who);
    const changed = await call(t.app, 'POST', '/v1/me/password', {
      token: who.accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'a changed passphrase' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await profileItem(who)).passwordChangedAt).toBeDefined();
    const after = await call(t.app, 'GET', '/v1/me', { token: changed.json.tokens.accessToken, headers: { 'if-none-match': '"1"' } });
    expect(after.status, after.text).toBe(304);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  });
});

describe('a profile stored before it had a version', () => {
  it('reads as version 1, and its first PATCH (If-Match "1") makes it 2', async () => {
    const who = await signup(t.app, { name: 'Old' });
    // The item as it was stored before this change: no version attribute at all.
    await t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk: `users#user#${who.user.id}`, sk: 'users#profile' }, UpdateExpression: 'REMOVE version' }),
    );
    expect((await profileItem(who)).version).toBeUndefined();
    const read = await getMe(who);
    expect(read.status, read.text).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.json.version).toBe(1);
    expect((await call(t.app, 'GET', '/v1/me', { token: who.accessToken, headers: { 'if-none-match': '"1"' } })).status).toBe(304);
    expectProblem(await patchMe(who, { name: 'Stale' }, '"2"'), 412);
    const patched = await patchMe(who, { name: 'New' }, '"1"');
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect((await profileItem(who)).version).toBe(2);
  });

  it('a PATCH without If-Match makes it 2 as well', async () => {
    const who = await signup(t.app);
    await t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk: `users#user#${who.user.id}`, sk: 'users#profile' }, UpdateExpression: 'REMOVE version' }),
    );
    const patched = await patchMe(who, { currency: 'EUR' });
    expect(patched.headers.get('etag')).toBe('"2"');
  });
});
