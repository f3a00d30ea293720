import { fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import type { SpendingRow } from '../domain/spending-breakdown';
import { SpendingBreakdownService, type SpendingBreakdownDeps } from './spending-breakdown.service';

/** The service over rows given as one page, read by the owner of budget `b` (the walk's bound is the integration test's). */
function serviceOf(rows: SpendingRow[]) {
  const spendingRows: SpendingBreakdownDeps['repository']['spendingRows'] = async (_budgetId, _from, _to, _max, visit) => {
    visit(rows);
    return { examined: rows.length, tooMany: false };
  };
  const getAccess = async () => ({ budgetId: 'b', role: 'owner', currency: 'USD', timezone: 'UTC', categories: [], budget: {} }) as unknown as BudgetAccess;
  return new SpendingBreakdownService({ repository: { spendingRows }, budgets: { getAccess } as unknown as BudgetsFacade, clock: fixedClock('2026-11-15T12:00:00Z') });
}

const MAX = Number.MAX_SAFE_INTEGER;
const query = { by: 'merchant' as const, from: '2026-11-01', to: '2026-11-30', limit: 20 };

describe('SpendingBreakdownService: sums past 2^53 - 1', () => {
  it("a group past 2^53 - 1 is a 400 naming from, also when another group's refunds bring the total back under it", async () => {
    const service = serviceOf([
      { amount: MAX, merchant: 'Shop', createdBy: 'u' },
      { amount: 10, merchant: 'Shop', createdBy: 'u' },
      { amount: -MAX, merchant: 'Returns', createdBy: 'u' },
    ]);
    await expect(service.breakdown('b', 'u', query)).rejects.toMatchObject({ status: 400, extras: { errors: [expect.objectContaining({ path: 'query.from' })] } });
  });

  it('a total whose running sum passed 2^53 - 1 is a 400, not a figure rounded on the way (MAX + 2 - 2 would read MAX - 1)', async () => {
    const service = serviceOf([
      { amount: MAX, merchant: 'A', createdBy: 'u' },
      { amount: 2, merchant: 'B', createdBy: 'u' },
      { amount: -2, merchant: 'C', createdBy: 'u' },
    ]);
    await expect(service.breakdown('b', 'u', query)).rejects.toMatchObject({ status: 400 });
  });

  it('up to 2^53 - 1 exactly: the answer', async () => {
    const service = serviceOf([
      { amount: MAX - 1, merchant: 'Shop', createdBy: 'u' },
      { amount: 1, merchant: 'Shop', createdBy: 'u' },
    ]);
    await expect(service.breakdown('b', 'u', query)).resolves.toMatchObject({ total: MAX, items: [{ key: 'shop', amount: MAX, count: 2, share: 1 }] });
  });
});
