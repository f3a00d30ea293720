import { describe, expect, it } from 'vitest';
import { requestedDayRange } from './date-range-query';

const period = () => ({ start: '2026-11-01', end: '2026-11-30' });
const pathsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    return ((err as { extras?: { errors?: { path: string }[] } }).extras?.errors ?? []).map((e) => e.path);
  }
  throw new Error('no problem was thrown');
};

describe('requestedDayRange', () => {
  it('neither end: the current period, read only then', () => {
    let asked = 0;
    const current = () => (asked++, period());
    expect(requestedDayRange({}, current, 366)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(requestedDayRange({ from: '2026-01-01', to: '2026-01-31' }, current, 366)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(asked).toBe(1);
  });

  it('accepts exactly maxDays days, both ends included, and a one-day range', () => {
    // 2025-01-01..2025-12-31 is 365 days; 2024 (leap) has 366.
    expect(requestedDayRange({ from: '2025-01-01', to: '2025-12-31' }, period, 365)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(requestedDayRange({ from: '2024-01-01', to: '2024-12-31' }, period, 366)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(requestedDayRange({ from: '2026-03-05', to: '2026-03-05' }, period, 1)).toEqual({ from: '2026-03-05', to: '2026-03-05' });
  });

  it('names the missing end, `from` of a reversed range, both ends of a too long one', () => {
    expect(pathsOf(() => requestedDayRange({ from: '2026-01-01' }, period, 366))).toEqual(['query.to']);
    expect(pathsOf(() => requestedDayRange({ to: '2026-01-01' }, period, 366))).toEqual(['query.from']);
    expect(pathsOf(() => requestedDayRange({ from: '2026-01-02', to: '2026-01-01' }, period, 366))).toEqual(['query.from']);
    expect(pathsOf(() => requestedDayRange({ from: '2024-01-01', to: '2024-12-31' }, period, 365))).toEqual(['query.from', 'query.to']);
  });
});
