import { fixedClock } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { describe, expect, it } from 'vitest';
import type { RecurringExpense } from '../model';
import { ScheduledService } from './scheduled.service';
import { RecurringOutlookService } from './recurring-outlook.service';

/**
 * The 422s: a sum past 2^53 - 1 minor units is refused, never rounded. 25 daily definitions of
 * the largest amount (10^12): 25 x 365 x 10^12 = 9.125 x 10^15 a year, past 2^53 - 1 (about
 * 9.007 x 10^15); 90 days of them 2.25 x 10^15 (exact), so the upcoming 422 needs 101 of them
 * (101 x 90 x 10^12 = 9.09 x 10^15). Fakes for the budgets facade and the definitions' reads.
 */
const daily = (id: string): RecurringExpense => ({
  id,
  budgetId: 'b',
  amount: 1_000_000_000_000,
  categoryId: null,
  schedule: { frequency: 'daily', interval: 1, startsOn: '2026-01-01' },
  nextOccurrenceOn: '2026-11-24',
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function serviceOf(count: number, tooMany = false) {
  const items = Array.from({ length: count }, (_, i) => daily(`d${String(i).padStart(3, '0')}`));
  const recurring = { all: async () => items, pendingPage: async () => ({ items, lastKey: undefined }) };
  const access = { budgetId: 'b', role: 'viewer', currency: 'EUR', timezone: 'UTC', categories: [], budget: { id: 'b' } } as unknown as BudgetAccess;
  const budgets = { getAccess: async () => access } as unknown as BudgetsFacade;
  const expenses = { rangeExpenses: async () => ({ examined: tooMany ? 11 : 0, tooMany }) };
  return new RecurringOutlookService({ budgets, scheduled: new ScheduledService(recurring), recurring, expenses, clock: fixedClock('2026-11-24T12:00:00Z') }, 10);
}

describe('RecurringOutlookService', () => {
  it('answers sums up to 2^53 - 1 exactly', async () => {
    const service = serviceOf(24);
    expect((await service.costs('b', 'u')).totals.yearly).toBe(24 * 365 * 1_000_000_000_000);
    expect(await service.upcoming('b', 'u', 90)).toMatchObject({ total: 24 * 90 * 1_000_000_000_000, count: 24 * 90, truncated: true });
  });

  it('refuses with 422 a total past 2^53 - 1', async () => {
    await expect(serviceOf(25).costs('b', 'u')).rejects.toMatchObject({ status: 422 });
    await expect(serviceOf(101).upcoming('b', 'u', 90)).rejects.toMatchObject({ status: 422 });
    expect((await serviceOf(101).upcoming('b', 'u', 89)).total).toBe(101 * 89 * 1_000_000_000_000);
  });

  it('refuses the price changes of days holding more expenses than the bound with 422 naming days', async () => {
    await expect(serviceOf(1, true).priceChanges('b', 'u', 120)).rejects.toMatchObject({ status: 422, extras: { errors: [{ path: 'query.days' }] } });
    expect(await serviceOf(1).priceChanges('b', 'u', 120)).toEqual({ from: '2026-07-28', to: '2026-11-24', currency: 'EUR', items: [] });
  });
});
