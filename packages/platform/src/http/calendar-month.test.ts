import { describe, expect, it } from 'vitest';
import { calendarDate } from './calendar-date';
import { calendarMonth } from './calendar-month';

/**
 * The month and date schemas accept the same range (1900-01-01..9998-12-31, dates.ts): a month
 * the API takes is always one whose days it takes, and year 0000 (or a fifth digit) is neither.
 */
describe('calendarMonth', () => {
  const month = calendarMonth();

  it('takes YYYY-MM from 1900-01 to 9998-12', () => {
    for (const m of ['1900-01', '2026-11', '9998-12']) expect(month.parse(m)).toBe(m);
  });

  it.each(['0000-01', '0001-01', '1899-12', '9999-01', '9999-12'])('refuses %j as out of range', (text) => {
    const issues = month.safeParse(text).error?.issues ?? [];
    expect(issues.map((i) => i.message)).toEqual(['Must be between 1900-01 and 9998-12']);
  });

  it.each(['2026-13', '2026-00', '2026-1', '10000-01', '-0001-01', '+2026-01', '2026-11-01', '202611', ''])('refuses %j as not a month, once', (text) => {
    const issues = month.safeParse(text).error?.issues ?? [];
    expect(issues.map((i) => i.message)).toEqual(['Must be a month as YYYY-MM']);
  });
});

describe('calendarDate', () => {
  it.each(['0000-01-01', '0001-01-01', '1899-12-31', '9999-01-01'])('refuses %j as out of range', (text) => {
    expect(calendarDate().safeParse(text).error?.issues.map((i) => i.message)).toEqual(['Must be between 1900-01-01 and 9998-12-31']);
  });

  it.each(['10000-01-01', '-0001-01-01', '0000-00-00'])('refuses %j as not a date', (text) => {
    expect(calendarDate().safeParse(text).error?.issues.map((i) => i.message)).toEqual(['Must be a real calendar date YYYY-MM-DD']);
  });
});
