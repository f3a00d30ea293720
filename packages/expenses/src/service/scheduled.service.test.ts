import { describe, expect, it } from 'vitest';
import type { RecurringExpense } from '../model';
import { ScheduledService } from './scheduled.service';

/** The service follows the Query's pages to the end (a budget past 1 MB of definitions), asking each with the range's end. */
const daily = (id: string, amount: number): RecurringExpense => ({
  id,
  budgetId: 'b',
  amount,
  categoryId: null,
  schedule: { frequency: 'daily', interval: 1, startsOn: '2026-01-01' },
  nextOccurrenceOn: '2026-11-10',
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('ScheduledService.scheduledBetween', () => {
  it('reads every page of definitions and sums them all', async () => {
    const asked: unknown[] = [];
    const pages = [
      { items: [daily('a', 1)], lastKey: { pk: 'p', sk: 'a' } },
      { items: [daily('b', 10)], lastKey: { pk: 'p', sk: 'b' } },
      { items: [daily('c', 100)], lastKey: undefined },
    ];
    const service = new ScheduledService({
      pendingPage: async (budgetId, until, startKey) => {
        asked.push([budgetId, until, startKey]);
        return pages[asked.length - 1]!;
      },
    });
    const got = await service.scheduledBetween('b', '2026-11-01', '2026-11-30', 2);
    expect(got.total).toBe(21 * 111); // Nov 10..30 for each
    expect(got.upcoming.map((o) => o.recurringExpenseId)).toEqual(['a', 'b']);
    expect(got.upcomingTruncated).toBe(true);
    expect(asked).toEqual([
      ['b', '2026-11-30', undefined],
      ['b', '2026-11-30', { pk: 'p', sk: 'a' }],
      ['b', '2026-11-30', { pk: 'p', sk: 'b' }],
    ]);
  });

  it('refuses dates that are not calendar dates, and reads nothing for an empty range', async () => {
    const service = new ScheduledService({ pendingPage: () => Promise.reject(new Error('must not read')) });
    await expect(service.scheduledBetween('b', '2026-11-31', '2026-12-01', 10)).rejects.toThrow(RangeError);
    expect(await service.scheduledBetween('b', '2026-12-01', '2026-11-30', 10)).toMatchObject({ total: 0, upcoming: [] });
  });
});
