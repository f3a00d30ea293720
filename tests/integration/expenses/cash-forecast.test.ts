import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asAtClock } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { readCostDuring } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * GET .../cash-flow/forecast (packages/expenses/docs/income.md "Cash flow forecast") on DynamoDB Local. The
 * clock is 2026-11-28T12:00Z; the budget is in Pacific/Kiritimati (UTC+14), where it is already
 * Sunday 2026-11-29: "today" is the 29th (in UTC the salary's 28th would still be today). The
 * definitions, and by hand their occurrences from Nov 29 through Dec 31:
 * - salary     income   monthly on the 28th from 2026-10-28, 320,000 (Acme payroll): Dec 28
 * - paycheck   income   every other Friday from 2026-11-27, 150,050: Dec 11, Dec 25
 * - tips       income   daily, paused: none
 * - rent       bill     monthly on the 1st from 2026-12-01, 120,000 (Landlord): Dec 1
 * - laptop     bill     an installment plan, weekly from 2026-11-20, 4 payments of 2,500
 *                        (Nov 20, Nov 27 before today; Dec 4, Dec 11): Dec 4, Dec 11
 * - magazine   bill     monthly from 2026-12-05, 5,000, paused: none
 * - phone      bill     monthly from 2026-11-30, 3,000, its Nov 30 skipped: Dec 30
 * The days, from 0: Dec 1 -120,000 (-120,000); Dec 4 -2,500 (-122,500); Dec 11 +150,050
 * -2,500 = +147,550 (25,050); Dec 25 +150,050 (175,100); Dec 28 +320,000 (495,100); Dec 30
 * -3,000 (492,100). Totals: income 2 x 150,050 + 320,000 = 620,100, bills 120,000 + 2 x 2,500 +
 * 3,000 = 128,000, net 492,100; the lowest point Dec 4, -122,500.
 */
const BASE = '2026-11-28T12:00:00Z';
const clock = fixedClock(BASE);
let h: Harness;
let team: Team;
let b: Budget;
const ids: Record<string, string> = {};

const req = (who: User, method: string, url: string, options: { body?: unknown } = {}) => asAtClock(h.t, who)(method, url, options);
const forecast = (query = '', budget: Pick<Budget, 'id'> = b, who: User = team.owner) => req(who, 'GET', `/v1/budgets/${budget.id}/cash-flow/forecast${query}`);

async function define(kind: 'recurring-income' | 'recurring-expenses', name: string, body: Record<string, unknown>): Promise<string> {
  const res = await req(team.owner, 'POST', `/v1/budgets/${b.id}/${kind}`, { body });
  expect(res.status, res.text).toBe(201);
  ids[name] = res.json.id;
  return res.headers.get('location')!;
}

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team({ currency: 'USD', timezone: 'Pacific/Kiritimati' });
  b = team.budget;
  await define('recurring-income', 'salary', { amount: 320_000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-10-28' } });
  await define('recurring-income', 'paycheck', { amount: 150_050, description: 'Paycheck', schedule: { frequency: 'weekly', interval: 2, startsOn: '2026-11-27' } });
  await define('recurring-income', 'tips', { amount: 900, schedule: { frequency: 'daily' }, paused: true });
  await define('recurring-expenses', 'rent', { amount: 120_000, merchant: 'Landlord', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
  await define('recurring-expenses', 'laptop', { amount: 2_500, merchant: 'Klarna', description: 'Laptop', schedule: { frequency: 'weekly', startsOn: '2026-11-20', count: 4 } });
  const magazine = await define('recurring-expenses', 'magazine', { amount: 5_000, merchant: 'Magazine', schedule: { frequency: 'monthly', startsOn: '2026-12-05' } });
  expect((await req(team.owner, 'PATCH', magazine, { body: { paused: true } })).status).toBe(200);
  const phone = await define('recurring-expenses', 'phone', { amount: 3_000, merchant: 'Phone Co', schedule: { frequency: 'monthly', startsOn: '2026-11-30' } });
  const skipped = await req(team.owner, 'POST', `${phone}/skip`);
  expect(skipped.json.nextOccurrenceOn, skipped.text).toBe('2026-12-30');
}, 120_000);
beforeEach(() => clock.set(BASE));
afterAll(() => h.destroy());

const salary = () => ({ recurringIncomeId: ids.salary, amount: 320_000, source: 'Acme payroll' });
const paycheck = () => ({ recurringIncomeId: ids.paycheck, amount: 150_050, description: 'Paycheck' });
const rent = () => ({ recurringExpenseId: ids.rent, amount: 120_000, merchant: 'Landlord' });
const laptop = () => ({ recurringExpenseId: ids.laptop, amount: 2_500, merchant: 'Klarna', description: 'Laptop' });
const phone = () => ({ recurringExpenseId: ids.phone, amount: 3_000, merchant: 'Phone Co' });

/** The forecast's occurrences are exactly the two upcoming routes' items, in their order, with their totals. */
async function expectSameAsUpcoming(to: string, days: number): Promise<void> {
  const [f, bills, income] = await Promise.all([
    forecast(`?to=${to}`),
    req(team.owner, 'GET', `/v1/budgets/${b.id}/recurring-expenses/upcoming?days=${days}`),
    req(team.owner, 'GET', `/v1/budgets/${b.id}/recurring-income/upcoming?to=${to}`),
  ]);
  for (const res of [f, bills, income]) expect(res.status, res.text).toBe(200);
  expect(bills.json.to).toBe(to);
  expect(bills.json.truncated || income.json.truncated).toBe(false);
  // An overdue paycheck is on `from` with its date as `dueOn`; the income upcoming lists it on that date, overdue too.
  // An overdue bill is on `from` too; the bills upcoming starts today, so it is compared without them.
  const laidOut = f.json.days as { date: string; income: { dueOn?: string }[]; bills: { amount: number; overdue?: true }[] }[];
  expect(laidOut.every((d) => d.date >= f.json.from)).toBe(true);
  expect(laidOut.flatMap((d) => d.income.map(({ dueOn, ...i }) => ({ receivedOn: dueOn ?? d.date, ...i })))).toEqual(income.json.items);
  const overdueBills = laidOut.flatMap((d) => d.bills.filter((x) => x.overdue));
  expect(laidOut.flatMap((d) => d.bills.filter((x) => !x.overdue).map((x) => ({ occurredOn: d.date, ...x })))).toEqual(
    bills.json.items.map((i: Record<string, unknown>) => ({
      occurredOn: i.occurredOn,
      recurringExpenseId: i.recurringExpenseId,
      amount: i.amount,
      ...(i.merchant !== undefined ? { merchant: i.merchant } : {}),
      ...(i.description !== undefined ? { description: i.description } : {}),
    })),
  );
  const billsTotal = bills.json.total + overdueBills.reduce((n, x) => n + x.amount, 0);
  expect(f.json.totals).toEqual({ income: income.json.total, bills: billsTotal, net: income.json.total - billsTotal });
}

describe('the cash flow forecast', { timeout: 120_000 }, () => {
  it('lays out the recurring income and bills still to come, day by day, with figures worked by hand', async () => {
    const res = await forecast('?to=2026-12-31', b, team.viewer);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      currency: 'USD',
      from: '2026-11-29',
      to: '2026-12-31',
      startingBalance: 0,
      days: [
        { date: '2026-12-01', income: [], bills: [rent()], net: -120_000, runningNet: -120_000 },
        { date: '2026-12-04', income: [], bills: [laptop()], net: -2_500, runningNet: -122_500 },
        { date: '2026-12-11', income: [paycheck()], bills: [laptop()], net: 147_550, runningNet: 25_050 },
        { date: '2026-12-25', income: [paycheck()], bills: [], net: 150_050, runningNet: 175_100 },
        { date: '2026-12-28', income: [salary()], bills: [], net: 320_000, runningNet: 495_100 },
        { date: '2026-12-30', income: [], bills: [phone()], net: -3_000, runningNet: 492_100 },
      ],
      totals: { income: 620_100, bills: 128_000, net: 492_100 },
      lowestRunningNet: { date: '2026-12-04', amount: -122_500 },
    });
  });

  it('starts the running net at startingBalance', async () => {
    const res = await forecast('?to=2026-12-31&startingBalance=100000');
    expect(res.status, res.text).toBe(200);
    expect(res.json.startingBalance).toBe(100_000);
    expect(res.json.days.map((d: { runningNet: number }) => d.runningNet)).toEqual([-20_000, -22_500, 125_050, 275_100, 595_100, 592_100]);
    expect(res.json.lowestRunningNet).toEqual({ date: '2026-12-04', amount: -22_500 });
    expect(res.json.totals).toEqual({ income: 620_100, bills: 128_000, net: 492_100 });
    // Overdrawn now, nothing due: the start is the lowest point.
    const quiet = await forecast('?to=2026-11-30&startingBalance=-5');
    expect(quiet.json).toMatchObject({ days: [], totals: { income: 0, bills: 0, net: 0 }, lowestRunningNet: { date: '2026-11-29', amount: -5 } });
    const nothing = await forecast('?to=2026-11-30');
    expect(nothing.json.lowestRunningNet).toEqual({ date: '2026-11-29', amount: 0 });
  });

  it('lists exactly what the two upcoming routes list, with their totals', async () => {
    await expectSameAsUpcoming('2026-12-31', 33);
    await expectSameAsUpcoming('2027-02-26', 90);
    await expectSameAsUpcoming('2026-11-29', 1);
    // A month on, the hourly job not run: the income and bills still to record include the ones
    // due before today (Dec 29 there). The forecast lists them on today, `overdue` with their
    // dates (no day before `from`); the income upcoming on their dates, `overdue` too; the bills
    // upcoming starts today (the overdue bills: rent's Dec 1, the laptop's Dec 4 and 11). So the
    // running net ends where the forecast of Nov 29 ended (492,100): nothing came or left since.
    clock.set('2026-12-28T12:00:00Z');
    await expectSameAsUpcoming('2027-01-27', 30);
    const late = await forecast('?to=2026-12-31');
    expect(late.json.from).toBe('2026-12-29');
    const overdue = (item: object, dueOn: string) => ({ ...item, overdue: true, dueOn });
    expect(late.json.days).toEqual([
      {
        date: '2026-12-29',
        income: [overdue(paycheck(), '2026-12-11'), overdue(paycheck(), '2026-12-25'), overdue(salary(), '2026-12-28')],
        bills: [overdue(rent(), '2026-12-01'), overdue(laptop(), '2026-12-04'), overdue(laptop(), '2026-12-11')],
        net: 495_100,
        runningNet: 495_100,
      },
      { date: '2026-12-30', income: [], bills: [phone()], net: -3_000, runningNet: 492_100 },
    ]);
    expect(late.json.totals).toEqual({ income: 620_100, bills: 128_000, net: 492_100 });
    const upcoming = await req(team.owner, 'GET', `/v1/budgets/${b.id}/recurring-income/upcoming?to=2026-12-31`);
    expect(upcoming.json.items).toEqual([
      { receivedOn: '2026-12-11', ...paycheck(), overdue: true },
      { receivedOn: '2026-12-25', ...paycheck(), overdue: true },
      { receivedOn: '2026-12-28', ...salary(), overdue: true },
    ]);
  });

  it('defaults `to` to 30 days including today and bounds it to 90; 400 naming query.to otherwise', async () => {
    const byDefault = await forecast();
    expect(byDefault.status, byDefault.text).toBe(200);
    // Nov 29 + 29 = Dec 28: the salary is in, the phone's Dec 30 is not.
    expect(byDefault.json).toMatchObject({ from: '2026-11-29', to: '2026-12-28', totals: { income: 620_100, bills: 125_000, net: 495_100 } });
    expect((await forecast('?to=2027-02-26')).json.to).toBe('2027-02-26');
    for (const to of ['2027-02-27', '2026-11-28', '2026-13-01', '2026-12-1', '']) expectProblem(await forecast(`?to=${to}`), 400, ['query.to']);
    expectProblem(await forecast('?days=30'), 400);
  });

  it('takes startingBalance as a whole number of minor units within 2^53 - 1; 422 when a running figure passes it', async () => {
    for (const value of ['1.5', 'abc', '', '+5', '1e3', ' 5', '9007199254740992', '-9007199254740992', '10000000000000000', '--1']) {
      expectProblem(await forecast(`?startingBalance=${encodeURIComponent(value)}`), 400, ['query.startingBalance']);
    }
    const top = await forecast('?to=2026-11-30&startingBalance=9007199254740991');
    expect(top.json.lowestRunningNet).toEqual({ date: '2026-11-29', amount: 9_007_199_254_740_991 });
    const bottom = await forecast('?to=2026-11-30&startingBalance=-9007199254740991');
    expect(bottom.json.startingBalance).toBe(-9_007_199_254_740_991);
    // Exact BigInt sums: the salary on top of the limit, or the rent below minus it, cannot be given exactly.
    expectProblem(await forecast('?to=2026-12-31&startingBalance=9007199254740991'), 422);
    expectProblem(await forecast('?to=2026-12-31&startingBalance=-9007199254740991'), 422);
    // Just within: the highest running net (Dec 28) lands exactly on the limit.
    const edge = await forecast(`?to=2026-12-31&startingBalance=${9_007_199_254_740_991 - 495_100}`);
    expect(edge.status, edge.text).toBe(200);
    expect(edge.json.days[4].runningNet).toBe(9_007_199_254_740_991);
  });

  it('is read by every member; 404 for a stranger and an unknown budget', async () => {
    for (const who of [team.owner, team.editor, team.viewer]) expect((await forecast('', b, who)).status).toBe(200);
    expectProblem(await forecast('', b, team.stranger), 404);
    expectProblem(await forecast('', { id: '01JDNOSUCHBUDGET0000000000' }), 404);
  });

  it('costs the access read, then the two definition reads in parallel: 3 requests, 2 round trips', async () => {
    const read = await readCostDuring(h.t.doc, () => forecast('?to=2026-12-31'));
    expect(read.result.status).toBe(200);
    expect(read.commands).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    // The two Queries waited together (the access read alone before them).
    expect(read.maxReadsInFlight).toBe(2);
    expect(read.reads).toEqual([
      { name: 'BatchGetItem', units: 3 },
      { name: 'Query', units: 1 },
      { name: 'Query', units: 1 },
    ]);
    expect(read.readUnits).toBe(5);
  });

  it("an archived budget's forecast and upcoming lists promise nothing: the jobs record none of it; unarchived, all of it again", async () => {
    const before = await forecast('?to=2026-12-31');
    expect(before.json.totals).toEqual({ income: 620_100, bills: 128_000, net: 492_100 });
    expect((await req(team.owner, 'POST', `/v1/budgets/${b.id}/archive`)).status).toBe(200);
    try {
      // The recurring jobs skip an archived budget's due dates without recording them (packages/expenses/docs/recurring.md,
      // income.md "An archived budget"), as its calendar feed shows no bill.
      const archived = await readCostDuring(h.t.doc, () => forecast('?to=2026-12-31'));
      expect(archived.result.status, archived.result.text).toBe(200);
      expect(archived.result.json).toMatchObject({ days: [], totals: { income: 0, bills: 0, net: 0 }, lowestRunningNet: { date: '2026-11-29', amount: 0 } });
      // Nothing to lay out: no definition read.
      expect(archived.commands).toEqual(['BatchGetItemCommand']);
      const bills = await req(team.viewer, 'GET', `/v1/budgets/${b.id}/recurring-expenses/upcoming?days=33`);
      expect(bills.status, bills.text).toBe(200);
      expect(bills.json).toMatchObject({ total: 0, count: 0, truncated: false, items: [] });
      const income = await req(team.viewer, 'GET', `/v1/budgets/${b.id}/recurring-income/upcoming?to=2026-12-31`);
      expect(income.status, income.text).toBe(200);
      expect(income.json).toMatchObject({ total: 0, count: 0, truncated: false, items: [] });
    } finally {
      expect((await req(team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBe(200);
    }
    expect((await forecast('?to=2026-12-31')).json).toEqual(before.json);
    await expectSameAsUpcoming('2026-12-31', 33);
  });
});
