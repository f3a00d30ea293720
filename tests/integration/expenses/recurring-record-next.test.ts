import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenAtClock } from '../../support/actors';
import { outboxEvents } from '../../support/events';
import { raceRecordNextWithJob } from '../../support/record-next-race';
import { type Budget, type Harness, type Team, type User } from './harness';
import { callAs, recurringSuite } from './recurring-harness';

/**
 * Recording the next occurrence now (POST .../record-next, YNAB's "Enter now") against
 * DynamoDB Local with a fixed clock and the real job: the expense is the one the job would
 * record (totals, summary, expense.recorded via recurring), the definition moves on as after a
 * skip, and the occurrence is recorded exactly once: the job never records it again, a retry
 * with the same Idempotency-Key replays, and neither two calls nor a call and the job racing
 * record it twice. Every expected total below is worked by hand from the amounts set up.
 */
const START = '2026-11-24T12:00:00Z'; // 2026-11-25 01:00 in Auckland
const DAY = 24 * 60 * 60 * 1000;
const suite = recurringSuite(START, { team: { categories: ['Housing', 'Groceries'], timezone: 'UTC' } });
const { clock, created, run } = suite;
let h: Harness;
let team: Team;
let stranger: User;
beforeAll(async () => {
  h = suite.harness();
  team = suite.team();
  stranger = await h.signup('stranger');
});

const req = (who: User, method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => callAs(h, who, method, url, options);

type Definition = { id: string; nextOccurrenceOn: string | null; paused: boolean; version: number };
type Expense = { id: string; amount: number; occurredOn: string; categoryId: string | null; createdBy: string };

async function setUp(budget: Budget, body: Record<string, unknown>, who: User = team.owner) {
  const res = await req(who, 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, { body });
  expect(res.status, res.text).toBe(201);
  const url = res.headers.get('location')!;
  created.push(url);
  return { url, recordNext: `${url}/record-next`, def: res.json as Definition };
}

async function expensesOf(budget: Budget): Promise<Expense[]> {
  const res = await req(team.owner, 'GET', `/v1/budgets/${budget.id}/expenses?limit=100`);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as Expense[]).reverse();
}
const datesOf = async (budget: Budget) => (await expensesOf(budget)).map((e) => e.occurredOn);

/** The summary of the month holding `date`: spent, spent per category (non-zero only), uncategorized. */
async function summary(b: Budget, date: string) {
  const res = await req(team.owner, 'GET', `/v1/budgets/${b.id}/summary?date=${date}`);
  expect(res.status, res.text).toBe(200);
  const byCategory = Object.fromEntries((res.json.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
  return { spent: res.json.spent as number, byCategory, uncategorized: res.json.uncategorizedSpent as number };
}

async function occurrenceMarkers(recurringId: string) {
  const out = await h.t.doc.send(
    new ScanCommand({
      TableName: h.t.tableName,
      FilterExpression: 'kind = :k AND recurringExpenseId = :id',
      ExpressionAttributeValues: { ':k': 'recurring-occurrence', ':id': recurringId },
    }),
  );
  return (out.Items ?? []).map((i) => [i.occurredOn, i.expenseId]);
}

function problemNames(res: { status: number; headers: Headers; json: any }, field: string) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
}

describe('recording the next occurrence now', { timeout: 120_000 }, () => {
  it("records the job's expense on the scheduled date (200, ETag, version + 1): totals, event, the definition moved on; the job never records that date again", async () => {
    const budget = await h.createBudget(team.owner, { categories: ['Housing', 'Groceries'], timezone: 'UTC' });
    await h.addMember(budget, team.owner, team.editor, 'editor');
    const [housing, groceries] = budget.categories.map((c) => c.id) as [string, string];
    const hand = await req(team.owner, 'POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 2_500, categoryId: groceries, occurredOn: '2026-11-10' } });
    expect(hand.status, hand.text).toBe(201);
    // Rent on the 1st of every month: next 2026-12-01, a week away.
    const rentBody = { amount: 120_000, categoryId: housing, merchant: 'Landlord Ltd', description: 'Rent', tags: ['housing'], schedule: { frequency: 'monthly', startsOn: '2026-12-01' } };
    const { url, recordNext, def } = await setUp(budget, rentBody);
    expect(def).toMatchObject({ nextOccurrenceOn: '2026-12-01', version: 1 });

    // Paid early, entered by the editor with the definition's version.
    const res = await req(team.editor, 'POST', recordNext, { headers: { 'if-match': '"1"' } });
    expect(res.status, res.text).toBe(200);
    // The definition's ETag, naming its next occurrence too (the job moves it without a new version).
    expect(res.headers.get('etag')).toBe('"2-n20270101"');
    expect(res.json.expense).toMatchObject({
      amount: 120_000, categoryId: housing, occurredOn: '2026-12-01', merchant: 'Landlord Ltd', description: 'Rent', tags: ['housing'],
      reviewed: true, createdBy: team.owner.id, version: 1, budgetId: budget.id,
    });
    expect(res.json.recurringExpense).toMatchObject({ id: def.id, nextOccurrenceOn: '2027-01-01', paused: false, version: 2 });
    expect((await req(team.owner, 'GET', url)).json).toEqual(res.json.recurringExpense);
    const got = await req(team.owner, 'GET', `/v1/budgets/${budget.id}/expenses/${res.json.expense.id}`);
    expect(got.json).toEqual(res.json.expense);

    // Totals by hand: November keeps the 2,500 of groceries; December holds the rent only.
    expect(await summary(budget, '2026-11-15')).toEqual({ spent: 2_500, byCategory: { [groceries]: 2_500 }, uncategorized: 0 });
    expect(await summary(budget, '2026-12-15')).toEqual({ spent: 120_000, byCategory: { [housing]: 120_000 }, uncategorized: 0 });
    // The event the job publishes for an occurrence.
    const events = (await outboxEvents(h.t, 'expense.recorded')).map((e) => e.envelope.data).filter((d) => d.budgetId === budget.id && d.via === 'recurring');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ expenseId: res.json.expense.id, amount: 120_000, occurredOn: '2026-12-01', createdBy: team.owner.id, recurringExpenseId: def.id, recordedBy: team.editor.id });
    // The activity log names the editor who pressed it (not the creator, who still paid it).
    const entryOf = async (expenseId: string) => {
      const activity = await req(team.owner, 'GET', `/v1/budgets/${budget.id}/activity`);
      expect(activity.status, activity.text).toBe(200);
      return activity.json.items.find((e: { subject: { id: string } }) => e.subject.id === expenseId);
    };
    expect(await entryOf(res.json.expense.id)).toMatchObject({
      action: 'expense.created', actor: { type: 'user', id: team.editor.id }, subject: { type: 'expense', id: res.json.expense.id }, recurringExpenseId: def.id,
    });
    // The job's own occurrence marker, naming the expense.
    expect(await occurrenceMarkers(def.id)).toEqual([['2026-12-01', res.json.expense.id]]);

    // The day comes: the job records nothing for it. The month after, as usual.
    clock.set('2026-12-01T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0, failed: 0 });
    expect(await datesOf(budget)).toEqual(['2026-11-10', '2026-12-01']);
    clock.set('2027-01-01T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect(await datesOf(budget)).toEqual(['2026-11-10', '2026-12-01', '2027-01-01']);
    // The job's own recording names nobody: no recordedBy, and the schedule is the actor.
    const jobs = (await outboxEvents(h.t, 'expense.recorded')).map((e) => e.envelope.data).filter((d) => d.budgetId === budget.id && d.occurredOn === '2027-01-01');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ createdBy: team.owner.id, via: 'recurring', recurringExpenseId: def.id });
    expect(jobs[0]).not.toHaveProperty('recordedBy');
    expect(await entryOf(jobs[0].expenseId)).toMatchObject({
      action: 'expense.recorded_by_schedule', actor: { type: 'schedule', name: 'recurring-expenses', onBehalfOf: { id: team.owner.id } }, recurringExpenseId: def.id,
    });
    expect(await summary(budget, '2026-12-15')).toEqual({ spent: 120_000, byCategory: { [housing]: 120_000 }, uncategorized: 0 });
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2027-02-01', version: 2 });
  });

  it('a due occurrence the job has not reached yet: recorded once, the job then finds nothing; a split definition records its parts', async () => {
    const budget = await h.createBudget(team.owner, { categories: ['Housing', 'Groceries'], timezone: 'UTC' });
    const [housing, groceries] = budget.categories.map((c) => c.id) as [string, string];
    const { recordNext } = await setUp(budget, {
      amount: 1_000,
      splits: [{ amount: 700, categoryId: housing }, { amount: 300, categoryId: groceries }],
      schedule: { frequency: 'daily', startsOn: '2026-11-24' },
    });
    const res = await req(team.owner, 'POST', recordNext);
    expect(res.status, res.text).toBe(200);
    expect(res.json.expense).toMatchObject({ amount: 1_000, occurredOn: '2026-11-24', categoryId: null, splits: [{ amount: 700, categoryId: housing }, { amount: 300, categoryId: groceries }] });
    expect(res.json.recurringExpense.nextOccurrenceOn).toBe('2026-11-25');
    expect(await run()).toMatchObject({ recorded: 0, failed: 0 });
    expect(await summary(budget, '2026-11-24')).toEqual({ spent: 1_000, byCategory: { [housing]: 700, [groceries]: 300 }, uncategorized: 0 });
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-25']);
    expect(await summary(budget, '2026-11-24')).toEqual({ spent: 2_000, byCategory: { [housing]: 1_400, [groceries]: 600 }, uncategorized: 0 });
  });

  it("occurredOn dates it the day paid (up to today in the budget's time zone); a later or malformed one is a 400 naming occurredOn", async () => {
    const budget = await h.createBudget(team.owner, { timezone: 'Pacific/Auckland' });
    // Monthly on the 30th: next 2026-11-30. Today is 2026-11-25 in Auckland (11-24 in UTC).
    const { recordNext, url, def } = await setUp(budget, { amount: 4_000, schedule: { frequency: 'monthly', startsOn: '2026-10-30' } });
    expect(def.nextOccurrenceOn).toBe('2026-11-30');
    for (const occurredOn of ['2026-11-26', '2026-02-30', '25/11/2026', 20261125, null]) {
      problemNames(await req(team.owner, 'POST', recordNext, { body: { occurredOn } }), 'occurredOn');
    }
    problemNames(await req(team.owner, 'POST', recordNext, { body: { occurredOn: '2026-11-20', amount: 1 } }), 'amount');
    expect(await datesOf(budget)).toEqual([]);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-11-30', version: 1 });

    // Today in Auckland, though tomorrow in UTC: accepted.
    const res = await req(team.owner, 'POST', recordNext, { body: { occurredOn: '2026-11-25' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.expense).toMatchObject({ amount: 4_000, occurredOn: '2026-11-25' });
    expect(res.json.recurringExpense).toMatchObject({ nextOccurrenceOn: '2026-12-30', version: 2 });
    // The occurrence recorded is the scheduled one (11-30): the job records nothing on its day.
    expect(await occurrenceMarkers(def.id)).toEqual([['2026-11-30', res.json.expense.id]]);
    clock.set('2026-11-30T12:00:00Z'); // 12-01 in Auckland
    expect(await run()).toMatchObject({ recorded: 0, failed: 0 });
    expect(await datesOf(budget)).toEqual(['2026-11-25']);
    expect(await h.spent(budget, await tokenAtClock(h.t, team.owner), '2026-11-25')).toBe(4_000);
  });

  it('the last occurrence ends the schedule as the job does; ended or paused: 409, nothing recorded', async () => {
    const budget = await h.createBudget(team.owner, { timezone: 'UTC' });
    const { recordNext, url } = await setUp(budget, { amount: 10, schedule: { frequency: 'daily', startsOn: '2026-11-24', endsOn: '2026-11-25' } });
    expect((await req(team.owner, 'POST', recordNext)).json.recurringExpense.nextOccurrenceOn).toBe('2026-11-25');
    const last = await req(team.owner, 'POST', recordNext);
    expect(last.status, last.text).toBe(200);
    expect(last.json.expense.occurredOn).toBe('2026-11-25');
    expect(last.json.recurringExpense).toMatchObject({ nextOccurrenceOn: null, version: 3 });
    const ended = await req(team.owner, 'POST', recordNext);
    expect(ended.status).toBe(409);
    expect(ended.headers.get('content-type')).toBe('application/problem+json');
    expect(ended.json.detail).toMatch(/ended/);
    clock.advance(2 * DAY);
    expect(await run()).toMatchObject({ recorded: 0 });
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-25']);

    clock.set(START);
    const other = await setUp(budget, { amount: 20, schedule: { frequency: 'daily' } });
    expect((await req(team.owner, 'PATCH', other.url, { body: { paused: true } })).status).toBe(200);
    const paused = await req(team.owner, 'POST', other.recordNext);
    expect(paused.status).toBe(409);
    expect(paused.json.detail).toMatch(/paused/);
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-25']);
    expect((await req(team.owner, 'GET', url)).json.version).toBe(3);
  });

  it('a viewer is refused (403), a stranger and an unknown definition get 404, a stale If-Match 412: nothing recorded', async () => {
    const { recordNext, url } = await setUp(team.budget, { amount: 55, schedule: { frequency: 'weekly', startsOn: '2026-12-03' } });
    const before = (await expensesOf(team.budget)).length;
    expect((await req(team.viewer, 'POST', recordNext)).status).toBe(403);
    expect((await req(stranger, 'POST', recordNext)).status).toBe(404);
    expect((await req(team.owner, 'POST', `/v1/budgets/${team.budget.id}/recurring-expenses/01JDNOSUCHRECURRING0000000/record-next`)).status).toBe(404);
    const stale = await req(team.editor, 'POST', recordNext, { headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    expect((await expensesOf(team.budget)).length).toBe(before);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-12-03', version: 1 });
  });

  it('a tap arriving after the job recorded the date its If-Match names: 412, nothing recorded or skipped (not the occurrence after); a PATCH with it still applies', async () => {
    const budget = await h.createBudget(team.owner, { timezone: 'UTC' });
    const { recordNext, url } = await setUp(budget, { amount: 300, schedule: { frequency: 'weekly', startsOn: '2026-11-26' } });
    // The phone shows the bill due on the 26th (its ETag names that date) and the user taps "paid"
    // then "skip"; the taps reach the server late, after the job recorded the 26th.
    const shown = (await req(team.owner, 'GET', url)).headers.get('etag')!;
    expect(shown).toBe('"1-n20261126"');
    clock.advance(2 * DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    expect((await req(team.owner, 'GET', url)).headers.get('etag')).toBe('"1-n20261203"');

    const late = await req(team.owner, 'POST', recordNext, { headers: { 'if-match': shown } });
    expect(late.status, late.text).toBe(412);
    const lateSkip = await req(team.owner, 'POST', `${url}/skip`, { headers: { 'if-match': shown } });
    expect(lateSkip.status, lateSkip.text).toBe(412);
    expect(await datesOf(budget)).toEqual(['2026-11-26']);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-12-03', version: 1 });

    // The job's move is no API change: a PATCH with the version alone applies, as before.
    const patched = await req(team.owner, 'PATCH', url, { body: { amount: 350 }, headers: { 'if-match': shown } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2-n20261203"');
    // With the ETag naming the date now next, the tap records it.
    const current = await req(team.owner, 'POST', recordNext, { headers: { 'if-match': patched.headers.get('etag')! } });
    expect(current.status, current.text).toBe(200);
    expect(await datesOf(budget)).toEqual(['2026-11-26', '2026-12-03']);
  });

  it('Idempotency-Key: a retry replays the first answer, one expense; two calls racing with one If-Match or one key record one', async () => {
    const budget = await h.createBudget(team.owner, { timezone: 'UTC' });
    const { recordNext, url } = await setUp(budget, { amount: 300, schedule: { frequency: 'weekly', startsOn: '2026-11-26' } });
    const headers = { 'idempotency-key': `record-next-${url}` };
    const first = await req(team.owner, 'POST', recordNext, { headers });
    const again = await req(team.owner, 'POST', recordNext, { headers });
    expect(first.status, first.text).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('etag')).toBe('"2-n20261203"');
    expect(await datesOf(budget)).toEqual(['2026-11-26']);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-12-03', version: 2 });

    // Two taps with the version they showed: exactly one records (12-03), the other is refused.
    const taps = await Promise.all([1, 2].map(() => req(team.owner, 'POST', recordNext, { headers: { 'if-match': '"2"' } })));
    expect(taps.filter((t) => t.status === 200), taps.map((t) => t.text).join('\n')).toHaveLength(1);
    for (const t of taps.filter((t) => t.status !== 200)) expect([409, 412, 503]).toContain(t.status);
    expect(await datesOf(budget)).toEqual(['2026-11-26', '2026-12-03']);

    // Two deliveries of one keyed request at once: one expense (the other replays or is told it is in progress).
    const keyed = { 'idempotency-key': `record-next-race-${url}` };
    const both = await Promise.all([1, 2].map(() => req(team.owner, 'POST', recordNext, { headers: keyed })));
    expect(both.some((r) => r.status === 200), both.map((r) => r.text).join('\n')).toBe(true);
    for (const r of both) expect([200, 409]).toContain(r.status);
    expect(await datesOf(budget)).toEqual(['2026-11-26', '2026-12-03', '2026-12-10']);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-12-17', version: 4 });
  });

  it('racing the job for a due occurrence, many times: each date recorded once, and a call that loses records nothing else', async () => {
    const budget = await h.createBudget(team.owner, { timezone: 'UTC' });
    const ROUNDS = 30;
    // tests/support/record-next-race.ts: what each outcome must leave (shared with recurring income's race).
    const outcomes = await raceRecordNextWithJob({
      rounds: ROUNDS,
      dates: ['2026-11-24', '2026-11-25', '2026-11-26'],
      setUp: (amount) => setUp(budget, { amount, schedule: { frequency: 'daily', startsOn: '2026-11-24' } }),
      run,
      call: (recordNext) => req(team.owner, 'POST', recordNext),
      calledDate: (called) => called.json.expense.occurredOn,
      recordedDates: async (amount) => (await expensesOf(budget)).filter((e) => e.amount === amount).map((e) => e.occurredOn),
      definition: async (url) => (await req(team.owner, 'GET', url)).json as Definition,
      remove: async (url) => {
        await req(team.owner, 'DELETE', url);
        created.splice(created.indexOf(url), 1);
      },
    });
    console.info('record-next vs job race outcomes', outcomes);
    expect(outcomes.callRecordedIt + outcomes.jobRecordedIt + outcomes.callCameAfter + outcomes.neither).toBe(ROUNDS);
    // Both sides of the race were met.
    expect(outcomes.callRecordedIt).toBeGreaterThan(0);
    expect(outcomes.jobRecordedIt + outcomes.callCameAfter).toBeGreaterThan(0);
  });

  it('no bill reminder for an occurrence recorded already: the reminders job meets the next one instead', async () => {
    const budget = await h.createBudget(team.owner, { timezone: 'UTC' });
    // Monthly on the 26th: due 11-26, reminded from 09:00 UTC on 11-25 (its day begins within 15 hours).
    const { recordNext, def } = await setUp(budget, { amount: 9_000, merchant: 'Power Co', schedule: { frequency: 'monthly', startsOn: '2026-11-26' } });
    expect((await req(team.owner, 'POST', recordNext)).status).toBe(200);
    const at = '2026-11-25T10:00:00Z';
    clock.set(at);
    await h.t.system.jobs.plan('recurring-reminders', new Date(at), { logger: h.t.system.deps.logger });
    const reminders = (await outboxEvents(h.t, 'expense.recurring_due_soon')).filter((e) => e.envelope.data.recurringExpenseId === def.id);
    expect(reminders).toEqual([]);
    // The control: the next one (12-26) is reminded the day before.
    const later = '2026-12-25T10:00:00Z';
    clock.set(later);
    await h.t.system.jobs.plan('recurring-reminders', new Date(later), { logger: h.t.system.deps.logger });
    const next = (await outboxEvents(h.t, 'expense.recurring_due_soon')).filter((e) => e.envelope.data.recurringExpenseId === def.id);
    expect(next.map((e) => e.envelope.data.dueOn)).toEqual(['2026-12-26']);
  });
});
