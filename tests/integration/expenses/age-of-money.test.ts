import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncomeRepository } from '../../../packages/expenses/src/repository/income.repository';
import { expectProblem } from '../../support/problem';
import { readCostDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Age of Money (packages/expenses/docs/income.md "Age of Money") through the whole system on DynamoDB Local:
 * the first in, first out worked by hand over income entries and expenses (two salaries, a
 * refund, a month without income), who may read it, bad input, and the bound: an old budget
 * reads its last 24 months only, in three requests.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'USD' });
});
afterAll(() => h.destroy());

const fresh = () => h.createBudget(team.owner, { currency: 'USD' });
const ageOfMoney = (b: Budget, query = '', who: User = team.owner) => h.call('GET', `/v1/budgets/${b.id}/age-of-money${query}`, { token: who.token });
async function income(b: Budget, amount: number, receivedOn: string) {
  const res = await h.call('POST', `/v1/budgets/${b.id}/income`, { token: team.owner.token, body: { amount, receivedOn } });
  expect(res.status, res.text).toBe(201);
}
async function expense(b: Budget, amount: number, occurredOn: string, refund = false) {
  const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: team.owner.token, body: { amount, occurredOn, ...(refund ? { refund } : {}) } });
  expect(res.status, res.text).toBe(201);
}
const historyOf = (json: any) => Object.fromEntries(json.history.filter((p: any) => p.days !== null).map((p: any) => [p.month, p.days]));

describe('age of money', { timeout: 120_000 }, () => {
  it('two salaries, spending spread over the months: the days worked by hand, first in first out', async () => {
    const b = await fresh();
    await income(b, 300000, '2026-10-01');
    await income(b, 300000, '2026-11-01');
    await expense(b, 10000, '2026-10-02');
    await expense(b, 20000, '2026-10-05');
    await expense(b, 30000, '2026-10-10');
    // Units 60,001..310,000: 240,000 of October's salary (33 days old) and 10,000 of November's (2 days).
    await expense(b, 250000, '2026-11-03');
    // Today (the test clock: 2026-11-24): (10000x1 + 20000x4 + 30000x9 + 240000x33 + 10000x2) / 310000 = 8300000 / 310000 = 26.8 -> 27.
    const res = await ageOfMoney(b);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      date: '2026-11-24',
      days: 27,
      reason: null,
      basedOn: { spendingDays: 4, from: '2026-10-02', to: '2026-11-03' },
      // A young budget: nothing before the window, so no lead-in (it ends the day before `from`).
      window: { from: '2024-12-01', to: '2026-11-24', leadInTo: '2024-11-30' },
    });
    expect(res.json.history).toHaveLength(12);
    expect(res.json.history[0]).toEqual({ month: '2025-12', asOf: '2025-12-31', days: null, reason: 'no-spending' });
    expect(res.json.history.at(-1)).toEqual({ month: '2026-11', asOf: '2026-11-24', days: 27, reason: null });
    // October alone: (10000 + 80000 + 270000) / 60000 = 6.
    expect(historyOf(res.json)).toEqual({ '2026-10': 6, '2026-11': 27 });
    expect((await ageOfMoney(b, '?date=2026-10-31')).json).toMatchObject({ date: '2026-10-31', days: 6, basedOn: { spendingDays: 3 } });
    // Before any spending: null, and why.
    expect((await ageOfMoney(b, '?date=2026-10-01')).json).toMatchObject({ days: null, reason: 'no-spending', basedOn: { spendingDays: 0, from: null, to: null } });
  });

  it('a refund puts money back to be spent first; a month without income runs out: null, not enough income', async () => {
    const b = await fresh();
    await income(b, 60000, '2026-10-01');
    await expense(b, 10000, '2026-10-02');
    await expense(b, 20000, '2026-10-05');
    await expense(b, 30000, '2026-10-10');
    await expense(b, 5000, '2026-10-12', true);
    // Spent 60000 - 5000 = 55000: November 3's 5000 are the refunded units of October 1, 33 days old.
    await expense(b, 5000, '2026-11-03');
    // (10000x1 + 20000x4 + 30000x9 + 5000x33) / 65000 = 525000 / 65000 = 8.08 -> 8.
    const before = await ageOfMoney(b, '?date=2026-11-10');
    expect(before.json).toMatchObject({ days: 8, reason: null, basedOn: { spendingDays: 4, from: '2026-10-02', to: '2026-11-03' } });
    // No income in November: the next 1000 have no receipt.
    await expense(b, 1000, '2026-11-20');
    const after = await ageOfMoney(b, '?date=2026-11-30');
    expect(after.json).toMatchObject({ days: null, reason: 'not-enough-income', basedOn: { spendingDays: 5, to: '2026-11-20' } });
    expect(historyOf(after.json)).toEqual({ '2026-10': 6 });
    // November's null says why, as the answer's own `reason`.
    expect(after.json.history.at(-1)).toEqual({ month: '2026-11', asOf: '2026-11-30', days: null, reason: 'not-enough-income' });
    expect((await ageOfMoney(b, '?date=2026-11-10')).json.days).toBe(8);
  });

  it('an old budget: only the last 24 months are read, in four requests (access, the totals, the income entries, whether anything is older)', async () => {
    const b = await fresh();
    // Years before the window: a large income there is not seen (no older money at the window's start).
    await income(b, 1000000, '2023-01-05');
    await expense(b, 100, '2023-02-01');
    await income(b, 5000, '2024-11-30');
    for (let m = 1; m <= 11; m++) {
      const month = `2026-${String(m).padStart(2, '0')}`;
      await income(b, 1000, `${month}-01`);
      await expense(b, 1000, `${month}-11`);
    }
    const read = await readCostDuring(h.t.doc, () => ageOfMoney(b, '?date=2026-11-24'));
    expect(read.result.status, read.result.text).toBe(200);
    // Each month spends its own income, 10 days later; the window starts 2024-12-01.
    expect(read.result.json).toMatchObject({ days: 10, window: { from: '2024-12-01' }, basedOn: { spendingDays: 10, from: '2026-02-11' } });
    expect(read.commands).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']);
    const sentQueries = read.sent.filter((c) => c.name === 'QueryCommand');
    // The probe: one item at most of the months before the window (found here: 2023's, so the lead-in stays).
    const probe = sentQueries.find((c) => c.input.Limit === 1)!.input.ExpressionAttributeValues as Record<string, string>;
    expect([probe[':lo'], probe[':hi']]).toEqual(['expenses#month#', 'expenses#month#2024-12']);
    const queries = sentQueries.filter((c) => c.input.Limit !== 1).map((c) => c.input.ExpressionAttributeValues as Record<string, string>);
    const totals = queries.find((q) => q[':pk']!.startsWith('expenses#totals#'))!;
    expect([totals[':lo'], totals[':hi']].map((k) => String(k).slice(0, 'expenses#month#YYYY-MM'.length))).toEqual(['expenses#month#2024-12', 'expenses#month#2026-11']);
    const entries = queries.find((q) => q[':pk']!.endsWith('#income'))!;
    expect(entries[':lo']).toContain('2024-12-01');
    expect(entries[':hi']).toContain('2026-11-24');
    // Measured (ReturnConsumedCapacity): the access BatchGetItem 3 units; the totals Query (11
    // months of one spending shard item and one income total item, strongly consistent) 1; the
    // entries' Query (12 entries, 2 attributes projected, eventually consistent) 1; the probe
    // (one item, eventually consistent) 0.5. The three Queries go side by side.
    expect(read.reads.map((r) => r.name)).toEqual(['BatchGetItem', 'Query', 'Query', 'Query']);
    expect(read.reads[0]).toEqual({ name: 'BatchGetItem', units: 3 });
    expect(read.reads.slice(1).map((r) => r.units).sort()).toEqual([0.5, 1, 1]);
    expect(read.maxReadsInFlight).toBe(3);
    // In the lead-in (the window's first 12 months) spending before any of the window's income is
    // taken as paid with older money: it changes nothing after it.
    await expense(b, 1, '2024-12-05');
    expect((await ageOfMoney(b, '?date=2026-11-24')).json).toMatchObject({ days: 10, window: { leadInTo: '2025-11-30' } });
    // After it, spending past the window's income is not enough income, although 2023's million
    // would have paid it: money older than the window is not read.
    await expense(b, 5000, '2026-11-20');
    expect((await ageOfMoney(b, '?date=2026-11-24')).json).toMatchObject({ days: null, reason: 'not-enough-income' });
  });

  it('the income entries read are bounded: past the bound the oldest day read, maybe partly read, is left out and the window starts after it', async () => {
    const b = await fresh();
    for (const [amount, receivedOn] of [[1, '2026-10-03'], [2, '2026-10-03'], [4, '2026-10-05'], [8, '2026-10-07'], [16, '2026-10-09'], [32, '2026-10-09']] as const) await income(b, amount, receivedOn);
    const repository = new IncomeRepository(h.t.system.deps.storeFor('expenses'));
    const read = (max: number) => repository.amountsPerDay(b.id, '2024-12-01', '2026-11-24', max);
    // Newest first: Oct 9, Oct 9, Oct 7, then Oct 5 is one too many: Oct 5 left out, the window from Oct 6.
    expect(await read(3)).toEqual({ from: '2026-10-06', entries: 3, days: new Map([['2026-10-09', 48n], ['2026-10-07', 8n]]) });
    // One of Oct 3's two entries is the one too many: the whole day is left out.
    expect(await read(4)).toEqual({ from: '2026-10-04', entries: 4, days: new Map([['2026-10-09', 48n], ['2026-10-07', 8n], ['2026-10-05', 4n]]) });
    expect(await read(6)).toEqual({ from: '2024-12-01', entries: 6, days: new Map([['2026-10-09', 48n], ['2026-10-07', 8n], ['2026-10-05', 4n], ['2026-10-03', 3n]]) });
  });

  it('viewers read; a stranger gets 404; a bad or unknown parameter is a 400 naming it', async () => {
    const b = team.budget;
    const v = await ageOfMoney(b, '', team.viewer); expect(v.status, v.text).toBe(200);
    expect((await ageOfMoney(b, '', team.editor)).status).toBe(200);
    expectProblem(await ageOfMoney(b, '', team.stranger), 404);
    expectProblem(await ageOfMoney(b, '?date=2026-02-30'), 400, ['query.date']);
    expectProblem(await ageOfMoney(b, '?date=yesterday'), 400, ['query.date']);
    expectProblem(await ageOfMoney(b, '?month=2026-10'), 400, ['query.month']);
    expect((await h.call('GET', `/v1/budgets/${b.id}/age-of-money`)).status).toBe(401);
  });
});
