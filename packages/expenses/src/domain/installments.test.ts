import { describe, expect, it } from 'vitest';
import type { RecurringExpense } from '../model';
import { countedEndsOn, paymentsLeft } from './installments';
import type { Schedule } from './recurrence';

describe('countedEndsOn: the date of the count-th occurrence', () => {
  it('monthly from Jan 31, count 3: Jan 31, Feb 28, Mar 31 (the month-end rule, no drift)', () => {
    expect(countedEndsOn({ frequency: 'monthly', interval: 1, startsOn: '2027-01-31' }, 3)).toBe('2027-03-31');
    // Count 2 ends on the clamped day; in a leap year Feb 29.
    expect(countedEndsOn({ frequency: 'monthly', interval: 1, startsOn: '2027-01-31' }, 2)).toBe('2027-02-28');
    expect(countedEndsOn({ frequency: 'monthly', interval: 1, startsOn: '2028-01-31' }, 2)).toBe('2028-02-29');
  });

  it('count 1 is startsOn itself', () => {
    expect(countedEndsOn({ frequency: 'weekly', interval: 3, startsOn: '2026-12-07' }, 1)).toBe('2026-12-07');
  });

  it('weekly every 2 weeks, count 4: startsOn + 3 x 14 days', () => {
    // 2026-12-07, 12-21, 2027-01-04, 01-18.
    expect(countedEndsOn({ frequency: 'weekly', interval: 2, startsOn: '2026-12-07' }, 4)).toBe('2027-01-18');
  });

  it('yearly from Feb 29: Feb 28 in common years, Feb 29 in the next leap year', () => {
    // 2028-02-29, 2029-02-28, 2030-02-28.
    expect(countedEndsOn({ frequency: 'yearly', interval: 1, startsOn: '2028-02-29' }, 3)).toBe('2030-02-28');
    // 2028, 2029, 2030, 2031, 2032 (leap).
    expect(countedEndsOn({ frequency: 'yearly', interval: 1, startsOn: '2028-02-29' }, 5)).toBe('2032-02-29');
  });

  it('monthly every 3 months from Nov 30, count 2: Feb 28', () => {
    expect(countedEndsOn({ frequency: 'monthly', interval: 3, startsOn: '2026-11-30' }, 2)).toBe('2027-02-28');
  });

  it('null when the last occurrence would fall after the last date the API accepts (9998-12-31)', () => {
    expect(countedEndsOn({ frequency: 'yearly', interval: 365, startsOn: '2026-12-01' }, 1000)).toBeNull();
    expect(countedEndsOn({ frequency: 'daily', interval: 1, startsOn: '9998-12-30' }, 3)).toBeNull();
    expect(countedEndsOn({ frequency: 'daily', interval: 1, startsOn: '9998-12-30' }, 2)).toBe('9998-12-31');
  });
});

describe('paymentsLeft', () => {
  const plan: Schedule = { frequency: 'monthly', interval: 1, startsOn: '2027-01-31', endsOn: '2027-04-30', count: 4 };
  const definition = (over: Partial<RecurringExpense>): RecurringExpense => ({
    id: 'r',
    budgetId: 'b',
    amount: 2500,
    categoryId: null,
    schedule: plan,
    nextOccurrenceOn: '2027-01-31',
    paused: false,
    createdBy: 'u',
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...over,
  });

  it('counts from nextOccurrenceOn through endsOn inclusive', () => {
    expect(paymentsLeft(definition({}))).toBe(4);
    expect(paymentsLeft(definition({ nextOccurrenceOn: '2027-02-28' }))).toBe(3);
    expect(paymentsLeft(definition({ nextOccurrenceOn: '2027-04-30' }))).toBe(1);
  });

  it('0 once ended, null while paused, undefined without a count', () => {
    expect(paymentsLeft(definition({ nextOccurrenceOn: null }))).toBe(0);
    expect(paymentsLeft(definition({ nextOccurrenceOn: null, paused: true }))).toBeNull();
    expect(paymentsLeft(definition({ schedule: { frequency: 'monthly', interval: 1, startsOn: '2027-01-31', endsOn: '2027-04-30' } }))).toBeUndefined();
  });
});
