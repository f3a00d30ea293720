import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  EndpointDisabledException,
  GetEndpointAttributesCommand,
  InvalidParameterException,
  PublishCommand,
  SetEndpointAttributesCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, itemsUnder, outboxEvents, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A push to a dead SNS endpoint (app uninstalled, token invalid: SNS disabled the endpoint and
 * refuses Publish with EndpointDisabled) forgets that device instead of failing the alert; any
 * other Publish failure still fails it, and the redelivery pushes again. Through the real SNS
 * sender with aws-sdk-client-mock in front of SNS (no emulator here has mobile push).
 */
const APNS_APP = 'arn:aws:sns:us-east-1:123456789012:app/APNS/budgets';
const FCM_APP = 'arn:aws:sns:us-east-1:123456789012:app/GCM/budgets';
const endpoint = (app: string, token: string) => `${app}/endpoint-${token}`;
const sns = mockClient(SNSClient);
let t: TestSystem;
let owner: Actor;
/** Endpoints SNS holds disabled (as after APNs/FCM reported their token invalid). */
const disabled = new Set<string>();

beforeAll(async () => {
  t = await createTestSystem({ env: { SNS_APNS_APPLICATION_ARN: APNS_APP, SNS_FCM_APPLICATION_ARN: FCM_APP } });
  owner = await signUp(t.app, 'owner');
});
afterAll(async () => {
  sns.restore();
  await t.destroy();
});
beforeEach(() => {
  sns.reset();
  disabled.clear();
  sns.on(CreatePlatformEndpointCommand).callsFake(async (input: { Token: string; PlatformApplicationArn: string }) => ({
    EndpointArn: endpoint(input.PlatformApplicationArn, input.Token),
  }));
  sns.on(GetEndpointAttributesCommand).callsFake(async (input: { EndpointArn: string }) => ({
    // SNS answers an iOS token in lowercase.
    Attributes: { Enabled: String(!disabled.has(input.EndpointArn)), Token: input.EndpointArn.includes('/APNS/') ? input.EndpointArn.split('/endpoint-')[1]!.toLowerCase() : input.EndpointArn.split('/endpoint-')[1] },
  }));
  sns.on(PublishCommand).callsFake(async (input: { TargetArn: string }) => {
    if (disabled.has(input.TargetArn)) throw new EndpointDisabledException({ message: 'Endpoint is disabled', $metadata: {} });
    return { MessageId: 'm-1' };
  });
  // Deleting an endpoint is best effort: even a failing one does not fail the alert.
  sns.on(DeleteEndpointCommand).rejects(new Error('SNS is down for DeleteEndpoint'));
});

const api = (who: Actor) => as(t.app, who);

async function registerDevice(who: Actor, platform: 'apns' | 'fcm', token: string) {
  const res = await api(who)('POST', '/v1/me/devices', { body: { platform, token } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

/** A budget that crosses 80% once spent: its budget.threshold_crossed event. */
async function crossing() {
  const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000 });
  const expense = await addExpense(t.app, owner, budget.id, { amount: 8_000, occurredOn: '2026-11-20' });
  await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  const [event] = (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budget.id);
  return event!;
}

const deviceIds = async (who: Actor) => ((await api(who)('GET', '/v1/me/devices')).json.items as { id: string }[]).map((d) => d.id).sort();
const deviceItems = async () => (await itemsUnder(t, 'notifications#user#')).filter((i) => String(i.sk).startsWith('notifications#device#'));
const publishedTo = () => sns.commandCalls(PublishCommand).map((c) => String(c.args[0].input.TargetArn));

describe('pushes to devices that are gone', { timeout: 120_000 }, () => {
  it('a disabled endpoint among two devices: the alert succeeds, that device is forgotten and its endpoint deleted, the other gets its push', async () => {
    const gone = await registerDevice(owner, 'apns', 'b'.repeat(64));
    const alive = await registerDevice(owner, 'fcm', 'alive-token');
    const goneArn = endpoint(APNS_APP, 'b'.repeat(64));
    const aliveArn = endpoint(FCM_APP, 'alive-token');
    expect(await deviceIds(owner)).toEqual([gone.id, alive.id].sort());
    disabled.add(goneArn); // the app was uninstalled: APNs told SNS, SNS disabled the endpoint

    const event = await crossing();
    await deliver(t, event); // does not fail
    expect(publishedTo().sort()).toEqual([aliveArn, goneArn].sort());
    expect(sns.commandCalls(DeleteEndpointCommand).map((c) => c.args[0].input.EndpointArn)).toEqual([goneArn]);
    expect(await deviceIds(owner)).toEqual([alive.id]);
    expect((await deviceItems()).map((i) => i.id)).toEqual([alive.id]);

    // Done: the guard marked the push, a redelivery pushes nothing more.
    await deliver(t, event);
    expect(publishedTo()).toHaveLength(2);
  });

  it('a throttled or failing Publish still fails the alert, keeps the device, and the redelivery pushes again', async () => {
    const [only] = await deviceIds(owner);
    const arn = endpoint(FCM_APP, 'alive-token');
    const event = await crossing();
    sns
      .on(PublishCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(Object.assign(new Error('Internal error'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } }))
      .resolves({ MessageId: 'm-3' });
    await expect(deliver(t, event)).rejects.toThrow();
    expect(await deviceIds(owner)).toEqual([only]);
    expect(sns.commandCalls(DeleteEndpointCommand)).toHaveLength(0);
    await expect(deliver(t, event)).rejects.toThrow();
    await deliver(t, event);
    expect(publishedTo()).toEqual([arn, arn, arn]);
    expect(await deviceIds(owner)).toEqual([only]);
  });

  it('registering a token whose endpoint SNS kept disabled (app reinstalled) enables it again, as the SNS docs advise', async () => {
    const arn = endpoint(FCM_APP, 'reinstalled-token');
    disabled.add(arn);
    await registerDevice(owner, 'fcm', 'reinstalled-token');
    expect(sns.commandCalls(SetEndpointAttributesCommand).map((c) => c.args[0].input)).toEqual([
      { EndpointArn: arn, Attributes: { Token: 'reinstalled-token', Enabled: 'true' } },
    ]);
    // An enabled endpoint with the same token is left as it is.
    await registerDevice(owner, 'apns', 'C'.repeat(64));
    expect(sns.commandCalls(SetEndpointAttributesCommand)).toHaveLength(1);
  });

  it('a token SNS refuses for its platform (an FCM token sent as apns) is a 400 naming token, nothing stored; any other SNS failure stays a 5xx', async () => {
    const user = await signUp(t.app, 'refused');
    // SNS checks an APNs token is hexadecimal: an Android app's FCM token registered as apns is refused.
    sns.on(CreatePlatformEndpointCommand).rejects(
      new InvalidParameterException({ message: 'Invalid parameter: Token Reason: iOS device tokens must be no more than 400 hexadecimal characters', $metadata: { httpStatusCode: 400 } }),
    );
    expectProblem(await api(user)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'fcm:APA91bHun4MxP5egoKMwt2KZFBaFUH' } }), 400, ['token']);
    expect((await api(user)('GET', '/v1/me/devices')).json.items).toEqual([]);
    // The platform application itself refused (our configuration, not the token): a 500.
    sns.on(CreatePlatformEndpointCommand).rejects(
      new InvalidParameterException({ message: 'Invalid parameter: PlatformApplicationArn Reason: no such application', $metadata: { httpStatusCode: 400 } }),
    );
    expect((await api(user)('POST', '/v1/me/devices', { body: { platform: 'apns', token: 'e'.repeat(64) } })).status).toBe(500);
  });
});

