import { addDays, dayNumber, daysInMonth } from '@budgeting/platform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FREQUENCIES, occurrencesBetween, windowDates, type Schedule } from './recurrence';

/**
 * occurrencesBetween (the forecast's arithmetic) against a naive reference that asks every
 * day of the range whether it is an occurrence, from the rules in recurrence.ts's header
 * alone (it never calls occurrence()).
 */
function isOccurrence(s: Schedule, day: string): boolean {
  if (day < s.startsOn || (s.endsOn !== undefined && day > s.endsOn)) return false;
  const [sy, sm, sd] = s.startsOn.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  switch (s.frequency) {
    case 'daily':
      return (dayNumber(day) - dayNumber(s.startsOn)) % s.interval === 0;
    case 'weekly':
      return (dayNumber(day) - dayNumber(s.startsOn)) % (7 * s.interval) === 0;
    case 'monthly':
      return (y * 12 + m - (sy * 12 + sm)) % s.interval === 0 && d === Math.min(sd, daysInMonth(y, m));
    case 'yearly':
      return (y - sy) % s.interval === 0 && m === sm && d === Math.min(sd, daysInMonth(y, m));
  }
}

function dayByDay(s: Schedule, from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) if (isOccurrence(s, day)) out.push(day);
  return out;
}

const sched = (frequency: Schedule['frequency'], startsOn: string, interval = 1, endsOn?: string): Schedule => ({
  frequency,
  interval,
  startsOn,
  ...(endsOn ? { endsOn } : {}),
});

const all = (s: Schedule, from: string, to: string) => windowDates(s, occurrencesBetween(s, from, to), Number.MAX_SAFE_INTEGER);

describe('occurrencesBetween', () => {
  it('a daily schedule in a year: 365 occurrences, the first 100 dates listed', () => {
    const s = sched('daily', '2020-03-10');
    const w = occurrencesBetween(s, '2027-01-01', '2027-12-31');
    expect(w.count).toBe(365);
    const dates = windowDates(s, w, 100);
    expect(dates).toHaveLength(100);
    expect(dates[0]).toBe('2027-01-01');
    expect(dates[99]).toBe('2027-04-10');
  });

  it('monthly on the 31st: the last day of shorter months, inside the range only', () => {
    expect(all(sched('monthly', '2026-01-31'), '2026-02-01', '2026-05-31')).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    expect(all(sched('monthly', '2026-01-31'), '2026-02-01', '2026-05-30')).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('honours startsOn and endsOn (inclusive), and is empty outside them', () => {
    expect(all(sched('weekly', '2026-11-03', 1, '2026-11-17'), '2026-11-01', '2026-11-30')).toEqual(['2026-11-03', '2026-11-10', '2026-11-17']);
    expect(occurrencesBetween(sched('daily', '2026-12-01'), '2026-11-01', '2026-11-30').count).toBe(0);
    expect(occurrencesBetween(sched('daily', '2026-01-01', 1, '2026-10-31'), '2026-11-01', '2026-11-30').count).toBe(0);
    expect(occurrencesBetween(sched('daily', '2026-01-01'), '2026-11-30', '2026-11-01').count).toBe(0);
  });

  it('yearly on Feb 29 falls on Feb 28 in common years', () => {
    expect(all(sched('yearly', '2024-02-29'), '2025-01-01', '2028-12-31')).toEqual(['2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
  });

  it('stops at the last date the API accepts', () => {
    expect(all(sched('daily', '9998-12-29'), '9998-12-01', '9999-01-05')).toEqual(['9998-12-29', '9998-12-30', '9998-12-31']);
  });

  const date = (min: string, max: string) =>
    fc.integer({ min: dayNumber(min), max: dayNumber(max) }).map((n) => addDays('1970-01-01', n));
  const schedule = fc
    .record({
      frequency: fc.constantFrom(...FREQUENCIES),
      interval: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 365 })),
      startsOn: date('2019-01-01', '2027-12-31'),
      endsAfter: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
    })
    .map(({ endsAfter, ...s }): Schedule => (endsAfter === undefined ? s : { ...s, endsOn: addDays(s.startsOn, endsAfter) }));
  const range = fc.record({ from: date('2018-06-01', '2028-12-31'), days: fc.integer({ min: -3, max: 400 }) });

  it('equals the day-by-day reference for any schedule and range up to a year', () => {
    fc.assert(
      fc.property(schedule, range, (s, { from, days }) => {
        const to = addDays(from, days);
        const reference = dayByDay(s, from, to);
        const w = occurrencesBetween(s, from, to);
        expect(w.count).toBe(reference.length);
        expect(windowDates(s, w, 1_000)).toEqual(reference);
        expect(windowDates(s, w, 3)).toEqual(reference.slice(0, 3));
      }),
      { numRuns: 2_000 },
    );
  });
});
