import { describe, expect, it } from 'vitest';
import { ageAt, ageOfMoneyReport, ageOfMoneyWindow, historyPoints, spendingDayAges } from './age-of-money';

const days = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([d, n]) => [d, BigInt(n)]));

describe('age of money (FIFO, hand-worked)', () => {
  it('salary on the 1st, spending spread over the month: each day its distance to the 1st, weighted by amount', () => {
    const ages = spendingDayAges(days({ '2026-10-01': 300000 }), days({ '2026-10-02': 10000, '2026-10-05': 20000, '2026-10-10': 30000 }));
    expect(ages).toEqual([
      { date: '2026-10-02', spent: 10000n, ageSum: 10000n * 1n },
      { date: '2026-10-05', spent: 20000n, ageSum: 20000n * 4n },
      { date: '2026-10-10', spent: 30000n, ageSum: 30000n * 9n },
    ]);
    // (10000 x 1 + 20000 x 4 + 30000 x 9) / 60000 = 360000 / 60000 = 6.
    expect(ageAt(ages, '2026-10-31')).toEqual({ days: 6, reason: null, spendingDays: 3, from: '2026-10-02', to: '2026-10-10' });
    // On the 5th the 10th's spending is not there yet: (10000 + 80000) / 30000 = 3.
    expect(ageAt(ages, '2026-10-05').days).toBe(3);
    // Spending on the salary's own day is 0 days old.
    expect(spendingDayAges(days({ '2026-10-01': 100 }), days({ '2026-10-01': 40 }))).toEqual([{ date: '2026-10-01', spent: 40n, ageSum: 0n }]);
  });

  it('first in, first out: a day spends the rest of the older salary before the newer one', () => {
    const ages = spendingDayAges(days({ '2026-10-01': 1000, '2026-11-01': 1000 }), days({ '2026-10-15': 600, '2026-11-05': 800 }));
    // Oct 15: 600 of Oct 1's, 14 days. Nov 5: units 601..1400: 400 of Oct 1's (35 days), 400 of Nov 1's (4 days).
    expect(ages.map((a) => a.ageSum)).toEqual([600n * 14n, 400n * 35n + 400n * 4n]);
    // Nov 5 alone would be 15600 / 800 = 19.5; both days: 24000 / 1400 = 17.14 -> 17.
    expect(ageAt(ages, '2026-11-30').days).toBe(17);
    expect(ageAt(ages.slice(1), '2026-11-30').days).toBe(20);
  });

  it('a refund lowers spending: the money it brings back is spent again first; its day is no spending day', () => {
    const ages = spendingDayAges(days({ '2026-10-01': 1000 }), days({ '2026-10-03': 500, '2026-10-04': -200, '2026-10-06': 300 }));
    // S: 500, 300, 600. Oct 6 spends units 301..600, all of Oct 1: 5 days.
    expect(ages).toEqual([
      { date: '2026-10-03', spent: 500n, ageSum: 1000n },
      { date: '2026-10-06', spent: 300n, ageSum: 1500n },
    ]);
    // (1000 + 1500) / 800 = 3.125 -> 3.
    expect(ageAt(ages, '2026-10-06')).toMatchObject({ days: 3, spendingDays: 2 });
    // A refund beyond everything spent in the window puts nothing in front of the queue.
    expect(spendingDayAges(days({ '2026-10-01': 1000 }), days({ '2026-10-02': -700, '2026-10-03': 100 }))).toEqual([{ date: '2026-10-03', spent: 100n, ageSum: 200n }]);
  });

  it('null when spending outran the income recorded up to that day: a month with no income', () => {
    const ages = spendingDayAges(days({ '2026-10-01': 1000 }), days({ '2026-10-10': 800, '2026-11-10': 300 }));
    expect(ages.map((a) => a.ageSum)).toEqual([800n * 9n, null]);
    expect(ageAt(ages, '2026-10-31')).toMatchObject({ days: 9, reason: null });
    expect(ageAt(ages, '2026-11-30')).toEqual({ days: null, reason: 'not-enough-income', spendingDays: 2, from: '2026-10-10', to: '2026-11-10' });
    // Income received after the spending never pays for it.
    expect(spendingDayAges(days({ '2026-10-05': 1000 }), days({ '2026-10-04': 10 }))[0]!.ageSum).toBeNull();
    expect(ageAt([], '2026-11-30')).toEqual({ days: null, reason: 'no-spending', spendingDays: 0, from: null, to: null });
  });

  it('averages the last 10 spending days only; half up', () => {
    const spending: Record<string, number> = {};
    for (let d = 1; d <= 12; d++) spending[`2026-10-${String(d + 1).padStart(2, '0')}`] = 100;
    const ages = spendingDayAges(days({ '2026-10-01': 10000 }), days(spending));
    // Oct 4..13: ages 3..12, mean 7.5 -> 8 (Oct 2 and 3 left out: with them 6.5 -> 7 over 12).
    expect(ageAt(ages, '2026-10-31')).toEqual({ days: 8, reason: null, spendingDays: 10, from: '2026-10-04', to: '2026-10-13' });
    // Days without a receipt (Oct 2 and 3, before the income of Oct 4) no longer among the last 10 do not count.
    const late = spendingDayAges(days({ '2026-10-04': 10000 }), days(spending));
    expect(late.slice(0, 3).map((a) => a.ageSum)).toEqual([null, null, 0n]);
    expect(ageAt(late, '2026-10-31').days).not.toBeNull();
    expect(ageAt(late, '2026-10-12').days).toBeNull();
  });

});

describe('age of money: the window', () => {
  it('is 24 calendar months up to the date; the history its 12 month ends', () => {
    expect(ageOfMoneyWindow('2026-11-24')).toEqual({ from: '2024-12-01', to: '2026-11-24' });
    const points = historyPoints('2026-11-24');
    expect(points).toHaveLength(12);
    expect(points[0]).toEqual({ month: '2025-12', asOf: '2025-12-31' });
    expect(points[2]).toEqual({ month: '2026-02', asOf: '2026-02-28' });
    expect(points.at(-1)).toEqual({ month: '2026-11', asOf: '2026-11-24' });
  });

});

describe('age of money: the window, its lead-in, the report', () => {
  it('the lead-in: spending the window income does not cover is paid with older money, then counted from the queue', () => {
    // Salary on the 28th; the window starts on the 1st: Oct 2 spends older money (not read).
    const income = days({ '2024-12-28': 1000, '2025-01-28': 1000 });
    const spending = days({ '2024-12-02': 900, '2024-12-30': 100, '2025-01-30': 1000 });
    expect(spendingDayAges(income, spending)[0]!.ageSum).toBeNull();
    // With a lead-in to 2025-01-01: Dec 2's 900 take no unit; Dec 30 spends units 1..100 (2 days old);
    // Jan 30 units 101..1100: 900 of Dec 28 (33 days), 100 of Jan 28 (2 days).
    expect(spendingDayAges(income, spending, '2025-01-01')).toEqual([
      { date: '2024-12-30', spent: 100n, ageSum: 200n },
      { date: '2025-01-30', spent: 1000n, ageSum: 900n * 33n + 100n * 2n },
    ]);
    // After the lead-in a shortfall is one: Jan 30 spending 1,100 more than all income.
    expect(spendingDayAges(income, days({ '2024-12-02': 900, '2025-01-30': 2100 }), '2025-01-01')[0]!.ageSum).toBeNull();
  });

  it('the report: history at month ends, the lead-in the window\'s first 12 months', () => {
    const report = ageOfMoneyReport('2026-11-24', '2024-12-01', days({ '2024-12-28': 5000, '2026-11-01': 1000 }), days({ '2024-12-02': 50, '2026-11-03': 1000, '2023-01-01': 7 }));
    expect(report).toMatchObject({ date: '2026-11-24', window: { from: '2024-12-01', to: '2026-11-24', leadInTo: '2025-11-30' }, basedOn: { spendingDays: 1 } });
    // Nov 3 spends units 1..1000, all of Dec 28 2024's (the lead-in's Dec 2 paid with older money): 675 days.
    expect(report.days).toBe(675);
    expect(report.history.at(-1)).toEqual({ month: '2026-11', asOf: '2026-11-24', days: 675, reason: null });
    // Each null month says why, as `days` does: by October 31 the only spending was the lead-in's Dec 2 2024,
    // paid with older money (no spending day), so no spending.
    expect(report.history.at(-2)).toEqual({ month: '2026-10', asOf: '2026-10-31', days: null, reason: 'no-spending' });
    // Not enough income: October 20 spends units 51..550 of 100 received.
    const short = ageOfMoneyReport('2026-11-24', '2024-12-01', days({ '2026-10-01': 100 }), days({ '2026-10-02': 50, '2026-10-20': 500 }));
    expect(short.history.at(-2)).toEqual({ month: '2026-10', asOf: '2026-10-31', days: null, reason: 'not-enough-income' });
    expect(short.history.at(-3)).toEqual({ month: '2026-09', asOf: '2026-09-30', days: null, reason: 'no-spending' });
    expect(short.history.at(-1)).toEqual({ month: '2026-11', asOf: '2026-11-24', days: null, reason: 'not-enough-income' });
  });
});
