import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '@budgeting/platform';
import { addMonths, lastDayOfMonth, todayIn } from './dates';

describe('calendar dates', () => {
  it.each(['2026-11-24', '2028-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])('accepts %s', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });

  it.each(['2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-11-00', '2026-1-5', '24/11/2026', '2026-11-24T00:00:00Z', ''])(
    'refuses %s',
    (d) => {
      expect(isCalendarDate(d)).toBe(false);
    },
  );

  it('knows month ends and moves across years', () => {
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-11')).toBe('2026-11-30');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2026-05', -17)).toBe('2024-12');
  });

  it("gives today's date in a time zone, falling back to UTC for an unknown zone", () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(todayIn('Pacific/Auckland', now)).toBe('2026-11-25');
    expect(todayIn('America/Los_Angeles', new Date('2026-11-24T05:00:00Z'))).toBe('2026-11-23');
    expect(todayIn('Not/AZone', now)).toBe('2026-11-24');
  });
});
