import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { totalsKeys } from '../../../packages/expenses/src/repository/keys';
import { TOTALS_SHARDS } from '../../../packages/expenses/src/repository/totals-deltas';
import { readCostDuring } from '../../support/sent-commands';
import { addExpense, addMember, as, clockSuite, createBudget, expectProblem } from './helpers';

/**
 * GET /v1/budgets/{id}/year-review through HTTP on DynamoDB Local, with a fixed clock: a monthly
 * UTC budget (limit 100,000) created on 10 March 2025, reviewed on 15 December 2026. Every
 * expected figure below is worked out by hand from the expenses recorded here.
 */
const { accounts, setClock, get, call } = clockSuite('2025-03-10T09:00:00Z', ['viewer', 'stranger']);

const reviewPath = (budgetId: string, query = '') => `/v1/budgets/${budgetId}/year-review${query}`;

describe('GET /year-review of a monthly budget', () => {
  let budgetId: string;
  let groceries: string;
  let transport: string;
  let fun: string;

  it('reviews the current year: months, top categories and merchants, periods within limit, the previous year', async () => {
    const { t, owner } = accounts;
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }, { name: 'Fun' }],
    });
    budgetId = budget.id;
    [groceries, transport, fun] = budget.categories.map((c: { id: string }) => c.id) as [string, string, string];
    await setClock('2026-12-15T12:00:00Z');
    const spend = (occurredOn: string, amount: number, categoryId: string | null, merchant?: string) =>
      addExpense(t.app, owner, budgetId, { amount, occurredOn, categoryId, ...(merchant ? { merchant } : {}) });
    const post = async (body: Record<string, unknown>) => {
      const res = await call('POST', `/v1/budgets/${budgetId}/expenses`, body);
      expect(res.status, res.text).toBe(201);
    };
    // 2025: February's is backdated before the budget existed; 20 December is past the compared days.
    await spend('2025-02-10', 7_000, groceries, 'Aldi');
    await spend('2025-05-05', 100_000, fun, 'Airline');
    await spend('2025-12-20', 60_000, groceries, 'Lidl');
    // 2026.
    await spend('2026-01-10', 30_000, groceries, 'Lidl');
    await spend('2026-01-20', 10_000, transport, 'LIDL');
    await spend('2026-02-05', 20_000, groceries, 'Aldi');
    // A split expense: 35,000 in Groceries, 15,000 in Fun; its merchant counts it whole.
    await post({ amount: 50_000, occurredOn: '2026-03-03', merchant: 'Costco', splits: [{ categoryId: groceries, amount: 35_000 }, { categoryId: fun, amount: 15_000 }] });
    // March goes over its limit: 170,000 against 100,000.
    await spend('2026-03-15', 120_000, fun, 'Airline');
    // A refund: -5,000 for Groceries and for Lidl (spelled as the January one).
    await post({ amount: 5_000, occurredOn: '2026-04-02', categoryId: groceries, merchant: 'Lidl', refund: true });
    await spend('2026-06-09', 8_000, null, 'Kiosk');
    await spend('2026-07-04', 2_000, fun);
    await spend('2026-12-01', 40_000, transport, 'Shell');
    // Dated ahead of today (the 15th): in the year and December, not in the compared days.
    await spend('2026-12-24', 5_000, transport, 'Shell');
    // Income (packages/expenses/docs/income.md "Income and cash flow"): January, March (two entries), April, December; and 2025's June and December.
    const earn = async (receivedOn: string, amount: number) => {
      const res = await call('POST', `/v1/budgets/${budgetId}/income`, { amount, receivedOn });
      expect(res.status, res.text).toBe(201);
    };
    await earn('2026-01-31', 50_000);
    await earn('2026-03-01', 100_000);
    await earn('2026-03-31', 50_000);
    await earn('2026-04-15', 3_000);
    await earn('2026-12-10', 30_001);
    await earn('2025-12-05', 99_000);
    await earn('2025-06-30', 40_000);

    const body = await get(reviewPath(budgetId));
    // A month without income: net = -spent, no rate.
    const noIncome = (spent: number) => ({ income: 0, net: 0 - spent, savingsRate: null }) // 0 - 0 is 0, not -0;
    const limited = (month: string, spent: number, underLimit: boolean, income: Record<string, unknown> = noIncome(spent)) => ({ month, spent, limit: 100_000, underLimit, ...income });
    expect(body).toEqual({
      year: 2026,
      period: 'monthly',
      currency: 'USD',
      from: '2026-01-01',
      to: '2026-12-31',
      // 40,000 + 20,000 + 170,000 - 5,000 + 8,000 + 2,000 + 45,000.
      spent: 280_000,
      // 50,000 + 150,000 + 3,000 + 30,001 (2025's December is not 2026's); net 233,001 - 280,000;
      // -46,999 / 233,001 = -20.1711..% -> -2017 bp.
      income: 233_001,
      net: -46_999,
      savingsRate: -2_017,
      expenseCount: 10,
      months: [
        // 10,000 / 50,000 = 20 %.
        limited('2026-01', 40_000, true, { income: 50_000, net: 10_000, savingsRate: 2_000 }),
        limited('2026-02', 20_000, true),
        // -20,000 / 150,000 = -13.333..% -> -1333.
        limited('2026-03', 170_000, false, { income: 150_000, net: -20_000, savingsRate: -1_333 }),
        // The refund's month: 3,000 - (-5,000) = 8,000 kept of 3,000: 266.666..% -> 26667.
        limited('2026-04', -5_000, true, { income: 3_000, net: 8_000, savingsRate: 26_667 }),
        limited('2026-05', 0, true),
        limited('2026-06', 8_000, true),
        limited('2026-07', 2_000, true),
        limited('2026-08', 0, true),
        limited('2026-09', 0, true),
        limited('2026-10', 0, true),
        limited('2026-11', 0, true),
        // Not ended: its limit, no verdict yet. -14,999 / 30,001 = -49.99500..% -> -5000 (a half and a bit, away from zero).
        { month: '2026-12', spent: 45_000, limit: 100_000, income: 30_001, net: -14_999, savingsRate: -5_000 },
      ],
      biggestMonth: { month: '2026-03', spent: 170_000 },
      // The refund's month: the least among the ended months.
      quietestMonth: { month: '2026-04', spent: -5_000 },
      // Fun 15,000 + 120,000 + 2,000; Groceries 30,000 + 20,000 + 35,000 - 5,000; Transport 10,000 + 40,000 + 5,000.
      // Shares of 280,000: 48.928..% -> 4893, 28.571..% -> 2857, 19.642..% -> 1964, 2.857..% -> 286.
      categories: [
        { categoryId: fun, name: 'Fun', spent: 137_000, share: 4_893 },
        { categoryId: groceries, name: 'Groceries', spent: 80_000, share: 2_857 },
        { categoryId: transport, name: 'Transport', spent: 55_000, share: 1_964 },
        { categoryId: 'uncategorized', name: 'Uncategorized', spent: 8_000, share: 286 },
      ],
      // Lidl, LIDL and the Lidl refund are one merchant (30,000 + 10,000 - 5,000), shown as its most
      // frequent spelling; Kiosk (8,000) is sixth; the expense without a merchant is in none.
      merchants: [
        { merchant: 'Airline', spent: 120_000, count: 1 },
        { merchant: 'Costco', spent: 50_000, count: 1 },
        { merchant: 'Shell', spent: 45_000, count: 2 },
        { merchant: 'Lidl', spent: 35_000, count: 3 },
        { merchant: 'Aldi', spent: 20_000, count: 1 },
      ],
      // January to November ended; March alone went over.
      periodsWithinLimit: { count: 10, of: 11 },
      // 1 January to 15 December of each year: 275,000 against 107,000 (7,000 + 100,000): +157.0093..% -> 15701.
      comparedWithPreviousYear: {
        from: '2025-01-01',
        to: '2025-12-15',
        spent: 107_000,
        change: 15_701,
        // Income over the WHOLE months that have ended, January to November of each year: 2026's 203,000
        // (50,000 + 150,000 + 3,000) against 2025's 40,000 (June): +407.5 % -> 40750. Net: 2026's 203,000 -
        // 235,000 (40,000 + 20,000 + 170,000 - 5,000 + 8,000 + 2,000) = -32,000 against 2025's 40,000 -
        // 107,000 = -67,000: +35,000 of 67,000 = +52.2388..% -> 5224.
        cashFlow: { from: '2025-01', to: '2025-11', income: 40_000, incomeChange: 40_750, net: -67_000, netChange: 5_224 },
      },
    });
    // Each month of a monthly budget is its period: the summary of March says the same.
    const march = await get(`/v1/budgets/${budgetId}/summary?date=2026-03-10`);
    expect([march.spent, march.limit]).toEqual([170_000, 100_000]);
    // The cash flow of January to December says the same, month by month and in total.
    const flow = await get(`/v1/budgets/${budgetId}/cash-flow?from=2026-01&to=2026-12`);
    expect(flow.total).toEqual({ income: 233_001, spent: 280_000, net: -46_999, savingsRate: -2_017 });
    expect(flow.months).toEqual(body.months.map((m: Record<string, unknown>) => ({ month: m.month, spent: m.spent, income: m.income, net: m.net, savingsRate: m.savingsRate })));
    // And the previous year's compared months are its cash flow's total over them.
    const compared = await get(`/v1/budgets/${budgetId}/cash-flow?from=2025-01&to=2025-11`);
    expect([compared.total.income, compared.total.net]).toEqual([40_000, -67_000]);
  });

  it('reviews a past year whole: no limit before the first period, the previous year without spending', async () => {
    const body = await get(reviewPath(budgetId, '?year=2025'));
    expect(body).toMatchObject({
      year: 2025,
      spent: 167_000,
      expenseCount: 3,
      biggestMonth: { month: '2025-05', spent: 100_000 },
      // Ended months from March (the budget's first): all but May and December spent 0; the earliest.
      quietestMonth: { month: '2025-03', spent: 0 },
      // 100,000 / 167,000 = 59.880..% -> 5988; 67,000 / 167,000 = 40.119..% -> 4012.
      categories: [
        { categoryId: fun, name: 'Fun', spent: 100_000, share: 5_988 },
        { categoryId: groceries, name: 'Groceries', spent: 67_000, share: 4_012 },
      ],
      merchants: [
        { merchant: 'Airline', spent: 100_000, count: 1 },
        { merchant: 'Lidl', spent: 60_000, count: 1 },
        { merchant: 'Aldi', spent: 7_000, count: 1 },
      ],
      // March to December, May exactly at its limit.
      periodsWithinLimit: { count: 10, of: 10 },
      // 2024 had neither spending nor income: no base for any change.
      comparedWithPreviousYear: {
        from: '2024-01-01',
        to: '2024-12-31',
        spent: 0,
        change: null,
        cashFlow: { from: '2024-01', to: '2024-12', income: 0, incomeChange: null, net: 0, netChange: null },
      },
      // June's 40,000 and December's 99,000: -28,000 / 139,000 = -20.1438..% -> -2014.
      income: 139_000,
      net: -28_000,
      savingsRate: -2_014,
    });
    expect(body.months.slice(0, 3)).toEqual([
      { month: '2025-01', spent: 0, income: 0, net: 0, savingsRate: null },
      { month: '2025-02', spent: 7_000, income: 0, net: -7_000, savingsRate: null },
      { month: '2025-03', spent: 0, limit: 100_000, underLimit: true, income: 0, net: 0, savingsRate: null },
    ]);
    expect(body.months[4]).toEqual({ month: '2025-05', spent: 100_000, limit: 100_000, underLimit: true, income: 0, net: -100_000, savingsRate: null });
    // 39,000 / 99,000 = 39.3939..% -> 3939.
    expect(body.months[11]).toEqual({ month: '2025-12', spent: 60_000, limit: 100_000, underLimit: true, income: 99_000, net: 39_000, savingsRate: 3_939 });
  });

  it('costs the access read, ONE Query of the running totals and the walk of the year\'s expenses', async () => {
    const { t } = accounts;
    const cost = await readCostDuring(t.doc, () => call('GET', reviewPath(budgetId)));
    expect(cost.result.status).toBe(200);
    expect([...cost.commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    const totals = cost.sent.filter((c) => c.name === 'QueryCommand' && JSON.stringify(c.input).includes('expenses#totals'));
    // That one Query is the one the year's spending needed before income was shown: the previous
    // January to December's last item (its bounds hold each month's income item too).
    expect(totals).toHaveLength(1);
    expect((totals[0]!.input as { ExpressionAttributeValues: Record<string, string> }).ExpressionAttributeValues).toMatchObject({ ':lo': 'expenses#month#2025-01', ':hi': expect.stringMatching(/^expenses#month#2026-12#/) });
    // The access BatchGetItem (3 small items, strongly consistent: 3 units), 2025's and 2026's
    // month items (a few KB: 1-2 units) and one page of 10 expenses (eventually consistent: 0.5-1).
    expect(cost.readUnits).toBeGreaterThanOrEqual(4);
    expect(cost.readUnits).toBeLessThanOrEqual(8);
    expect(cost.maxReadsInFlight).toBe(2);
  });

  it('answers any member, viewers included, and 404 to others; a bad year is a 400 naming query.year', async () => {
    const { t, owner, viewer, stranger } = accounts;
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    const asViewer = await as(t.app, viewer)('GET', reviewPath(budgetId, '?year=2026'));
    expect(asViewer.status).toBe(200);
    expect(asViewer.json).toEqual(await get(reviewPath(budgetId)));
    expectProblem(await as(t.app, stranger)('GET', reviewPath(budgetId)), 404);
    expectProblem(await call('GET', reviewPath('01JDQ4V8M7ZK3X9A2B5C6D7E8F')), 404);
    for (const year of ['2024', '2027', 'abc', '2026.5', '']) {
      expectProblem(await call('GET', reviewPath(budgetId, `?year=${year}`)), 400, ['query.year']);
    }
    expectProblem(await call('GET', reviewPath(budgetId, '?years=2026')), 400, ['query.years']);
  });

  it("compares income with the previous year from the same one Query: the same requests and read units with and without it", async () => {
    const { t } = accounts;
    const review = async () => {
      const cost = await readCostDuring(t.doc, () => call('GET', reviewPath(budgetId)));
      expect(cost.result.status, cost.result.text).toBe(200);
      const totals = cost.sent.filter((c) => c.name === 'QueryCommand' && JSON.stringify(c.input).includes('expenses#totals'));
      return { body: cost.result.json, commands: [...cost.commands].sort(), totals: totals.map((c) => c.input), readUnits: cost.readUnits };
    };
    // Before: 20 January 2027, no month of 2027 has ended, so no income comparison is asked.
    await setClock('2027-01-20T12:00:00Z');
    const before = await review();
    expect(before.body.comparedWithPreviousYear.cashFlow).toBeNull();
    // After: 20 February 2027, January compared with 2026's (50,000 of income, 40,000 spent).
    await setClock('2027-02-20T12:00:00Z');
    const after = await review();
    expect(after.body.comparedWithPreviousYear.cashFlow).toEqual({ from: '2026-01', to: '2026-01', income: 50_000, incomeChange: -10_000, net: 10_000, netChange: -10_000 });
    expect(after.commands).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand']);
    expect(after.commands).toEqual(before.commands);
    // The one totals Query, with the same bounds (2026's January to 2027's December) and the same items read.
    expect(after.totals).toHaveLength(1);
    expect(after.totals).toEqual(before.totals);
    expect(after.readUnits).toBe(before.readUnits);
  });
});

describe('GET /year-review of a weekly budget', () => {
  it("judges the ISO weeks of the year from the budget's first, each at its own limit", async () => {
    const { t, owner } = accounts;
    // Created on Wednesday 2 December 2026: its first week is 30 November - 6 December.
    await setClock('2026-12-02T08:00:00Z');
    const budget = await createBudget(t.app, owner, { period: 'weekly', limit: 10_000, categories: [{ name: 'Food' }] });
    await setClock('2026-12-23T08:00:00Z');
    const food = budget.categories[0]!.id as string;
    await addExpense(t.app, owner, budget.id, { amount: 12_000, occurredOn: '2026-12-08', categoryId: food });
    await addExpense(t.app, owner, budget.id, { amount: 9_000, occurredOn: '2026-12-15', categoryId: food });
    const body = await get(reviewPath(budget.id));
    // Weeks from 30 November: 30 Nov - 6 Dec (0), 7-13 Dec (12,000: over), 14-20 Dec (9,000) ended; 21-27 Dec has not.
    expect(body.periodsWithinLimit).toEqual({ count: 2, of: 3 });
    // A weekly budget's months carry no limit.
    expect(body.months[11]).toEqual({ month: '2026-12', spent: 21_000, income: 0, net: -21_000, savingsRate: null });
    // No income at all: the year's rate is null.
    expect([body.income, body.net, body.savingsRate]).toEqual([0, -21_000, null]);
    // Created in December, which has not ended: no quietest month yet.
    expect(body.quietestMonth).toBeNull();
    expect(body.biggestMonth).toEqual({ month: '2026-12', spent: 21_000 });
  });
});

describe('GET /year-review past 2^53 - 1', () => {
  it("is the 422 when the previous year's compared days sum past 2^53 - 1 over the totals shards", async () => {
    const { t, owner } = accounts;
    await setClock('2025-03-10T09:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 100_000, categories: [{ name: 'Food' }] });
    // Reviewed on 10 June 2026: compared with 1 January - 10 June 2025, whose income months are
    // January to May (all empty). June 2025's 4 totals shards hold about 2^51 each on the 5th, as
    // if about 2,250 expenses of 10^12 had been recorded into each (written directly, in the real
    // key shape): each within the running totals' limit, 2^53 + 1 together, which no double holds.
    await setClock('2026-06-10T12:00:00Z');
    const keys = totalsKeys(t.system.deps.storeFor('expenses'));
    for (let shard = 0; shard < TOTALS_SHARDS; shard++) {
      const amount = 2 ** 51 + (shard === 0 ? 1 : 0);
      const Item = { pk: keys.totalsPk(budget.id), sk: keys.monthSk('2025-06', shard), total: amount, uncategorized: amount, d05_total: amount, d05_uncategorized: amount };
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    }
    expectProblem(await call('GET', reviewPath(budget.id)), 422);
  });

  it("answers when only the previous year's savings rate, which it does not show, passes 2^53 - 1 basis points", async () => {
    const { t, owner } = accounts;
    await setClock('2026-05-20T12:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 100_000, categories: [{ name: 'Food' }] });
    // Compared with January - April 2025: 1 cent of income against 10^12 spent, a rate of
    // (1 - 10^12) / 1 = -9.99...e15 basis points (past 2^53 - 1). The comparison shows income and
    // net and their changes, never that rate; every figure it does show is exact.
    const earned = await call('POST', `/v1/budgets/${budget.id}/income`, { amount: 1, receivedOn: '2025-02-01' });
    expect(earned.status, earned.text).toBe(201);
    await addExpense(t.app, owner, budget.id, { amount: 1_000_000_000_000, occurredOn: '2025-02-02', categoryId: null });
    const res = await call('GET', reviewPath(budget.id));
    expect(res.status, res.text).toBe(200);
    expect(res.json.comparedWithPreviousYear).toEqual({
      from: '2025-01-01',
      to: '2025-05-20',
      spent: 1_000_000_000_000,
      change: -10_000,
      // This year's January - April: no income, nothing spent (net 0).
      cashFlow: { from: '2025-01', to: '2025-04', income: 1, incomeChange: -10_000, net: 1 - 1_000_000_000_000, netChange: 10_000 },
    });
  });
});

describe('GET /year-review of a budget whose creation day is after today in its new time zone', () => {
  it('reviews the current year by default (not a 400) once a time zone change moves today before the creation day', async () => {
    const { t, owner } = accounts;
    // 31 December 2026, 11:00 UTC: 1 January 2027, 01:00 in Kiritimati (UTC+14); 31 December 2026,
    // 00:00 in Pago Pago (UTC-11). Created in Kiritimati (on 1 January 2027 there), then moved to Pago Pago.
    await setClock('2026-12-31T11:00:00Z');
    const budget = await createBudget(t.app, owner, { timezone: 'Pacific/Kiritimati', categories: [{ name: 'Food' }] });
    const moved = await call('PATCH', `/v1/budgets/${budget.id}`, { timezone: 'Pacific/Pago_Pago' });
    expect(moved.status, moved.text).toBe(200);
    await addExpense(t.app, owner, budget.id, { amount: 2_500, occurredOn: '2026-12-31', categoryId: null });
    // Today is 31 December 2026 there: the default review is of 2026, which is also the current year asked by name.
    const review = await get(reviewPath(budget.id));
    expect(review.year).toBe(2026);
    expect(review.months[11]).toMatchObject({ month: '2026-12', spent: 2_500 });
    // No period of the budget began in 2026 (its first is January 2027): none to judge.
    expect(review.periodsWithinLimit).toEqual({ count: 0, of: 0 });
    expect(await get(reviewPath(budget.id, '?year=2026'))).toEqual(review);
    // 2027 has not begun there yet.
    expectProblem(await call('GET', reviewPath(budget.id, '?year=2027')), 400, ['query.year']);
  });
});
