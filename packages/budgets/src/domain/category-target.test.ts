import { describe, expect, it } from 'vitest';
import type { Budget } from '../model';
import { isExact, limitReaching, targetFigures } from './category-target';
import { forecastOf } from './forecast-math';
import { summarize } from './summary-math';
import { testBudget } from './test-budget';

/**
 * Every expectation below is worked out by hand from the rules in category-target.ts:
 * periodsLeft = periods from this one through the one containing `by` (0 once passed);
 * funded when remaining >= amount; on-track when remaining + limit x (periodsLeft - 1) >=
 * amount; neededPerPeriod = ceil((amount - (remaining - limit)) / periodsLeft), 0 when funded,
 * the shortfall once `by` has passed.
 */
const JAN_2027 = { start: '2027-01-01', end: '2027-01-31' };

describe('targetFigures', () => {
  it.each([
    // label, amount, by, limit, remaining -> periodsLeft, neededPerPeriod, status
    ['first month, nothing spent: exactly on track', 120_000, '2027-06-30', 20_000, 20_000, 6, 20_000, 'on-track'],
    ['5,000 spent this month: 115,000 by June, behind; 125,000 / 6 = 20,833.33 -> 20,834', 120_000, '2027-06-30', 20_000, 15_000, 6, 20_834, 'behind'],
    ['set aside more than the amount: funded, nothing needed', 120_000, '2027-06-30', 20_000, 130_000, 6, 0, 'funded'],
    ['set aside exactly the amount: funded', 120_000, '2027-06-30', 20_000, 120_000, 6, 0, 'funded'],
    ['carried 40,000 (60,000 set aside with this month): 60,000 + 5 x 20,000 = 160,000, on track; (120,000 - 40,000) / 6 = 13,333.33 -> 13,334', 120_000, '2027-06-30', 20_000, 60_000, 6, 13_334, 'on-track'],
    ['due this month: one period left, 80,000 short of what this month adds', 120_000, '2027-01-15', 20_000, 60_000, 1, 80_000, 'behind'],
    ['due on the first day of this period: still this period', 50_000, '2027-01-01', 20_000, 50_000, 1, 0, 'funded'],
    ['due on the last day of this period', 50_000, '2027-01-31', 20_000, 40_000, 1, 30_000, 'behind'],
    ['due on the first day of the next period: two left; 40,000 + 20,000 >= 50,000', 50_000, '2027-02-01', 20_000, 40_000, 2, 15_000, 'on-track'],
    ['passed and short: the shortfall at once', 120_000, '2026-12-31', 20_000, 60_000, 0, 60_000, 'behind'],
    ['passed and reached: funded', 120_000, '2026-12-31', 20_000, 150_000, 0, 0, 'funded'],
    ['overspent (-5,000): -5,000 + 2 x 10,000 = 15,000 < 30,000; (30,000 + 15,000) / 3 = 15,000', 30_000, '2027-03-31', 10_000, -5_000, 3, 15_000, 'behind'],
    ['a limit of 0: behind unless funded; 10,000 / 3 -> 3,334', 10_000, '2027-03-31', 0, 0, 3, 3_334, 'behind'],
  ] as const)('%s', (_label, amount, by, limit, remaining, periodsLeft, neededPerPeriod, status) => {
    expect(targetFigures({ amount, by }, 'monthly', JAN_2027, limit, remaining)).toEqual({ amount, by, periodsLeft, neededPerPeriod, status });
  });

  it('weekly: the ISO weeks of 28 Dec, 4, 11 and 18 Jan (by Wednesday 20 Jan) are 4 periods', () => {
    // 3,000 + 3 x 2,000 = 9,000 < 10,000: behind; (10,000 - (3,000 - 2,000)) / 4 = 2,250.
    expect(targetFigures({ amount: 10_000, by: '2027-01-20' }, 'weekly', { start: '2026-12-28', end: '2027-01-03' }, 2_000, 3_000)).toEqual({
      amount: 10_000,
      by: '2027-01-20',
      periodsLeft: 4,
      neededPerPeriod: 2_250,
      status: 'behind',
    });
  });

  it('yearly: 2026 through 2030 is 5 periods; 100,000 + 4 x 100,000 reaches 500,000', () => {
    expect(targetFigures({ amount: 500_000, by: '2030-03-01' }, 'yearly', { start: '2026-01-01', end: '2026-12-31' }, 100_000, 100_000)).toEqual({
      amount: 500_000,
      by: '2030-03-01',
      periodsLeft: 5,
      neededPerPeriod: 100_000,
      status: 'on-track',
    });
  });

  it('a far date and a large limit: limit x periods passes 2^53 and the status is still exact', () => {
    // 1900-01-01 was a Monday; 9998-12-31 is about 422,000 weeks later, x 10^12 > 2^53.
    const f = targetFigures({ amount: 1_000_000_000_000, by: '9998-12-31' }, 'weekly', { start: '1900-01-01', end: '1900-01-07' }, 1_000_000_000_000, 0);
    expect(f.status).toBe('on-track');
    expect(f.periodsLeft).toBeGreaterThan(422_000);
    // ceil(2 x 10^12 / periodsLeft): a few million.
    expect(f.neededPerPeriod).toBe(Math.ceil(2_000_000_000_000 / f.periodsLeft));
    expect(isExact(f)).toBe(true);
  });

  it('isExact is false when remaining is so negative that the amount needed passes 2^53 - 1', () => {
    const f = targetFigures({ amount: 1_000_000_000_000, by: '2027-01-31' }, 'monthly', JAN_2027, 1_000_000_000_000, -Number.MAX_SAFE_INTEGER);
    expect(f.periodsLeft).toBe(1);
    expect(isExact(f)).toBe(false);
  });
});

describe('targetFigures of an undated target ("have a balance of": no `by`)', () => {
  // Rules (category-target.ts): periodsLeft and neededPerPeriod null; funded when remaining >=
  // amount, else on-track when limit > 0, else behind. The object has no `by` key at all.
  it.each([
    ['reached exactly: funded', 500_000, 20_000, 500_000, 'funded'],
    ['more than reached: funded, even with a limit of 0', 500_000, 0, 600_000, 'funded'],
    ['not reached, the limit adds 20,000 a period: on track', 500_000, 20_000, 60_000, 'on-track'],
    ['not reached, a limit of 1: still on track (it moves closer every period)', 500_000, 1, 0, 'on-track'],
    ['not reached, a limit of 0: behind (nothing moves it closer)', 500_000, 0, 499_999, 'behind'],
    ['overspent (-5,000) with a limit: on track', 10_000, 10_000, -5_000, 'on-track'],
    ['overspent (-5,000) with a limit of 0: behind', 10_000, 0, -5_000, 'behind'],
  ] as const)('%s', (_label, amount, limit, remaining, status) => {
    const f = targetFigures({ amount }, 'monthly', JAN_2027, limit, remaining);
    expect(f).toEqual({ amount, periodsLeft: null, neededPerPeriod: null, status });
    expect(Object.keys(f)).toEqual(['amount', 'periodsLeft', 'neededPerPeriod', 'status']);
    expect(isExact(f)).toBe(true);
  });

  it('the period kind and the period do not matter: no date to count periods to', () => {
    for (const kind of ['weekly', 'monthly', 'yearly'] as const) {
      expect(targetFigures({ amount: 100 }, kind, { start: '1900-01-01', end: '1900-01-07' }, 5, 0)).toEqual({ amount: 100, periodsLeft: null, neededPerPeriod: null, status: 'on-track' });
    }
  });

  it('BigInt extremes: remaining near -2^53 and +2^53 against the largest amounts compare exactly', () => {
    const max = Number.MAX_SAFE_INTEGER;
    // 2^53 - 1 >= 2^53 - 1: funded; 2^53 - 2 < 2^53 - 1 (one apart, exact in BigInt): not funded.
    expect(targetFigures({ amount: max }, 'monthly', JAN_2027, 0, max).status).toBe('funded');
    expect(targetFigures({ amount: max }, 'monthly', JAN_2027, 0, max - 1).status).toBe('behind');
    expect(targetFigures({ amount: max }, 'monthly', JAN_2027, max, max - 1).status).toBe('on-track');
    const far = targetFigures({ amount: 1_000_000_000_000 }, 'monthly', JAN_2027, 1_000_000_000_000, -max);
    expect(far).toEqual({ amount: 1_000_000_000_000, periodsLeft: null, neededPerPeriod: null, status: 'on-track' });
    // Unlike a dated target's, nothing is computed that could pass 2^53: always exact.
    expect(isExact(far)).toBe(true);
  });

  it('a dated target with the same numbers keeps its dated shape (`by`, periodsLeft, neededPerPeriod as numbers)', () => {
    const f = targetFigures({ amount: 500_000, by: '2027-06-30' }, 'monthly', JAN_2027, 20_000, 60_000);
    // periodsLeft 6; 60,000 + 5 x 20,000 = 160,000 < 500,000: behind; ceil((500,000 - 40,000) / 6) = 76,667.
    expect(f).toEqual({ amount: 500_000, by: '2027-06-30', periodsLeft: 6, neededPerPeriod: 76_667, status: 'behind' });
    expect(Object.keys(f)).toEqual(['amount', 'by', 'periodsLeft', 'neededPerPeriod', 'status']);
  });
});

describe('the summary lines with a target, and groups with a rollover member (summarize, forecastOf)', () => {
  const b: Budget = testBudget({
    categories: [
      { id: 'food', name: 'Food', limit: 500, group: 'Everyday', rollover: true, rolloverSince: '2026-03-01', target: { amount: 2_000, by: '2026-09-30' } },
      { id: 'fun', name: 'Fun', limit: 300, group: 'Everyday' },
      { id: 'rent', name: 'Rent', limit: 1_000, group: 'Bills' },
    ],
  });
  const june = { start: '2026-06-01', end: '2026-06-30' };
  const s = summarize(b, june, { total: 1_300, byCategory: { food: 100, fun: 200, rent: 1_000 }, uncategorized: 0 }, 0, { food: -150 });

  it('the rollover line carries its target figures', () => {
    // available 500 - 150 = 350, remaining 250. June..September: 4 periods. 250 + 3 x 500 = 1,750 < 2,000:
    // behind; (2,000 - (250 - 500)) / 4 = 562.5 -> 563.
    expect(s.categories[0]).toEqual({
      categoryId: 'food',
      name: 'Food',
      limit: 500,
      group: 'Everyday',
      carriedOver: -150,
      available: 350,
      spent: 100,
      remaining: 250,
      target: { amount: 2_000, by: '2026-09-30', periodsLeft: 4, neededPerPeriod: 563, status: 'behind' },
    });
    expect(s.categories[1]).not.toHaveProperty('target');
  });

  it('a group with a rollover member sums carriedOver, available = limit + carriedOver, remaining of available; others unchanged', () => {
    expect(s.groups).toEqual([
      // limits 500 + 300; carried -150 (Fun carries nothing); available 650; spent 300; remaining 350.
      { name: 'Everyday', categoryIds: ['food', 'fun'], limit: 800, carriedOver: -150, available: 650, spent: 300, remaining: 350 },
      { name: 'Bills', categoryIds: ['rent'], limit: 1_000, spent: 1_000, remaining: 0 },
    ]);
    expect(JSON.stringify(s.groups[1])).toBe('{"name":"Bills","categoryIds":["rent"],"limit":1000,"spent":1000,"remaining":0}');
    // Its first period: the rollover member carries 0, and the group says so (0, not absent).
    const march = summarize(b, { start: '2026-03-01', end: '2026-03-31' }, { total: 0, byCategory: {}, uncategorized: 0 }, 0);
    expect(march.groups[0]).toMatchObject({ carriedOver: 0, available: 800, remaining: 800 });
  });

  it('the forecast keeps the target and projects the group against its available', () => {
    const f = forecastOf(s, { total: 100, byCategory: { fun: 100 }, uncategorized: 0, upcoming: [], upcomingTruncated: false, occurrences: 1 });
    expect(f.categories[0]!.target).toEqual({ amount: 2_000, by: '2026-09-30', periodsLeft: 4, neededPerPeriod: 563, status: 'behind' });
    // Everyday: projected 300 + 100 = 400 against 650 available: 250.
    expect(f.groups[0]).toEqual({
      name: 'Everyday',
      categoryIds: ['food', 'fun'],
      limit: 800,
      carriedOver: -150,
      available: 650,
      spent: 300,
      scheduled: 100,
      projectedSpent: 400,
      projectedRemaining: 250,
    });
    expect(f.groups[1]).toMatchObject({ projectedRemaining: 0 });
    expect(f.groups[1]).not.toHaveProperty('available');
  });
});

describe('limitReaching (the quick budget target basis): the limit per period that reaches the amount from this period on', () => {
  it.each([
    // label, amount, by, limit, remaining -> limit
    ['not funded, not passed: neededPerPeriod itself; (120,000 - 40,000) / 6 -> 13,334', 120_000, '2027-06-30', 20_000, 60_000, 13_334],
    ['funded with this period\'s limit only: 110,000 set aside before it, (120,000 - 110,000) / 6 -> 1,667 (not 0)', 120_000, '2027-06-30', 20_000, 130_000, 1_667],
    ['funded before this period\'s limit: 0', 120_000, '2027-06-30', 20_000, 140_000, 0],
    ['passed and short: the limit that covers it now, 120,000 - 40,000 = 80,000 (not the 60,000 shortfall)', 120_000, '2026-12-31', 20_000, 60_000, 80_000],
    ['passed, 5,000 short (less than the limit): 120,000 - 95,000 = 25,000 (the 5,000 shortfall as the limit would lower it)', 120_000, '2026-12-31', 20_000, 115_000, 25_000],
    ['passed, reached only with this period\'s limit: 120,000 - 100,000 = 20,000 (keeps it)', 120_000, '2026-12-31', 20_000, 120_000, 20_000],
  ])('%s', (_label, amount, by, limit, remaining, expected) => {
    const figures = targetFigures({ amount, by }, 'monthly', JAN_2027, limit, remaining);
    expect(limitReaching(figures, limit, remaining)).toBe(BigInt(expected));
  });
});
