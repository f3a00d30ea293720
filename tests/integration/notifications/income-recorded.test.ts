import { PublishCommand } from '@aws-sdk/client-sns';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addMember, as, asAtClock, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents, type OutboxEvent } from '../../support/events';
import { runRecurringIncomeJob } from '../../support/recurring-job';
import { APNS_APP } from '../../support/sns-push';
import { notifiedSystem } from '../../support/notified-system';
import type { TestSystem } from '../../support/test-system';

/**
 * A paycheck recorded by a recurring income tells the members who opted in
 * (notifications README "How a recorded paycheck's notification is delivered"): DynamoDB Local,
 * a fixed clock, SNS mocked. `push.income` is off after signup (opt-in): a member who did not turn
 * it on gets nothing, not even the notification; one who did gets one `income.recorded`
 * notification and a push, in their locale, however often the event comes; the member who
 * recorded it by hand (record-next) is not told; an income entry a POST recorded tells nobody.
 * Texts written out by hand.
 */
const { push, start } = notifiedSystem();
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let owner: Actor;
let editor: Actor;
let viewer: Actor;
let budgetId: string;

beforeAll(async () => {
  t = await start({ clock });
  [owner, editor, viewer] = await Promise.all([signUp(t.app, 'pay-owner'), signUp(t.app, 'pay-editor'), signUp(t.app, 'pay-viewer')]);
  push.reset();
  for (const [who, token] of [[owner, 'owner-phone'], [editor, 'editor-phone'], [viewer, 'viewer-phone']] as const) {
    expect((await as(t.app, who)('POST', '/v1/me/devices', { body: { platform: 'apns', token } })).status).toBe(201);
  }
  const budget = await createBudget(t.app, owner, { name: 'Household', currency: 'USD', timezone: 'UTC' });
  budgetId = budget.id;
  await addMember(t.app, owner, budgetId, editor, 'editor');
  await addMember(t.app, owner, budgetId, viewer, 'viewer');
});
afterAll(async () => {
  push.restore();
  await t.destroy();
});
beforeEach(() => push.reset());

const api = (who: Actor) => asAtClock(t, who);
const paychecksOf = async (who: Actor) => {
  const res = await api(who)('GET', '/v1/notifications');
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { kind: string }[]).filter((n) => n.kind === 'income.recorded');
};
const recordedEvents = async (): Promise<OutboxEvent[]> => (await outboxEvents(t, 'income.recorded')).filter((e) => e.envelope.data.budgetId === budgetId);
/** The pushes sent to one device (the APNS payload's alert). */
const pushedAlerts = (token: string) =>
  push.sns
    .commandCalls(PublishCommand)
    .filter((c) => c.args[0].input.TargetArn === `${APNS_APP}/endpoint-${token}`)
    .map((c) => JSON.parse(JSON.parse(c.args[0].input.Message!).APNS).aps.alert as { title: string; body: string });

describe('a recorded paycheck (income.recorded, via recurring)', { timeout: 90_000 }, () => {
  it('tells the members who opted in, once, in their locale; not the others; a POST tells nobody', async () => {
    // Opted in: the owner (no locale) and the viewer (de-DE). The editor, who defines it, is not.
    const ownerOn = await api(owner)('PATCH', '/v1/me', { body: { notifications: { push: { income: true } } } });
    expect(ownerOn.json.notifications.push.income, ownerOn.text).toBe(true);
    expect((await api(viewer)('PATCH', '/v1/me', { body: { locale: 'de-DE', notifications: { push: { income: true } } } })).status).toBe(200);
    expect((await api(editor)('GET', '/v1/me')).json.notifications.push.income).toBe(false);

    const defined = await api(editor)('POST', `/v1/budgets/${budgetId}/recurring-income`, {
      body: { amount: 320_000, source: 'Acme payroll', description: 'Salary', schedule: { frequency: 'monthly', startsOn: '2026-11-24' } },
    });
    expect(defined.status, defined.text).toBe(201);
    const gift = await api(owner)('POST', `/v1/budgets/${budgetId}/income`, { body: { amount: 5_000, source: 'Grandma' } });
    expect(gift.status, gift.text).toBe(201);
    expect(await runRecurringIncomeJob(t)).toMatchObject({ recorded: 1, failed: 0 });

    const events = await recordedEvents();
    const paycheck = events.find((e) => e.envelope.data.via === 'recurring')!;
    const posted = events.find((e) => e.envelope.data.via === undefined)!;
    expect(paycheck.envelope.data).toMatchObject({ recurringIncomeId: defined.json.id, amount: 320_000 });
    // The paycheck delivered twice (a redelivery), the POST's entry once.
    await deliver(t, paycheck, paycheck, posted);

    const incomeId = paycheck.envelope.data.incomeId;
    const common = { kind: 'income.recorded', budgetId, budgetName: 'Household', incomeId, recurringIncomeId: defined.json.id, receivedOn: '2026-11-24', amount: 320_000, currency: 'USD', source: 'Acme payroll', description: 'Salary', readAt: null };
    expect(await paychecksOf(owner)).toEqual([expect.objectContaining({ ...common, message: 'Salary 3200.00 USD from Acme payroll recorded (2026-11-24).' })]);
    expect(await paychecksOf(viewer)).toEqual([expect.objectContaining({ ...common, message: 'Salary 3.200,00\u00A0$ von Acme payroll verbucht (24.11.2026).' })]);
    expect(await paychecksOf(editor)).toEqual([]);
    // One push each to the two who opted in, none for the redelivery, none for the POST.
    expect(push.publishedTo()).toEqual([`${APNS_APP}/endpoint-owner-phone`, `${APNS_APP}/endpoint-viewer-phone`]);
    expect(pushedAlerts('owner-phone')).toEqual([{ title: 'Income recorded in Household', body: 'Salary 3200.00 USD from Acme payroll recorded (2026-11-24).' }]);
    expect(pushedAlerts('viewer-phone')).toEqual([{ title: 'Einnahme in Household verbucht', body: 'Salary 3.200,00\u00A0$ von Acme payroll verbucht (24.11.2026).' }]);
  });

  it("record-next: the member who asked is not told, the others who opted in are; one who turned it off is not", async () => {
    const defined = await api(owner)('POST', `/v1/budgets/${budgetId}/recurring-income`, {
      body: { amount: 150_050, source: 'Side gig', schedule: { frequency: 'monthly', startsOn: '2026-12-15' } },
    });
    expect(defined.status, defined.text).toBe(201);
    const before = (await recordedEvents()).length;
    const early = await api(owner)('POST', `/v1/budgets/${budgetId}/recurring-income/${defined.json.id}/record-next`, { body: {} });
    expect(early.status, early.text).toBe(200);
    const [event] = (await recordedEvents()).slice(before);
    expect(event!.envelope.data).toMatchObject({ via: 'recurring', recordedBy: owner.id, recurringIncomeId: defined.json.id });

    // The viewer turns it off again, the editor on.
    expect((await api(viewer)('PATCH', '/v1/me', { body: { notifications: { push: { income: false } } } })).status).toBe(200);
    expect((await api(editor)('PATCH', '/v1/me', { body: { notifications: { push: { income: true } } } })).status).toBe(200);
    await deliver(t, event!);

    const told = (who: Actor) => paychecksOf(who).then((items) => items.filter((n) => (n as { recurringIncomeId?: string }).recurringIncomeId === defined.json.id));
    expect(await told(owner)).toEqual([]);
    expect(await told(viewer)).toEqual([]);
    expect(await told(editor)).toEqual([
      expect.objectContaining({ incomeId: early.json.income.id, receivedOn: '2026-12-15', amount: 150_050, source: 'Side gig', description: null, message: 'Income 1500.50 USD from Side gig recorded (2026-12-15).' }),
    ]);
    expect(push.publishedTo()).toEqual([`${APNS_APP}/endpoint-editor-phone`]);
  });
});
