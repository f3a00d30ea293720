import { describe, expect, it } from 'vitest';
import { readCostDuring } from '../../support/sent-commands';
import { addExpense, addMember, as, clockSuite, createBudget, expectProblem } from './helpers';

/**
 * GET /v1/budgets/{id}/assignable (packages/budgets/docs/periods-and-limits.md "Ready to assign") through HTTP on DynamoDB Local, with a
 * fixed clock: a monthly UTC budget created on 10 March 2026 and read on 15 May 2026. Every
 * expected figure is worked out by hand from the limits and income written here.
 */
const { accounts, setClock, get, call } = clockSuite('2026-03-10T09:00:00Z', ['viewer', 'stranger']);

const path = (budgetId: string, query = '') => `/v1/budgets/${budgetId}/assignable${query}`;

describe('GET /assignable of a monthly budget', () => {
  let budgetId: string;
  let groceries: string;
  let rent: string;
  let fun: string;

  it("a month's income less its categories' limits of that month: overrides, limit history, no carried-over amount", async () => {
    const { t, owner } = accounts;
    const budget = await createBudget(t.app, owner, {
      limit: 150_000,
      categories: [{ name: 'Groceries', limit: 40_000, rollover: true }, { name: 'Rent', limit: 100_000 }, { name: 'Fun' }],
    });
    budgetId = budget.id;
    [groceries, rent, fun] = budget.categories.map((c: { id: string }) => c.id) as [string, string, string];
    const earn = async (receivedOn: string, amount: number) => {
      const res = await call('POST', `/v1/budgets/${budgetId}/income`, { amount, receivedOn });
      expect(res.status, res.text).toBe(201);
    };
    await earn('2026-02-20', 5_000);
    await earn('2026-04-01', 200_000);
    await earn('2026-05-01', 120_000);
    await earn('2026-05-02', 30_000);
    // Groceries rolls over from March: March left 40,000 and April 30,000, carried into May, where they are NOT assigned again.
    await addExpense(t.app, owner, budgetId, { amount: 10_000, occurredOn: '2026-04-10', categoryId: groceries });
    await setClock('2026-05-15T12:00:00Z');
    // May: Rent 90,000 from May on (April keeps 100,000: limit history); Groceries 50,000 in May only.
    const patched = await call('PATCH', `/v1/budgets/${budgetId}`, {
      categories: [{ id: groceries, name: 'Groceries', limit: 40_000, rollover: true }, { id: rent, name: 'Rent', limit: 90_000 }, { id: fun, name: 'Fun' }],
    });
    expect(patched.status, patched.text).toBe(200);
    const put = await call('PUT', `/v1/budgets/${budgetId}/period-limits`, { categoryId: groceries, limit: 50_000, date: '2026-05-10' });
    expect(put.status, put.text).toBe(200);

    const may = await get(path(budgetId));
    expect(may).toEqual({
      month: '2026-05',
      currency: 'USD',
      income: 150_000,
      // 50,000 + 90,000; Fun has no limit, and the budget's own 150,000 assigns nothing.
      assigned: 140_000,
      readyToAssign: 10_000,
      categories: [
        { categoryId: groceries, name: 'Groceries', assigned: 50_000 },
        { categoryId: rent, name: 'Rent', assigned: 90_000 },
      ],
      overAssigned: false,
    });
    expect(await get(path(budgetId, '?month=2026-05'))).toEqual(may);
    // The summary of May carries 70,000 in Groceries: available 120,000, yet 50,000 assigned.
    const summary = await get(`/v1/budgets/${budgetId}/summary?date=2026-05-15`);
    expect(summary.categories.find((c: { categoryId: string }) => c.categoryId === groceries)).toMatchObject({ limit: 50_000, carriedOver: 70_000, available: 120_000 });

    // April: its own limits (40,000 + 100,000) against 200,000.
    expect(await get(path(budgetId, '?month=2026-04'))).toMatchObject({ income: 200_000, assigned: 140_000, readyToAssign: 60_000, overAssigned: false });
    // March, the first month, without income: over-assigned.
    expect(await get(path(budgetId, '?month=2026-03'))).toMatchObject({ income: 0, assigned: 140_000, readyToAssign: -140_000, overAssigned: true });
    // February is before the budget: nothing assigned, its income all ready.
    expect(await get(path(budgetId, '?month=2026-02'))).toEqual({ month: '2026-02', currency: 'USD', income: 5_000, assigned: 0, readyToAssign: 5_000, categories: [], overAssigned: false });
    // A future month: the limits as they stand, nothing earned yet.
    expect(await get(path(budgetId, '?month=2026-09'))).toMatchObject({ income: 0, assigned: 130_000, readyToAssign: -130_000, overAssigned: true });
    // The income is the cash flow's.
    const flow = await get(`/v1/budgets/${budgetId}/cash-flow?from=2026-02&to=2026-05`);
    expect(flow.months.map((m: { income: number }) => m.income)).toEqual([5_000, 0, 200_000, 150_000]);
  });

  it('costs the access BatchGetItem and ONE Query of the month\'s running totals', async () => {
    const { t } = accounts;
    const cost = await readCostDuring(t.doc, () => call('GET', path(budgetId)));
    expect(cost.result.status).toBe(200);
    expect([...cost.commands].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    const query = cost.sent.find((c) => c.name === 'QueryCommand')!.input as { ExpressionAttributeValues: Record<string, string>; ConsistentRead?: boolean };
    expect(query.ExpressionAttributeValues).toMatchObject({ ':lo': 'expenses#month#2026-05', ':hi': expect.stringMatching(/^expenses#month#2026-05#/) });
    expect(query.ConsistentRead).toBe(true);
    // The access read (3 small items, strongly consistent: 3 units) and May's few small month items (1).
    expect(cost.readUnits).toBeGreaterThanOrEqual(4);
    expect(cost.readUnits).toBeLessThanOrEqual(5);
  });

  it('answers any member, viewers included, 404 to others; a bad month is a 400 naming query.month', async () => {
    const { t, owner, viewer, stranger } = accounts;
    await addMember(t.app, owner, budgetId, viewer, 'viewer');
    const asViewer = await as(t.app, viewer)('GET', path(budgetId, '?month=2026-05'));
    expect(asViewer.status, asViewer.text).toBe(200);
    expect(asViewer.json).toEqual(await get(path(budgetId)));
    expectProblem(await as(t.app, stranger)('GET', path(budgetId)), 404);
    expectProblem(await call('GET', path('01JDQ4V8M7ZK3X9A2B5C6D7E8F')), 404);
    for (const month of ['2026-13', '2026-5', '2026-05-01', '1899-12', '9999-01', '']) {
      expectProblem(await call('GET', path(budgetId, `?month=${month}`)), 400, ['query.month']);
    }
    expectProblem(await call('GET', path(budgetId, '?date=2026-05-01')), 400, ['query.date']);
  });
});

describe('GET /assignable of weekly and yearly budgets', () => {
  it('a weekly budget assigns the weeks starting in the month; a yearly one is a 422 naming period', async () => {
    const { t, owner } = accounts;
    await setClock('2026-05-20T08:00:00Z');
    const weekly = await createBudget(t.app, owner, { period: 'weekly', limit: 10_000, categories: [{ name: 'Food', limit: 7_000 }] });
    const food = weekly.categories[0]!.id as string;
    // June 2026 has five Mondays (1, 8, 15, 22, 29): 5 x 7,000. The week of 29 June ends in July and counts in June only.
    expect(await get(path(weekly.id, '?month=2026-06'))).toEqual({
      month: '2026-06',
      currency: 'USD',
      income: 0,
      assigned: 35_000,
      readyToAssign: -35_000,
      categories: [{ categoryId: food, name: 'Food', assigned: 35_000 }],
      overAssigned: true,
    });
    // May: created in the week of Monday 18 May; its weeks from then, 18 and 25 May.
    expect(await get(path(weekly.id, '?month=2026-05'))).toMatchObject({ assigned: 14_000 });
    // July: Mondays 6, 13, 20, 27.
    expect(await get(path(weekly.id, '?month=2026-07'))).toMatchObject({ assigned: 28_000 });

    const yearly = await createBudget(t.app, owner, { period: 'yearly', limit: 10_000 });
    expectProblem(await call('GET', path(yearly.id)), 422, ['period']);
  });
});

describe('GET /assignable when the cash flow of the month cannot be given exactly', () => {
  it("answers the month's exact figures although its savings rate passes 2^53 - 1 basis points", async () => {
    const { t, owner } = accounts;
    await setClock('2026-05-20T08:00:00Z');
    const budget = await createBudget(t.app, owner, { limit: 10_000, categories: [{ name: 'Food', limit: 7_000 }] });
    const food = budget.categories[0]!.id as string;
    // One cent of interest against the largest expense: (1 - 10^12) / 1 = -9.99...e15 basis points,
    // past 2^53 - 1, so GET .../cash-flow has no exact savings rate for May (its 422).
    const earned = await call('POST', `/v1/budgets/${budget.id}/income`, { amount: 1, receivedOn: '2026-05-02' });
    expect(earned.status, earned.text).toBe(201);
    await addExpense(t.app, owner, budget.id, { amount: 1_000_000_000_000, occurredOn: '2026-05-03', categoryId: food });
    expectProblem(await call('GET', `/v1/budgets/${budget.id}/cash-flow?from=2026-05&to=2026-05`), 422);
    // Ready to assign reads neither the spending nor the rate: 1 - 7,000, every figure exact.
    expect(await get(path(budget.id, '?month=2026-05'))).toEqual({
      month: '2026-05',
      currency: 'USD',
      income: 1,
      assigned: 7_000,
      readyToAssign: -6_999,
      categories: [{ categoryId: food, name: 'Food', assigned: 7_000 }],
      overAssigned: true,
    });
  });
});
