import { describe, expect, it } from 'vitest';
import type { RecurringExpense } from '../model';
import { dateStatus, pairLeftovers, passed, periodDates, statusTotals, type DateStatus } from './bill-status';

const def = (over: Partial<RecurringExpense> = {}): RecurringExpense => ({
  id: 'R1',
  budgetId: 'B',
  amount: 1500,
  categoryId: null,
  schedule: { frequency: 'weekly', interval: 1, startsOn: '2026-12-02' },
  nextOccurrenceOn: '2026-12-16',
  paused: false,
  createdBy: 'U',
  version: 1,
  createdAt: '2026-11-30T12:00:00.000Z',
  updatedAt: '2026-11-30T12:00:00.000Z',
  ...over,
});

describe('periodDates: the schedule dates in the period, not before the creation day', () => {
  it('weekly from Wed Dec 2 in December: 2, 9, 16, 23, 30 with their indices', () => {
    expect(periodDates(def(), '2026-12-01', '2026-12-31', '2026-11-30')).toEqual([
      { occurredOn: '2026-12-02', index: 0 },
      { occurredOn: '2026-12-09', index: 1 },
      { occurredOn: '2026-12-16', index: 2 },
      { occurredOn: '2026-12-23', index: 3 },
      { occurredOn: '2026-12-30', index: 4 },
    ]);
  });

  it('created Dec 10: from Dec 16 (Dec 10 itself would count); endsOn honoured', () => {
    expect(periodDates(def({ schedule: { frequency: 'weekly', interval: 1, startsOn: '2026-12-02', endsOn: '2026-12-23' } }), '2026-12-01', '2026-12-31', '2026-12-10').map((d) => d.occurredOn)).toEqual([
      '2026-12-16',
      '2026-12-23',
    ]);
  });

  it('an installment plan from Nov 10, count 4: December holds index 1 (payment 2)', () => {
    const plan = def({ schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-10', count: 4, endsOn: '2027-02-10' } });
    expect(periodDates(plan, '2026-12-01', '2026-12-31', '2026-11-30')).toEqual([{ occurredOn: '2026-12-10', index: 1 }]);
    expect(periodDates(plan, '2027-03-01', '2027-03-31', '2026-11-30')).toEqual([]);
  });
});

describe('dateStatus', () => {
  const today = '2026-12-15';
  const at = (occurredOn: string, index = 0) => ({ occurredOn, index });

  it('settled: paid with the amount recorded, or matched with the imported expense', () => {
    expect(dateStatus(def(), at('2026-12-02'), today, { expenseId: 'E1', matched: false, amount: 1400 })).toEqual({ occurredOn: '2026-12-02', status: 'paid', expenseId: 'E1', amount: 1400, paymentNumber: null });
    expect(dateStatus(def(), at('2026-12-02'), today, { expenseId: 'E2', matched: true, amount: null })).toEqual({ occurredOn: '2026-12-02', status: 'matched', expenseId: 'E2', paymentNumber: null });
  });

  it('on or after nextOccurrenceOn: due from today on, overdue before (the expected amount)', () => {
    const behind = def({ nextOccurrenceOn: '2026-12-09' });
    expect(dateStatus(behind, at('2026-12-09'), today, undefined)).toEqual({ occurredOn: '2026-12-09', status: 'overdue', amount: 1500, paymentNumber: null });
    expect(dateStatus(behind, at('2026-12-15'), today, undefined)).toMatchObject({ status: 'due' });
    expect(dateStatus(behind, at('2026-12-16'), today, undefined)).toMatchObject({ status: 'due', amount: 1500 });
  });

  it('with a history: a pause before the latest skip reads paused, a skipped date outside any pause skipped, the rest missed', () => {
    // Weekly from Wed Dec 2; paused Dec 5, resumed Dec 12 (so Dec 9 fell while paused); Dec 23
    // skipped; Dec 16 passed over by the job (its creator had left); next Dec 30. Today Dec 28.
    const history = def({
      nextOccurrenceOn: '2026-12-30',
      skippedThrough: '2026-12-23',
      pauses: [{ from: '2026-12-05', to: '2026-12-12' }],
      skippedDates: ['2026-12-23'],
      historySince: '2026-11-30',
    });
    const on = (d: string) => dateStatus(history, at(d), '2026-12-28', undefined);
    expect(on('2026-12-09')).toEqual({ occurredOn: '2026-12-09', status: 'paused', paymentNumber: null });
    expect(on('2026-12-16')).toEqual({ occurredOn: '2026-12-16', status: 'missed', paymentNumber: null });
    expect(on('2026-12-23')).toEqual({ occurredOn: '2026-12-23', status: 'skipped', paymentNumber: null });
    expect(on('2026-12-30')).toMatchObject({ status: 'due' });
    expect(on('2026-12-02')).toMatchObject({ status: 'missed' });
    expect(dateStatus(history, at('2026-12-02'), '2026-12-28', { expenseId: 'E', matched: false, amount: 1500 })).toMatchObject({ status: 'paid' });
    // Paused again Dec 29 (open): Dec 30 and every later date fell while paused.
    const pausedNow = def({ ...history, paused: true, nextOccurrenceOn: null, pauses: [...history.pauses!, { from: '2026-12-29', to: null }] });
    expect(dateStatus(pausedNow, at('2026-12-30'), '2026-12-31', undefined)).toMatchObject({ status: 'paused' });
    expect(dateStatus(pausedNow, at('2027-03-03'), '2026-12-31', undefined)).toMatchObject({ status: 'paused' });
    expect(dateStatus(pausedNow, at('2026-12-16'), '2026-12-31', undefined)).toMatchObject({ status: 'missed' });
  });

  it('before historySince the old rule: skipped on or before skippedThrough, paused after', () => {
    // An older definition whose history began on Dec 10 (its skippedThrough was Dec 9).
    const since = def({ nextOccurrenceOn: '2026-12-30', skippedThrough: '2026-12-09', pauses: [], skippedDates: [], historySince: '2026-12-10' });
    expect(dateStatus(since, at('2026-12-02'), '2026-12-28', undefined)).toMatchObject({ status: 'skipped' });
    expect(dateStatus(since, at('2026-12-09'), '2026-12-28', undefined)).toMatchObject({ status: 'skipped' });
    expect(dateStatus(since, at('2026-12-16'), '2026-12-28', undefined)).toMatchObject({ status: 'missed' });
  });

  it('without a history (written before it was kept): skipped up to skippedThrough, paused after it (or with none)', () => {
    const skipped = def({ skippedThrough: '2026-12-09' });
    expect(dateStatus(skipped, at('2026-12-09'), today, undefined)).toEqual({ occurredOn: '2026-12-09', status: 'skipped', paymentNumber: null });
    expect(dateStatus(skipped, at('2026-12-02'), today, undefined)).toMatchObject({ status: 'skipped' });
    expect(dateStatus(def({ paused: true, nextOccurrenceOn: null, skippedThrough: '2026-12-09' }), at('2026-12-23'), today, undefined)).toEqual({ occurredOn: '2026-12-23', status: 'paused', paymentNumber: null });
    expect(dateStatus(def(), at('2026-12-09'), today, undefined)).toMatchObject({ status: 'paused' });
  });

  it('a paused or ended definition has passed every date', () => {
    expect(passed(def({ paused: true, nextOccurrenceOn: null }), '2027-06-01')).toBe(true);
    expect(passed(def({ nextOccurrenceOn: null }), '2027-06-01')).toBe(true);
    expect(passed(def(), '2026-12-15')).toBe(true);
    expect(passed(def(), '2026-12-16')).toBe(false);
  });

  it("a plan's date carries its payment number (index + 1)", () => {
    const plan = def({ schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-10', count: 4, endsOn: '2027-02-10' }, nextOccurrenceOn: '2027-01-10' });
    expect(dateStatus(plan, at('2026-12-10', 1), today, { expenseId: 'E', matched: false, amount: 2500 })).toMatchObject({ paymentNumber: 2 });
  });
});

describe('statusTotals', () => {
  it('paid sums the amounts recorded (a deleted one counts 0), due the due and overdue amounts', () => {
    const dates: DateStatus[] = [
      { occurredOn: '2026-12-01', status: 'paid', expenseId: 'A', amount: 120000, paymentNumber: null },
      { occurredOn: '2026-12-02', status: 'paid', expenseId: 'B', amount: null, paymentNumber: null },
      { occurredOn: '2026-12-03', status: 'matched', expenseId: 'C', paymentNumber: null },
      { occurredOn: '2026-12-04', status: 'overdue', amount: 3000, paymentNumber: null },
      { occurredOn: '2026-12-20', status: 'due', amount: 1500, paymentNumber: null },
      { occurredOn: '2026-12-09', status: 'skipped', paymentNumber: null },
      { occurredOn: '2026-12-10', status: 'missed', paymentNumber: null },
    ];
    expect(statusTotals(dates)).toEqual({ paid: 120000, due: 4500, counts: { paid: 2, matched: 1, skipped: 1, paused: 0, missed: 1, due: 1, overdue: 1 } });
  });
});

describe('pairLeftovers: payments dated another day go to the nearest open date', () => {
  it('nearest first, then the earlier date; one payment a date', () => {
    const p13 = { occurredOn: '2026-12-13', id: 'P13' };
    const p03 = { occurredOn: '2026-12-03', id: 'P03' };
    // Dec 13 is 3 days from Dec 16 and 4 from Dec 9; Dec 3 is 6 from Dec 9 (Dec 16 taken).
    expect(Object.fromEntries(pairLeftovers(['2026-12-09', '2026-12-16'], [p03, p13]))).toEqual({ '2026-12-16': p13, '2026-12-09': p03 });
    // Equally far (Dec 12 is 3 days from Dec 9 and from Dec 15): the earlier date.
    expect(Object.fromEntries(pairLeftovers(['2026-12-15', '2026-12-09'], [{ occurredOn: '2026-12-12' }]))).toEqual({ '2026-12-09': { occurredOn: '2026-12-12' } });
    expect(pairLeftovers([], [p13]).size).toBe(0);
    expect(pairLeftovers(['2026-12-09'], []).size).toBe(0);
  });
});
