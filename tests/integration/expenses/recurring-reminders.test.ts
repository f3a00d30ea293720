import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addMember, as, asAtClock, createBudget, signUp, type Actor } from '../../support/actors';
import { matchesRelayFilter } from '../../../packages/app/src/events/relay-filter';
import { deliver, outboxEvents, tableItems, type OutboxEvent } from '../../support/events';
import { streamRecord } from '../../unit/events/stream-records';
import { APNS_APP } from '../../support/sns-push';
import { type TestSystem } from '../../support/test-system';
import { notifiedSystem } from '../../support/notified-system';

/**
 * Bill reminders (DynamoDB Local, a fixed clock; SNS mocked, the webhooks' poster a stand-in):
 * the hourly recurring-reminders job publishes expense.recurring_due_soon once per (definition,
 * occurrence) for a definition due tomorrow in its budget's time zone, from 09:00 there the day
 * before (the occurrence's day begins within 15 hours: domain/reminders.ts) and not the hour
 * before, none for a paused one or a skipped date, once however often it ticks or a unit is
 * delivered; through bus-delivery every
 * member gets one bill.due_soon notification and a push unless they muted push.bills, however
 * often the event comes; a webhook that picked the event receives it.
 */
const JOB = 'recurring-reminders';
const { push, posted, start } = notifiedSystem();
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let owner: Actor;
let editor: Actor;
let viewer: Actor;

beforeAll(async () => {
  t = await start({ clock });
  [owner, editor, viewer] = await Promise.all([signUp(t.app, 'bill-owner'), signUp(t.app, 'bill-editor'), signUp(t.app, 'bill-viewer')]);
  push.reset();
  for (const [who, token] of [[owner, 'owner-phone'], [editor, 'editor-phone'], [viewer, 'viewer-phone']] as const) {
    expect((await as(t.app, who)('POST', '/v1/me/devices', { body: { platform: 'apns', token } })).status).toBe(201);
  }
});
afterAll(async () => {
  push.restore();
  await t.destroy();
});
beforeEach(() => {
  clock.set('2026-11-24T12:00:00Z');
  push.reset();
});

/** An HTTP call as `who` with a token valid at the clock's time (the tests move it by days). */
const api = (who: Actor) => asAtClock(t, who);
const ctx = () => ({ logger: t.system.deps.logger });
/** One tick of the job as deployed: the planner pages the due index, each unit worked (in this process). */
const tick = (at: string) => t.system.jobs.plan(JOB, new Date(at), ctx());
/** One unit's message delivered as the queue would (again and again, for a redelivery). */
const deliverUnit = (at: string, unit: Record<string, string>) => t.system.jobs.deliver({ type: 'unit', job: JOB, tick: at, unit }, ctx());

async function define(who: Actor, budgetId: string, body: Record<string, unknown>) {
  const res = await api(who)('POST', `/v1/budgets/${budgetId}/recurring-expenses`, { body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; nextOccurrenceOn: string; createdBy: string };
}
const remindersOf = async (budgetId: string): Promise<OutboxEvent[]> =>
  (await outboxEvents(t, 'expense.recurring_due_soon')).filter((e) => e.envelope.data.budgetId === budgetId);
const billNotifications = async (who: Actor) => {
  const res = await api(who)('GET', '/v1/notifications');
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).filter((n) => n.kind === 'bill.due_soon');
};
const publishedTo = push.publishedTo;

describe('bill reminders (expense.recurring_due_soon)', { timeout: 90_000 }, () => {
  it('Auckland: a bill due tomorrow there is reminded once to every member (push unless muted); paused and skipped ones are not', async () => {
    // 2026-11-24T12:00Z is 25 November, 01:00 in Auckland (UTC+13): the 26th begins at 2026-11-25T11:00Z
    // (26 November 00:00 - 13 h), in 23 hours; it is due soon from 2026-11-25T11:00Z - 15 h = 2026-11-24T20:00Z
    // (25 November 09:00 there).
    const budget = await createBudget(t.app, owner, { name: 'Flat', currency: 'NZD', timezone: 'Pacific/Auckland' });
    await addMember(t.app, owner, budget.id, editor, 'editor');
    await addMember(t.app, owner, budget.id, viewer, 'viewer');
    const monthly = { frequency: 'monthly', startsOn: '2026-11-26' };
    const rent = await define(editor, budget.id, { amount: 120_000, merchant: 'Rent Co', description: 'Rent', schedule: monthly });
    expect(rent.nextOccurrenceOn).toBe('2026-11-26');
    const paused = await define(owner, budget.id, { amount: 5_000, merchant: 'Gym', schedule: monthly });
    expect((await api(owner)('PATCH', `/v1/budgets/${budget.id}/recurring-expenses/${paused.id}`, { body: { paused: true } })).status).toBe(200);
    const skipped = await define(owner, budget.id, { amount: 7_000, merchant: 'Power', schedule: monthly });
    const skip = await api(owner)('POST', `/v1/budgets/${budget.id}/recurring-expenses/${skipped.id}/skip`);
    expect(skip.json.nextOccurrenceOn, skip.text).toBe('2026-12-26');
    // The same bill in a UTC budget: the 26th begins there at 2026-11-26T00:00Z, due soon from
    // 2026-11-25T09:00Z (- 15 h): not at the Auckland ticks below (2026-11-24T20:00Z: 28 hours ahead).
    const utcBudget = await createBudget(t.app, owner, { name: 'Home', currency: 'USD', timezone: 'UTC' });
    const utcRent = await define(owner, utcBudget.id, { amount: 90_000, merchant: 'Landlord', schedule: monthly });

    const hook = await api(owner)('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', budgetIds: [budget.id], eventTypes: ['expense.recurring_due_soon'] } });
    expect(hook.status, hook.text).toBe(201);

    // The hour before: 2026-11-24T19:00Z (08:00 in Auckland), the 26th begins in 16 hours: nothing.
    clock.set('2026-11-24T19:00:00Z');
    await tick('2026-11-24T19:00:00Z');
    expect(await remindersOf(budget.id)).toEqual([]);
    // 2026-11-24T20:00Z (09:00 in Auckland): the 26th begins in exactly 15 hours, reminded.
    clock.set('2026-11-24T20:00:00Z');
    await tick('2026-11-24T20:00:00Z');
    // The next hours' ticks (and the same tick again) find it reminded already.
    await tick('2026-11-24T20:00:00Z');
    await tick('2026-11-24T21:00:00Z');
    // A unit delivered again (a queue redelivery after the planner's filter) at 2026-11-24T22:00Z,
    // 13 hours before the 26th begins there, still in the window: the marker holds.
    await deliverUnit('2026-11-24T22:00:00Z', { budgetId: budget.id, id: rent.id, createdBy: editor.id, nextOccurrenceOn: '2026-11-26' });

    const events = await remindersOf(budget.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, recurringExpenseId: rent.id, dueOn: '2026-11-26', amount: 120_000, currency: 'NZD', categoryId: null, merchant: 'Rent Co', description: 'Rent' },
    ]);
    expect(events[0]).toMatchObject({ source: 'budgeting.expenses', envelope: { type: 'expense.recurring_due_soon', version: 1 } });
    expect(await remindersOf(utcBudget.id)).toEqual([]);
    const items = await tableItems(t.doc, t.tableName);
    expect(items.filter((i) => i.kind === 'recurring-reminder').map((i) => [i.recurringExpenseId, i.dueOn])).toEqual([[rent.id, '2026-11-26']]);
    // The relay is handed it: its outbox item's INSERT passes the stream's filter.
    expect(matchesRelayFilter(streamRecord(items.find((i) => i.pk === events[0]!.pk)!))).toBe(true);

    // The viewer mutes bill pushes; delivered twice (a redelivery): one notification each, one push each.
    const muted = await api(viewer)('PATCH', '/v1/me', { body: { notifications: { push: { bills: false } } } });
    expect(muted.json.notifications.push, muted.text).toEqual({ budgetAlerts: true, comments: true, imports: true, bills: false, income: false });
    await deliver(t, events[0]!, events[0]!);
    await t.system.webhooks.localQueue!.idle();
    for (const who of [owner, editor, viewer]) {
      expect(await billNotifications(who)).toEqual([
        expect.objectContaining({
          kind: 'bill.due_soon', budgetId: budget.id, budgetName: 'Flat', recurringExpenseId: rent.id, dueOn: '2026-11-26', amount: 120_000, currency: 'NZD',
          merchant: 'Rent Co', description: 'Rent', message: 'Rent Co: 1200.00 NZD due tomorrow (2026-11-26) in Flat.', readAt: null,
        }),
      ]);
    }
    expect(publishedTo()).toEqual([`${APNS_APP}/endpoint-editor-phone`, `${APNS_APP}/endpoint-owner-phone`]);
    const payloads = posted.map((p) => JSON.parse(p.body) as { type: string; data: { event: { data: Record<string, unknown> } } });
    expect(payloads.filter((p) => p.type === 'expense.recurring_due_soon').map((p) => p.data.event.data)).toEqual([events[0]!.envelope.data]);

    // 2026-11-25T12:00Z, noon in the UTC budget: its 26th begins in 12 hours (due soon since
    // 09:00Z): its unit delivered twice at once publishes one reminder, and the tick none more.
    clock.set('2026-11-25T12:00:00Z');
    const unit = { budgetId: utcBudget.id, id: utcRent.id, createdBy: owner.id, nextOccurrenceOn: '2026-11-26' };
    await Promise.all([deliverUnit('2026-11-25T12:00:00Z', unit), deliverUnit('2026-11-25T12:00:00Z', unit)]);
    await tick('2026-11-25T12:00:00Z');
    expect((await remindersOf(utcBudget.id)).map((e) => [e.envelope.data.recurringExpenseId, e.envelope.data.dueOn])).toEqual([[utcRent.id, '2026-11-26']]);
    // The Auckland rent's day has begun (2026-11-25T11:00Z): recorded, not reminded again.
    expect(await remindersOf(budget.id)).toHaveLength(1);
  });

  it('Los Angeles: reminded in the hour the next day comes within 15 hours there (09:00 the day before), not before; a paused definition resumed at noon is reminded at the next tick', async () => {
    // Los Angeles is UTC-8: 27 November begins at 2026-11-27T08:00Z (00:00 + 8 h); its window opens
    // at 2026-11-27T08:00Z - 15 h = 2026-11-26T17:00Z (26 November 09:00 PST).
    const budget = await createBudget(t.app, owner, { name: 'Cabin', currency: 'USD', timezone: 'America/Los_Angeles' });
    await addMember(t.app, owner, budget.id, editor, 'editor');
    const water = await define(owner, budget.id, { amount: 4_250, description: 'Water', schedule: { frequency: 'monthly', startsOn: '2026-11-27' } });
    const paused = await define(owner, budget.id, { amount: 1_999, merchant: 'Streaming', schedule: { frequency: 'monthly', startsOn: '2026-11-27' } });
    expect((await api(owner)('PATCH', `/v1/budgets/${budget.id}/recurring-expenses/${paused.id}`, { body: { paused: true } })).status).toBe(200);

    // 2026-11-26T08:00Z is midnight in Los Angeles (where a 24-hour lead reminded): nothing; nor
    // at 16:00Z (08:00 PST, the 27th begins in 16 hours), the hour before.
    await tick('2026-11-26T08:00:00Z');
    await tick('2026-11-26T16:00:00Z');
    expect(await remindersOf(budget.id)).toEqual([]);
    await tick('2026-11-26T17:00:00Z');
    const events = await remindersOf(budget.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, recurringExpenseId: water.id, dueOn: '2026-11-27', amount: 4_250, currency: 'USD', categoryId: null, merchant: null, description: 'Water' },
    ]);

    // Resumed at 2026-11-26T20:00Z (noon in Los Angeles, after its 09:00 tick): its next occurrence
    // is tomorrow there, 12 hours away, reminded at the next tick (21:00Z, 11 hours before).
    clock.set('2026-11-26T20:00:00Z');
    const resumed = await api(owner)('PATCH', `/v1/budgets/${budget.id}/recurring-expenses/${paused.id}`, { body: { paused: false } });
    expect(resumed.json.nextOccurrenceOn, resumed.text).toBe('2026-11-27');
    clock.set('2026-11-26T21:00:00Z');
    await tick('2026-11-26T21:00:00Z');
    expect((await remindersOf(budget.id)).map((e) => e.envelope.data.recurringExpenseId).sort()).toEqual([water.id, paused.id].sort());

    // The editor mutes bill pushes: the notification stays, only the owner's phone is pushed.
    expect((await api(editor)('PATCH', '/v1/me', { body: { notifications: { push: { bills: false } } } })).status).toBe(200);
    await deliver(t, events[0]!);
    expect((await billNotifications(editor)).filter((n) => n.budgetId === budget.id).map((n) => n.message)).toEqual(['Water: 42.50 USD due tomorrow (2026-11-27) in Cabin.']);
    expect((await billNotifications(owner)).filter((n) => n.budgetId === budget.id)).toHaveLength(1);
    expect(publishedTo()).toEqual([`${APNS_APP}/endpoint-owner-phone`]);
  });
  // An offline push may create a definition under a client id (packages/expenses/docs/sync.md "Offline push"),
  // so two budgets can hold definitions with the same id: each budget's bill is still a reminder
  // of its own for a member of both (the notification's guard is per budget, not per id alone).
  it('a definition pushed into another budget under the id of one the member has: both bills reminded, one notification each', async () => {
    const member = await signUp(t.app, 'bill-two-budgets');
    const home = await createBudget(t.app, member, { name: 'Town', currency: 'USD', timezone: 'UTC' });
    const lake = await createBudget(t.app, member, { name: 'Lake', currency: 'USD', timezone: 'UTC' });
    const schedule = { frequency: 'monthly', startsOn: '2026-12-02' };
    const rent = await define(member, home.id, { amount: 100_000, merchant: 'Town rent', schedule });
    const pushed = await api(member)('POST', `/v1/budgets/${lake.id}/changes`, {
      body: { mutations: [{ type: 'recurringExpense', op: 'create', id: rent.id, recurringExpense: { amount: 30_000, merchant: 'Lake rent', schedule } }] },
    });
    expect(pushed.json?.results?.[0], pushed.text).toMatchObject({ status: 'applied', recurringExpense: { id: rent.id, budgetId: lake.id } });

    // 2 December begins at 2026-12-02T00:00Z in both: due soon from 2026-12-01T09:00Z.
    clock.set('2026-12-01T09:00:00Z');
    await tick('2026-12-01T09:00:00Z');
    const events = [...(await remindersOf(home.id)), ...(await remindersOf(lake.id))];
    expect(events.map((e) => e.envelope.data.merchant).sort()).toEqual(['Lake rent', 'Town rent']);
    await deliver(t, ...events);
    const notes = await billNotifications(member);
    expect(notes.map((n) => [n.budgetId, n.recurringExpenseId, n.merchant]).sort()).toEqual([[home.id, rent.id, 'Town rent'], [lake.id, rent.id, 'Lake rent']].sort());
  });

  // A reminder event delivered late (an EventBridge retry hours later, a dead letter replayed days
  // later) once its bill's day has come in the budget's zone: "due tomorrow" would be false, so
  // no member is told (nor pushed); one delivered later the same evening still is.
  it('a reminder delivered once its due day has come (a late retry, a dead letter replayed) tells no one "due tomorrow"; the evening before it still does', async () => {
    const member = await signUp(t.app, 'bill-late');
    const budget = await createBudget(t.app, member, { name: 'Late', currency: 'USD', timezone: 'Europe/Berlin' });
    const rent = await define(member, budget.id, { amount: 80_000, merchant: 'Late rent', schedule: { frequency: 'monthly', startsOn: '2026-12-10' } });
    const water = await define(member, budget.id, { amount: 3_000, merchant: 'Late water', schedule: { frequency: 'monthly', startsOn: '2026-12-10' } });
    // 10 December begins in Berlin (UTC+1) at 2026-12-09T23:00Z: due soon from 2026-12-09T08:00Z.
    clock.set('2026-12-09T08:00:00Z');
    await tick('2026-12-09T08:00:00Z');
    const events = await remindersOf(budget.id);
    const eventOf = (id: string) => events.find((e) => e.envelope.data.recurringExpenseId === id)!;
    expect(events.map((e) => e.envelope.data.recurringExpenseId).sort()).toEqual([rent.id, water.id].sort());

    // Delivered at 2026-12-09T22:30Z, 23:30 the evening before in Berlin: still tomorrow there.
    clock.set('2026-12-09T22:30:00Z');
    await deliver(t, eventOf(water.id));
    // Delivered at 2026-12-09T23:30Z, 00:30 on the 10th in Berlin: the bill is due today.
    clock.set('2026-12-09T23:30:00Z');
    await deliver(t, eventOf(rent.id));
    // And again days later (a dead letter replayed): still nothing.
    clock.set('2026-12-13T12:00:00Z');
    await deliver(t, eventOf(rent.id));
    expect((await billNotifications(member)).map((n) => [n.recurringExpenseId, n.message])).toEqual([[water.id, 'Late water: 30.00 USD due tomorrow (2026-12-10) in Late.']]);
  });

  // A unit handed late (a queue backlog, a dead letter replayed) carries its tick, as of which the
  // bill was due soon; once its day has begun in the budget's zone it is due, not due soon.
  it('a reminder unit worked only once its bill\'s day has begun (a backlog, a dead letter replayed) publishes nothing; worked late the evening before, it still reminds', async () => {
    const member = await signUp(t.app, 'bill-late-unit');
    const budget = await createBudget(t.app, member, { name: 'Backlog', currency: 'EUR', timezone: 'Europe/Berlin' });
    const rent = await define(member, budget.id, { amount: 60_000, merchant: 'Backlog rent', schedule: { frequency: 'monthly', startsOn: '2026-12-10' } });
    const gym = await define(member, budget.id, { amount: 2_500, merchant: 'Backlog gym', schedule: { frequency: 'monthly', startsOn: '2026-12-10' } });
    const unitOf = (id: string) => ({ budgetId: budget.id, id, createdBy: member.id, nextOccurrenceOn: '2026-12-10' });
    // Both units planned by the tick of 2026-12-09T08:00Z (09:00 in Berlin, the 10th begins there at 23:00Z).
    // The gym's is worked at 2026-12-09T22:00Z (23:00 in Berlin): still tomorrow there.
    clock.set('2026-12-09T22:00:00Z');
    await deliverUnit('2026-12-09T08:00:00Z', unitOf(gym.id));
    // The rent's at 2026-12-09T23:30Z (00:30 on the 10th in Berlin), before the recording job's tick recorded it.
    clock.set('2026-12-09T23:30:00Z');
    await deliverUnit('2026-12-09T08:00:00Z', unitOf(rent.id));
    expect((await remindersOf(budget.id)).map((e) => e.envelope.data.recurringExpenseId)).toEqual([gym.id]);
  });
});
