import { addDays, dayNumber } from '@budgeting/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecurringExpense } from '../model';
import { FREQUENCIES, occurrencesBetween, windowDates, type Schedule } from './recurrence';
import { MAX_UPCOMING, ScheduledTally } from './scheduled';

/**
 * The forecast's tally over pages of definitions: its sums and its bounded, pruned list against
 * the plain answer (every occurrence of every definition from its next one, sorted, cut).
 */
const definition = (id: string, schedule: Schedule, nextOccurrenceOn: string | null, amount: number, categoryId: string | null = null): RecurringExpense => ({
  id,
  budgetId: 'b',
  amount,
  categoryId,
  schedule,
  nextOccurrenceOn,
  paused: false,
  createdBy: 'u',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('ScheduledTally', () => {
  it('counts from each definition\'s next occurrence, skips ended and paused ones, sums per category', () => {
    const tally = new ScheduledTally('2026-11-01', '2026-11-30', 100);
    tally.add(definition('a', { frequency: 'daily', interval: 1, startsOn: '2026-01-01' }, '2026-11-28', 10, 'c1')); // 28, 29, 30
    tally.add(definition('b', { frequency: 'weekly', interval: 1, startsOn: '2026-10-01' }, '2026-10-29', 7)); // Nov 5, 12, 19, 26
    tally.add(definition('c', { frequency: 'daily', interval: 1, startsOn: '2026-01-01', endsOn: '2026-10-31' }, null, 999)); // ended
    // Paused (stored without nextOccurrenceOn; left out even if one were there).
    tally.add({ ...definition('d', { frequency: 'daily', interval: 1, startsOn: '2026-01-01' }, null, 555), paused: true });
    tally.add({ ...definition('e', { frequency: 'daily', interval: 1, startsOn: '2026-01-01' }, '2026-11-01', 555), paused: true });
    expect(tally.result()).toMatchObject({ total: 58, byCategory: { c1: 30 }, uncategorized: 28, upcomingTruncated: false, occurrences: 7 });
    expect(tally.result().upcoming.map((o) => `${o.occurredOn} ${o.recurringExpenseId}`)).toEqual([
      '2026-11-05 b',
      '2026-11-12 b',
      '2026-11-19 b',
      '2026-11-26 b',
      '2026-11-28 a',
      '2026-11-29 a',
      '2026-11-30 a',
    ]);
  });

  it('credits a split definition per part to its category (null parts uncategorized), the whole amount once in the total', () => {
    const tally = new ScheduledTally('2026-11-01', '2026-11-30', 100);
    const weekly = { frequency: 'weekly' as const, interval: 1, startsOn: '2026-11-02' }; // Nov 2, 9, 16, 23, 30: 5 occurrences
    const splits = [
      { categoryId: 'c1', amount: 700, description: 'food' },
      { categoryId: 'c2', amount: 200 },
      { categoryId: null, amount: 100 },
    ];
    tally.add({ ...definition('s', weekly, '2026-11-09', 1_000), splits }); // from Nov 9: 4 occurrences
    tally.add(definition('a', weekly, '2026-11-02', 50, 'c1')); // 5 occurrences
    expect(tally.result()).toMatchObject({ total: 4 * 1_000 + 5 * 50, byCategory: { c1: 4 * 700 + 5 * 50, c2: 4 * 200 }, uncategorized: 4 * 100 });
    const listed = tally.result().upcoming.filter((o) => o.recurringExpenseId === 's');
    expect(listed.map((o) => o.occurredOn)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
    expect(listed.every((o) => o.categoryId === null && JSON.stringify(o.splits) === JSON.stringify(splits))).toBe(true);
    expect(tally.result().upcoming.find((o) => o.recurringExpenseId === 'a')).not.toHaveProperty('splits');
  });

  it('keeps sums exact past 2^53 (the caller refuses them), and refuses a list longer than 100', () => {
    const tally = new ScheduledTally('2027-01-01', '2027-12-31', 0);
    for (let i = 0; i < 30; i++) tally.add(definition(`d${i}`, { frequency: 'daily', interval: 1, startsOn: '2026-01-01' }, '2026-01-01', 1_000_000_000_000));
    expect(BigInt(tally.result().total)).toBe(30n * 365n * 1_000_000_000_000n);
    expect(Number.isSafeInteger(tally.result().total)).toBe(false);
    expect(tally.result()).toMatchObject({ upcoming: [], upcomingTruncated: true });
    expect(() => new ScheduledTally('2027-01-01', '2027-12-31', MAX_UPCOMING + 1)).toThrow(RangeError);
  });

  const date = (min: string, max: string) => fc.integer({ min: dayNumber(min), max: dayNumber(max) }).map((n) => addDays('1970-01-01', n));
  const schedule = fc.record({
    frequency: fc.constantFrom(...FREQUENCIES),
    interval: fc.integer({ min: 1, max: 3 }),
    startsOn: date('2026-01-01', '2027-06-30'),
  });
  const definitions = fc.array(
    fc.record({ schedule, nextAfter: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }), amount: fc.integer({ min: 1, max: 10_000 }) }),
    { maxLength: 12 },
  );

  it('lists exactly the first `limit` occurrences of all definitions, fed in pages, with exact sums', () => {
    fc.assert(
      fc.property(definitions, date('2026-06-01', '2027-06-30'), fc.integer({ min: 0, max: 370 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 5 }), (defs, from, days, limit, pageSize) => {
        const to = addDays(from, days);
        const all = defs.map((d, i) => definition(`id${String(i).padStart(2, '0')}`, d.schedule, d.nextAfter === null ? null : addDays(d.schedule.startsOn, d.nextAfter), d.amount));
        const tally = new ScheduledTally(from, to, limit);
        for (let i = 0; i < all.length; i += pageSize) all.slice(i, i + pageSize).forEach((d) => tally.add(d));
        const expected = all.flatMap((d) => {
          if (d.nextOccurrenceOn === null) return [];
          const start = d.nextOccurrenceOn > from ? d.nextOccurrenceOn : from;
          return windowDates(d.schedule, occurrencesBetween(d.schedule, start, to), 10_000).map((occurredOn) => ({ occurredOn, id: d.id, amount: d.amount }));
        });
        expected.sort((a, b) => (a.occurredOn === b.occurredOn ? (a.id < b.id ? -1 : 1) : a.occurredOn < b.occurredOn ? -1 : 1));
        const got = tally.result();
        expect(got.total).toBe(expected.reduce((s, o) => s + o.amount, 0));
        expect(got.upcoming.map((o) => [o.occurredOn, o.recurringExpenseId])).toEqual(expected.slice(0, limit).map((o) => [o.occurredOn, o.id]));
        expect([got.upcomingTruncated, got.occurrences]).toEqual([expected.length > limit, expected.length]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ScheduledTally: installment plans', () => {
  it('gives each occurrence of a counted plan its place (paymentNumber), the count and paymentsLeft; all three null without a count', () => {
    // Weekly from 2026-12-07, 4 payments: 12-07, 12-14, 12-21, 12-28 (endsOn). Payment 1 recorded: next 12-14.
    const plan = definition('p', { frequency: 'weekly', interval: 1, startsOn: '2026-12-07', endsOn: '2026-12-28', count: 4 }, '2026-12-14', 2500);
    const tally = new ScheduledTally('2026-12-01', '2027-01-31', 100);
    tally.add(plan);
    tally.add(definition('m', { frequency: 'monthly', interval: 1, startsOn: '2026-12-20' }, '2026-12-20', 1000));
    expect(tally.result().upcoming.map((o) => [o.occurredOn, o.recurringExpenseId, o.count, o.paymentsLeft, o.paymentNumber])).toEqual([
      ['2026-12-14', 'p', 4, 3, 2],
      ['2026-12-20', 'm', null, null, null],
      ['2026-12-21', 'p', 4, 3, 3],
      ['2026-12-28', 'p', 4, 3, 4],
      ['2027-01-20', 'm', null, null, null],
    ]);
    // A window starting later: still numbered from the plan's start (12-21 is payment 3 of 4).
    const late = new ScheduledTally('2026-12-20', '2026-12-31', 100);
    late.add(plan);
    expect(late.result().upcoming.map((o) => o.paymentNumber)).toEqual([3, 4]);
  });
});
