import { describe, expect, it } from 'vitest';
import { dayByDay, daysAreExact } from './daily-spending';

describe('dayByDay', () => {
  it('lists every day of the range with its spending (0 when none) and the running sum', () => {
    const days = dayByDay(
      [
        { date: '2026-02-27', total: 100 },
        { date: '2026-03-01', total: 250 },
        { date: '2026-03-03', total: 5 }, // outside the range
      ],
      '2026-02-27',
      '2026-03-02',
    );
    expect(days).toEqual([
      { date: '2026-02-27', spent: 100, cumulative: 100 },
      { date: '2026-02-28', spent: 0, cumulative: 100 },
      { date: '2026-03-01', spent: 250, cumulative: 350 },
      { date: '2026-03-02', spent: 0, cumulative: 350 },
    ]);
  });

  it('is empty when the range ends before it starts', () => {
    expect(dayByDay([{ date: '2026-03-01', total: 1 }], '2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('tells running sums past 2^53 - 1', () => {
    const big = Number.MAX_SAFE_INTEGER - 10;
    expect(daysAreExact(dayByDay([{ date: '2026-01-01', total: big }, { date: '2026-01-02', total: 10 }], '2026-01-01', '2026-01-02'))).toBe(true);
    expect(daysAreExact(dayByDay([{ date: '2026-01-01', total: big }, { date: '2026-01-02', total: 11 }], '2026-01-01', '2026-01-02'))).toBe(false);
  });

  it("tells a day's own spending past 2^53 - 1 (summed over the totals shards, already rounded), even when refunds before it keep every running sum exact", () => {
    // Refunds of 2^53 - 3 on the 1st, then 2^53 + 1 spent on the 2nd over the shards, which a
    // double reads as 2^53: the running sums read -(2^53 - 3) and 3 (4 was spent), both safe.
    const days = dayByDay([{ date: '2026-01-01', total: -(2 ** 53 - 3) }, { date: '2026-01-02', total: 2 ** 51 * 4 + 1 }], '2026-01-01', '2026-01-02');
    expect(days.map((d) => Number.isSafeInteger(d.cumulative))).toEqual([true, true]);
    expect(daysAreExact(days)).toBe(false);
  });
});
