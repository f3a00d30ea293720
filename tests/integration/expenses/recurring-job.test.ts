import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { RecurringJobOptions } from '@budgeting/expenses';
import { fixedClock } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asAtClock, tokenAtClock } from '../../support/actors';
import { runRecurringJob } from '../../support/recurring-job';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * The recurring-expenses job against DynamoDB Local with a fixed clock: due occurrences are
 * recorded as real expenses (summary totals, expense.recorded in the outbox), exactly once
 * whether the job runs twice, concurrently or late; endsOn, schedule changes, deletion and a
 * creator who lost write access are honoured.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let h: Harness;
let owner: User;
let editor: User;

beforeAll(async () => {
  h = await createHarness({ clock });
  owner = await h.signup('owner');
  editor = await h.signup('editor');
});
beforeEach(() => clock.set('2026-11-24T12:00:00Z'));
// The job sees every definition of the table: each test removes its own, so counts stay its own.
const created: string[] = [];
afterEach(async () => {
  for (const url of created.splice(0)) await req(owner, 'DELETE', url);
});
afterAll(() => h.destroy());

const DAY = 24 * 60 * 60 * 1000;

/** An HTTP call as `who` with a token valid at the clock's current time (the tests move it by days). */
const req = (who: User, method: string, url: string, options: { body?: unknown } = {}) => asAtClock(h.t, who)(method, url, options);

/** One tick of the module's job over the test system (options lower its caps). */
const run = (options: RecurringJobOptions = {}) => runRecurringJob(h.t, options);

async function setUp(budget: Budget, who: User, body: Record<string, unknown>) {
  const res = await req(who, 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, { body });
  expect(res.status, res.text).toBe(201);
  created.push(res.headers.get('location')!);
  return res.json as { id: string; nextOccurrenceOn: string | null; version: number };
}

const definition = async (budget: Budget, id: string) =>
  (await req(owner, 'GET', `/v1/budgets/${budget.id}/recurring-expenses/${id}`)).json;

/** The budget's expenses, oldest occurredOn first. */
async function expensesOf(budget: Budget) {
  const res = await req(owner, 'GET', `/v1/budgets/${budget.id}/expenses?limit=100`);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { occurredOn: string; amount: number; createdBy: string; categoryId: string | null; id: string }[]).reverse();
}
const datesOf = async (budget: Budget) => (await expensesOf(budget)).map((e) => e.occurredOn);

async function recordedEvents(budgetId: string) {
  const out = await h.t.doc.send(
    new ScanCommand({ TableName: h.t.tableName, FilterExpression: 'detailType = :t', ExpressionAttributeValues: { ':t': 'expense.recorded' } }),
  );
  return (out.Items ?? []).map((i) => JSON.parse(i.detail as string).data).filter((d) => d.budgetId === budgetId);
}

describe('the recurring-expenses job', { timeout: 60_000 }, () => {
  it('records a due occurrence as an expense (totals, outbox event) once; a second run records nothing', async () => {
    const budget = await h.createBudget(owner);
    const groceries = budget.categories[0]!.id;
    const r = await setUp(budget, owner, { amount: 1_500, categoryId: groceries, merchant: 'Milk Co', description: 'Milk', schedule: { frequency: 'daily' } });
    expect(r.nextOccurrenceOn).toBe('2026-11-24');

    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    const [expense, ...others] = await expensesOf(budget);
    expect(others).toEqual([]);
    expect(expense).toMatchObject({ amount: 1_500, categoryId: groceries, occurredOn: '2026-11-24', createdBy: owner.id, merchant: 'Milk Co', description: 'Milk', version: 1 });
    expect((await definition(budget, r.id)).nextOccurrenceOn).toBe('2026-11-25');
    expect((await definition(budget, r.id)).version).toBe(1); // recording does not change the definition's ETag

    expect(await run()).toMatchObject({ recorded: 0 });
    expect(await datesOf(budget)).toEqual(['2026-11-24']);

    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-25']);
    expect(await h.spent(budget, await tokenAtClock(h.t, owner), '2026-11-25')).toBe(3_000);
    const events = await recordedEvents(budget.id);
    expect(events.map((e) => e.occurredOn).sort()).toEqual(['2026-11-24', '2026-11-25']);
    expect(events[0]).toMatchObject({ amount: 1_500, categoryId: groceries, createdBy: owner.id, merchant: 'Milk Co', version: 1 });
  });

  it("a conditional GET after a recorded occurrence gets the moved next date (never a 304 for the old one); If-Match still takes the ETag read before", async () => {
    const budget = await h.createBudget(owner);
    const r = await setUp(budget, owner, { amount: 900, description: 'Paper', schedule: { frequency: 'daily' } });
    const url = `/v1/budgets/${budget.id}/recurring-expenses/${r.id}`;
    const get = (etag?: string) => asAtClock(h.t, owner)('GET', url, etag ? { headers: { 'if-none-match': etag } } : {});
    const before = await get();
    expect(before.json.nextOccurrenceOn).toBe('2026-11-24');
    const readTag = before.headers.get('etag')!;
    expect((await get(readTag)).status).toBe(304);

    expect(await run()).toMatchObject({ recorded: 1 });
    const after = await get(readTag);
    expect(after.status, after.text).toBe(200);
    expect(after.json).toMatchObject({ nextOccurrenceOn: '2026-11-25', version: before.json.version });
    const movedTag = after.headers.get('etag')!;
    expect(movedTag).not.toBe(readTag);
    expect((await get(movedTag)).status).toBe(304);
    // The job's advance is no API change: the ETag read before it still passes If-Match.
    const patched = await asAtClock(h.t, owner)('PATCH', url, { body: { amount: 950 }, headers: { 'if-match': readTag } });
    expect(patched.status, patched.text).toBe(200);
  });

  it('a late run catches up every missed occurrence; the per-run cap leaves the rest to the next runs', async () => {
    const budget = await h.createBudget(owner);
    const r = await setUp(budget, owner, { amount: 100, schedule: { frequency: 'daily', interval: 2 } });
    clock.advance(9 * DAY); // 2026-12-03: due 11-24, 26, 28, 30, 12-02
    expect(await run({ maxOccurrencesPerRun: 2 })).toMatchObject({ recorded: 2, unfinished: 1 });
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-26']);
    expect(await run({ maxOccurrencesPerRun: 2 })).toMatchObject({ recorded: 2, unfinished: 1 });
    expect(await run({ maxOccurrencesPerRun: 2 })).toMatchObject({ recorded: 1, unfinished: 0 });
    expect(await run()).toMatchObject({ recorded: 0 });
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-26', '2026-11-28', '2026-11-30', '2026-12-02']);
    // Recorded oldest first, so their ids (time part: when recorded) ascend with the dates here;
    // nothing relies on it (lists are date-keyed: README "Limits and known gaps").
    const ids = (await expensesOf(budget)).map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect((await definition(budget, r.id)).nextOccurrenceOn).toBe('2026-12-04');
    expect(await h.spent(budget, await tokenAtClock(h.t, owner), '2026-11-30')).toBe(400);
  });

  it('two concurrent runs record each occurrence exactly once', async () => {
    const budget = await h.createBudget(owner);
    await setUp(budget, owner, { amount: 100, schedule: { frequency: 'daily' } });
    await setUp(budget, owner, { amount: 7, schedule: { frequency: 'weekly', startsOn: '2026-11-03' } }); // Tuesdays
    clock.advance(7 * DAY); // 2026-12-01
    const reports = await Promise.all([run(), run(), run()]);
    expect(reports.reduce((n, r) => n + r.recorded, 0)).toBe(8 + 2);
    expect(reports.every((r) => r.failed === 0)).toBe(true);
    const expenses = await expensesOf(budget);
    const daily = expenses.filter((e) => e.amount === 100).map((e) => e.occurredOn);
    expect(daily).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']);
    expect(expenses.filter((e) => e.amount === 7).map((e) => e.occurredOn)).toEqual(['2026-11-24', '2026-12-01']);
    expect(await recordedEvents(budget.id)).toHaveLength(10);
    expect(await h.spent(budget, await tokenAtClock(h.t, owner), '2026-11-30')).toBe(700 + 7);
  });

  it('stops after endsOn (inclusive) and leaves the definition without a next occurrence', async () => {
    const budget = await h.createBudget(owner);
    const r = await setUp(budget, owner, { amount: 100, schedule: { frequency: 'daily', endsOn: '2026-11-26' } });
    clock.advance(5 * DAY);
    expect(await run()).toMatchObject({ recorded: 3 });
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
    expect((await definition(budget, r.id)).nextOccurrenceOn).toBeNull();
    expect(await run()).toMatchObject({ recorded: 0 });
  });

  it('a changed schedule continues from today without recording today again', async () => {
    const budget = await h.createBudget(owner);
    const r = await setUp(budget, owner, { amount: 100, schedule: { frequency: 'monthly' } });
    expect(await run()).toMatchObject({ recorded: 1 }); // 2026-11-24
    const url = `/v1/budgets/${budget.id}/recurring-expenses/${r.id}`;
    const patched = await req(owner, 'PATCH', url, { body: { amount: 250, schedule: { frequency: 'daily' } } });
    expect(patched.json.nextOccurrenceOn).toBe('2026-11-24'); // from today on...
    expect(await run()).toMatchObject({ recorded: 0 }); // ...but today's is recorded already
    expect((await definition(budget, r.id)).nextOccurrenceOn).toBe('2026-11-25');
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    expect((await expensesOf(budget)).map((e) => [e.occurredOn, e.amount])).toEqual([['2026-11-24', 100], ['2026-11-25', 250]]);
  });

  it('a deleted definition records nothing more; its expenses stay', async () => {
    const budget = await h.createBudget(owner);
    const r = await setUp(budget, owner, { amount: 100, schedule: { frequency: 'daily' } });
    await run();
    expect((await req(owner, 'DELETE', `/v1/budgets/${budget.id}/recurring-expenses/${r.id}`)).status).toBe(204);
    clock.advance(3 * DAY);
    expect(await run()).toMatchObject({ recorded: 0 });
    expect(await datesOf(budget)).toEqual(['2026-11-24']);
  });

  it("waits for the day to start in the budget's time zone", async () => {
    const budget = await h.createBudget(owner, { timezone: 'America/Los_Angeles' });
    clock.set('2026-11-25T12:00:00Z'); // 04:00 on the 25th in Los Angeles
    const r = await setUp(budget, owner, { amount: 100, schedule: { frequency: 'daily', startsOn: '2026-11-26' } });
    clock.set('2026-11-26T07:00:00Z'); // the 26th in UTC, still 23:00 on the 25th in Los Angeles
    // Keyed by the instant its day begins in Los Angeles: not even read before then.
    expect(await run()).toMatchObject({ due: 0, recorded: 0, notYetDue: 0 });
    clock.set('2026-11-26T08:30:00Z'); // 00:30 on the 26th in Los Angeles
    expect(await run()).toMatchObject({ recorded: 1 });
    expect(await datesOf(budget)).toEqual(['2026-11-26']);
    expect((await definition(budget, r.id)).nextOccurrenceOn).toBe('2026-11-27');
  });

  it('records uncategorized when the category was removed from the budget since', async () => {
    const budget = await h.createBudget(owner, { categories: ['Gym', 'Other'] });
    await setUp(budget, owner, { amount: 100, categoryId: budget.categories[0]!.id, schedule: { frequency: 'daily' } });
    const got = await req(owner, 'GET', `/v1/budgets/${budget.id}`);
    const kept = got.json.categories
      .filter((c: { id: string }) => c.id !== budget.categories[0]!.id)
      .map((c: { id: string; name: string }) => ({ id: c.id, name: c.name }));
    const patched = await req(owner, 'PATCH', `/v1/budgets/${budget.id}`, { body: { categories: kept } });
    expect(patched.status, patched.text).toBe(200);
    await run();
    expect((await expensesOf(budget)).map((e) => e.categoryId)).toEqual([null]);
  });

  it('skips (does not record, does not keep pending) while the creator cannot write to the budget', async () => {
    const budget = await h.createBudget(owner);
    await h.addMember(budget, owner, editor, 'editor');
    const r = await setUp(budget, editor, { amount: 100, schedule: { frequency: 'daily' } });
    expect(await run()).toMatchObject({ recorded: 1 });
    const demoted = await req(owner, 'PATCH', `/v1/budgets/${budget.id}/members/${editor.id}`, { body: { role: 'viewer' } });
    expect(demoted.status, demoted.text).toBe(200);
    clock.advance(3 * DAY); // 11-25, 26, 27 due
    expect(await run()).toMatchObject({ recorded: 0, skipped: 1 });
    expect((await definition(budget, r.id)).nextOccurrenceOn).toBe('2026-11-28');
    // Editor again: from the next occurrence on, no back-log.
    await req(owner, 'PATCH', `/v1/budgets/${budget.id}/members/${editor.id}`, { body: { role: 'editor' } });
    clock.advance(DAY);
    expect(await run()).toMatchObject({ recorded: 1 });
    expect(await datesOf(budget)).toEqual(['2026-11-24', '2026-11-28']);
  });
});
