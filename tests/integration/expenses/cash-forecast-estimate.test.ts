import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asAtClock, tokenAtClock } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { readCostDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';
import { runRecurringJob } from './recurring-harness';

/**
 * GET .../cash-flow/forecast?spending=estimate (packages/expenses/docs/income.md "Cash flow forecast", Everyday
 * spending) on DynamoDB Local, figures worked by hand. The budget (UTC) was created on
 * 2026-08-01; today is 2026-12-01, so the estimate looks at 2026-09-02 .. 2026-11-30 (90 days).
 * - rent     bill    monthly on the 5th from 2026-08-05, 6,000, recorded by the job on Aug 5,
 *                    Sep 5, Oct 5 and Nov 5 (the last three in the window: 18,000); next Dec 5
 * - bonus    income  monthly on the 15th from 2026-12-15, 50,000: Dec 15
 * - groceries 9,500 on Sep 10, a refund of 500 on Oct 10; 1,000 on Sep 1 and 4,444 today are
 *   outside the window.
 * Spending in the window 27,000 (rent 18,000, groceries 9,500, refund -500); everyday 9,000;
 * 9,000 / 90 = 100 a day.
 */
const BASE = '2026-12-01T12:00:00Z';
const clock = fixedClock(BASE);
let h: Harness;
let team: Team;
let b: Budget;
const ids: Record<string, string> = {};

const req = (who: User, method: string, url: string, options: { body?: unknown } = {}) => asAtClock(h.t, who)(method, url, options);
const forecast = (query = '', budget: Pick<Budget, 'id'> = b, who: User = team.owner) => req(who, 'GET', `/v1/budgets/${budget.id}/cash-flow/forecast${query}`);

async function spend(budget: Budget, amount: number, occurredOn: string, refund = false) {
  const res = await req(team.owner, 'POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount, occurredOn, ...(refund ? { refund } : {}) } });
  expect(res.status, res.text).toBe(201);
}

beforeAll(async () => {
  h = await createHarness({ clock });
  clock.set('2026-08-01T12:00:00Z');
  team = await h.team({ currency: 'USD', timezone: 'UTC' });
  b = team.budget;
  const rent = await req(team.owner, 'POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 6_000, merchant: 'Landlord', schedule: { frequency: 'monthly', startsOn: '2026-08-05' } } });
  expect(rent.status, rent.text).toBe(201);
  ids.rent = rent.json.id;
  const bonus = await req(team.owner, 'POST', `/v1/budgets/${b.id}/recurring-income`, { body: { amount: 50_000, source: 'Bonus', schedule: { frequency: 'monthly', startsOn: '2026-12-15' } } });
  expect(bonus.status, bonus.text).toBe(201);
  ids.bonus = bonus.json.id;
  for (const day of ['2026-08-05', '2026-09-05', '2026-10-05', '2026-11-05']) {
    clock.set(`${day}T12:00:00Z`);
    expect(await runRecurringJob(h)).toMatchObject({ recorded: 1, failed: 0 });
  }
  clock.set(BASE);
  await spend(b, 9_500, '2026-09-10');
  await spend(b, 500, '2026-10-10', true);
  await spend(b, 1_000, '2026-09-01');
  await spend(b, 4_444, '2026-12-01');
}, 120_000);
beforeEach(() => clock.set(BASE));
afterAll(() => h.destroy());

/** Dec 1 .. Dec 20, each spending 100; rent on Dec 5, the bonus on Dec 15. */
function expectedDays(start: number) {
  const days = [];
  let running = start;
  for (let d = 1; d <= 20; d++) {
    const date = `2026-12-${String(d).padStart(2, '0')}`;
    const income = d === 15 ? [{ recurringIncomeId: ids.bonus, amount: 50_000, source: 'Bonus' }] : [];
    const bills = d === 5 ? [{ recurringExpenseId: ids.rent, amount: 6_000, merchant: 'Landlord' }] : [];
    const net = (d === 15 ? 50_000 : 0) - (d === 5 ? 6_000 : 0) - 100;
    running += net;
    days.push({ date, income, bills, estimatedSpending: 100, net, runningNet: running });
  }
  return days;
}

describe('the cash flow forecast with everyday spending', { timeout: 120_000 }, () => {
  it('spends 100 a day (27,000 less 18,000 of rent over 90 days), on every day, in the totals and the lowest point', async () => {
    const res = await forecast('?to=2026-12-20&spending=estimate&startingBalance=10000', b, team.viewer);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      currency: 'USD',
      from: '2026-12-01',
      to: '2026-12-20',
      startingBalance: 10_000,
      days: expectedDays(10_000),
      totals: { income: 50_000, bills: 6_000, estimatedSpending: 2_000, net: 42_000 },
      // Dec 5: 10,000 - 5 x 100 - 6,000 = 3,500; Dec 14: 3,500 - 9 x 100 = 2,600, the bonus next.
      lowestRunningNet: { date: '2026-12-14', amount: 2_600 },
      estimate: { perDay: 100, basedOnDays: 90, from: '2026-09-02', to: '2026-11-30', everydaySpending: 9_000, recurringBills: 18_000 },
    });
    expect(res.json.days[13]).toMatchObject({ date: '2026-12-14', runningNet: 2_600 });
    expect(res.json.days[19].runningNet).toBe(52_000);
  });

  it('answers exactly as before without it or with spending=none', async () => {
    const plain = await forecast('?to=2026-12-20&startingBalance=10000');
    expect(plain.status, plain.text).toBe(200);
    expect((await forecast('?to=2026-12-20&startingBalance=10000&spending=none')).json).toEqual(plain.json);
    expect(plain.json).not.toHaveProperty('estimate');
    expect(plain.json.days.map((d: { date: string }) => d.date)).toEqual(['2026-12-05', '2026-12-15']);
    expect(plain.json.totals).toEqual({ income: 50_000, bills: 6_000, net: 44_000 });
  });

  it('is a 400 naming query.spending for any other value', async () => {
    for (const value of ['', 'ESTIMATE', 'yes', 'estimate,none']) expectProblem(await forecast(`?spending=${value}`), 400, ['query.spending']);
  });

  it('gives a young budget an estimate from its first day with spending, and none under 14 days', async () => {
    const young = await h.createBudget({ ...team.owner, token: await tokenAtClock(h.t, team.owner) }, { currency: 'USD', timezone: 'UTC' });
    await spend(young, 700, '2026-11-20');
    const short = await forecast('?to=2026-12-03&spending=estimate', young);
    expect(short.status, short.text).toBe(200);
    // Nov 20 .. Nov 30: 11 days. No estimate: the answer as without one (nothing recurring: no day).
    expect(short.json).toMatchObject({ days: [], totals: { income: 0, bills: 0, net: 0 }, estimate: null, estimateReason: 'too-little-history' });
    await spend(young, 700, '2026-11-17');
    const enough = await forecast('?to=2026-12-03&spending=estimate', young);
    // Nov 17 .. Nov 30: 14 days, 1,400 -> 100 a day over Dec 1 .. Dec 3.
    expect(enough.json.estimate).toEqual({ perDay: 100, basedOnDays: 14, from: '2026-11-17', to: '2026-11-30', everydaySpending: 1_400, recurringBills: 0 });
    expect(enough.json.days.map((d: { runningNet: number }) => d.runningNet)).toEqual([-100, -200, -300]);
    expect(enough.json.lowestRunningNet).toEqual({ date: '2026-12-03', amount: -300 });
  });

  it('422 when a figure with the estimate passes 2^53 - 1', async () => {
    expectProblem(await forecast(`?to=2026-12-02&spending=estimate&startingBalance=-${Number.MAX_SAFE_INTEGER - 150}`), 422);
  });

  it('costs one Query more, in the same round trip: the day totals of the 90 days', async () => {
    const read = await readCostDuring(h.t.doc, () => forecast('?to=2026-12-20&spending=estimate'));
    expect(read.result.status).toBe(200);
    expect(read.commands).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']);
    expect(read.maxReadsInFlight).toBe(3);
    expect(read.reads).toEqual([
      { name: 'BatchGetItem', units: 3 },
      { name: 'Query', units: 1 },
      { name: 'Query', units: 1 },
      { name: 'Query', units: 1 },
    ]);
    expect(read.readUnits).toBe(6);
  });
});
