import { CreatePlatformEndpointCommand, PublishCommand } from '@aws-sdk/client-sns';
import type { EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { firstCallHeld } from '../../support/first-call-held';
import { APNS_APP, snsPush } from '../../support/sns-push';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Budget alerts that reach people: budget.threshold_crossed (from real expenses, delivered
 * through bus-delivery) -> one notification per member, email through the mail port to those
 * who opted in, push through the real SNS sender to each device. SNS is the one thing no
 * emulator here can show: aws-sdk-client-mock stands in for it.
 */
const FCM_APP = 'arn:aws:sns:us-east-1:123456789012:app/GCM/budgets';
const push = snsPush();
const sns = push.sns;
const mail: EmailMessage[] = [];
const recordMail = async (m: EmailMessage) => void mail.push(m);
/** The mail port's send: records each message (a test may hold one back first). */
let sendMail = recordMail;
let t: TestSystem;
let owner: Actor;
let editor: Actor;
let viewer: Actor;
let stranger: Actor;

beforeAll(async () => {
  t = await createTestSystem({
    env: { SNS_APNS_APPLICATION_ARN: APNS_APP, SNS_FCM_APPLICATION_ARN: FCM_APP },
    mail: { send: (m) => sendMail(m) },
  });
  [owner, editor, viewer, stranger] = await Promise.all([signUp(t.app, 'owner'), signUp(t.app, 'editor'), signUp(t.app, 'viewer'), signUp(t.app, 'stranger')]);
});
afterAll(async () => {
  push.restore();
  await t.destroy();
});
beforeEach(() => {
  push.reset();
  mail.length = 0;
  sendMail = recordMail;
});

const api = (who: Actor) => as(t.app, who);

async function registerDevice(who: Actor, platform: 'apns' | 'fcm', token: string, status = 201) {
  const res = await api(who)('POST', '/v1/me/devices', { body: { platform, token } });
  expect(res.status, res.text).toBe(status);
  return res.json as { id: string };
}

async function spend(budgetId: string, amount: number) {
  const expense = await addExpense(t.app, owner, budgetId, { amount, occurredOn: '2026-11-20' });
  await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
}

async function crossings(budgetId: string) {
  return (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budgetId);
}

const notificationsOf = async (who: Actor) => {
  const res = await api(who)('GET', '/v1/notifications');
  expect(res.status, res.text).toBe(200);
  return res.json.items as any[];
};

const publishedTo = push.publishedTo;

describe('budget alerts', { timeout: 120_000 }, () => {
  it('crossing 80% then 100% gives each member exactly one notification each, a push per device and email to those who opted in, also when delivered twice', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000, name: 'Household' });
    await addMember(t.app, owner, budget.id, editor, 'editor');
    await addMember(t.app, owner, budget.id, viewer, 'viewer');
    for (const who of [owner, viewer]) {
      expect((await api(who)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } })).status).toBe(200);
    }
    const ownerPhone = await registerDevice(owner, 'apns', 'a'.repeat(64));
    await registerDevice(owner, 'fcm', 'owner-tablet-token');
    await registerDevice(editor, 'fcm', 'editor-phone-token');
    // Registering the same token again: the same device, no second endpoint.
    expect((await registerDevice(owner, 'apns', 'a'.repeat(64), 200)).id).toBe(ownerPhone.id);
    expect(sns.commandCalls(CreatePlatformEndpointCommand).map((c) => c.args[0].input)).toEqual([
      { PlatformApplicationArn: APNS_APP, Token: 'a'.repeat(64) },
      { PlatformApplicationArn: FCM_APP, Token: 'owner-tablet-token' },
      { PlatformApplicationArn: FCM_APP, Token: 'editor-phone-token' },
    ]);

    await spend(budget.id, 8_000);
    const [at80] = await crossings(budget.id);
    expect(at80!.envelope.data).toMatchObject({ threshold: 80, scope: 'budget' });
    await deliver(t, at80!);
    await deliver(t, at80!); // EventBridge delivers again: nothing more
    await spend(budget.id, 2_500);
    const at100 = (await crossings(budget.id)).find((e) => e.envelope.data.threshold === 100)!;
    await deliver(t, at100, at100);

    for (const who of [owner, editor, viewer]) {
      const items = await notificationsOf(who);
      expect(items.map((n) => [n.threshold, n.spent, n.limit])).toEqual([[100, 10_500, 10_000], [80, 8_000, 10_000]]);
      expect(items[0]).toMatchObject({ kind: 'budget.alert', budgetId: budget.id, budgetName: 'Household', currency: 'EUR', scope: 'budget', categoryId: null, readAt: null });
    }
    expect(await notificationsOf(stranger)).toEqual([]);

    const endpoint = (app: string, token: string) => `${app}/endpoint-${token}`;
    const devices = [endpoint(APNS_APP, 'a'.repeat(64)), endpoint(FCM_APP, 'owner-tablet-token'), endpoint(FCM_APP, 'editor-phone-token')];
    expect(publishedTo()).toEqual([...devices, ...devices].sort());
    const apnsPush = sns.commandCalls(PublishCommand).find((c) => c.args[0].input.TargetArn === devices[0])!.args[0].input;
    expect(apnsPush.MessageStructure).toBe('json');
    expect(JSON.parse(JSON.parse(apnsPush.Message!).APNS).aps.alert.title).toMatch(/"Household": (80|100)% of the limit reached/);

    expect(mail.map((m) => m.to).sort()).toEqual([owner.email, owner.email, viewer.email, viewer.email].sort());
    expect(mail.map((m) => m.subject).sort()).toEqual([
      '"Household": 100% of the limit reached',
      '"Household": 100% of the limit reached',
      '"Household": 80% of the limit reached',
      '"Household": 80% of the limit reached',
    ]);
    expect(mail.find((m) => m.subject.includes('80%'))!.text).toContain('80.00 of 100.00 EUR spent');
  });

  it('a failed push is retried on redelivery without emailing again; read marks and devices are per user', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000 });
    const phone = await registerDevice(owner, 'fcm', 'retry-token');
    const tablet = await registerDevice(owner, 'fcm', 'retry-tablet-token'); // takes the push while the phone's fails
    expect((await api(owner)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } })).status).toBe(200);
    await spend(budget.id, 8_500);
    const [at80] = await crossings(budget.id);
    // The phone's first Publish fails; the owner's other devices (the tablet, earlier tests' ones) take theirs.
    let failed = false;
    sns.on(PublishCommand).callsFake(async (input: { TargetArn: string }) => {
      if (!failed && input.TargetArn.endsWith('/endpoint-retry-token')) {
        failed = true;
        throw new Error('SNS is down');
      }
      return { MessageId: 'm-2' };
    });
    await expect(deliver(t, at80!)).rejects.toThrow();
    await deliver(t, at80!);
    expect(mail.filter((m) => m.to === owner.email)).toHaveLength(1);
    expect(publishedTo().filter((arn) => arn.endsWith('/endpoint-retry-token'))).toHaveLength(2); // the failed one and the retry
    // The devices that took it are not pushed again by the retry (pushedDevices on the guard).
    expect(publishedTo().filter((arn) => arn.endsWith('/endpoint-retry-tablet-token'))).toHaveLength(1);
    const others = publishedTo().filter((arn) => !arn.endsWith('/endpoint-retry-token'));
    expect(new Set(others).size).toBe(others.length);

    const [n] = (await notificationsOf(owner)).filter((x) => x.budgetId === budget.id);
    const read = await api(owner)('POST', `/v1/notifications/${n.id}/read`);
    expect(read.status, read.text).toBe(200);
    expect(read.json.readAt).toEqual(expect.any(String));
    expect((await api(owner)('POST', `/v1/notifications/${n.id}/read`)).json.readAt).toBe(read.json.readAt);
    expectProblem(await api(stranger)('POST', `/v1/notifications/${n.id}/read`), 404);

    expectProblem(await api(stranger)('DELETE', `/v1/me/devices/${phone.id}`), 404);
    expect((await api(owner)('DELETE', `/v1/me/devices/${phone.id}`)).status).toBe(204);
    expect((await api(owner)('DELETE', `/v1/me/devices/${tablet.id}`)).status).toBe(204);
    expectProblem(await api(owner)('POST', '/v1/me/devices', { body: { platform: 'sms', token: 'x' } }), 400, ['platform']);
  });
  it('two deliveries of a crossing at once email the member once: the second meets the claim on the email and fails, to be delivered again', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000 });
    expect((await api(owner)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } })).status).toBe(200);
    await spend(budget.id, 8_500);
    const [at80] = await crossings(budget.id);
    // The first delivery's mail waits until the second delivery has come and gone.
    const held = firstCallHeld();
    sendMail = async (m) => {
      await held.pass();
      await recordMail(m);
    };
    const first = deliver(t, at80!);
    await held.firstStarted;
    await expect(deliver(t, at80!)).rejects.toThrow(/another delivery is sending this notification's email/);
    held.release();
    await first;
    expect(mail.filter((m) => m.to === owner.email)).toHaveLength(1);
    // Delivered again later: the email is marked sent, nothing more goes.
    await deliver(t, at80!);
    expect(mail.filter((m) => m.to === owner.email)).toHaveLength(1);
    expect((await notificationsOf(owner)).filter((x) => x.budgetId === budget.id)).toHaveLength(1);
  });

  it('a delivery whose claim on the email committed but whose answer was lost (the SDK sent it again and met that claim) mails the member, once: it took its own claim for another delivery\'s and failed', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000 });
    expect((await api(owner)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } })).status).toBe(200);
    await spend(budget.id, 8_500);
    const [at80] = await crossings(budget.id);
    const claim = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes('SET emailClaimedUntil');
    const { resent } = await withFirstAnswerLost(t.doc, claim, () => deliver(t, at80!));
    expect(resent).toBe(true);
    expect(mail.filter((m) => m.to === owner.email)).toHaveLength(1);
    // Delivered again later: the email is marked sent, nothing more goes.
    await deliver(t, at80!);
    expect(mail.filter((m) => m.to === owner.email)).toHaveLength(1);
  });

  it('two deliveries of a crossing at once push each device once: the second meets the claim on the push and fails, to be delivered again', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000 });
    await registerDevice(owner, 'fcm', 'concurrent-token');
    await spend(budget.id, 8_500);
    const [at80] = await crossings(budget.id);
    // The first delivery's first Publish waits until the second delivery has come and gone.
    const held = firstCallHeld();
    sns.on(PublishCommand).callsFake(async () => ({ MessageId: `m-${await held.pass()}` }));
    const first = deliver(t, at80!);
    await held.firstStarted;
    await expect(deliver(t, at80!)).rejects.toThrow(/another delivery is sending this notification's push/);
    held.release();
    await first;
    const pushed = publishedTo();
    expect(pushed.filter((arn) => arn.endsWith('/endpoint-concurrent-token'))).toHaveLength(1);
    expect(new Set(pushed).size).toBe(pushed.length);
    // Delivered again later: the push is settled, nothing more goes.
    await deliver(t, at80!);
    expect(publishedTo()).toEqual(pushed);
  });

  it('a failed email gives its claim back: the redelivery sends it at once', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000 });
    expect((await api(owner)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } })).status).toBe(200);
    await spend(budget.id, 8_500);
    const [at80] = await crossings(budget.id);
    sendMail = async () => {
      sendMail = recordMail;
      throw new Error('SES is down');
    };
    await expect(deliver(t, at80!)).rejects.toThrow(/SES is down/);
    expect(mail.filter((m) => m.to === owner.email)).toHaveLength(0);
    await deliver(t, at80!);
    expect(mail.filter((m) => m.to === owner.email)).toHaveLength(1);
  });

  it('push preferences mute one kind: the notification is still listed, only its push is skipped; the other kind is still pushed', async () => {
    const [ann, ben] = await Promise.all([signUp(t.app, 'push-ann'), signUp(t.app, 'push-ben')]);
    const budget = await createBudget(t.app, ann, { currency: 'EUR', limit: 10_000 });
    await addMember(t.app, ann, budget.id, ben, 'editor');
    await registerDevice(ann, 'fcm', 'ann-phone-token');
    await registerDevice(ben, 'fcm', 'ben-phone-token');
    const annPhone = `${FCM_APP}/endpoint-ann-phone-token`;
    const benPhone = `${FCM_APP}/endpoint-ben-phone-token`;
    // Ann mutes comment pushes, Ben alert pushes; each keeps the other kind.
    expect((await api(ann)('PATCH', '/v1/me', { body: { notifications: { push: { comments: false } } } })).json.notifications.push).toEqual({ budgetAlerts: true, comments: false, imports: true, bills: true, income: false });
    expect((await api(ben)('PATCH', '/v1/me', { body: { notifications: { push: { budgetAlerts: false } } } })).json.notifications.push).toEqual({ budgetAlerts: false, comments: true, imports: true, bills: true, income: false });

    const expense = await addExpense(t.app, ben, budget.id, { amount: 8_000, occurredOn: '2026-11-20' });
    await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
    const [at80] = await crossings(budget.id);
    await deliver(t, at80!);
    for (const who of [ann, ben]) expect((await notificationsOf(who)).map((n) => [n.kind, n.threshold])).toEqual([['budget.alert', 80]]);
    expect(publishedTo()).toEqual([annPhone]); // Ben's alert push is muted

    // Ann comments on Ben's expense: Ben (comments on) is pushed. Ben answers: Ann (comments muted) is listed, not pushed.
    const comment = async (who: Actor, text: string) => {
      const res = await api(who)('POST', `/v1/budgets/${budget.id}/expenses/${expense.id}/comments`, { body: { text } });
      expect(res.status, res.text).toBe(201);
      await deliver(t, await theEvent(t, 'expense.comment_added', { commentId: res.json.id }));
    };
    sns.resetHistory();
    await comment(ann, 'Groceries for the week?');
    expect((await notificationsOf(ben)).map((n) => n.kind)).toEqual(['expense.comment', 'budget.alert']);
    expect(publishedTo()).toEqual([benPhone]);
    sns.resetHistory();
    await comment(ben, 'And the party');
    expect((await notificationsOf(ann)).map((n) => n.kind)).toEqual(['expense.comment', 'budget.alert']);
    expect(publishedTo()).toEqual([]);
  });
});

describe('budget alerts of two periods that start on the same day', { timeout: 120_000 }, () => {
  it('a monthly period and the weekly one the budget switched to, both starting 2026-06-01: each crossing is told (the budgets module announces both)', async () => {
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000, name: 'Switcher' });
    // June 2026: the month and its first ISO week both start on Monday 2026-06-01.
    const june = async (amount: number, occurredOn: string) => {
      const expense = await addExpense(t.app, owner, budget.id, { amount, occurredOn });
      await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
    };
    await june(8_000, '2026-06-02');
    const monthly = (await crossings(budget.id)).map((e) => e.envelope.data);
    expect(monthly.map((d) => [d.periodStart, d.periodEnd, d.threshold])).toEqual([['2026-06-01', '2026-06-30', 80]]);
    await deliver(t, (await crossings(budget.id))[0]!);

    const weekly = await api(owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { period: 'weekly' } });
    expect(weekly.status, weekly.text).toBe(200);
    await june(1_000, '2026-06-03');
    const inWeek = (await crossings(budget.id)).filter((e) => e.envelope.data.periodEnd === '2026-06-07');
    expect(inWeek.map((e) => [e.envelope.data.periodStart, e.envelope.data.threshold])).toEqual([['2026-06-01', 80]]);
    await deliver(t, inWeek[0]!);

    const told = (await notificationsOf(owner)).filter((n) => n.budgetId === budget.id);
    expect(told.map((n) => [n.periodStart, n.periodEnd, n.threshold])).toEqual([
      ['2026-06-01', '2026-06-07', 80],
      ['2026-06-01', '2026-06-30', 80],
    ]);
  });
});
