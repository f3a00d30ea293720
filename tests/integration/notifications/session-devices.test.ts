import { CreatePlatformEndpointCommand, DeleteEndpointCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addExpense, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents, tableItems, theEvent, type OutboxEvent } from '../../support/events';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A push device belongs to the session that registered it (README "Devices and sessions"): a
 * thief's session that registered its phone must not keep getting the household's pushes once
 * that session ends. Sign out, logout, a password change: the session's devices are released
 * (as DELETE /v1/me/devices does: the SNS endpoint deleted when no other device uses it) by the
 * notifications module's subscriber to user.sessions_ended; another session's device stays.
 * Through the real SNS sender with aws-sdk-client-mock in front of SNS.
 */
const FCM_APP = 'arn:aws:sns:us-east-1:123456789012:app/GCM/budgets';
const sns = mockClient(SNSClient);
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ env: { SNS_FCM_APPLICATION_ARN: FCM_APP } });
});
afterAll(async () => {
  sns.restore();
  await t.destroy();
});
beforeEach(() => {
  sns.reset();
  sns.on(CreatePlatformEndpointCommand).callsFake(async (input: { Token: string }) => ({ EndpointArn: `${FCM_APP}/endpoint-${input.Token}` }));
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  sns.on(DeleteEndpointCommand).resolves({});
});

/** Another sign-in of the account: another phone, another session. */
async function login(who: Actor, password = who.password): Promise<Actor> {
  const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: who.email, password } });
  expect(res.status, res.text).toBe(200);
  return { ...who, token: res.json.tokens.accessToken as string, refreshToken: res.json.tokens.refreshToken as string };
}
const sid = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;

async function register(who: Actor, token: string): Promise<string> {
  const res = await as(t.app, who)('POST', '/v1/me/devices', { body: { platform: 'fcm', token } });
  expect(res.status, res.text).toBeLessThan(300);
  return (res.json as { id: string }).id;
}
const deviceIds = async (who: Actor) => {
  const res = await as(t.app, who)('GET', '/v1/me/devices');
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { id: string }[]).map((d) => d.id).sort();
};
const deletedEndpoints = () => sns.commandCalls(DeleteEndpointCommand).map((c) => String(c.args[0].input.EndpointArn));

/** The user's events that end sessions, not delivered before, delivered now (as EventBridge would). */
const delivered = new Set<string>();
async function deliverSessionEndings(userId: string): Promise<OutboxEvent[]> {
  const events = (await outboxEvents(t)).filter((e) => e.envelope.data.userId === userId && !delivered.has(e.envelope.id));
  const endings = events.filter((e) => ['user.sessions_ended', 'user.suspended'].includes(e.detailType));
  for (const e of events) delivered.add(e.envelope.id);
  await deliver(t, ...endings);
  return endings;
}

/** Where the pushes of a budget alert (80% of a new budget spent) went. */
async function pushedOnAlert(owner: Actor): Promise<string[]> {
  const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000 });
  const expense = await addExpense(t.app, owner, budget.id, { amount: 8_000, occurredOn: '2026-11-20' });
  await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  sns.resetHistory();
  await deliver(t, await theEvent(t, 'budget.threshold_crossed', { budgetId: budget.id }));
  return sns.commandCalls(PublishCommand).map((c) => String(c.args[0].input.TargetArn));
}

describe("a session's push devices", { timeout: 60_000 }, () => {
  it('go when that session signs out (DELETE /v1/me/sessions/{id}); another session\'s device stays', async () => {
    const owner = await signUp(t.app, 'devices-signout');
    const phoneA = await login(owner);
    const a = await register(phoneA, 'token-signout-a');
    const b = await register(owner, 'token-signout-b');
    expect(await deviceIds(owner)).toEqual([a, b].sort());

    const res = await as(t.app, owner)('DELETE', `/v1/me/sessions/${sid(phoneA.token)}`);
    expect(res.status, res.text).toBe(204);
    const endings = await deliverSessionEndings(owner.id);
    expect(endings.map((e) => e.envelope.data.sessionId)).toEqual([sid(phoneA.token)]);

    expect(await deviceIds(owner)).toEqual([b]);
    expect(deletedEndpoints()).toEqual([`${FCM_APP}/endpoint-token-signout-a`]);
    expect(await pushedOnAlert(owner)).toEqual([`${FCM_APP}/endpoint-token-signout-b`]);
    // A redelivery finds nothing more to do.
    await deliver(t, ...endings);
    expect(await deviceIds(owner)).toEqual([b]);
  });

  it('go when that session logs out', async () => {
    const owner = await signUp(t.app, 'devices-logout');
    const phoneA = await login(owner);
    const a = await register(phoneA, 'token-logout-a');
    const b = await register(owner, 'token-logout-b');
    expect(await deviceIds(owner)).toEqual([a, b].sort());

    const res = await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: phoneA.refreshToken } });
    expect(res.status, res.text).toBe(204);
    await deliverSessionEndings(owner.id);
    expect(await deviceIds(owner)).toEqual([b]);
  });

  it('go with every session a password change ends; a device registered by the new session stays', async () => {
    const owner = await signUp(t.app, 'devices-password');
    const phoneA = await login(owner);
    await register(phoneA, 'token-password-a');
    await register(owner, 'token-password-b');

    const changed = await as(t.app, owner)('POST', '/v1/me/password', { body: { currentPassword: owner.password, newPassword: 'a brand new passphrase' } });
    expect(changed.status, changed.text).toBe(200);
    const after = { ...owner, token: changed.json.tokens.accessToken as string, refreshToken: changed.json.tokens.refreshToken as string };
    // The new session registers its phone before the event is delivered: it stays.
    const c = await register(after, 'token-password-c');
    await deliverSessionEndings(owner.id);
    expect(await deviceIds(after)).toEqual([c]);
  });

  it('a device registered again by another session moves to it, and stays when the first one ends', async () => {
    const owner = await signUp(t.app, 'devices-move');
    const phoneA = await login(owner);
    const a = await register(phoneA, 'token-move-a');
    expect(await register(owner, 'token-move-a')).toBe(a);

    const res = await as(t.app, owner)('DELETE', `/v1/me/sessions/${sid(phoneA.token)}`);
    expect(res.status, res.text).toBe(204);
    await deliverSessionEndings(owner.id);
    expect(await deviceIds(owner)).toEqual([a]);
  });

  it('go with every session a suspension by support ends', async () => {
    const owner = await signUp(t.app, 'devices-suspended');
    const phoneA = await login(owner);
    await register(phoneA, 'token-suspended-a');
    const suspend = t.system.operations.find((o) => o.name === 'users-suspend')!;
    await suspend.run({ email: owner.email, reason: 'TICKET-1: stolen account', operator: 'support-alice' }, { logger: t.system.deps.logger });
    const endings = await deliverSessionEndings(owner.id);
    expect(endings.map((e) => e.detailType)).toEqual(['user.suspended']);
    const devices = (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `notifications#user#${owner.id}` && i.kind === 'device');
    expect(devices).toEqual([]);
  });

  it('a device stored before devices named their session stays', async () => {
    const owner = await signUp(t.app, 'devices-legacy');
    const phoneA = await login(owner);
    const a = await register(phoneA, 'token-legacy-a');
    // As stored before: no session recorded.
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: `notifications#user#${owner.id}`, sk: `notifications#device#${a}` }, UpdateExpression: 'REMOVE sessionId' }));

    const res = await as(t.app, owner)('DELETE', `/v1/me/sessions/${sid(phoneA.token)}`);
    expect(res.status, res.text).toBe(204);
    await deliverSessionEndings(owner.id);
    expect(await deviceIds(owner)).toEqual([a]);
  });
});
