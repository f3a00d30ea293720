import { fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { SummarySpendingPort, SpendingTotals } from '../contract';
import type { Budget } from '../model';
import type { AccessService } from './access';
import { SummaryService } from './summary.service';

/** Which spending the summary asks for: at most two bounded ranges, whatever the history. */
function setup(budget: Partial<Budget>, now = '2026-01-22T12:00:00Z') {
  const full: Budget = {
    id: 'b1',
    ownerId: 'u1',
    name: 'Home',
    currency: 'EUR',
    period: 'monthly',
    timezone: 'UTC',
    limit: 1_000,
    categories: [],
    rollover: false,
    alertThresholds: [80, 100],
    version: 1,
    createdAt: '2025-11-10T00:00:00.000Z',
    updatedAt: '2025-11-10T00:00:00.000Z',
    ...budget,
  };
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
