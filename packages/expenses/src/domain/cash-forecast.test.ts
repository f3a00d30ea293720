import { describe, expect, it } from 'vitest';
import type { RecurringExpense, RecurringIncome } from '../model';
import { cashForecast, ForecastTooLargeError, ForecastTooManyError, MAX_FORECAST_OCCURRENCES } from './cash-forecast';
import type { Schedule } from './recurrence';

/** The forecast's layout and sums, worked by hand (the integration test compares it with the upcoming routes). */
const STAMP = '2026-01-01T00:00:00.000Z';
const bill = (id: string, amount: number, schedule: Schedule, nextOccurrenceOn: string | null, extra: Partial<RecurringExpense> = {}): RecurringExpense => ({
  id,
  budgetId: 'b',
  amount,
  categoryId: null,
  schedule,
  nextOccurrenceOn,
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: STAMP,
  updatedAt: STAMP,
  ...extra,
});
const income = (id: string, amount: number, schedule: Schedule, nextOccurrenceOn: string | null, extra: Partial<RecurringIncome> = {}): RecurringIncome => ({
  id,
  budgetId: 'b',
  amount,
  schedule,
  nextOccurrenceOn,
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: STAMP,
  updatedAt: STAMP,
  ...extra,
});
const monthly = (startsOn: string): Schedule => ({ frequency: 'monthly', interval: 1, startsOn });
const daily = (startsOn: string, endsOn?: string): Schedule => ({ frequency: 'daily', interval: 1, startsOn, ...(endsOn ? { endsOn } : {}) });

describe('cashForecast', () => {
  it('puts each occurrence on its day, ids in order, with the day net, running net and totals', () => {
    const f = cashForecast({
      from: '2026-11-24',
      to: '2026-12-05',
      start: 1_000,
      income: [income('i2', 300, monthly('2026-10-28'), '2026-11-28', { source: 'Acme' }), income('i1', 50, daily('2026-11-27', '2026-11-28'), '2026-11-27')],
      bills: [
        bill('b2', 400, monthly('2026-12-01'), '2026-12-01', { merchant: 'Landlord', description: 'Rent' }),
        bill('b1', 700, monthly('2026-11-28'), '2026-11-28'),
        // Paused (even with a date left on it) and ended: nothing.
        bill('b3', 9, daily('2026-01-01'), '2026-11-24', { paused: true }),
        bill('b4', 9, daily('2026-01-01', '2026-11-20'), null),
      ],
    });
    expect(f.days).toEqual([
      { date: '2026-11-27', income: [{ recurringIncomeId: 'i1', amount: 50 }], bills: [], net: 50, runningNet: 1_050 },
      { date: '2026-11-28', income: [{ recurringIncomeId: 'i1', amount: 50 }, { recurringIncomeId: 'i2', amount: 300, source: 'Acme' }], bills: [{ recurringExpenseId: 'b1', amount: 700 }], net: -350, runningNet: 700 },
      { date: '2026-12-01', income: [], bills: [{ recurringExpenseId: 'b2', amount: 400, merchant: 'Landlord', description: 'Rent' }], net: -400, runningNet: 300 },
    ]);
    expect(f.totals).toEqual({ income: 400, bills: 1_100, net: -700 });
    expect(f.lowestRunningNet).toEqual({ date: '2026-12-01', amount: 300 });
  });

  it('takes the start as the lowest point when nothing goes lower, the earliest of equal points', () => {
    expect(cashForecast({ from: '2026-11-24', to: '2026-12-24', start: -3, income: [], bills: [] })).toEqual({
      days: [],
      totals: { income: 0, bills: 0, net: 0 },
      lowestRunningNet: { date: '2026-11-24', amount: -3 },
    });
    // Down to -5 on the 25th, back to 0, down to -5 again on the 27th: the 25th.
    const f = cashForecast({
      from: '2026-11-24',
      to: '2026-11-27',
      start: 0,
      income: [income('i', 5, monthly('2026-11-26'), '2026-11-26')],
      bills: [bill('a', 5, monthly('2026-11-25'), '2026-11-25'), bill('b', 5, monthly('2026-11-27'), '2026-11-27')],
    });
    expect(f.lowestRunningNet).toEqual({ date: '2026-11-25', amount: -5 });
  });

  it(`refuses more than ${MAX_FORECAST_OCCURRENCES} occurrences before listing any`, () => {
    // 24 daily bills and a daily paycheck: 25 a day, so 80 days (Nov 24..Feb 11) are exactly the bound, 81 one day too many.
    const bills = Array.from({ length: 24 }, (_, i) => bill(`b${String(i).padStart(2, '0')}`, 1, daily('2026-01-01'), '2026-11-24'));
    const paycheck = [income('i', 1, daily('2026-01-01'), '2026-11-24')];
    const within = cashForecast({ from: '2026-11-24', to: '2027-02-11', start: 0, income: paycheck, bills });
    expect(within.days).toHaveLength(80);
    expect(within.totals).toEqual({ income: 80, bills: 24 * 80, net: 80 - 24 * 80 });
    expect(() => cashForecast({ from: '2026-11-24', to: '2027-02-12', start: 0, income: paycheck, bills })).toThrow(ForecastTooManyError);
  });

  it('sums exactly past 2^53 and refuses a figure past 2^53 - 1', () => {
    const max = Number.MAX_SAFE_INTEGER;
    // Two income occurrences of 2^52 each: their day net would be 2^53.
    const half = 2 ** 52;
    const twice = [income('i1', half, monthly('2026-11-25'), '2026-11-25'), income('i2', half, monthly('2026-11-25'), '2026-11-25')];
    expect(() => cashForecast({ from: '2026-11-24', to: '2026-11-30', start: 0, income: twice, bills: [] })).toThrow(ForecastTooLargeError);
    // Up to the limit and back: every figure given is exact.
    const f = cashForecast({ from: '2026-11-24', to: '2026-11-30', start: max - 10, income: [income('i', 10, monthly('2026-11-25'), '2026-11-25')], bills: [bill('b', 7, monthly('2026-11-26'), '2026-11-26')] });
    expect(f.days.map((d) => d.runningNet)).toEqual([max, max - 7]);
    expect(() => cashForecast({ from: '2026-11-24', to: '2026-11-30', start: -max, income: [], bills: [bill('b', 1, monthly('2026-11-26'), '2026-11-26')] })).toThrow(ForecastTooLargeError);
  });
});

describe('cashForecast: occurrences due before `from`', () => {
  it('an income or a bill due before `from` is listed on `from`, overdue, with its date', () => {
    const f = cashForecast({
      from: '2026-11-24',
      to: '2026-11-24',
      start: 0,
      income: [income('j', 7, daily('2026-11-01'), '2026-11-24'), income('i', 10, daily('2026-11-01'), '2026-11-22')],
      bills: [bill('b', 5, daily('2026-11-01'), '2026-11-23')],
    });
    // No day before `from`: i's Nov 22 and 23 (not recorded yet) on the 24th, oldest first, then
    // the 24th's own (i, j by id); the bill's Nov 23 too, before its 24th.
    expect(f.days).toEqual([
      {
        date: '2026-11-24',
        income: [
          { recurringIncomeId: 'i', amount: 10, overdue: true, dueOn: '2026-11-22' },
          { recurringIncomeId: 'i', amount: 10, overdue: true, dueOn: '2026-11-23' },
          { recurringIncomeId: 'i', amount: 10 },
          { recurringIncomeId: 'j', amount: 7 },
        ],
        bills: [
          { recurringExpenseId: 'b', amount: 5, overdue: true, dueOn: '2026-11-23' },
          { recurringExpenseId: 'b', amount: 5 },
        ],
        net: 27,
        runningNet: 27,
      },
    ]);
    expect(f.totals).toEqual({ income: 37, bills: 10, net: 27 });
  });
});

describe('cashForecast: overdue occurrences', () => {
  it('a bill due before `from` not recorded yet is money still to leave: on `from`, overdue, with its date, as an overdue paycheck (safe to spend counts it too)', () => {
    const f = cashForecast({
      from: '2026-11-24',
      to: '2026-11-25',
      start: 100,
      income: [income('i', 10, daily('2026-11-01'), '2026-11-23')],
      bills: [bill('b', 30, daily('2026-11-01'), '2026-11-22', { merchant: 'Gym' }), bill('a', 5, monthly('2026-11-25'), '2026-11-25')],
    });
    expect(f.days).toEqual([
      {
        date: '2026-11-24',
        income: [
          { recurringIncomeId: 'i', amount: 10, overdue: true, dueOn: '2026-11-23' },
          { recurringIncomeId: 'i', amount: 10 },
        ],
        bills: [
          { recurringExpenseId: 'b', amount: 30, merchant: 'Gym', overdue: true, dueOn: '2026-11-22' },
          { recurringExpenseId: 'b', amount: 30, merchant: 'Gym', overdue: true, dueOn: '2026-11-23' },
          { recurringExpenseId: 'b', amount: 30, merchant: 'Gym' },
        ],
        net: -70,
        runningNet: 30,
      },
      {
        date: '2026-11-25',
        income: [{ recurringIncomeId: 'i', amount: 10 }],
        bills: [
          { recurringExpenseId: 'a', amount: 5 },
          { recurringExpenseId: 'b', amount: 30, merchant: 'Gym' },
        ],
        net: -25,
        runningNet: 5,
      },
    ]);
    expect(f.totals).toEqual({ income: 30, bills: 125, net: -95 });
    expect(f.lowestRunningNet).toEqual({ date: '2026-11-25', amount: 5 });
  });
});
