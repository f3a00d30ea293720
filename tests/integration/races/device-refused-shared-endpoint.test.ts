import { createHash } from 'node:crypto';
import { CreatePlatformEndpointCommand, DeleteEndpointCommand, GetEndpointAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp, type Actor } from '../../support/actors';
import { deliver, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A device registration refused because its account was deleted meanwhile (401) must not delete
 * the SNS endpoint it was given: CreatePlatformEndpoint is idempotent for a token, so that
 * endpoint is the one another account (the same phone, signed in to it earlier) registered and
 * still pushes to. Through the real SNS sender, SNS mocked (aws-sdk-client-mock, restored after).
 */
const APNS_APP = 'arn:aws:sns:us-east-1:123456789012:app/APNS/budgets';
const endpointOf = (token: string) => `${APNS_APP}/endpoint-${token}`;
const sns = mockClient(SNSClient);
let t: TestSystem;

beforeAll(async () => {
  sns.on(CreatePlatformEndpointCommand).callsFake(async (input: { Token: string }) => ({ EndpointArn: endpointOf(input.Token) }));
  sns.on(GetEndpointAttributesCommand).callsFake(async (input: { EndpointArn: string }) => ({
    Attributes: { Enabled: 'true', Token: input.EndpointArn.split('/endpoint-')[1]!.toLowerCase() },
  }));
  sns.on(DeleteEndpointCommand).resolves({});
  t = await createTestSystem({ env: { SNS_APNS_APPLICATION_ARN: APNS_APP } });
});
afterAll(async () => {
  sns.restore();
  await t?.destroy();
});

const deviceId = (platform: string, token: string) => createHash('sha256').update(`${platform}\n${token}`).digest('base64url').slice(0, 32);

async function deleteAccount(user: Actor) {
  const res = await as(t.app, user)('DELETE', '/v1/me');
  expect(res.status, res.text).toBe(204);
  await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));
}

describe('a device registration refused for a deleted account', () => {
  it("leaves the endpoint another account registered with the same token (no DeleteEndpoint of it)", { timeout: 120_000 }, async () => {
    const token = 'abcdef0123456789shared';
    const keeper = await signUp(t.app, 'keeper');
    const kept = await as(t.app, keeper)('POST', '/v1/me/devices', { body: { platform: 'apns', token } });
    expect(kept.status, kept.text).toBe(201);

    const leaver = await signUp(t.app, 'leaver');
    const refused = await holdingFirstWrite(t, deviceId('apns', token), () => deleteAccount(leaver), () =>
      as(t.app, leaver)('POST', '/v1/me/devices', { body: { platform: 'apns', token } }),
    );
    expect(refused.status, refused.text).toBe(401);

    const deleted = sns.commandCalls(DeleteEndpointCommand).map((c) => c.args[0].input.EndpointArn);
    expect(deleted).not.toContain(endpointOf(token));
    const devices = await as(t.app, keeper)('GET', '/v1/me/devices');
    expect(devices.json.items.map((d: { id: string }) => d.id)).toEqual([deviceId('apns', token)]);
  });
});
