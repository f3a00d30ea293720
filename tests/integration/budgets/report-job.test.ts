import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { monthTotalsNearCap } from '../../support/totals-near-cap';
import { outboxEvents } from '../../support/events';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { recordingLogger } from '../../unit/events/recording-logger';
import { addExpense, as, createBudget, signup, type Account } from './helpers';

/**
 * The scheduled report job on DynamoDB Local: which budgets it reports (ended periods only,
 * in each budget's time zone), exactly once whatever runs twice or concurrently, catching up
 * every missed period, and leaving reports generated on request alone. The schedule's job is
 * the planner; without a queue configured its units are worked inline (same code).
 */
const clock = fixedClock('2026-09-10T12:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const at = (when: string) => setClockFor(t, clock, owner, when);

/** Runs the job registered for the SCHEDULES row at `when`; what it logged. */
async function runJob(when: string) {
  await at(when);
  const logger = recordingLogger();
  const job = t.system.schedules.find((j) => j.name === 'budget-reports');
  expect(job).toBeDefined();
  await job!.run(new Date(when), { logger });
  return logger.entries;
}

const reportIds = async (budgetId: string) => {
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/reports?limit=100`);
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((r: { id: string }) => r.id).reverse() as string[];
};

const eventsOf = async (budgetId: string) =>
  (await outboxEvents(t, 'report.generated')).filter((e) => e.envelope.data.budgetId === budgetId).map((e) => e.envelope.data.reportId);

describe('the report job', () => {
  it('reports each ended period once, in each budget time zone, and reads only the budgets that are due', async () => {
    await at('2026-09-10T12:00:00Z');
    const utc = await createBudget(t.app, owner, { timezone: 'UTC' });
    const tokyo = await createBudget(t.app, owner, { timezone: 'Asia/Tokyo' });
    const la = await createBudget(t.app, owner, { timezone: 'America/Los_Angeles' });
    await addExpense(t.app, owner, utc.id, { amount: 1_234, occurredOn: '2026-09-15' });
    await addExpense(t.app, owner, utc.id, { amount: 66, occurredOn: '2026-09-30' });

    // Mid-period: nothing is due, and the tick does not even read a budget (no scan).
    const before = t.system.jobs.metrics.totals('budget-reports');
    await runJob('2026-09-20T00:00:00Z');
    const after = t.system.jobs.metrics.totals('budget-reports');
    expect(after.DueUnits - before.DueUnits).toBe(0);
    expect(after.NotDueReads - before.NotDueReads).toBe(0);

    // 2026-10-01 00:30 UTC: October in UTC and Tokyo, still September 30 in Los Angeles.
    await runJob('2026-10-01T00:30:00Z');
    expect(await reportIds(utc.id)).toEqual(['20260901-20260930']);
    expect(await reportIds(tokyo.id)).toEqual(['20260901-20260930']);
    expect(await reportIds(la.id)).toEqual([]);
    const report = await as(t.app, owner)('GET', `/v1/budgets/${utc.id}/reports/20260901-20260930`);
    expect(report.json).toMatchObject({ spent: 1_300, previousPeriod: null, byDay: expect.any(Array) });

    // Run again (a retried or duplicated schedule event): nothing new.
    await runJob('2026-10-01T00:45:00Z');
    await runJob('2026-10-01T08:00:00Z'); // now October in Los Angeles too
    expect(await reportIds(utc.id)).toEqual(['20260901-20260930']);
    expect(await reportIds(la.id)).toEqual(['20260901-20260930']);
    for (const b of [utc, tokyo, la]) expect(await eventsOf(b.id)).toEqual(['20260901-20260930']);
  });

  it('makes one report per period when runs overlap', { timeout: 120_000 }, async () => {
    await at('2026-09-10T12:00:00Z');
    const budgets = [];
    for (let i = 0; i < 4; i++) budgets.push(await createBudget(t.app, owner, { period: 'weekly' }));
    await at('2026-10-20T12:00:00Z');
    const logger = recordingLogger();
    const job = t.system.schedules.find((j) => j.name === 'budget-reports')!;
    await Promise.all([1, 2, 3].map(() => job.run(new Date('2026-10-20T12:00:00Z'), { logger })));
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
    const weeks = ['20260907-20260913', '20260914-20260920', '20260921-20260927', '20260928-20261004', '20261005-20261011', '20261012-20261018'];
    for (const b of budgets) {
      expect(await reportIds(b.id)).toEqual(weeks);
      expect((await eventsOf(b.id)).sort()).toEqual(weeks);
    }
  });

  it('catches up every missed period in one tick (no cap), and a second tick adds nothing', async () => {
    await at('2026-09-10T12:00:00Z');
    const weekly = await createBudget(t.app, owner, { period: 'weekly' });
    // 2027-01-04 is a Monday: 17 weeks have ended since the week of 2026-09-07.
    await runJob('2027-01-04T12:00:00Z');
    expect(await reportIds(weekly.id)).toHaveLength(17);
    await runJob('2027-01-04T13:00:00Z');
    const all = await reportIds(weekly.id);
    expect(all).toHaveLength(17);
    expect(all[0]).toBe('20260907-20260913');
    expect(all.at(-1)).toBe('20261228-20270103');
    expect(new Set(await eventsOf(weekly.id)).size).toBe(17);
    expect(await eventsOf(weekly.id)).toHaveLength(17);
  });

  it('leaves a report generated on request alone and goes on after it', async () => {
    await at('2026-09-10T12:00:00Z');
    const budget = await createBudget(t.app, owner);
    await at('2026-11-05T12:00:00Z');
    const requested = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-09-15' } });
    expect(requested.status, requested.text).toBe(201);
    await runJob('2026-11-05T12:00:00Z');
    expect(await reportIds(budget.id)).toEqual(['20260901-20260930', '20261001-20261031']);
    expect((await eventsOf(budget.id)).sort()).toEqual(['20260901-20260930', '20261001-20261031']);
    const september = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/reports/20260901-20260930`);
    expect(september.json).toEqual(requested.json); // the job did not replace it
  });

  it('follows a change of period kind from where the reports stopped', async () => {
    await at('2026-09-10T12:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'yearly' });
    await at('2026-10-01T12:00:00Z');
    const patched = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}`, { body: { period: 'monthly' } });
    expect(patched.status, patched.text).toBe(200);
    // Yearly, the first report would be due in 2027; monthly, September's is due now.
    await runJob('2026-10-01T12:00:00Z');
    expect(await reportIds(budget.id)).toEqual(['20260901-20260930']);
  });

  it("measures the backlog from real due instants: a re-check entry (a changed period kind) is not due since year 0", async () => {
    await at('2026-09-10T12:00:00Z');
    const late = await createBudget(t.app, owner);
    const changed = await createBudget(t.app, owner, { period: 'yearly' });
    expect((await as(t.app, owner)('PATCH', `/v1/budgets/${changed.id}`, { body: { period: 'monthly' } })).status).toBe(200);
    // The re-check entry sorts first in its shard's page (before every instant); its "due at" is no instant.
    const before = t.system.jobs.metrics.totals('budget-reports').OldestDueAgeSeconds;
    // September's reports fell due at 2026-10-01T00:00Z; the tick is 2026-10-01T02:00Z: two hours of backlog
    // (the figure is the largest since the system started: earlier ticks of this file found older ones).
    await runJob('2026-10-01T02:00:00Z');
    const age = t.system.jobs.metrics.totals('budget-reports').OldestDueAgeSeconds;
    expect(Number.isFinite(age), `OldestDueAgeSeconds ${age} (was ${before})`).toBe(true);
    expect(age).toBe(Math.max(before, 7_200));
    expect(await reportIds(late.id)).toEqual(['20260901-20260930']);
    expect(await reportIds(changed.id)).toEqual(['20260901-20260930']);
  });

  it('passes over a period whose figures cannot be exact (past 2^53 - 1) with a warning, and reports the next ones', async () => {
    await at('2026-09-10T12:00:00Z');
    const budget = await createBudget(t.app, owner);
    // September's spending past 2^53 - 1 minor units: two of its running-total shards near the cap each.
    await monthTotalsNearCap(t, budget.id, '2026-09');
    await at('2026-10-05T12:00:00Z');
    // Its summary is refused, as its report on request (the 400 naming the date).
    const requested = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-09-15' } });
    expect(requested.status, requested.text).toBe(400);
    expect(requested.json.errors.map((e: { path: string }) => e.path)).toEqual(['date']);
    // The units are worked inline, with the system's logger.
    const warn = vi.spyOn(t.system.deps.logger, 'warn');
    try {
      await runJob('2026-10-05T12:00:00Z');
      expect(warn.mock.calls.map(([message]) => message)).toEqual(['period report skipped: its figures would pass 2^53 - 1 minor units']);
      // Not met again, and the budget's later periods are reported.
      await runJob('2026-10-05T13:00:00Z');
      await runJob('2026-11-01T12:00:00Z');
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    expect(await reportIds(budget.id)).toEqual(['20261001-20261031']);
  });

  it('passes over a period whose figures cannot be given exactly (its spending past 2^53 - 1) and goes on with the next', async () => {
    await at('2026-09-10T12:00:00Z');
    const budget = await createBudget(t.app, owner);
    // September's 4 totals shards hold about 2^51 each, as if about 2,250 expenses of 10^12 had
    // been recorded into each (written directly, in the real key shape): each within the running
    // totals' limit, 2^53 + 1 together, which GET .../summary refuses (a 400 naming query.date).
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const amount = 2 ** 51 + (shard === 0 ? 1 : 0);
      const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk('2026-09', shard), total: amount, uncategorized: amount, d15_total: amount, d15_uncategorized: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    await addExpense(t.app, owner, budget.id, { amount: 1_500, occurredOn: '2026-10-15' });
    const entries = await runJob('2026-11-01T12:00:00Z');
    // No report with a rounded figure, and no failing unit either (every tick would fail it again,
    // and the budget's later periods would never be reported): September passes, October is made.
    expect(await reportIds(budget.id)).toEqual(['20261001-20261031']);
    // October's comparison with September cannot be given exactly either: none, as before a budget's first period.
    const october = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/reports/20261001-20261031`);
    expect(october.json).toMatchObject({ spent: 1_500, previousPeriod: null });
    expect(entries.filter((e) => e.level === 'error')).toEqual([]);
    // A later tick neither retries it nor adds anything.
    await runJob('2026-11-01T13:00:00Z');
    expect(await reportIds(budget.id)).toEqual(['20261001-20261031']);
  });

  it('skips a deleted budget', async () => {
    await at('2026-09-10T12:00:00Z');
    const budget = await createBudget(t.app, owner);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);
    const entries = await runJob('2026-10-02T00:00:00Z');
    expect(entries.filter((e) => e.level === 'error')).toEqual([]);
    expect(await eventsOf(budget.id)).toEqual([]);
  });
});
