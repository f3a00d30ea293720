import { PublishCommand } from '@aws-sdk/client-sns';
import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, tokenAtClock, type Actor } from '../../support/actors';
import { deliver, itemsUnder, outboxEvents, theEvent } from '../../support/events';
import { notifiedSystem } from '../../support/notified-system';
import { APNS_APP } from '../../support/sns-push';
import { commandsSentDuring } from '../../support/sent-commands';
import type { TestSystem } from '../../support/test-system';
import { storedBudget } from './helpers';

/**
 * Pace alerts (packages/budgets/docs/alerts.md "Pace alerts"): a budget with `paceAlerts` on announces
 * budget.overspend_projected once per (period, line) when, from a quarter of the CURRENT period
 * on, spending at its pace so far would pass the line's limit (its available with rollover) by
 * the period's end before reaching it. Checked on the threshold check's own reads (no request
 * added when nothing is newly projected over). Members are told like a threshold alert, in their
 * locale. Every expected figure is worked out by hand in the comment next to it.
 */
const { push, start } = notifiedSystem();
const clock = fixedClock('2026-11-15T12:00:00Z');
const mail: EmailMessage[] = [];
let t: TestSystem;
let alice: Actor;
let bob: Actor;

beforeAll(async () => {
  t = await start({ clock, mail: { send: async (m) => void mail.push(m) } });
  [alice, bob] = await Promise.all([signUp(t.app, 'pace-alice'), signUp(t.app, 'pace-bob')]);
});
afterAll(async () => {
  push.restore();
  await t.destroy();
});
beforeEach(async () => {
  push.reset();
  mail.length = 0;
  await at('2026-11-15T12:00:00Z'); // day 15 of November's 30
});

/** Moves the clock; both users' tokens are re-signed at the new time. */
async function at(when: string) {
  clock.set(when);
  alice.token = await tokenAtClock(t, alice);
  bob.token = await tokenAtClock(t, bob);
}

async function householdWithDining(body: Record<string, unknown> = {}) {
  const budget = await createBudget(t.app, alice, { currency: 'EUR', limit: 200_000, categories: [{ name: 'Dining', limit: 50_000 }], paceAlerts: true, ...body });
  return { budget, dining: budget.categories[0]!.id };
}

/** Records an expense over HTTP and delivers its expense.recorded event to every subscriber. */
async function spend(budgetId: string, amount: number, occurredOn: string, categoryId?: string) {
  const expense = await addExpense(t.app, alice, budgetId, { amount, occurredOn, ...(categoryId ? { categoryId } : {}) });
  const event = await theEvent(t, 'expense.recorded', { expenseId: expense.id });
  await deliver(t, event);
  return event;
}

const projections = async (budgetId: string) =>
  (await outboxEvents(t, 'budget.overspend_projected')).filter((e) => e.envelope.data.budgetId === budgetId).map((e) => e.envelope.data);

const NOVEMBER = { periodStart: '2026-11-01', periodEnd: '2026-11-30' };

describe('budget.overspend_projected', { timeout: 120_000 }, () => {
  it('announces a category projected over once, not twice; its marker sits in the markers partition under its own prefix', async () => {
    const { budget, dining } = await householdWithDining();
    await spend(budget.id, 31_000, '2026-11-10', dining); // 310.00 x 30 / 15 = 620.00 of 500.00; the budget's 620.00 of 2000.00 is under
    expect(await projections(budget.id)).toEqual([
      { budgetId: budget.id, ...NOVEMBER, categoryId: dining, limit: 50_000, spent: 31_000, projected: 62_000, daysElapsed: 15, daysInPeriod: 30, currency: 'EUR' },
    ]);
    await spend(budget.id, 1_000, '2026-11-12', dining); // 320.00: still projected over, already announced
    expect(await projections(budget.id)).toHaveLength(1);
    const markers = (await itemsUnder(t, `budgets#thresholds#${budget.id}`)).map((m) => m.sk);
    expect(markers).toEqual([`budgets#pace#2026-11-01#2026-11-30#category#${dining}`]);
    // The summary's pace agrees: 320.00 against an even 250.00 by day 15.
    const summary = await as(t.app, alice)('GET', `/v1/budgets/${budget.id}/summary`);
    expect(summary.json.categories[0].pace.status).toBe('over');
    expect(summary.json.thresholdsCrossed).toEqual([]);
  });

  it('publishes one event when deliveries race, duplicates included (the marker decides)', async () => {
    const { budget, dining } = await householdWithDining();
    const events = [];
    for (const amount of [16_000, 16_000]) {
      const expense = await addExpense(t.app, alice, budget.id, { amount, occurredOn: '2026-11-09', categoryId: dining });
      events.push(await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
    }
    // 320.00 x 2 = 640.00 of 500.00, seen by all four deliveries at once.
    await Promise.all([...events, ...events].map((e) => deliver(t, e)));
    expect((await projections(budget.id)).map((p) => [p.categoryId, p.spent, p.projected])).toEqual([[dining, 32_000, 64_000]]);
  });

  it('waits for a quarter of the period: nothing on day 7 of 30, announced on day 8 by the next expense event', async () => {
    await at('2026-11-07T12:00:00Z'); // 7 x 4 = 28 < 30
    const { budget, dining } = await householdWithDining();
    await spend(budget.id, 20_000, '2026-11-05', dining); // 200.00 x 30 / 7 = 857.15 of 500.00: too early to tell
    expect(await projections(budget.id)).toEqual([]);
    await at('2026-11-08T12:00:00Z'); // 8 x 4 = 32 >= 30
    await spend(budget.id, 100, '2026-11-08', dining); // 201.00 x 30 / 8 = 753.75
    expect(await projections(budget.id)).toEqual([
      { budgetId: budget.id, ...NOVEMBER, categoryId: dining, limit: 50_000, spent: 20_100, projected: 75_375, daysElapsed: 8, daysInPeriod: 30, currency: 'EUR' },
    ]);
  });

  it('is quiet once the limit is reached (the 100% threshold tells), and for an earlier period', async () => {
    const { budget, dining } = await householdWithDining();
    await spend(budget.id, 50_000, '2026-11-10', dining); // 100% of Dining
    expect(await projections(budget.id)).toEqual([]);
    expect((await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budget.id).map((e) => e.envelope.data.threshold)).toEqual([80, 100]);
    // October is not the current period: 400.00 in it is no pace of anything now.
    await spend(budget.id, 40_000, '2026-10-20', dining);
    expect(await projections(budget.id)).toEqual([]);
  });

  it('is off unless opted in; PATCH paceAlerts: true turns it on (the next expense event announces)', async () => {
    const { budget, dining } = await householdWithDining({ paceAlerts: undefined });
    expect(budget.paceAlerts).toBe(false);
    await spend(budget.id, 31_000, '2026-11-10', dining);
    expect(await projections(budget.id)).toEqual([]);
    const patched = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { paceAlerts: true } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.paceAlerts).toBe(true);
    await spend(budget.id, 500, '2026-11-14', dining); // 315.00 x 2 = 630.00
    expect((await projections(budget.id)).map((p) => [p.categoryId, p.spent, p.projected])).toEqual([[dining, 31_500, 63_000]]);
  });

  it("judges a rollover category against its available: what October left raises November's bar", async () => {
    await at('2026-10-05T12:00:00Z');
    const budget = await createBudget(t.app, alice, { currency: 'EUR', limit: 200_000, categories: [{ name: 'Fun', limit: 10_000, rollover: true }], paceAlerts: true });
    const fun = budget.categories[0]!.id;
    await spend(budget.id, 2_000, '2026-10-05', fun); // October leaves 80.00: November's available is 180.00
    await at('2026-11-15T12:00:00Z');
    await spend(budget.id, 8_000, '2026-11-10', fun); // 80.00 x 2 = 160.00: over the 100.00 limit, not the 180.00 available
    expect(await projections(budget.id)).toEqual([]);
    // 95.00 x 2 = 190.00 > 180.00, but within the pace's 5 % tolerance (on-track while spent x 30 - 18000 x 15 <= 5 % x 18000 x 30 = 27000, spent <= 99.00): no alert.
    await spend(budget.id, 1_500, '2026-11-11', fun);
    expect(await projections(budget.id)).toEqual([]);
    await spend(budget.id, 500, '2026-11-11', fun); // 100.00 x 2 = 200.00: past 99.00, over pace
    expect(await projections(budget.id)).toEqual([
      { budgetId: budget.id, ...NOVEMBER, categoryId: fun, limit: 18_000, spent: 10_000, projected: 20_000, daysElapsed: 15, daysInPeriod: 30, currency: 'EUR' },
    ]);
  });

  it("a weekly budget's total: Wednesday is day 3 of 7", async () => {
    await at('2026-11-18T12:00:00Z'); // week Monday 16 .. Sunday 22 November; 3 x 4 = 12 >= 7
    const budget = await createBudget(t.app, alice, { currency: 'EUR', period: 'weekly', limit: 10_000, paceAlerts: true });
    await spend(budget.id, 4_000, '2026-11-16'); // 40.00 x 7 / 3 = 93.34 (rounded up): under 100.00
    expect(await projections(budget.id)).toEqual([]);
    await spend(budget.id, 1_000, '2026-11-17'); // 50.00 x 7 / 3 = 116.666.. -> 116.67
    expect(await projections(budget.id)).toEqual([
      { budgetId: budget.id, periodStart: '2026-11-16', periodEnd: '2026-11-22', categoryId: null, limit: 10_000, spent: 5_000, projected: 11_667, daysElapsed: 3, daysInPeriod: 7, currency: 'EUR' },
    ]);
  });

  it('a weekly period and the monthly one the budget switched to, both starting 2026-06-01: each projection is told to the members', async () => {
    await at('2026-06-03T12:00:00Z'); // Wednesday of the week Monday 1 .. Sunday 7 June: day 3 of 7
    const budget = await createBudget(t.app, alice, { currency: 'EUR', period: 'weekly', limit: 200_000, categories: [{ name: 'Dining', limit: 50_000 }], paceAlerts: true });
    const dining = budget.categories[0]!.id;
    await spend(budget.id, 31_000, '2026-06-02', dining); // 310.00 x 7 / 3 = 723.34 of 500.00
    await deliver(t, ...(await outboxEvents(t, 'budget.overspend_projected')).filter((e) => e.envelope.data.budgetId === budget.id));
    const monthly = await as(t.app, alice)('PATCH', `/v1/budgets/${budget.id}`, { body: { period: 'monthly' } });
    expect(monthly.status, monthly.text).toBe(200);
    await at('2026-06-10T12:00:00Z'); // day 10 of June's 30
    await spend(budget.id, 5_000, '2026-06-09', dining); // 360.00 x 30 / 10 = 1080.00 of 500.00
    const announced = (await outboxEvents(t, 'budget.overspend_projected')).filter((e) => e.envelope.data.budgetId === budget.id);
    expect(announced.map((e) => [e.envelope.data.periodStart, e.envelope.data.periodEnd])).toEqual([
      ['2026-06-01', '2026-06-07'],
      ['2026-06-01', '2026-06-30'],
    ]);
    await deliver(t, announced[1]!);
    const list = await as(t.app, alice)('GET', '/v1/notifications?limit=100');
    expect(list.status, list.text).toBe(200);
    const told = list.json.items.filter((n: { budgetId?: string }) => n.budgetId === budget.id);
    expect(told.map((n: { periodStart: string; periodEnd: string }) => [n.periodStart, n.periodEnd])).toEqual([
      ['2026-06-01', '2026-06-30'],
      ['2026-06-01', '2026-06-07'],
    ]);
  });

  it('adds no request to an expense event when nothing is newly projected over', async () => {
    const optedIn = await householdWithDining();
    const optedOut = await householdWithDining({ paceAlerts: false });
    const sentFor = async (budgetId: string, categoryId: string) => {
      const expense = await addExpense(t.app, alice, budgetId, { amount: 10_000, occurredOn: '2026-11-10', categoryId }); // 100.00 x 2 = 200.00 of 500.00
      const event = await theEvent(t, 'expense.recorded', { expenseId: expense.id });
      return (await commandsSentDuring(t.doc, () => deliver(t, event))).sent;
    };
    // The threshold check's requests: what reads the running totals or the markers, and any transaction
    // (the webhooks' watcher reads and the member list are the webhooks subscriber's, the same either way).
    const checks = (sent: { name: string; input: Record<string, unknown> }[]) =>
      sent.filter((c) => /expenses#totals#|budgets#thresholds#/.test(JSON.stringify(c.input)) || c.name === 'TransactWriteItemsCommand').map((c) => c.name);
    const outSent = await sentFor(optedOut.budget.id, optedOut.dining);
    const inSent = await sentFor(optedIn.budget.id, optedIn.dining);
    expect(await projections(optedIn.budget.id)).toEqual([]);
    // The budget and November's totals in ONE BatchGetItem, opted in or not; nothing written.
    expect(checks(inSent)).toEqual(['BatchGetItemCommand']);
    expect(checks(outSent)).toEqual(['BatchGetItemCommand']);
    expect(inSent.map((c) => c.name)).toEqual(outSent.map((c) => c.name));
  });
});

describe('the paceAlerts setting', { timeout: 120_000 }, () => {
  it('defaults to false and is not stored; create, GET, PATCH (budget.updated), copy; a non-boolean is a 400 naming it', async () => {
    const plain = await createBudget(t.app, alice, { currency: 'EUR' });
    expect(plain.paceAlerts).toBe(false);
    expect((await storedBudget(t, plain.id)).paceAlerts).toBeUndefined();

    const on = await createBudget(t.app, alice, { currency: 'EUR', paceAlerts: true });
    expect((await as(t.app, alice)('GET', `/v1/budgets/${on.id}`)).json.paceAlerts).toBe(true);
    expect((await storedBudget(t, on.id)).paceAlerts).toBe(true);

    const copy = await as(t.app, alice)('POST', `/v1/budgets/${on.id}/copy`, { body: { name: 'Copy' } });
    expect(copy.status, copy.text).toBe(201);
    expect(copy.json.paceAlerts).toBe(true);

    const off = await as(t.app, alice)('PATCH', `/v1/budgets/${on.id}`, { body: { paceAlerts: false } });
    expect(off.status, off.text).toBe(200);
    expect(off.json.paceAlerts).toBe(false);
    expect((await storedBudget(t, on.id)).paceAlerts).toBeUndefined(); // removed, as on items before it
    const updated = await theEvent(t, 'budget.updated', { budgetId: on.id });
    expect(updated.envelope.data).toMatchObject({ changed: ['paceAlerts'], changes: { paceAlerts: { before: true, after: false } } });

    const bad = await as(t.app, alice)('PATCH', `/v1/budgets/${on.id}`, { body: { paceAlerts: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('paceAlerts');
  });
});

/** The pushes sent to one device (the APNS payload's alert). */
const pushed = (token: string) =>
  push.sns
    .commandCalls(PublishCommand)
    .filter((c) => c.args[0].input.TargetArn === `${APNS_APP}/endpoint-${token}`)
    .map((c) => JSON.parse(JSON.parse(c.args[0].input.Message!).APNS).aps.alert as { title: string; body: string });

describe('the pace alert notification', { timeout: 120_000 }, () => {
  it("tells every member like a threshold alert, in their locale: in-app, push, email when opted in; once", async () => {
    for (const [who, token] of [[alice, 'pace-alice-phone'], [bob, 'pace-bob-phone']] as const) {
      expect((await as(t.app, who)('POST', '/v1/me/devices', { body: { platform: 'apns', token } })).status).toBe(201);
    }
    const optIn = await as(t.app, bob)('PATCH', '/v1/me', { body: { locale: 'de-DE', notifications: { email: { budgetAlerts: true } } } });
    expect(optIn.status, optIn.text).toBe(200);
    const { budget, dining } = await householdWithDining();
    await addMember(t.app, alice, budget.id, bob, 'viewer');
    await spend(budget.id, 31_000, '2026-11-10', dining);
    const event = await theEvent(t, 'budget.overspend_projected', { budgetId: budget.id });
    await deliver(t, event);
    await deliver(t, event); // a redelivery tells nobody twice

    // Alice has no locale: the formats before locales, the limit with its code.
    expect(pushed('pace-alice-phone')).toEqual([{ title: 'Dining in "Household": on pace to go over the limit', body: 'Dining: at this pace 620.00 of 500.00 EUR by 2026-11-30' }]);
    // Bob (de-DE): German words, amounts and day (\u00A0: the no-break space before the euro sign).
    expect(pushed('pace-bob-phone')).toEqual([
      { title: 'Dining in „Household“: auf dem Weg, das Limit zu überschreiten', body: 'Dining: bei diesem Tempo 620,00\u00A0€ von 500,00\u00A0€ bis 30.11.2026' },
    ]);
    expect(mail.map((m) => [m.to, m.subject, m.text])).toEqual([
      [bob.email, 'Dining in „Household“: auf dem Weg, das Limit zu überschreiten', 'Dining in „Household“: auf dem Weg, das Limit zu überschreiten\n\nDining: bei diesem Tempo 620,00\u00A0€ von 500,00\u00A0€ bis 30.11.2026\n'],
    ]);
    const list = await as(t.app, alice)('GET', '/v1/notifications');
    expect(list.status, list.text).toBe(200);
    const mine = list.json.items.filter((n: { budgetId?: string }) => n.budgetId === budget.id);
    expect(mine).toEqual([
      {
        id: expect.any(String),
        kind: 'budget.pace',
        budgetId: budget.id,
        budgetName: 'Household',
        currency: 'EUR',
        categoryId: dining,
        categoryName: 'Dining',
        limit: 50_000,
        spent: 31_000,
        projected: 62_000,
        periodStart: '2026-11-01',
        periodEnd: '2026-11-30',
        message: 'Dining: at this pace 620.00 of 500.00 EUR by 2026-11-30',
        createdAt: '2026-11-15T12:00:00.000Z',
        readAt: null,
      },
    ]);
    // Counted unread on the home overview: its guard (`notifications#pace#...`) sorts between the
    // notifications and the read-all mark, in the range the count reads (it was a 500: a guard has no `id`).
    const overview = await as(t.app, alice)('GET', '/v1/me/overview');
    expect(overview.status, overview.text).toBe(200);
    expect(overview.json.unreadNotifications).toEqual({ count: list.json.items.length, more: false });
  });

  it("an en-GB member reads the budget's total with the sign and the medium date", async () => {
    const locale = await as(t.app, alice)('PATCH', '/v1/me', { body: { locale: 'en-GB' } });
    expect(locale.status, locale.text).toBe(200);
    try {
      const budget = await createBudget(t.app, alice, { currency: 'EUR', name: 'Trip', limit: 50_000, paceAlerts: true });
      await spend(budget.id, 31_000, '2026-11-10');
      await deliver(t, await theEvent(t, 'budget.overspend_projected', { budgetId: budget.id }));
      expect(pushed('pace-alice-phone')).toEqual([{ title: '"Trip": on pace to go over the limit', body: 'Trip: at this pace €620.00 of €500.00 by 30 Nov 2026' }]);
    } finally {
      await as(t.app, alice)('PATCH', '/v1/me', { body: { locale: null } });
    }
  });

  // Published for two minutes on 2026-12-04 (21:32 to 21:34, between the merge of pace alerts and
  // the rename) with `period: {start, end}`: such an event, relayed late or replayed from the dead
  // letters by this code, was refused as invalid and nobody was told.
  it('an event in the first shape (period: {start, end}) is still told, as periodStart and periodEnd', async () => {
    const { budget, dining } = await householdWithDining({ name: 'First shape' });
    await spend(budget.id, 31_000, '2026-11-10', dining);
    const event = await theEvent(t, 'budget.overspend_projected', { budgetId: budget.id });
    const { periodStart, periodEnd, ...rest } = event.envelope.data;
    await deliver(t, { ...event, envelope: { ...event.envelope, data: { ...rest, period: { start: periodStart, end: periodEnd } } } });
    const list = await as(t.app, alice)('GET', '/v1/notifications');
    const told = (list.json.items as { kind: string; budgetId?: string }[]).filter((n) => n.kind === 'budget.pace' && n.budgetId === budget.id);
    expect(told).toEqual([expect.objectContaining({ categoryId: dining, periodStart: '2026-11-01', periodEnd: '2026-11-30', projected: 62_000 })]);
  });

  // A pace alert is a projection to the period's end: delivered only once that end has passed in
  // the budget's zone (an EventBridge retry, a dead letter replayed days later), "on pace to go over
  // by 30 November" is about a period whose outcome is known (the threshold alerts tell that).
  it('a pace alert delivered after its period ended (a late retry, a dead letter replayed) tells no one; delivered late on its last day, it still does', async () => {
    const optIn = await as(t.app, alice)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } });
    expect(optIn.status, optIn.text).toBe(200);
    try {
      const evening = await householdWithDining({ name: 'Evening', timezone: 'America/New_York' });
      const replayed = await householdWithDining({ name: 'Replayed', timezone: 'America/New_York' });
      await spend(evening.budget.id, 31_000, '2026-11-10', evening.dining);
      await spend(replayed.budget.id, 31_000, '2026-11-10', replayed.dining);
      const paceIn = async (budgetId: string) =>
        ((await as(t.app, alice)('GET', '/v1/notifications')).json.items as { kind: string; budgetId?: string }[]).filter((n) => n.kind === 'budget.pace' && n.budgetId === budgetId);
      // 2026-12-01T03:00Z is still 30 November, 22:00, in New York: November has not ended there.
      await at('2026-12-01T03:00:00Z');
      await deliver(t, await theEvent(t, 'budget.overspend_projected', { budgetId: evening.budget.id }));
      expect(await paceIn(evening.budget.id)).toHaveLength(1);
      // Delivered on 4 December (a dead letter replayed): November has ended there.
      await at('2026-12-04T12:00:00Z');
      await deliver(t, await theEvent(t, 'budget.overspend_projected', { budgetId: replayed.budget.id }));
      expect(await paceIn(replayed.budget.id)).toEqual([]);
      expect(mail.filter((m) => m.subject.includes('Replayed'))).toEqual([]);
      expect(mail.filter((m) => m.subject.includes('Evening'))).toHaveLength(1);
    } finally {
      await as(t.app, alice)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: false } } } });
    }
  });
});
