import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { callAs, recurringSuite } from './recurring-harness';

/**
 * GET .../recurring-expenses/price-changes against DynamoDB Local with the real recurring job:
 * Netflix is defined at 15.49 on the 1st of each month (the job records it, 1,549, as "Netflix"),
 * and the bank's "NETFLIX" rows (entered by hand here, as an import records them) go from 15.49
 * to 17.99. Dates in UTC (the budget's time zone).
 */
const suite = recurringSuite('2026-09-01T12:00:00Z');
const { clock, req, created } = suite;

async function pay(budgetId: string, occurredOn: string, amount: number): Promise<string> {
  const res = await req('POST', `/v1/budgets/${budgetId}/expenses`, { body: { amount, occurredOn, merchant: 'NETFLIX', categoryId: null } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

describe('recurring price changes', { timeout: 60_000 }, () => {
  it('lists a definition whose merchant is paid at a new price twice since the old one, with the PATCH body that clears it', async () => {
    const budget = await suite.harness().createBudget(suite.owner(), { currency: 'EUR' });
    const url = `${suite.collection(budget)}/price-changes`;
    const defined = await req('POST', suite.collection(budget), {
      body: { amount: 1_549, merchant: 'Netflix', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-09-01' } },
    });
    expect(defined.status, defined.text).toBe(201);
    const definition = defined.headers.get('location')!;
    created.push(definition);

    await suite.run(); // records Sep 1 at 1,549
    await pay(budget.id, '2026-09-03', 1_549);
    clock.set('2026-10-01T12:00:00Z');
    await suite.run(); // Oct 1 at 1,549
    await pay(budget.id, '2026-10-03', 1_799);
    // Seen once at 17.99: maybe a one-off, not listed yet.
    const once = await req('GET', url);
    expect(once.status, once.text).toBe(200);
    expect(once.json).toEqual({ from: '2026-06-04', to: '2026-10-01', currency: 'EUR', items: [] });

    clock.set('2026-11-01T12:00:00Z');
    await suite.run(); // Nov 1 at 1,549: the job's own record, left out
    const latest = await pay(budget.id, '2026-11-03', 1_799);
    clock.set('2026-11-05T12:00:00Z');
    const recorded = (await suite.expensesOf<{ id: string; merchant: string; amount: number; recurringExpenseId: string }>(budget)).filter((e) => e.merchant === 'Netflix');
    expect(recorded.map((e) => [e.amount, e.recurringExpenseId])).toEqual([1_549, 1_549, 1_549].map((a) => [a, defined.json.id]));
    // A member notes something on Nov 1's record: no longer the job's shape, but linked, so
    // still left out (unlinked, it would be a payment at 1,549 after Oct 3's 17.99: not listed).
    const noted = await req('PATCH', `/v1/budgets/${budget.id}/expenses/${recorded[2]!.id}`, { body: { description: 'Family plan' } });
    expect(noted.status, noted.text).toBe(200);

    const listed = await req('GET', url);
    expect(listed.status, listed.text).toBe(200);
    // 2026-11-05 - 119 days = 2026-07-09.
    expect(listed.json).toEqual({
      from: '2026-07-09',
      to: '2026-11-05',
      currency: 'EUR',
      items: [
        {
          recurringExpenseId: defined.json.id,
          merchant: 'Netflix',
          currentAmount: 1_549,
          newAmount: 1_799,
          change: 250,
          changePercent: 16.1, // 250 / 1,549 = 16.14%
          seenOn: '2026-11-03',
          expenseId: latest,
          update: { amount: 1_799 },
        },
      ],
    });
    // 30 days (Oct 7 .. Nov 5) hold one 17.99 only: not listed.
    expect((await req('GET', `${url}?days=30`)).json.items).toEqual([]);

    const current = await req('GET', definition);
    const patched = await callAs(suite.harness(), suite.owner(), 'PATCH', definition, { body: listed.json.items[0].update, headers: { 'if-match': current.headers.get('etag')! } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.amount).toBe(1_799);
    expect((await req('GET', url)).json.items).toEqual([]);
  });

  it('offers no update body for a definition shared by exact amounts: its amount changes only with new sharedAmounts, so that PATCH would be a 400', async () => {
    const budget = await suite.harness().createBudget(suite.owner(), { currency: 'EUR' });
    const flatmate = await suite.harness().signup('flatmate');
    await suite.harness().addMember(budget, suite.owner(), flatmate, 'editor');
    const sharedAmounts = [
      { userId: suite.owner().id, amount: 1_000 },
      { userId: flatmate.id, amount: 549 },
    ].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    // Starts next month: nothing recorded by the job here, the bank rows alone are read.
    const defined = await req('POST', suite.collection(budget), {
      body: { amount: 1_549, merchant: 'Netflix', categoryId: null, sharedAmounts, schedule: { frequency: 'monthly', startsOn: '2026-10-01' } },
    });
    expect(defined.status, defined.text).toBe(201);
    const definition = defined.headers.get('location')!;
    created.push(definition);
    await pay(budget.id, '2026-07-03', 1_549);
    await pay(budget.id, '2026-08-03', 1_799);
    const latest = await pay(budget.id, '2026-09-01', 1_799);

    const listed = await req('GET', `${suite.collection(budget)}/price-changes`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items).toEqual([
      { recurringExpenseId: defined.json.id, merchant: 'Netflix', currentAmount: 1_549, newAmount: 1_799, change: 250, changePercent: 16.1, seenOn: '2026-09-01', expenseId: latest },
    ]);
    // What `update: {amount}` would have done: refused, the exact amounts no longer adding up.
    expectProblem(await req('PATCH', definition, { body: { amount: 1_799 } }), 400, ['sharedAmounts']);
  });

  it('refuses days outside 30..366 with a 400 naming days, a viewer reads it, a stranger gets a 404', async () => {
    const budget = await suite.harness().createBudget(suite.owner());
    for (const days of ['29', '367', '1.5', 'x']) expectProblem(await req('GET', `${suite.collection(budget)}/price-changes?days=${days}`), 400, ['query.days']);
    const [viewer, stranger] = [await suite.harness().signup('viewer'), await suite.harness().signup('stranger')];
    await suite.harness().addMember(budget, suite.owner(), viewer, 'viewer');
    const read = await callAs(suite.harness(), viewer, 'GET', `${suite.collection(budget)}/price-changes`);
    expect(read.status, read.text).toBe(200);
    expect(read.json.items).toEqual([]);
    expectProblem(await callAs(suite.harness(), stranger, 'GET', `${suite.collection(budget)}/price-changes`), 404);
    expect((await req('GET', `${suite.collection(budget)}/price-changes?days=366`)).status).toBe(200);
  });
});
