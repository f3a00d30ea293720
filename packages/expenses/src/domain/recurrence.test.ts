import { describe, expect, it } from 'vitest';
import { addDays } from '@budgeting/platform';
import {
  firstOnOrAfter,
  nextAfter,
  occurrence,
  type Schedule,
} from './recurrence';

/** The occurrences of `schedule` on or after `from`, following nextAfter, at most `count`. */
function walk(schedule: Schedule, from: string, count: number): string[] {
  const out: string[] = [];
  let next = firstOnOrAfter(schedule, from);
  while (next !== null && out.length < count) {
    out.push(next);
    next = nextAfter(schedule, next);
  }
  return out;
}

const s = (frequency: Schedule['frequency'], startsOn: string, interval = 1, endsOn?: string): Schedule => ({
  frequency,
  interval,
  startsOn,
  ...(endsOn ? { endsOn } : {}),
});

describe('addDays', () => {
  it('crosses months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('1900-03-01', -1)).toBe('1900-02-28'); // 1900 is not a leap year
  });
});

describe('daily and weekly', () => {
  it('daily every day, and every 3 days', () => {
    expect(walk(s('daily', '2026-12-30'), '2026-01-01', 4)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(walk(s('daily', '2026-02-26', 3), '2026-02-26', 3)).toEqual(['2026-02-26', '2026-03-01', '2026-03-04']);
  });

  it('weekly is every interval * 7 days, on the weekday of startsOn', () => {
    expect(walk(s('weekly', '2026-11-02'), '2026-11-03', 3)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
    expect(walk(s('weekly', '2026-12-21', 2), '2026-12-21', 3)).toEqual(['2026-12-21', '2027-01-04', '2027-01-18']);
  });

  it('finds the first occurrence on or after a date far from startsOn, on the grid', () => {
    // 2026-01-01 + 3k days: 2026-11-24 is day 327 = 3 * 109.
    expect(firstOnOrAfter(s('daily', '2026-01-01', 3), '2026-11-24')).toBe('2026-11-24');
    expect(firstOnOrAfter(s('daily', '2026-01-01', 3), '2026-11-25')).toBe('2026-11-27');
    expect(firstOnOrAfter(s('weekly', '2020-01-06', 2), '2026-11-24')).toBe(
      walk(s('weekly', '2020-01-06', 2), '2020-01-01', 1000).find((d) => d >= '2026-11-24'),
    );
  });
});

describe('monthly', () => {
  it('on the 31st: the last day of shorter months, back to the 31st after (no drift)', () => {
    expect(walk(s('monthly', '2026-01-31'), '2026-01-01', 7)).toEqual([
      '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31',
    ]);
  });

  it('on the 30th and 29th in February of common and leap years', () => {
    expect(walk(s('monthly', '2027-12-30'), '2027-12-30', 4)).toEqual(['2027-12-30', '2028-01-30', '2028-02-29', '2028-03-30']);
    expect(walk(s('monthly', '2026-01-29'), '2026-01-29', 3)).toEqual(['2026-01-29', '2026-02-28', '2026-03-29']);
  });

  it('every 3 months across a year end', () => {
    expect(walk(s('monthly', '2026-08-31', 3), '2026-08-01', 4)).toEqual(['2026-08-31', '2026-11-30', '2027-02-28', '2027-05-31']);
  });

  it('jumps straight to the right month from a far date, also inside a clamped month', () => {
    const rent = s('monthly', '2020-01-31');
    expect(firstOnOrAfter(rent, '2026-02-01')).toBe('2026-02-28');
    expect(firstOnOrAfter(rent, '2026-02-28')).toBe('2026-02-28');
    expect(firstOnOrAfter(rent, '2026-03-01')).toBe('2026-03-31');
    expect(firstOnOrAfter(s('monthly', '2026-01-15', 2), '2026-02-20')).toBe('2026-03-15');
    expect(firstOnOrAfter(s('monthly', '2026-01-15', 2), '2026-03-16')).toBe('2026-05-15');
  });
});

describe('yearly', () => {
  it('Feb 29 falls on Feb 28 in common years and returns to Feb 29 in leap years', () => {
    expect(walk(s('yearly', '2024-02-29'), '2024-01-01', 5)).toEqual(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
  });

  it('every 2 years, and 1900 / 2000 leap rules', () => {
    expect(walk(s('yearly', '2026-11-24', 2), '2026-11-25', 2)).toEqual(['2028-11-24', '2030-11-24']);
    expect(walk(s('yearly', '1896-02-29', 4), '1896-01-01', 3)).toEqual(['1896-02-29', '1900-02-28', '1904-02-29']);
    expect(walk(s('yearly', '1996-02-29', 4), '1999-01-01', 1)).toEqual(['2000-02-29']);
  });
});

describe('start and end', () => {
  it('startsOn in the future: the first occurrence is startsOn', () => {
    expect(firstOnOrAfter(s('monthly', '2027-03-31'), '2026-11-24')).toBe('2027-03-31');
    expect(firstOnOrAfter(s('daily', '2027-01-01', 5), '2026-11-24')).toBe('2027-01-01');
  });

  it('endsOn is inclusive', () => {
    expect(walk(s('daily', '2026-11-01', 1, '2026-11-03'), '2026-11-01', 10)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(walk(s('weekly', '2026-11-01', 1, '2026-11-14'), '2026-11-01', 10)).toEqual(['2026-11-01', '2026-11-08']);
    expect(nextAfter(s('monthly', '2026-01-31', 1, '2026-02-28'), '2026-01-31')).toBe('2026-02-28');
    expect(nextAfter(s('monthly', '2026-01-31', 1, '2026-02-27'), '2026-01-31')).toBeNull();
  });

  it('an ended schedule has no occurrence on or after a later date', () => {
    expect(firstOnOrAfter(s('daily', '2026-01-01', 1, '2026-06-30'), '2026-11-24')).toBeNull();
    expect(firstOnOrAfter(s('monthly', '2026-01-31', 1, '2026-01-31'), '2026-01-31')).toBe('2026-01-31');
  });

  it('ends at the last date the API accepts (9998-12-31)', () => {
    expect(nextAfter(s('daily', '9998-12-30'), '9998-12-30')).toBe('9998-12-31');
    expect(nextAfter(s('daily', '9998-12-30'), '9998-12-31')).toBeNull();
    expect(nextAfter(s('yearly', '9990-06-01', 5), '9995-06-01')).toBeNull();
    expect(nextAfter(s('monthly', '9998-11-30'), '9998-11-30')).toBe('9998-12-30');
    expect(nextAfter(s('monthly', '9998-11-30'), '9998-12-30')).toBeNull();
    expect(occurrence(s('weekly', '9998-12-30'), 1)).toBeNull();
  });

  it('never yields a date twice or out of order (every frequency, intervals 1..4, over month ends)', () => {
    for (const frequency of ['daily', 'weekly', 'monthly', 'yearly'] as const) {
      for (let interval = 1; interval <= 4; interval++) {
        for (const startsOn of ['2024-01-31', '2024-02-29', '2025-12-31', '2026-03-30']) {
          const dates = walk(s(frequency, startsOn, interval), startsOn, 40);
          expect(dates[0]).toBe(startsOn);
          for (let i = 1; i < dates.length; i++) expect(dates[i]! > dates[i - 1]!).toBe(true);
          // nextAfter agrees with the direct n-th occurrence (no drift from chaining).
          dates.forEach((d, n) => expect(d).toBe(occurrence(s(frequency, startsOn, interval), n)));
        }
      }
    }
  });
});
