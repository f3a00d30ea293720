import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paceDays, paceOf, withPace, type PaceDays } from './pace-math';
import type { BudgetSummary } from './summary-math';

/** Every expectation below is worked out by hand in the comment next to it, never by the code under test. */
const MAX = Number.MAX_SAFE_INTEGER; // 9007199254740991
const NOVEMBER = { start: '2026-11-01', end: '2026-11-30' }; // 30 days

describe('paceDays', () => {
  it('counts the pace day as elapsed and as left: first day, last day', () => {
    expect(paceDays(NOVEMBER, '2026-11-01', '2026-11-01')).toEqual({ daysInPeriod: 30, daysElapsed: 1, daysLeft: 30 });
    expect(paceDays(NOVEMBER, '2026-11-30', '2026-11-30')).toEqual({ daysInPeriod: 30, daysElapsed: 30, daysLeft: 1 });
    expect(paceDays(NOVEMBER, '2026-11-24', '2026-11-24')).toEqual({ daysInPeriod: 30, daysElapsed: 24, daysLeft: 7 });
  });

  it('judges a period that ended before today as a whole, whatever day of it was asked; its last day is not ended yet', () => {
    expect(paceDays(NOVEMBER, '2026-11-10', '2026-12-01')).toEqual({ daysInPeriod: 30, daysElapsed: 30, daysLeft: 0 });
    expect(paceDays(NOVEMBER, '2026-11-01', '2030-06-15')).toEqual({ daysInPeriod: 30, daysElapsed: 30, daysLeft: 0 });
    // Today is the period's last day: still current, the asked day is the pace day.
    expect(paceDays(NOVEMBER, '2026-11-10', '2026-11-30')).toEqual({ daysInPeriod: 30, daysElapsed: 10, daysLeft: 21 });
  });

  it('paces a future period on the asked day', () => {
    // Today is in October; 5 December: 5 elapsed (1..5), 27 left (5..31).
    expect(paceDays({ start: '2026-12-01', end: '2026-12-31' }, '2026-12-05', '2026-10-20')).toEqual({ daysInPeriod: 31, daysElapsed: 5, daysLeft: 27 });
  });

  it('a weekly period across two months: Monday 30 Nov .. Sunday 6 Dec 2026', () => {
    const week = { start: '2026-11-30', end: '2026-12-06' };
    // Wednesday 2 Dec: Mon, Tue, Wed elapsed; Wed..Sun left.
    expect(paceDays(week, '2026-12-02', '2026-12-02')).toEqual({ daysInPeriod: 7, daysElapsed: 3, daysLeft: 5 });
    expect(paceDays(week, '2026-12-06', '2026-12-06')).toEqual({ daysInPeriod: 7, daysElapsed: 7, daysLeft: 1 });
    expect(paceDays(week, '2026-12-01', '2026-12-07')).toEqual({ daysInPeriod: 7, daysElapsed: 7, daysLeft: 0 });
  });

  it('yearly: a leap year has 366 days, 29 February is day 60; a common year 365', () => {
    const leap = { start: '2028-01-01', end: '2028-12-31' };
    // 31 (January) + 29 = 60 elapsed; 366 - 60 + 1 = 307 left.
    expect(paceDays(leap, '2028-02-29', '2028-02-29')).toEqual({ daysInPeriod: 366, daysElapsed: 60, daysLeft: 307 });
    expect(paceDays(leap, '2028-12-31', '2028-12-31')).toEqual({ daysInPeriod: 366, daysElapsed: 366, daysLeft: 1 });
    // 2027: 1 March is day 31 + 28 + 1 = 60 too, of 365: 306 left.
    expect(paceDays({ start: '2027-01-01', end: '2027-12-31' }, '2027-03-01', '2027-03-01')).toEqual({ daysInPeriod: 365, daysElapsed: 60, daysLeft: 306 });
  });

  it('a month with a DST change (Berlin: 29 March 2026 has 23 hours) still counts whole days', () => {
    const march = { start: '2026-03-01', end: '2026-03-31' };
    expect(paceDays(march, '2026-03-29', '2026-03-29')).toEqual({ daysInPeriod: 31, daysElapsed: 29, daysLeft: 3 });
    expect(paceDays(march, '2026-03-30', '2026-03-30')).toEqual({ daysInPeriod: 31, daysElapsed: 30, daysLeft: 2 });
    const october = { start: '2026-10-01', end: '2026-10-31' }; // 25 October has 25 hours
    expect(paceDays(october, '2026-10-26', '2026-10-26')).toEqual({ daysInPeriod: 31, daysElapsed: 26, daysLeft: 6 });
  });
});

const days = (daysInPeriod: number, daysElapsed: number, daysLeft: number): PaceDays => ({ daysInPeriod, daysElapsed, daysLeft });

describe('paceOf: the days', () => {
  it('first day: 1/30 of 300.00 expected, the tolerance is 5% of available (15.00), inclusive', () => {
    const first = days(30, 1, 30);
    // expected 30,000 / 30 = 1,000; nothing spent: 1,000 behind <= 1,500: on track; 30,000 / 30 a day.
    expect(paceOf(first, 30_000, 0)).toEqual({ daysInPeriod: 30, daysElapsed: 1, daysLeft: 30, expectedSpent: 1_000, status: 'on-track', dailyAllowance: 1_000 });
    // 2,500 spent: 1,500 ahead, exactly the tolerance: on track; 27,500 / 30 = 916.67 -> 916.
    expect(paceOf(first, 30_000, 2_500)).toMatchObject({ status: 'on-track', dailyAllowance: 916 });
    // 2,501: 1,501 ahead: over; 27,499 / 30 = 916.63 -> 916.
    expect(paceOf(first, 30_000, 2_501)).toMatchObject({ status: 'over', dailyAllowance: 916 });
  });

  it('last day: everything expected, what is left is the one day\'s allowance', () => {
    const last = days(30, 30, 1);
    // 3,000 behind 30,000 > 1,500: under; 3,000 left for 1 day.
    expect(paceOf(last, 30_000, 27_000)).toEqual({ daysInPeriod: 30, daysElapsed: 30, daysLeft: 1, expectedSpent: 30_000, status: 'under', dailyAllowance: 3_000 });
    // 1,500 behind: on track.
    expect(paceOf(last, 30_000, 28_500)).toMatchObject({ status: 'on-track', dailyAllowance: 1_500 });
    // 1,501 behind: under.
    expect(paceOf(last, 30_000, 28_499)).toMatchObject({ status: 'under', dailyAllowance: 1_501 });
    // Spent all of it: on track, nothing left a day.
    expect(paceOf(last, 30_000, 30_000)).toMatchObject({ status: 'on-track', dailyAllowance: 0 });
  });

  it('over when spent passes available, whatever the day; nothing a day then', () => {
    // Day 1 of 30: 1,000 expected, 30,001 > 30,000.
    expect(paceOf(days(30, 1, 30), 30_000, 30_001)).toMatchObject({ expectedSpent: 1_000, status: 'over', dailyAllowance: 0 });
    // A tolerance larger than the gap cannot make it on track: available 100, last day, 101 spent.
    expect(paceOf(days(30, 30, 1), 100, 101)).toMatchObject({ status: 'over', dailyAllowance: 0 });
  });

  it('an ended period: everything elapsed, no day left, status from the final spent', () => {
    const ended = days(30, 30, 0);
    // 10,000 of 30,000: far under; no allowance though 20,000 is left.
    expect(paceOf(ended, 30_000, 10_000)).toEqual({ daysInPeriod: 30, daysElapsed: 30, daysLeft: 0, expectedSpent: 30_000, status: 'under', dailyAllowance: 0 });
    expect(paceOf(ended, 30_000, 29_000)).toMatchObject({ status: 'on-track', dailyAllowance: 0 });
    expect(paceOf(ended, 30_000, 31_000)).toMatchObject({ status: 'over', dailyAllowance: 0 });
  });

});

describe('paceOf: rounding, rollover, huge amounts', () => {
  it('rounds expectedSpent down and compares status with the exact expected amount', () => {
    // Weekly, Wednesday: 7,001 x 3 / 7 = 3,000.43 -> 3,000; 3,001 spent is 0.57 ahead: on track;
    // 4,000 left / 5 days = 800.
    expect(paceOf(days(7, 3, 5), 7_001, 3_001)).toEqual({ daysInPeriod: 7, daysElapsed: 3, daysLeft: 5, expectedSpent: 3_000, status: 'on-track', dailyAllowance: 800 });
    // 7,000 x 3 / 7 = 3,000; 2,000 spent is 1,000 behind > 350: under; 5,000 / 5 = 1,000.
    expect(paceOf(days(7, 3, 5), 7_000, 2_000)).toMatchObject({ expectedSpent: 3_000, status: 'under', dailyAllowance: 1_000 });
    // 100 over 7 days, day 3: exact expected 42.857, rounded 42; tolerance 5. 37 spent is 5.857
    // behind the exact amount: under (against the rounded 42 it would be 5 behind: on track).
    expect(paceOf(days(7, 3, 5), 100, 37)).toMatchObject({ expectedSpent: 42, status: 'under' });
    // 38 is 4.857 behind: on track; 48 is 5.143 ahead: over; 47 is 4.143 ahead: on track.
    expect(paceOf(days(7, 3, 5), 100, 38)).toMatchObject({ status: 'on-track' });
    expect(paceOf(days(7, 3, 5), 100, 48)).toMatchObject({ status: 'over' });
    expect(paceOf(days(7, 3, 5), 100, 47)).toMatchObject({ status: 'on-track' });
  });

  it('leap year: 366,000 a year, day 60 of 366', () => {
    // 366,000 x 60 / 366 = 60,000 exactly: on track; 306,000 left / 307 days = 996.74 -> 996 (307 x 997 = 306,079 > 306,000).
    expect(paceOf(days(366, 60, 307), 366_000, 60_000)).toEqual({ daysInPeriod: 366, daysElapsed: 60, daysLeft: 307, expectedSpent: 60_000, status: 'on-track', dailyAllowance: 996 });
  });

  it('zero and negative remaining after a rollover overspend', () => {
    // Carried -3,000 onto a 5,000 limit: available 2,000, all spent by day 24 of 30: expected 1,600,
    // 400 ahead > 100: over (ahead of time, not past available); nothing left a day.
    expect(paceOf(days(30, 24, 7), 2_000, 2_000)).toEqual({ daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 1_600, status: 'over', dailyAllowance: 0 });
    // Available -3,000 (carried -8,000 onto 5,000): nothing is expected, anything (even 0) is over.
    expect(paceOf(days(30, 24, 7), -3_000, 0)).toEqual({ daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 0, status: 'over', dailyAllowance: 0 });
    expect(paceOf(days(30, 24, 7), -3_000, 500)).toMatchObject({ expectedSpent: 0, status: 'over', dailyAllowance: 0 });
    // A refund (spent -500) does not lift an overspent available above 0: remaining -2,500, nothing to spend a day.
    expect(paceOf(days(30, 24, 7), -3_000, -500)).toMatchObject({ expectedSpent: 0, status: 'over', dailyAllowance: 0 });
    // Refunds beyond it do: remaining 700, 100 a day.
    expect(paceOf(days(30, 24, 7), -3_000, -3_700)).toMatchObject({ status: 'under', dailyAllowance: 100 });
    // Available 0 and nothing spent: on track, nothing to spend.
    expect(paceOf(days(30, 24, 7), 0, 0)).toMatchObject({ expectedSpent: 0, status: 'on-track', dailyAllowance: 0 });
  });

  it('huge amounts stay exact (a float product would be off by one)', () => {
    // (2^53 - 1) x 33 / 366 = 812,124,522,968,450.4 -> ...450 (in doubles: ...449).
    expect(paceOf(days(366, 33, 334), MAX, 0)).toMatchObject({ expectedSpent: 812_124_522_968_450, status: 'under' });
    // (2^53 - 1) x 16 / 30 = 4,803,839,602,528,528.5 -> ...528 (in doubles: ...529).
    expect(paceOf(days(30, 16, 15), MAX, 0)).toMatchObject({ expectedSpent: 4_803_839_602_528_528 });
    // (2^53 - 1) / 2 = 4,503,599,627,370,495.5 -> ...495; everything expected on the last day.
    expect(paceOf(days(366, 365, 2), MAX, 0)).toMatchObject({ dailyAllowance: 4_503_599_627_370_495 });
    expect(paceOf(days(30, 30, 1), MAX, MAX - 1)).toEqual({ daysInPeriod: 30, daysElapsed: 30, daysLeft: 1, expectedSpent: MAX, status: 'on-track', dailyAllowance: 1 });
    // 2e15 available, day 15 of 30: expected 1e15, tolerance 1e14: 1.1e15 is on track, one more unit over.
    expect(paceOf(days(30, 15, 16), 2_000_000_000_000_000, 1_100_000_000_000_000)).toMatchObject({ expectedSpent: 1_000_000_000_000_000, status: 'on-track' });
    expect(paceOf(days(30, 15, 16), 2_000_000_000_000_000, 1_100_000_000_000_001)).toMatchObject({ status: 'over' });
  });
});

describe('withPace', () => {
  it("paces the budget on available (rollover included) and each limited category on its own limit; null without a limit", () => {
    const summary: BudgetSummary = {
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      limit: 100_000,
      carriedOver: -10_000,
      available: 90_000,
      spent: 64_500,
      remaining: 25_500,
      categories: [
        { categoryId: 'g', name: 'Groceries', limit: 40_000, group: null, spent: 42_000, remaining: -2_000 },
        { categoryId: 't', name: 'Transport', limit: null, group: null, spent: 20_000, remaining: null },
      ],
      groups: [],
      uncategorizedSpent: 2_500,
      thresholdsCrossed: [],
    };
    const paced = withPace(summary, { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7 });
    // 90,000 x 24 / 30 = 72,000; 64,500 is 7,500 behind > 4,500: under; 25,500 / 7 = 3,642.86 -> 3,642.
    expect(paced.pace).toEqual({ daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 72_000, status: 'under', dailyAllowance: 3_642 });
    // 40,000 x 24 / 30 = 32,000; 42,000 > 40,000: over, nothing left.
    expect(paced.categories[0]!.pace).toEqual({ daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 32_000, status: 'over', dailyAllowance: 0 });
    expect(paced.categories[1]!.pace).toBeNull();
    expect(paced).toMatchObject({ ...summary, categories: [summary.categories[0], summary.categories[1]] });
  });
});

describe('paceOf properties', () => {
  // A period's length and a pace day in it; or ended (everything elapsed, nothing left).
  const paceDaysArb = fc
    .record({ daysInPeriod: fc.constantFrom(7, 28, 29, 30, 31, 365, 366), at: fc.double({ min: 0, max: 1, noNaN: true }), ended: fc.boolean() })
    .map(({ daysInPeriod, at, ended }): PaceDays => {
      if (ended) return { daysInPeriod, daysElapsed: daysInPeriod, daysLeft: 0 };
      const daysElapsed = Math.min(daysInPeriod, 1 + Math.floor(at * daysInPeriod));
      return { daysInPeriod, daysElapsed, daysLeft: daysInPeriod - daysElapsed + 1 };
    });
  // As the summary guarantees: available and available - spent exact (spent below 0 when refunds outweigh it).
  const moneyArb = fc
    .record({ available: fc.integer({ min: -MAX, max: MAX }), spent: fc.integer({ min: -MAX, max: MAX }) })
    .filter(({ available, spent }) => Number.isSafeInteger(available - spent) && BigInt(available) - BigInt(spent) >= BigInt(-MAX));

  it('dailyAllowance x daysLeft <= max(0, remaining), and one unit more a day would pass it', () => {
    fc.assert(
      fc.property(paceDaysArb, moneyArb, (days, { available, spent }) => {
        const { dailyAllowance } = paceOf(days, available, spent);
        const left = BigInt(Math.max(0, available - spent));
        expect(Number.isSafeInteger(dailyAllowance) && dailyAllowance >= 0).toBe(true);
        expect(BigInt(dailyAllowance) * BigInt(days.daysLeft) <= left).toBe(true);
        if (days.daysLeft > 0) expect(BigInt(dailyAllowance + 1) * BigInt(days.daysLeft) > left).toBe(true);
        else expect(dailyAllowance).toBe(0);
      }),
    );
  });

  it('expectedSpent is monotone in daysElapsed, from at most a day\'s share to all of max(0, available)', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 30, 31, 365, 366), moneyArb, fc.nat(), fc.nat(), (daysInPeriod, { available, spent }, x, y) => {
        const [e1, e2] = [1 + (x % daysInPeriod), 1 + (y % daysInPeriod)].sort((a, b) => a - b) as [number, number];
        const at = (e: number) => paceOf({ daysInPeriod, daysElapsed: e, daysLeft: daysInPeriod - e + 1 }, available, spent).expectedSpent;
        expect(at(e1)).toBeLessThanOrEqual(at(e2));
        expect(at(daysInPeriod)).toBe(Math.max(0, available));
        expect(at(e1)).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(at(e1))).toBe(true);
      }),
    );
  });

  it('over whenever spent passes available; an ended period within available is under exactly below 95% of it', () => {
    fc.assert(
      fc.property(paceDaysArb, moneyArb, (days, { available, spent }) => {
        const { status } = paceOf(days, available, spent);
        if (spent > available) expect(status).toBe('over');
        if (days.daysLeft === 0 && spent <= available) {
          // Ended: expected = available; under exactly when spent < 95% of it.
          expect(status).toBe(BigInt(spent) * 100n < BigInt(available) * 95n ? 'under' : 'on-track');
        }
      }),
    );
  });
});
