import { describe, expect, it } from 'vitest';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import type { SpendingMonthlyRow } from '../domain/spending-monthly';
import { SpendingMonthlyService } from './spending-monthly.service';

/** The service over rows given as one page (the walk's bound is the integration test's). */
function serviceOf(rows: SpendingMonthlyRow[], timezone = 'UTC', now = '2026-11-15T12:00:00Z') {
  const access = { budgetId: 'b', role: 'owner', currency: 'USD', timezone, budget: {} } as unknown as BudgetAccess;
  return new SpendingMonthlyService({
    repository: {
      monthlySpendingRows: async (_budgetId, _from, _to, _max, visit) => {
        visit(rows);
        return { examined: rows.length, tooMany: false };
      },
    },
    budgets: { getAccess: async () => access } as unknown as BudgetsFacade,
    clock: { now: () => new Date(now) },
  });
}

const MAX = Number.MAX_SAFE_INTEGER;

describe('SpendingMonthlyService: sums past 2^53 - 1', () => {
  it('a month past 2^53 - 1 is a 400 naming from, also when a refund in another month brings the total back under it', async () => {
    const service = serviceOf([
      { occurredOn: '2026-10-01', amount: MAX, merchant: 'Shop' },
      { occurredOn: '2026-10-02', amount: 10, merchant: 'Shop' },
      { occurredOn: '2026-11-01', amount: -MAX, merchant: 'Shop' },
    ]);
    await expect(service.monthly('b', 'u', { merchant: 'shop', from: '2026-10', to: '2026-11' })).rejects.toMatchObject({
      status: 400,
      extras: { errors: [expect.objectContaining({ path: 'query.from' })] },
    });
  });

  it('a month whose running sum passed 2^53 - 1 is a 400, not a figure rounded on the way (MAX + 2 - 2 would read MAX - 1)', async () => {
    const service = serviceOf([
      { occurredOn: '2026-11-01', amount: MAX, merchant: 'Shop' },
      { occurredOn: '2026-11-02', amount: 2, merchant: 'Shop' },
      { occurredOn: '2026-11-03', amount: -2, merchant: 'Shop' },
    ]);
    await expect(service.monthly('b', 'u', { merchant: 'shop', from: '2026-11', to: '2026-11' })).rejects.toMatchObject({ status: 400 });
  });

  it('months each exact whose running total passes 2^53 - 1 on the way (a refund month after it): the exact total, not one rounded on the way', async () => {
    const service = serviceOf([
      { occurredOn: '2026-09-01', amount: MAX, merchant: 'Shop' },
      { occurredOn: '2026-10-01', amount: 2, merchant: 'Shop' },
      { occurredOn: '2026-11-01', amount: -5, merchant: 'Shop' },
    ]);
    // MAX + 2 - 5 = 9,007,199,254,740,988; summed in doubles, MAX + 2 reads 2^53 and the total 9,007,199,254,740,987.
    await expect(service.monthly('b', 'u', { merchant: 'shop', from: '2026-09', to: '2026-11' })).resolves.toMatchObject({
      total: 9_007_199_254_740_988,
      averagePerMonth: 3_002_399_751_580_329,
      months: [
        { month: '2026-09', spent: MAX, count: 1 },
        { month: '2026-10', spent: 2, count: 1 },
        { month: '2026-11', spent: -5, count: 1 },
      ],
    });
  });

  it('up to 2^53 - 1 exactly: the answer', async () => {
    const service = serviceOf([
      { occurredOn: '2026-11-01', amount: MAX - 1, merchant: 'Shop' },
      { occurredOn: '2026-11-02', amount: 1, merchant: 'Shop' },
    ]);
    await expect(service.monthly('b', 'u', { merchant: 'shop', from: '2026-11', to: '2026-11' })).resolves.toMatchObject({ total: MAX, months: [{ month: '2026-11', spent: MAX, count: 2 }] });
  });
});

describe('SpendingMonthlyService: the current month at a month edge', () => {
  // An expense's month is its occurredOn's (a calendar day, no time zone); only the default `to` is today's month there.
  const onThe1st = [{ occurredOn: '2026-12-01', amount: 500, merchant: 'Shop' }];

  it("Kiritimati (UTC+14) at 2026-11-30 10:00 UTC: already 2026-12-01 there, December is the current month and its 1st counted", async () => {
    const answer = await serviceOf(onThe1st, 'Pacific/Kiritimati', '2026-11-30T10:00:00Z').monthly('b', 'u', { merchant: 'shop' });
    expect(answer).toMatchObject({ from: '2026-01', to: '2026-12', total: 500, firstOn: '2026-12-01' });
    expect(answer.months.at(-1)).toEqual({ month: '2026-12', spent: 500, count: 1 });
  });

  it("St John's (UTC-3:30) at 2026-12-01 02:00 UTC: still 2026-11-30 there, November is the current month and December's 1st not in the range", async () => {
    const answer = await serviceOf(onThe1st, 'America/St_Johns', '2026-12-01T02:00:00Z').monthly('b', 'u', { merchant: 'shop' });
    expect(answer).toMatchObject({ from: '2025-12', to: '2026-11', total: 0, count: 0, firstOn: null });
    expect(answer.months).toHaveLength(12);
  });
});
