import { describe, expect, it } from 'vitest';
import type { RecurringIncome } from '../model';
import { listInPeriod } from './bill-status';
import { incomeDateStatus, incomeStatusTotals } from './income-status';

/** A biweekly paycheck from Fri Oct 9, 2026; the job has recorded through Oct 23 (next Nov 6). */
const def = (over: Partial<RecurringIncome> = {}): RecurringIncome => ({
  id: 'I1',
  budgetId: 'B',
  amount: 320000,
  schedule: { frequency: 'weekly', interval: 2, startsOn: '2026-10-09' },
  nextOccurrenceOn: '2026-11-06',
  paused: false,
  createdBy: 'U',
  version: 1,
  createdAt: '2026-10-05T12:00:00.000Z',
  updatedAt: '2026-10-05T12:00:00.000Z',
  historySince: '2026-10-05',
  pauses: [],
  skippedDates: [],
  ...over,
});
const at = (occurredOn: string) => ({ occurredOn, index: 0 });

describe('incomeDateStatus', () => {
  it('received with its entry; passed without one: paused, skipped, else missed; ahead: due today and later, missed before today', () => {
    const d = def({ pauses: [{ from: '2026-10-12', to: '2026-10-20' }], skippedDates: ['2026-10-09'] });
    expect(incomeDateStatus(d, at('2026-10-23'), '2026-10-27', { incomeId: 'E1', amount: 310000, occurredOn: '2026-10-23' })).toEqual({
      occurredOn: '2026-10-23',
      status: 'received',
      incomeId: 'E1',
      amount: 310000,
    });
    expect(incomeDateStatus(d, at('2026-10-09'), '2026-10-27', undefined)).toEqual({ occurredOn: '2026-10-09', status: 'skipped' });
    expect(incomeDateStatus(d, at('2026-10-16'), '2026-10-27', undefined)).toEqual({ occurredOn: '2026-10-16', status: 'paused' });
    expect(incomeDateStatus(d, at('2026-10-23'), '2026-10-27', undefined)).toEqual({ occurredOn: '2026-10-23', status: 'missed' });
    expect(incomeDateStatus(d, at('2026-11-06'), '2026-11-06', undefined)).toEqual({ occurredOn: '2026-11-06', status: 'due', amount: 320000 });
    // The job has not reached Nov 6 by Nov 7: past and not received.
    expect(incomeDateStatus(d, at('2026-11-06'), '2026-11-07', undefined)).toEqual({ occurredOn: '2026-11-06', status: 'missed' });
  });
});

describe('incomeStatusTotals', () => {
  it('expected over the dates neither skipped nor paused; received as received; still expected over due dates', () => {
    const totals = incomeStatusTotals([
      {
        amount: 320000,
        dates: [
          { occurredOn: '2026-10-09', status: 'received', incomeId: 'E1', amount: 300000 },
          { occurredOn: '2026-10-23', status: 'missed' },
          { occurredOn: '2026-11-06', status: 'due', amount: 320000 },
        ],
      },
      {
        amount: 10000,
        dates: [
          { occurredOn: '2026-10-14', status: 'skipped' },
          { occurredOn: '2026-10-21', status: 'paused' },
        ],
      },
    ]);
    expect(totals).toEqual({ expected: 960000, received: 300000, stillExpected: 320000, counts: { received: 1, skipped: 1, paused: 1, missed: 1, due: 1 } });
  });
});

describe('listInPeriod (shared with the bill status)', () => {
  it("lists a recurring income's dates in the month from the day it was created in the budget's zone", () => {
    // Created 11:30 UTC Oct 9: still Oct 9 in UTC (its Oct 9 date listed), already Oct 10 in Auckland (UTC+13: left out).
    const d = def({ createdAt: '2026-10-09T11:30:00.000Z' });
    expect(listInPeriod([d], '2026-10-01', '2026-10-31', 'UTC').listed[0]?.dates.map((x) => x.occurredOn)).toEqual(['2026-10-09', '2026-10-23']);
    expect(listInPeriod([d], '2026-10-01', '2026-10-31', 'Pacific/Auckland').listed[0]?.dates.map((x) => x.occurredOn)).toEqual(['2026-10-23']);
  });
});
