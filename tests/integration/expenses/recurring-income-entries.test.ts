import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAtClock } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { runRecurringIncomeJob } from '../../support/recurring-job';
import { commandsSentDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * The entries of one recurring income (packages/expenses/docs/income.md "Recurring income", Its entries):
 * `GET .../income?recurringIncomeId=` lists only what that definition recorded (job and
 * record-next), newest first, from its own index (one Query a page), with from/to, pages whose
 * cursor is bound to the filter, an unknown or another budget's definition an empty list, the
 * entries still found after the definition's deletion and after a PATCH moved them; the income
 * export's `recurringIncomeId` column and filter. Expected lists written by hand.
 */
const BASE = '2026-11-24T12:00:00Z';
const clock = fixedClock(BASE);
let h: Harness;
let team: Team;
let budget: Budget;
let other: Budget;
/** For the record-next test (made before the clock moves: the harness's own calls use tokens of the real time). */
let spare: Budget;
/** Daily 1000 from Nov 24 and weekly 320000 from Nov 24, both in `budget`; one in `other`. */
let daily: { id: string };
let weekly: { id: string };
let foreign: { id: string };

const req = (who: User, method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => asAtClock(h.t, who)(method, url, options);
const incomePath = (b: Budget, query = '') => `/v1/budgets/${b.id}/income${query}`;

async function schedule(b: Budget, body: Record<string, unknown>) {
  const res = await req(team.owner, 'POST', `/v1/budgets/${b.id}/recurring-income`, { body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

/** The listed entries as `receivedOn amount`, in the order listed. */
async function listed(query: string, b: Budget = budget, who: User = team.viewer): Promise<string[]> {
  const res = await req(who, 'GET', incomePath(b, `?limit=100&${query}`));
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((i: { receivedOn: string; amount: number }) => `${i.receivedOn} ${i.amount}`);
}

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team({ currency: 'USD' });
  budget = await h.createBudget(team.owner, { currency: 'USD' });
  await h.addMember(budget, team.owner, team.editor, 'editor');
  await h.addMember(budget, team.owner, team.viewer, 'viewer');
  other = await h.createBudget(team.owner, { currency: 'USD' });
  spare = await h.createBudget(team.owner, { currency: 'USD' });
  daily = await schedule(budget, { amount: 1000, source: 'Interest', schedule: { frequency: 'daily' } });
  weekly = await schedule(budget, { amount: 320000, source: 'Acme payroll', schedule: { frequency: 'weekly' } });
  foreign = await schedule(other, { amount: 5000, schedule: { frequency: 'daily' } });
  // A manual entry between them: never a definition's.
  expect((await req(team.owner, 'POST', incomePath(budget), { body: { amount: 777, receivedOn: '2026-11-26', source: 'Gift' } })).status).toBe(201);
  // Nov 24..Dec 2: daily 9 dates, weekly Nov 24 and Dec 1.
  clock.set('2026-12-02T12:00:00Z');
  expect(await runRecurringIncomeJob(h.t)).toMatchObject({ recorded: 9 + 2 + 9, failed: 0 });
});
afterAll(() => h.destroy());

describe('GET .../income?recurringIncomeId=', { timeout: 120_000 }, () => {
  it("lists only the definition's entries, newest first, with from/to; viewers too", async () => {
    expect(await listed(`recurringIncomeId=${weekly.id}`)).toEqual(['2026-12-01 320000', '2026-11-24 320000']);
    expect(await listed(`recurringIncomeId=${daily.id}`)).toEqual([
      '2026-12-02 1000',
      '2026-12-01 1000',
      '2026-11-30 1000',
      '2026-11-29 1000',
      '2026-11-28 1000',
      '2026-11-27 1000',
      '2026-11-26 1000',
      '2026-11-25 1000',
      '2026-11-24 1000',
    ]);
    expect(await listed(`recurringIncomeId=${daily.id}&from=2026-11-27&to=2026-11-29`)).toEqual(['2026-11-29 1000', '2026-11-28 1000', '2026-11-27 1000']);
    expect(await listed(`recurringIncomeId=${weekly.id}&to=2026-11-30`)).toEqual(['2026-11-24 320000']);
    // Unfiltered: the budget's 12 (9 + 2 + the gift); on Nov 26 the job's entry first (same day: newest id first).
    expect(await listed('')).toHaveLength(12);
    expect(await listed('from=2026-11-26&to=2026-11-26')).toEqual(['2026-11-26 1000', '2026-11-26 777']);
  });

  it("an unknown id and another budget's definition: an empty list (as the expenses' filter), a too long id a 400 naming it", async () => {
    expect(await listed('recurringIncomeId=01JDNOSUCHRECURINCOME00000')).toEqual([]);
    expect(await listed(`recurringIncomeId=${foreign.id}`)).toEqual([]);
    expect(await listed(`recurringIncomeId=${foreign.id}`, other, team.owner)).toHaveLength(9);
    expectProblem(await req(team.owner, 'GET', incomePath(budget, `?recurringIncomeId=${'X'.repeat(200)}`)), 400, ['query.recurringIncomeId']);
    expectProblem(await req(team.stranger, 'GET', incomePath(budget, `?recurringIncomeId=${daily.id}`)), 404);
  });

  it('pages with a cursor bound to the filter, each page ONE Query of the definition index', async () => {
    const first = await commandsSentDuring(h.t.doc, () => req(team.owner, 'GET', incomePath(budget, `?limit=4&recurringIncomeId=${daily.id}`)));
    expect(first.result.status, first.result.text).toBe(200);
    expect(first.result.json.items.map((i: { receivedOn: string }) => i.receivedOn)).toEqual(['2026-12-02', '2026-12-01', '2026-11-30', '2026-11-29']);
    // The access BatchGetItem, then one Query of gsi4 (limit + 1 items).
    expect(first.commands).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(first.sent[1]!.input).toMatchObject({ IndexName: 'gsi4', Limit: 5, ScanIndexForward: false });

    const cursor = encodeURIComponent(first.result.json.nextCursor);
    const second = await req(team.owner, 'GET', incomePath(budget, `?limit=4&recurringIncomeId=${daily.id}&cursor=${cursor}`));
    expect(second.json.items.map((i: { receivedOn: string }) => i.receivedOn)).toEqual(['2026-11-28', '2026-11-27', '2026-11-26', '2026-11-25']);
    const third = await req(team.owner, 'GET', incomePath(budget, `?limit=4&recurringIncomeId=${daily.id}&cursor=${encodeURIComponent(second.json.nextCursor)}`));
    expect(third.json.items.map((i: { receivedOn: string }) => i.receivedOn)).toEqual(['2026-11-24']);
    expect(third.json.nextCursor).toBeNull();

    // Another definition's list, the unfiltered list: not this cursor's.
    expectProblem(await req(team.owner, 'GET', incomePath(budget, `?limit=4&recurringIncomeId=${weekly.id}&cursor=${cursor}`)), 400, ['query.cursor']);
    expectProblem(await req(team.owner, 'GET', incomePath(budget, `?limit=4&cursor=${cursor}`)), 400, ['query.cursor']);
    const unfiltered = await req(team.owner, 'GET', incomePath(budget, '?limit=4'));
    expectProblem(await req(team.owner, 'GET', incomePath(budget, `?limit=4&recurringIncomeId=${daily.id}&cursor=${encodeURIComponent(unfiltered.json.nextCursor)}`)), 400, ['query.cursor']);
  });

  it("finds record-next's entries, one moved by a PATCH at its new date, not one deleted, and the entries after the definition is deleted", async () => {
    const b = spare;
    const r = await schedule(b, { amount: 250000, schedule: { frequency: 'monthly', startsOn: '2026-12-10' } });
    // Record-next twice (no job run: it would record the other definitions' dates too): Dec 10's
    // occurrence dated today, Dec 2, then Jan 10's on its scheduled date.
    const early = await req(team.owner, 'POST', `/v1/budgets/${b.id}/recurring-income/${r.id}/record-next`, { body: { receivedOn: '2026-12-02' } });
    expect(early.status, early.text).toBe(200);
    const next = await req(team.owner, 'POST', `/v1/budgets/${b.id}/recurring-income/${r.id}/record-next`, {});
    expect(next.status, next.text).toBe(200);
    const filter = `recurringIncomeId=${r.id}`;
    expect(await listed(filter, b, team.owner)).toEqual(['2027-01-10 250000', '2026-12-02 250000']);

    const january = (await req(team.owner, 'GET', incomePath(b, `?${filter}&from=2027-01-01`))).json.items[0];
    const moved = await req(team.owner, 'PATCH', incomePath(b, `/${january.id}`), { body: { receivedOn: '2026-11-30', amount: 260000 } });
    expect(moved.status, moved.text).toBe(200);
    expect(await listed(filter, b, team.owner)).toEqual(['2026-12-02 250000', '2026-11-30 260000']);

    expect((await req(team.owner, 'DELETE', `/v1/budgets/${b.id}/recurring-income/${r.id}`)).status).toBe(204);
    expect(await listed(filter, b, team.owner)).toEqual(['2026-12-02 250000', '2026-11-30 260000']);
    expect((await req(team.owner, 'DELETE', incomePath(b, `/${early.json.income.id}`))).status).toBe(204);
    expect(await listed(filter, b, team.owner)).toEqual(['2026-11-30 260000']);
  });
});

describe('the income export and recurring income', { timeout: 120_000 }, () => {
  it("writes each entry's recurringIncomeId (empty for the others), and exports one definition's entries with the filter", async () => {
    const all = await req(team.viewer, 'GET', `/v1/budgets/${budget.id}/income/export?from=2026-11-26&to=2026-11-26`);
    expect(all.status, all.text).toBe(200);
    expect(all.text).toBe(`date,amount,source,description,recurringIncomeId\r\n2026-11-26,10.00,Interest,,${daily.id}\r\n2026-11-26,7.77,Gift,,\r\n`);

    const weeklyOnly = await req(team.viewer, 'GET', `/v1/budgets/${budget.id}/income/export?recurringIncomeId=${weekly.id}`);
    expect(weeklyOnly.status, weeklyOnly.text).toBe(200);
    expect(weeklyOnly.text).toBe(
      `date,amount,source,description,recurringIncomeId\r\n2026-12-01,3200.00,Acme payroll,,${weekly.id}\r\n2026-11-24,3200.00,Acme payroll,,${weekly.id}\r\n`,
    );
    const none = await req(team.viewer, 'GET', `/v1/budgets/${budget.id}/income/export?recurringIncomeId=${foreign.id}`);
    expect(none.text).toBe('date,amount,source,description,recurringIncomeId\r\n');
  });
});
