import { createHash } from 'node:crypto';
import { CreatePlatformEndpointCommand, DeleteEndpointCommand, GetEndpointAttributesCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { deliver, theEvent } from '../../support/events';
import { withCommandMiddleware } from '../../support/command-middleware';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * One phone signed in to two accounts: SNS's CreatePlatformEndpoint answers the EXISTING
 * endpoint for a token it knows, so both accounts' devices hold the same endpoint ARN. Removing
 * the device from one account (DELETE /v1/me/devices/{id}, or the account's deletion) must not
 * delete the endpoint the other account still pushes to; the last one out deletes it, exactly
 * once, also when both go at the same moment. Through the real SNS sender, SNS mocked
 * (aws-sdk-client-mock: DeleteEndpoint deletes nothing, so each call is counted; restored after).
 */
const APNS_APP = 'arn:aws:sns:us-east-1:123456789012:app/APNS/budgets';
const endpointOf = (token: string) => `${APNS_APP}/endpoint-${token}`;
const sns = mockClient(SNSClient);
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ env: { SNS_APNS_APPLICATION_ARN: APNS_APP } });
});
beforeEach(() => {
  sns.reset();
  sns.on(CreatePlatformEndpointCommand).callsFake(async (input: { Token: string }) => ({ EndpointArn: endpointOf(input.Token) }));
  sns.on(GetEndpointAttributesCommand).callsFake(async (input: { EndpointArn: string }) => ({
    Attributes: { Enabled: 'true', Token: input.EndpointArn.split('/endpoint-')[1]!.toLowerCase() },
  }));
  sns.on(DeleteEndpointCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterAll(async () => {
  sns.restore();
  await t?.destroy();
});

const deviceId = (token: string) => createHash('sha256').update(`apns\n${token}`).digest('base64url').slice(0, 32);
const deletedEndpoints = () => sns.commandCalls(DeleteEndpointCommand).map((c) => String(c.args[0].input.EndpointArn));
let tokens = 0;
const newToken = () => `0123456789abcdef${(tokens++).toString().padStart(6, '0')}`;

async function register(user: Actor, token: string) {
  const res = await as(t.app, user)('POST', '/v1/me/devices', { body: { platform: 'apns', token } });
  expect([200, 201], res.text).toContain(res.status);
}
async function removeDevice(user: Actor, token: string) {
  const res = await as(t.app, user)('DELETE', `/v1/me/devices/${deviceId(token)}`);
  expect(res.status, res.text).toBe(204);
}
async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}
/** The endpoint's users item as stored (undefined once the last one out dropped it). */
const endpointUsers = async (token: string, arn = endpointOf(token)) => {
  const hash = createHash('sha256').update(arn).digest('base64url');
  const out = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `notifications#endpoint#${hash}`, sk: 'notifications#endpoint' }, ConsistentRead: true }));
  return out.Item && [...((out.Item.users as Set<string> | undefined) ?? [])].sort();
};
const deviceIds = async (user: Actor) => (await as(t.app, user)('GET', '/v1/me/devices')).json.items.map((d: { id: string }) => d.id);

describe('a push endpoint two accounts share (one phone, two sign-ins)', () => {
  it('is not deleted when one account removes its device; the last one out deletes it', { timeout: 60_000 }, async () => {
    const token = newToken();
    const [keeper, leaver] = await Promise.all([signUp(t.app, 'ep-keeper'), signUp(t.app, 'ep-leaver')]);
    await register(keeper, token);
    await register(leaver, token);
    await removeDevice(leaver, token);
    expect(deletedEndpoints()).toEqual([]);
    expect(await deviceIds(keeper)).toEqual([deviceId(token)]);
    await removeDevice(keeper, token);
    expect(deletedEndpoints()).toEqual([endpointOf(token)]);
  });

  it("is not deleted by the account deletion's cleanup of the other account", { timeout: 60_000 }, async () => {
    const token = newToken();
    const [keeper, leaver] = await Promise.all([signUp(t.app, 'ep-keeper'), signUp(t.app, 'ep-leaver')]);
    await register(keeper, token);
    await register(leaver, token);
    await deleteAccount(leaver);
    expect(deletedEndpoints()).toEqual([]);
    expect(await deviceIds(keeper)).toEqual([deviceId(token)]);
    await deleteAccount(keeper);
    expect(deletedEndpoints()).toEqual([endpointOf(token)]);
  });

  it('is deleted exactly once when both accounts let go at the same moment (a device removal and an account deletion)', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 4; round++) {
      const token = newToken();
      const [a, b] = await Promise.all([signUp(t.app, `ep-a${round}`), signUp(t.app, `ep-b${round}`)]);
      await register(a, token);
      await register(b, token);
      await Promise.all([removeDevice(a, token), round % 2 === 0 ? removeDevice(b, token) : deleteAccount(b)]);
      expect(deletedEndpoints().filter((arn) => arn === endpointOf(token)), `round ${round}`).toEqual([endpointOf(token)]);
    }
  });

  it('a device stored before endpoint items never deletes its endpoint, and is counted when its phone registers again', { timeout: 60_000 }, async () => {
    const token = newToken();
    const [legacy, other] = await Promise.all([signUp(t.app, 'ep-legacy'), signUp(t.app, 'ep-other')]);
    // As an older version stored it: no `counted`, no endpoint item.
    const storeLegacy = () =>
      t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: {
            pk: `notifications#user#${legacy.id}`, sk: `notifications#device#${deviceId(token)}`, kind: 'device',
            id: deviceId(token), userId: legacy.id, platform: 'apns', address: endpointOf(token), createdAt: '2026-11-01T00:00:00.000Z',
          },
        }),
      );
    await storeLegacy();
    await removeDevice(legacy, token);
    expect(deletedEndpoints()).toEqual([]);

    // Stored again the old way, then its app starts (registers again): counted from then on.
    await storeLegacy();
    await register(other, token);
    await register(legacy, token);
    await removeDevice(other, token);
    expect(deletedEndpoints()).toEqual([]);
    expect(await deviceIds(legacy)).toEqual([deviceId(token)]);
    await removeDevice(legacy, token);
    expect(deletedEndpoints()).toEqual([endpointOf(token)]);
  });

  it('two registrations of the same device at once count it once; its removal deletes the endpoint, nothing left', { timeout: 60_000 }, async () => {
    const token = newToken();
    const [a, b] = await Promise.all([signUp(t.app, 'ep-twice'), signUp(t.app, 'ep-beside')]);
    await Promise.all([register(a, token), register(a, token), register(b, token)]);
    expect(await endpointUsers(token)).toEqual([`${a.id}#${deviceId(token)}`, `${b.id}#${deviceId(token)}`].sort());
    await removeDevice(a, token);
    expect(await endpointUsers(token)).toEqual([`${b.id}#${deviceId(token)}`]);
    expect(deletedEndpoints()).toEqual([]);
    await Promise.all([register(a, token), removeDevice(b, token)]);
    // Either order: a's device is stored again and in the set, b's is gone from both.
    expect(await deviceIds(a)).toEqual([deviceId(token)]);
    expect(await endpointUsers(token)).toEqual([`${a.id}#${deviceId(token)}`]);
    await removeDevice(a, token);
    expect(await endpointUsers(token)).toBeUndefined();
    expect(deletedEndpoints().filter((arn) => arn === endpointOf(token)).length).toBeGreaterThanOrEqual(1);
  });

  it('a device stored again with another endpoint meanwhile (SNS deleted the first between two registrations) leaves no member in the endpoint it does not use', { timeout: 60_000 }, async () => {
    const token = newToken();
    const first = endpointOf(token);
    const second = `${APNS_APP}/endpoint-second-${token}`;
    sns.on(CreatePlatformEndpointCommand, { Token: token }).resolvesOnce({ EndpointArn: first }).resolvesOnce({ EndpointArn: second });
    const a = await signUp(t.app, 'ep-renewed');
    // The first registration got `first` from SNS; its write is held until a second one (which got `second`) stored the device.
    let held = false;
    await withCommandMiddleware(
      t.doc,
      'holdTheFirstEndpointsWrite',
      (next, context) => async (args) => {
        if (!held && context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes(first)) {
          held = true;
          await register(a, token);
        }
        return next(args);
      },
      () => register(a, token),
    );
    expect(held).toBe(true);
    const stored = (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `notifications#user#${a.id}`, sk: `notifications#device#${deviceId(token)}` }, ConsistentRead: true }))).Item!;
    const unused = stored.address === first ? second : first;
    expect(await endpointUsers(token, String(stored.address))).toEqual([`${a.id}#${deviceId(token)}`]);
    expect(await endpointUsers(token, unused)).toBeUndefined();
  });
});
