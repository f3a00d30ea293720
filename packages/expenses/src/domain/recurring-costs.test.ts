import { describe, expect, it } from 'vitest';
import type { RecurringExpense } from '../model';
import type { Schedule } from './recurrence';
import { isActive, monthlyOf, recurringCosts, yearAhead } from './recurring-costs';

const definition = (id: string, schedule: Schedule, nextOccurrenceOn: string | null, amount: number, paused = false): RecurringExpense => ({
  id,
  budgetId: 'b',
  amount,
  categoryId: null,
  schedule,
  nextOccurrenceOn,
  paused,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('monthlyOf', () => {
  it('divides by 12 in integers, rounding half away from zero', () => {
    expect(monthlyOf(1_000n)).toBe(83n); // 83.33
    expect(monthlyOf(1_006n)).toBe(84n); // 83.83
    expect(monthlyOf(1_002n)).toBe(84n); // 83.5
    expect(monthlyOf(990n)).toBe(83n); // 82.5
    expect(monthlyOf(1_001n)).toBe(83n); // 83.42
    expect(monthlyOf(1_200n)).toBe(100n);
    expect(monthlyOf(5n)).toBe(0n); // 0.42
    expect(monthlyOf(6n)).toBe(1n); // 0.5
    expect(monthlyOf(0n)).toBe(0n);
    expect(monthlyOf(-1_002n)).toBe(-84n); // -83.5
    expect(monthlyOf(-1_000n)).toBe(-83n);
    // Exact past 2^53: 12 x (2^53 + 1) + 6.
    expect(monthlyOf(12n * 9_007_199_254_740_993n + 6n)).toBe(9_007_199_254_740_994n);
  });
});

describe('yearAhead', () => {
  it('runs to the day before the same date next year; from Feb 29 to Feb 27 (Feb 28 stands for Feb 29)', () => {
    expect(yearAhead('2026-11-25')).toEqual({ from: '2026-11-25', to: '2027-11-24' });
    expect(yearAhead('2027-03-01')).toEqual({ from: '2027-03-01', to: '2028-02-29' });
    expect(yearAhead('2028-02-29')).toEqual({ from: '2028-02-29', to: '2029-02-27' });
    expect(yearAhead('2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });
});

describe('recurringCosts', () => {
  it('counts each active definition from its next occurrence: 366 days of a daily one when a Feb 29 falls in the year', () => {
    const costs = recurringCosts(
      [
        definition('a', { frequency: 'daily', interval: 1, startsOn: '2027-03-01' }, '2027-03-01', 10), // 2027-03-01..2028-02-29: 366
        definition('b', { frequency: 'monthly', interval: 2, startsOn: '2027-03-31' }, '2027-05-31', 1_000), // May 31, Jul 31, Sep 30, Nov 30, Jan 31: 5
        definition('c', { frequency: 'yearly', interval: 1, startsOn: '2024-02-29' }, '2028-02-29', 6_000), // Feb 29 2028: 1
        definition('d', { frequency: 'weekly', interval: 1, startsOn: '2027-01-01' }, '2027-03-05', 7, true), // paused
        definition('e', { frequency: 'daily', interval: 1, startsOn: '2027-01-01', endsOn: '2027-02-28' }, '2027-03-01', 7), // ended before today
        definition('f', { frequency: 'yearly', interval: 2, startsOn: '2026-04-01' }, '2028-04-01', 500), // next after the year: 0
      ],
      '2027-03-01',
    );
    expect(costs.from).toBe('2027-03-01');
    expect(costs.to).toBe('2028-02-29');
    expect(costs.items.map((i) => [i.recurringExpenseId, i.occurrences, i.yearly, i.monthly])).toEqual([
      ['c', 1, 6_000n, 500n],
      ['b', 5, 5_000n, 417n], // 416.67
      ['a', 366, 3_660n, 305n],
      ['f', 0, 0n, 0n],
    ]);
    expect(costs.totals).toEqual({ yearly: 14_660n, monthly: 1_222n }); // 1,221.67
  });

  it('orders equal yearly costs by id', () => {
    const monthly = { frequency: 'monthly' as const, interval: 1, startsOn: '2027-01-15' };
    const costs = recurringCosts([definition('z', monthly, '2027-03-15', 100), definition('m', monthly, '2027-03-15', 100)], '2027-03-01');
    expect(costs.items.map((i) => i.recurringExpenseId)).toEqual(['m', 'z']);
  });

  it('an ended (no next occurrence) or paused definition is not active', () => {
    const daily = { frequency: 'daily' as const, interval: 1, startsOn: '2027-01-01' };
    expect(isActive(definition('a', daily, null, 1), '2027-03-01')).toBe(false);
    expect(isActive(definition('a', daily, '2027-03-01', 1, true), '2027-03-01')).toBe(false);
    expect(isActive(definition('a', { ...daily, endsOn: '2027-03-01' }, '2027-03-01', 1), '2027-03-01')).toBe(true);
  });
});

describe('recurringCosts: installment plans', () => {
  it("carries a counted plan's count and paymentsLeft, null for a definition without a count", () => {
    // Monthly from 2026-10-15, 6 payments (through 2027-03-15); 2 recorded, next 2026-12-15: 4 left.
    const plan = definition('p', { frequency: 'monthly', interval: 1, startsOn: '2026-10-15', endsOn: '2027-03-15', count: 6 }, '2026-12-15', 5000);
    const plain = definition('q', { frequency: 'monthly', interval: 1, startsOn: '2026-12-01' }, '2026-12-01', 1000);
    const costs = recurringCosts([plan, plain], '2026-11-25');
    expect(costs.items.map((i) => [i.recurringExpenseId, i.occurrences, i.yearly, i.count, i.paymentsLeft])).toEqual([
      ['p', 4, 20000n, 6, 4],
      ['q', 12, 12000n, null, null],
    ]);
  });
});
