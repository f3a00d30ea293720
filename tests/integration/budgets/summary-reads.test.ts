import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSentDuring } from '../../support/sent-commands';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, createBudget, signup, type Account } from './helpers';

/**
 * What GET /summary sends to DynamoDB: one BatchGetItem (account, budget, membership), then
 * in parallel ONE Query of the running totals that serves both this period and, with
 * rollover, everything before it (adjacent ranges), and one Query of the thresholds already
 * announced in the period. Requests are counted on the system's DocumentClient; the numbers
 * are checked against sums of the expenses written here.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let owner: Account;

beforeAll(async () => ({ t, account: owner } = await systemWithAccount(signup, 'owner', { clock })));
afterAll(() => t.destroy());

const setClock = (when: string) => setClockFor(t, clock, owner, when);

/** The summary and what it sent: command names (sorted) and each command's input as JSON. */
async function summaryWithRequests(budgetId: string, date: string) {
  const { result: res, commands, sent } = await commandsSentDuring(t.doc, () => as(t.app, owner)('GET', `/v1/budgets/${budgetId}/summary?date=${date}`));
  expect(res.status, res.text).toBe(200);
  const inputs = sent.map((c) => JSON.stringify(c.input));
  return {
    summary: res.json,
    commands: [...commands].sort(),
    totalsReads: sent.filter((c) => JSON.stringify(c.input).includes('expenses#totals#')),
    thresholdReads: inputs.filter((i) => i.includes('budgets#thresholds#')),
  };
}

/** The sort-key bounds of a Query of running totals (month items `expenses#month#<YYYY-MM>#...`). */
const monthBounds = (query: { input: Record<string, unknown> }) => {
  const values = query.input.ExpressionAttributeValues as Record<string, string>;
  return { lo: values[':lo'], hi: values[':hi'] };
};

const THREE_REQUESTS = ['BatchGetItemCommand', 'QueryCommand', 'QueryCommand'];

describe('GET /summary requests', () => {
  it('a rollover budget: 3 requests, ONE Query of the totals from the first period to this one', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, rollover: true, categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    await addExpense(t.app, owner, budget.id, { amount: 3_000, occurredOn: '2026-08-31' });
    await addExpense(t.app, owner, budget.id, { amount: 12_000, occurredOn: '2026-10-31' });
    await addExpense(t.app, owner, budget.id, { amount: 1_000, occurredOn: '2026-11-01' });

    const got = await summaryWithRequests(budget.id, '2026-11-24');
    // 3 * 10,000 - (3,000 + 12,000): August..October carry into November.
    expect(got.summary).toMatchObject({ periodStart: '2026-11-01', spent: 1_000, carriedOver: 15_000, remaining: 24_000 });
    expect(got.commands).toEqual(THREE_REQUESTS);
    expect(got.totalsReads.map((c) => c.name)).toEqual(['QueryCommand']);
    const { lo, hi } = monthBounds(got.totalsReads[0]!);
    expect(lo).toContain('#2026-08');
    expect(hi).toContain('#2026-11');
    expect(got.thresholdReads).toHaveLength(1);
  });

  it('without rollover, and for a date before the budget existed: the same 3 requests, this period only', async () => {
    await setClock('2026-10-10T09:00:00Z');
    const plain = await createBudget(t.app, owner, { limit: 10_000, categories: [] });
    const rolling = await createBudget(t.app, owner, { limit: 10_000, rollover: true, categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    for (const budget of [plain, rolling]) {
      await addExpense(t.app, owner, budget.id, { amount: 500, occurredOn: '2026-09-30' });
      await addExpense(t.app, owner, budget.id, { amount: 700, occurredOn: '2026-11-02' });
    }

    const plainNow = await summaryWithRequests(plain.id, '2026-11-24');
    expect(plainNow.summary).toMatchObject({ spent: 700, carriedOver: 0 });
    expect(plainNow.commands).toEqual(THREE_REQUESTS);
    expect(monthBounds(plainNow.totalsReads[0]!).lo).toContain('#2026-11');

    // September is before the rolling budget's first period (October): nothing carries.
    const before = await summaryWithRequests(rolling.id, '2026-09-15');
    expect(before.summary).toMatchObject({ periodStart: '2026-09-01', spent: 500, carriedOver: 0, remaining: 9_500 });
    expect(before.commands).toEqual(THREE_REQUESTS);
    const bounds = monthBounds(before.totalsReads[0]!);
    expect(bounds.lo).toContain('#2026-09');
    expect(bounds.hi).toContain('#2026-09');
  });
});

describe('rollover when the previous period spans a month boundary', () => {
  it('a weekly budget: the week of 30 Nov..6 Dec is counted once, in full, from the same Query', async () => {
    // Monday 16 Nov 2026: the first week is 16..22 Nov; then 23..29 Nov, 30 Nov..6 Dec, 7..13 Dec.
    await setClock('2026-11-16T09:00:00Z');
    const budget = await createBudget(t.app, owner, {
      period: 'weekly',
      limit: 10_000,
      rollover: true,
      categories: [{ name: 'Groceries' }, { name: 'Transport' }],
    });
    const [groceries, transport] = budget.categories.map((c: { id: string }) => c.id) as [string, string];
    await setClock('2026-12-20T12:00:00Z');
    const expenses = [
      { amount: 4_000, occurredOn: '2026-11-15' }, // before the first week: never carried
      { amount: 1_000, occurredOn: '2026-11-16' }, // week 1
      { amount: 2_000, occurredOn: '2026-11-29' }, // week 2 (Sunday)
      { amount: 3_000, occurredOn: '2026-11-30', categoryId: groceries }, // week 3, November side
      { amount: 5_000, occurredOn: '2026-12-06', categoryId: transport }, // week 3, December side
      { amount: 700, occurredOn: '2026-12-07', categoryId: groceries }, // week 4 (Monday)
      { amount: 300, occurredOn: '2026-12-13' }, // week 4 (Sunday)
      { amount: 9_000, occurredOn: '2026-12-14' }, // week 5: after the asked period
    ];
    for (const e of expenses) await addExpense(t.app, owner, budget.id, e);

    const week4 = await summaryWithRequests(budget.id, '2026-12-09');
    // Three earlier weeks of 10,000 minus 1,000 + 2,000 + 3,000 + 5,000.
    expect(week4.summary).toMatchObject({
      periodStart: '2026-12-07',
      periodEnd: '2026-12-13',
      spent: 1_000,
      carriedOver: 19_000,
      available: 29_000,
      remaining: 28_000,
      uncategorizedSpent: 300,
    });
    expect(week4.summary.categories).toEqual(
      expect.arrayContaining([expect.objectContaining({ categoryId: groceries, spent: 700 }), expect.objectContaining({ categoryId: transport, spent: 0 })]),
    );
    expect(week4.commands).toEqual(THREE_REQUESTS);
    expect(week4.totalsReads).toHaveLength(1);
    const bounds = monthBounds(week4.totalsReads[0]!);
    expect(bounds.lo).toContain('#2026-11');
    expect(bounds.hi).toContain('#2026-12');

    // The boundary week itself: both its days in November and in December, nothing of week 4.
    const week3 = await summaryWithRequests(budget.id, '2026-12-02');
    expect(week3.summary).toMatchObject({
      periodStart: '2026-11-30',
      periodEnd: '2026-12-06',
      spent: 8_000,
      carriedOver: 17_000, // 2 * 10,000 - (1,000 + 2,000)
      uncategorizedSpent: 0,
    });
    expect(week3.summary.categories).toEqual(
      expect.arrayContaining([expect.objectContaining({ categoryId: groceries, spent: 3_000 }), expect.objectContaining({ categoryId: transport, spent: 5_000 })]),
    );
    expect(week3.commands).toEqual(THREE_REQUESTS);
  });
});

/** Every date from `start` to `end` (inclusive), counted here in UTC days, independent of the code under test. */
function datesFrom(start: string, end: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

/** A report's byDay as it must be: every day of the period, with the sum of the expenses written on it (0 without). */
const expectedByDay = (written: { amount: number; occurredOn: string }[], start: string, end: string) =>
  datesFrom(start, end).map((date) => ({ date, spent: written.filter((e) => e.occurredOn === date).reduce((sum, e) => sum + e.amount, 0) }));

/** POST a report and what it sent: the report, and its Queries of the running totals with their month spans. */
async function reportWithTotalsReads(budgetId: string, date: string) {
  const { result: res, sent } = await commandsSentDuring(t.doc, () => as(t.app, owner)('POST', `/v1/budgets/${budgetId}/reports`, { body: { date } }));
  expect(res.status, res.text).toBe(201);
  const totalsReads = sent.filter((c) => JSON.stringify(c.input).includes('expenses#totals#'));
  const spans = totalsReads.map(monthBounds).map(({ lo, hi }) => `${lo?.split('#')[2]}..${hi?.split('#')[2]}`);
  return { report: res.json, totalsReads, spans };
}

describe('a period report reads the running totals once', () => {
  it('its summary, everything before it, the previous period and the days from ONE Query', async () => {
    await setClock('2026-08-15T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, rollover: true, categories: [] });
    await setClock('2026-11-24T12:00:00Z');
    const written = [
      { amount: 2_000, occurredOn: '2026-08-20' },
      { amount: 6_000, occurredOn: '2026-09-30' },
      { amount: 900, occurredOn: '2026-10-01' },
      { amount: 40, occurredOn: '2026-10-17' },
      { amount: 60, occurredOn: '2026-10-31' },
      { amount: 25, occurredOn: '2026-10-17' },
      { amount: 75, occurredOn: '2026-11-01' }, // after the period: in no day of the report
    ];
    for (const e of written) await addExpense(t.app, owner, budget.id, e);

    const got = await reportWithTotalsReads(budget.id, '2026-10-15');
    expect(got.report).toMatchObject({
      periodStart: '2026-10-01',
      spent: 1_025,
      carriedOver: 12_000, // 2 * 10,000 - (2,000 + 6,000)
      previousPeriod: { periodStart: '2026-09-01', periodEnd: '2026-09-30', spent: 6_000 },
    });
    expect(got.totalsReads.map((c) => c.name)).toEqual(['QueryCommand']);
    // August..October: the summary's two ranges, September and October's days.
    expect(got.spans).toEqual(['2026-08..2026-10']);
    expect(got.report.byDay).toEqual(expectedByDay(written, '2026-10-01', '2026-10-31'));
    expect(got.report.byDay.filter((d: { spent: number }) => d.spent > 0)).toEqual([
      { date: '2026-10-01', spent: 900 },
      { date: '2026-10-17', spent: 65 },
      { date: '2026-10-31', spent: 60 },
    ]);
  });

  it('a weekly rollover period across a month boundary: one Query of both months, every day of the week exact', async () => {
    // Monday 16 Nov 2026: the first week is 16..22 Nov; then 23..29 Nov, 30 Nov..6 Dec.
    await setClock('2026-11-16T09:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'weekly', limit: 10_000, rollover: true, categories: [{ name: 'Food' }] });
    const food = budget.categories[0]!.id as string;
    await setClock('2026-12-20T12:00:00Z');
    const written = [
      { amount: 4_000, occurredOn: '2026-11-15' }, // before the first week: never counted
      { amount: 1_000, occurredOn: '2026-11-18' }, // week 1
      { amount: 2_500, occurredOn: '2026-11-29', categoryId: food }, // week 2 (the previous period)
      { amount: 300, occurredOn: '2026-11-30', categoryId: food }, // the week, November side
      { amount: 120, occurredOn: '2026-11-30' },
      { amount: 700, occurredOn: '2026-12-01' }, // the week, December side
      { amount: 55, occurredOn: '2026-12-06', categoryId: food },
      { amount: 8_000, occurredOn: '2026-12-07' }, // the week after: in no day of the report
    ];
    for (const e of written) await addExpense(t.app, owner, budget.id, e);
    // Written then deleted: its day must net to nothing.
    const gone = await addExpense(t.app, owner, budget.id, { amount: 999, occurredOn: '2026-12-03' });
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/expenses/${gone.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(204);

    const got = await reportWithTotalsReads(budget.id, '2026-12-02');
    expect(got.report).toMatchObject({
      periodStart: '2026-11-30',
      periodEnd: '2026-12-06',
      spent: 1_175,
      carriedOver: 16_500, // 2 * 10,000 - (1,000 + 2,500)
      uncategorizedSpent: 820,
      previousPeriod: { periodStart: '2026-11-23', periodEnd: '2026-11-29', spent: 2_500 },
    });
    expect(got.totalsReads.map((c) => c.name)).toEqual(['QueryCommand']);
    expect(got.spans).toEqual(['2026-11..2026-12']);
    expect(got.report.byDay).toEqual(expectedByDay(written, '2026-11-30', '2026-12-06'));
    expect(got.report.byDay.map((d: { spent: number }) => d.spent)).toEqual([420, 700, 0, 0, 0, 0, 55]);
  });
});
