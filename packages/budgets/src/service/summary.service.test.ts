import { fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { SummarySpendingPort, SpendingTotals } from '../contract';
import type { Budget } from '../model';
import { testBudget } from '../domain/test-budget';
import type { AccessService } from './access';
import { SummaryService } from './summary.service';

/** Which spending the summary asks for: at most two bounded ranges, whatever the history. */
function setup(budget: Partial<Budget>, now = '2026-01-22T12:00:00Z') {
  // Created 2025-11-10: the rollover ranges below start there.
  const full: Budget = testBudget({ limit: 1_000, createdAt: '2025-11-10T00:00:00.000Z', updatedAt: '2025-11-10T00:00:00.000Z', ...budget });
  const calls: [string, string][] = [];
  const spending: SummarySpendingPort = {
    async totalsBetween(_id, from, to): Promise<SpendingTotals> {
      calls.push([from, to]);
      // 10 per day in range, so the carried amount depends on the exact range asked for.
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      return { total: 10 * days, byCategory: {}, uncategorized: 10 * days };
    },
  };
  const access = { require: async () => ({ budget: full, role: 'viewer' as const }) } as unknown as AccessService;
  return { service: new SummaryService(access, spending, fixedClock(now)), calls };
}

describe('SummaryService', () => {
  it('without rollover reads only the period itself', async () => {
    const { service, calls } = setup({});
    const s = await service.summary('b1', 'u1');
    expect(calls).toEqual([['2026-01-01', '2026-01-31']]);
    expect(s).toMatchObject({ spent: 310, carriedOver: 0, remaining: 690 });
  });

  it('with rollover also reads everything from the creation period to the day before', async () => {
    const { service, calls } = setup({ rollover: true });
    const s = await service.summary('b1', 'u1', '2026-01-15');
    expect(calls).toEqual([
      ['2026-01-01', '2026-01-31'],
      ['2025-11-01', '2025-12-31'],
    ]);
    // Two earlier periods (Nov, Dec) of 1,000, minus 61 days * 10.
    expect(s.carriedOver).toBe(2_000 - 610);
  });

  it('reads nothing earlier in the creation period itself', async () => {
    const { service, calls } = setup({ rollover: true }, '2025-11-20T00:00:00Z');
    const s = await service.summary('b1', 'u1');
    expect(calls).toEqual([['2025-11-01', '2025-11-30']]);
    expect(s.carriedOver).toBe(0);
  });

  it('uses ISO weeks and the time zone of the budget for the creation period', async () => {
    // Created Sunday 2026-01-04 23:30 UTC = Monday 2026-01-05 in Berlin: the first week starts 01-05.
    const { service, calls } = setup(
      { period: 'weekly', timezone: 'Europe/Berlin', rollover: true, createdAt: '2026-01-04T23:30:00.000Z' },
      '2026-01-22T23:30:00Z', // Friday 23rd already in Berlin
    );
    const s = await service.summary('b1', 'u1');
    expect(calls).toEqual([
      ['2026-01-19', '2026-01-25'],
      ['2026-01-05', '2026-01-18'],
    ]);
    expect(s.carriedOver).toBe(2 * 1_000 - 140);
  });
});

/**
 * The pace's days come from "today" in the budget's time zone, taken as the summary already
 * takes it. The fake spending above is 10 a day of the range read: a whole month of March, 310.
 */
describe('SummaryService pace', () => {
  const berlin = { timezone: 'Europe/Berlin', createdAt: '2026-01-01T00:00:00.000Z' };

  it("Berlin's spring DST night: 21:59 UTC on 29 March is still the 29th there, 22:30 UTC already the 30th", async () => {
    // 23:59 CEST on the 29th: 29 elapsed, 3 left; 1,000 x 29 / 31 = 935.48 -> 935; 690 / 3 = 230.
    const before = await setup(berlin, '2026-03-29T21:59:00Z').service.summary('b1', 'u1');
    expect(before.pace).toEqual({ daysInPeriod: 31, daysElapsed: 29, daysLeft: 3, expectedSpent: 935, status: 'under', dailyAllowance: 230 });
    // 00:30 CEST on the 30th: 30 elapsed, 2 left; 1,000 x 30 / 31 = 967.74 -> 967; 690 / 2 = 345.
    const after = await setup(berlin, '2026-03-29T22:30:00Z').service.summary('b1', 'u1');
    expect(after.pace).toEqual({ daysInPeriod: 31, daysElapsed: 30, daysLeft: 2, expectedSpent: 967, status: 'under', dailyAllowance: 345 });
  });

  it("Berlin's autumn DST night: 22:30 UTC on 25 October is 23:30 CET, 23:30 UTC the 26th", async () => {
    expect((await setup(berlin, '2026-10-25T22:30:00Z').service.summary('b1', 'u1')).pace).toMatchObject({ daysElapsed: 25, daysLeft: 7 });
    expect((await setup(berlin, '2026-10-25T23:30:00Z').service.summary('b1', 'u1')).pace).toMatchObject({ daysElapsed: 26, daysLeft: 6 });
  });

  it('a date of a period that ended before today: judged as a whole; of the current or a future period: paced on that date', async () => {
    const { service } = setup(berlin, '2026-03-31T22:30:00Z'); // 00:30 on 1 April in Berlin: March has ended
    // March: 310 of 1,000, everything elapsed: under, nothing a day.
    expect((await service.summary('b1', 'u1', '2026-03-15')).pace).toEqual({ daysInPeriod: 31, daysElapsed: 31, daysLeft: 0, expectedSpent: 1_000, status: 'under', dailyAllowance: 0 });
    // April (300 read): 1 April, the first day: 1,000 / 30 = 33.33 -> 33, 300 spent is far ahead: over; 700 / 30 = 23.33 -> 23.
    expect((await service.summary('b1', 'u1')).pace).toEqual({ daysInPeriod: 30, daysElapsed: 1, daysLeft: 30, expectedSpent: 33, status: 'over', dailyAllowance: 23 });
    // May 20 (310 read): 20 elapsed, 12 left; 1,000 x 20 / 31 = 645.16 -> 645; 690 / 12 = 57.5 -> 57.
    expect((await service.summary('b1', 'u1', '2026-05-20')).pace).toEqual({ daysInPeriod: 31, daysElapsed: 20, daysLeft: 12, expectedSpent: 645, status: 'under', dailyAllowance: 57 });
  });

  it('with rollover, paces the available amount, not the limit', async () => {
    // Created in January; 1 March: January and February carry 2,000 - 590 = 1,410, available 2,410.
    // 2,410 x 1 / 31 = 77.74 -> 77; March's 310 read is 232.26 ahead > 120.5: over; 2,100 / 31 = 67.74 -> 67.
    const { service } = setup({ ...berlin, rollover: true }, '2026-03-01T10:00:00Z');
    const s = await service.summary('b1', 'u1');
    expect(s.available).toBe(2_410);
    expect(s.pace).toEqual({ daysInPeriod: 31, daysElapsed: 1, daysLeft: 31, expectedSpent: 77, status: 'over', dailyAllowance: 67 });
  });
});
