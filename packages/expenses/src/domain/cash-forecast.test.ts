import { describe, expect, it } from 'vitest';
import type { RecurringExpense, RecurringIncome } from '../model';
import { cashForecast, everydaySpendingEstimate, ForecastTooLargeError, ForecastTooManyError, MAX_FORECAST_OCCURRENCES } from './cash-forecast';
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

describe('everydaySpendingEstimate', () => {
  // Today 2026-12-01: the window is 2026-09-02 .. 2026-11-30 (90 days).
  const dayOf = (timestamp: string) => timestamp.slice(0, 10);
  const OLD = '2026-01-01T00:00:00.000Z';
  const spread = (total: number, dates: string[]) => new Map(dates.map((d) => [d, BigInt(total / dates.length)]));

  it('subtracts the recurring bills of the window by schedule: 27,000 with a monthly 6,000 rent -> 9,000 / 90 = 100 a day', () => {
    // Rent on the 5th: Sep 5, Oct 5, Nov 5 in the window; next Dec 5.
    const rent = bill('rent', 6_000, monthly('2026-01-05'), '2026-12-05', { createdAt: OLD });
    const spending = spread(27_000, ['2026-09-05', '2026-10-05', '2026-11-05']);
    const r = everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-01-01', spendingPerDay: spending, definitions: [rent], dayOf });
    expect(r).toEqual({ estimate: { perDay: 100, basedOnDays: 90, from: '2026-09-02', to: '2026-11-30', everydaySpending: 9_000, recurringBills: 18_000 } });
  });

  it('floors the per-day figure, counts refunds (negative day totals), and never goes below 0', () => {
    const spending = new Map([
      ['2026-09-10', 1_000n],
      ['2026-10-10', -101n],
    ]);
    const r = everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-01-01', spendingPerDay: spending, definitions: [], dayOf });
    // 899 / 90 = 9.98...
    expect(r.estimate).toMatchObject({ perDay: 9, everydaySpending: 899, recurringBills: 0 });
    // Bills larger than the spending (recorded elsewhere, an amount raised): 0, not negative.
    const gym = bill('gym', 5_000, monthly('2026-01-10'), '2026-12-10', { createdAt: OLD });
    expect(everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-01-01', spendingPerDay: spending, definitions: [gym], dayOf }).estimate).toMatchObject({ perDay: 0, everydaySpending: 0, recurringBills: 15_000 });
  });

  it('leaves out bills not recorded yet, before the definition existed, skipped or paused', () => {
    const spending = new Map([['2026-09-02', 90_000n]]);
    const estimate = (d: RecurringExpense) => everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-01-01', spendingPerDay: spending, definitions: [d], dayOf }).estimate!.recurringBills;
    // Next one on Oct 5 (the job behind): only Sep 5 recorded.
    expect(estimate(bill('a', 100, monthly('2026-01-05'), '2026-10-05', { createdAt: OLD }))).toBe(100);
    // Created Oct 20 with an older startsOn: Nov 5 only.
    expect(estimate(bill('b', 100, monthly('2026-01-05'), '2026-12-05', { createdAt: '2026-10-20T09:00:00.000Z' }))).toBe(100);
    // Oct 5 skipped: Sep 5 and Nov 5.
    expect(estimate(bill('c', 100, monthly('2026-01-05'), '2026-12-05', { createdAt: OLD, skippedDates: ['2026-10-05'] }))).toBe(200);
    // Paused since Oct 1 (nextOccurrenceOn null): Sep 5 only.
    expect(estimate(bill('d', 100, monthly('2026-01-05'), null, { createdAt: OLD, paused: true, pauses: [{ from: '2026-10-01', to: null }] }))).toBe(100);
    // Ended Sep 30: Sep 5 only.
    expect(estimate(bill('e', 100, { ...monthly('2026-01-05'), endsOn: '2026-09-30' }, null, { createdAt: OLD }))).toBe(100);
    // Paused before the pause history was kept (no `pauses`, no `historySince`), last written Sep 20:
    // paused since Sep 20 at the latest, so Oct 5 and Nov 5 were never recorded: Sep 5 only.
    expect(estimate(bill('f', 100, monthly('2026-01-05'), null, { createdAt: OLD, paused: true, updatedAt: '2026-09-20T10:00:00.000Z' }))).toBe(100);
  });

  it('counts the dates the job records: monthly on the 31st (short months on their last day), every 2 months, every 2 weeks, an installment plan', () => {
    const spending = new Map([['2026-09-02', 90_000n]]);
    const estimate = (d: RecurringExpense) => everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-01-01', spendingPerDay: spending, definitions: [d], dayOf }).estimate!.recurringBills;
    // Sep 30, Oct 31, Nov 30.
    expect(estimate(bill('a', 100, monthly('2026-01-31'), '2026-12-31', { createdAt: OLD }))).toBe(300);
    // Jan 31, Mar 31, May 31, Jul 31, Sep 30, Nov 30: Sep 30 and Nov 30.
    expect(estimate(bill('b', 100, { ...monthly('2026-01-31'), interval: 2 }, '2027-01-31', { createdAt: OLD }))).toBe(200);
    // Every 2 weeks from Thu 2026-09-03: Sep 3, 17, Oct 1, 15, 29, Nov 12, 26 (7).
    expect(estimate(bill('c', 100, { frequency: 'weekly', interval: 2, startsOn: '2026-09-03' }, '2026-12-10', { createdAt: OLD }))).toBe(700);
    // 3 payments from Aug 15 (count 3: endsOn Oct 15 derived on write): Sep 15, Oct 15.
    expect(estimate(bill('d', 100, { ...monthly('2026-08-15'), count: 3, endsOn: '2026-10-15' }, null, { createdAt: OLD }))).toBe(200);
  });

  it('counts a young budget from its first day with spending; under 14 days none', () => {
    const young = (first: string) =>
      everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-11-10', spendingPerDay: new Map([[first, 1_400n], ['2026-11-30', 0n]]), definitions: [], dayOf });
    // Nov 17 .. Nov 30: 14 days.
    expect(young('2026-11-17')).toEqual({ estimate: { perDay: 100, basedOnDays: 14, from: '2026-11-17', to: '2026-11-30', everydaySpending: 1_400, recurringBills: 0 } });
    expect(young('2026-11-18')).toEqual({ estimate: null, reason: 'too-little-history' });
    expect(everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-11-30', spendingPerDay: new Map(), definitions: [], dayOf })).toEqual({ estimate: null, reason: 'too-little-history' });
    // An older budget with no spending at all: the whole window, 0 a day.
    expect(everydaySpendingEstimate({ today: '2026-12-01', budgetCreatedOn: '2026-01-01', spendingPerDay: new Map(), definitions: [], dayOf }).estimate).toMatchObject({ perDay: 0, basedOnDays: 90 });
  });
});

describe('cashForecast with an estimate', () => {
  it('lists every day, each spending perDay, in the nets, the totals and the lowest point', () => {
    const f = cashForecast({
      from: '2026-12-01',
      to: '2026-12-04',
      start: 500,
      perDay: 100,
      income: [income('i', 1_000, monthly('2026-12-03'), '2026-12-03')],
      bills: [bill('r', 450, monthly('2026-12-02'), '2026-12-02')],
    });
    expect(f.days).toEqual([
      { date: '2026-12-01', income: [], bills: [], estimatedSpending: 100, net: -100, runningNet: 400 },
      { date: '2026-12-02', income: [], bills: [{ recurringExpenseId: 'r', amount: 450 }], estimatedSpending: 100, net: -550, runningNet: -150 },
      { date: '2026-12-03', income: [{ recurringIncomeId: 'i', amount: 1_000 }], bills: [], estimatedSpending: 100, net: 900, runningNet: 750 },
      { date: '2026-12-04', income: [], bills: [], estimatedSpending: 100, net: -100, runningNet: 650 },
    ]);
    expect(f.totals).toEqual({ income: 1_000, bills: 450, estimatedSpending: 400, net: 150 });
    expect(f.lowestRunningNet).toEqual({ date: '2026-12-02', amount: -150 });
  });

  it('throws ForecastTooLargeError past 2^53 - 1 with the estimate too', () => {
    expect(() => cashForecast({ from: '2026-12-01', to: '2026-12-02', start: -Number.MAX_SAFE_INTEGER + 150, perDay: 100, income: [], bills: [] })).toThrow(ForecastTooLargeError);
  });
});
