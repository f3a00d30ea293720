import { fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import type { DateRange, SpendingTotals, SummarySpendingPort } from '../contract';
import type { Budget, Category } from '../model';
import type { AccessService } from '../service/access';
import { SummaryService } from '../service/summary.service';
import { categoryCarries } from './category-rollover';
import { summarize } from './summary-math';
import { testBudget } from './test-budget';

/**
 * Category rollover's arithmetic, every expectation worked out by hand: a rollover category
 * carries `limit - spent` of each earlier period from the one containing its rolloverSince,
 * at its limit then (here no limit history: its current one), through the summary's own plan (one totalsOfRanges read).
 */
const budget = testBudget;

const food = (limit: number, rolloverSince: string): Category => ({ id: 'food', name: 'Food', limit, rollover: true, rolloverSince });
const fun: Category = { id: 'fun', name: 'Fun', limit: 300 };

interface Spend {
  on: string;
  categoryId: string | null;
  amount: number;
}

/** A SummaryService over a list of expenses, counting the port's reads and the ranges asked. */
function setup(b: Budget, spends: Spend[]) {
  const reads: DateRange[][] = [];
  const totals = ({ from, to }: DateRange): SpendingTotals => {
    const t: SpendingTotals = { total: 0, byCategory: {}, uncategorized: 0 };
    for (const s of spends) {
      if (s.on < from || s.on > to) continue;
      t.total += s.amount;
      if (s.categoryId === null) t.uncategorized += s.amount;
      else t.byCategory[s.categoryId] = (t.byCategory[s.categoryId] ?? 0) + s.amount;
    }
    return t;
  };
  const spending: SummarySpendingPort = {
    totalsBetween: async () => {
      throw new Error('the summary reads through totalsOfRanges');
    },
    totalsOfRanges: async (_id, ranges) => {
      reads.push(ranges);
      return ranges.map(totals);
    },
  };
  const access = { require: async () => ({ budget: b, role: 'owner' as const }) } as unknown as AccessService;
  const service = new SummaryService(access, spending, fixedClock('2026-06-15T12:00:00Z'));
  return { service, reads, line: async (date: string, id = 'food') => (await service.summary('b1', 'u1', date)).categories.find((c) => c.categoryId === id)! };
}

describe('categoryCarries', () => {
  it('lists only rollover categories with a limit whose carrying starts before the period', () => {
    const b = budget({
      categories: [food(500, '2026-03-01'), fun, { id: 'odd', name: 'Odd', rollover: true, rolloverSince: '2026-01-01' }],
    });
    expect(categoryCarries(b, { start: '2026-06-01', end: '2026-06-30' })).toEqual([{ categoryId: 'food', limit: 500, from: '2026-03-01', previousPeriods: 3, limits: 1500n }]);
    // Its first period, and a period before it: nothing carried.
    expect(categoryCarries(b, { start: '2026-03-01', end: '2026-03-31' })).toEqual([]);
    expect(categoryCarries(b, { start: '2026-02-01', end: '2026-02-28' })).toEqual([]);
  });

  it('never carries from before the budget\'s first period (a monthly rolloverSince read in weeks)', () => {
    // Created Wednesday 2026-04-15: the first week starts Monday 04-13. The category's rolloverSince
    // (2026-04-01, a month start from before the budget became weekly) lies in the week of 03-30.
    const b = budget({ period: 'weekly', createdAt: '2026-04-15T10:00:00.000Z', categories: [food(100, '2026-04-01')] });
    expect(categoryCarries(b, { start: '2026-04-27', end: '2026-05-03' })).toEqual([{ categoryId: 'food', limit: 100, from: '2026-04-13', previousPeriods: 2, limits: 200n }]);
  });
});

describe('summarize with category rollover', () => {
  it('adds carriedOver and available to the rollover line, remaining = available - spent; other lines as before', () => {
    const b = budget({ categories: [food(500, '2026-03-01'), fun] });
    const s = summarize(b, { start: '2026-06-01', end: '2026-06-30' }, { total: 900, byCategory: { food: 600, fun: 300 }, uncategorized: 0 }, 0, { food: -150 });
    expect(s.categories).toEqual([
      { categoryId: 'food', name: 'Food', limit: 500, group: null, carriedOver: -150, available: 350, spent: 600, remaining: -250 },
      { categoryId: 'fun', name: 'Fun', limit: 300, group: null, spent: 300, remaining: 0 },
    ]);
    // The line of a category without rollover has exactly the keys it always had.
    expect(JSON.stringify(s.categories[1])).toBe('{"categoryId":"fun","name":"Fun","limit":300,"group":null,"spent":300,"remaining":0}');
    // Thresholds stay on the category's own limit: 600 of 500 is past 100% (and 80%), whatever was carried.
    expect(s.thresholdsCrossed.filter((t) => t.categoryId === 'food').map((t) => t.threshold)).toEqual([80, 100]);
    // A rollover category carrying nothing yet (its first period): 0 and its limit.
    expect(summarize(b, { start: '2026-03-01', end: '2026-03-31' }, { total: 0, byCategory: {}, uncategorized: 0 }, 0).categories[0]).toEqual({
      categoryId: 'food',
      name: 'Food',
      limit: 500,
      group: null,
      carriedOver: 0,
      available: 500,
      spent: 0,
      remaining: 500,
    });
  });
});

describe('the summary of a monthly budget with category rollover (since March)', () => {
  // Food: 500 a month, rollover turned on in March. January's 900 lies before it: never carried.
  const spends: Spend[] = [
    { on: '2026-01-20', categoryId: 'food', amount: 900 },
    { on: '2026-03-05', categoryId: 'food', amount: 300 },
    { on: '2026-04-10', categoryId: 'food', amount: 900 }, // overspent by 400
    { on: '2026-05-31', categoryId: 'food', amount: 450 },
    { on: '2026-06-02', categoryId: 'food', amount: 100 },
    { on: '2026-05-15', categoryId: 'fun', amount: 1_000 },
    { on: '2026-06-03', categoryId: null, amount: 70 },
  ];

  it('carries period by period from rolloverSince, negative after an overspent one', async () => {
    const { line } = setup(budget({ categories: [food(500, '2026-03-01'), fun] }), spends);
    // Before its rollover and in its first period: nothing carried.
    expect(await line('2026-02-10')).toMatchObject({ carriedOver: 0, available: 500, spent: 0, remaining: 500 });
    expect(await line('2026-03-10')).toMatchObject({ carriedOver: 0, available: 500, spent: 300, remaining: 200 });
    // April: March left 200.
    expect(await line('2026-04-10')).toMatchObject({ carriedOver: 200, available: 700, spent: 900, remaining: -200 });
    // May: 2 x 500 - (300 + 900) = -200 (April's overspending eats March's savings and more).
    expect(await line('2026-05-10')).toMatchObject({ carriedOver: -200, available: 300, spent: 450, remaining: -150 });
    // June: 3 x 500 - (300 + 900 + 450) = -150.
    expect(await line('2026-06-10')).toMatchObject({ carriedOver: -150, available: 350, spent: 100, remaining: 250 });
    // Fun (no rollover) is untouched: no carriedOver, its own limit.
    expect(await line('2026-05-10', 'fun')).toEqual({ categoryId: 'fun', name: 'Fun', limit: 300, group: null, spent: 1_000, remaining: -700, pace: expect.anything() });
  });

  it('uses the current limit for every earlier period when the budget keeps no limit history (a limit raised for all periods)', async () => {
    const { line } = setup(budget({ categories: [food(800, '2026-03-01'), fun] }), spends);
    // 3 x 800 - 1,650 = 750.
    expect(await line('2026-06-10')).toMatchObject({ carriedOver: 750, available: 1_550, spent: 100, remaining: 1_450 });
  });

  it('asks for one range more (from rolloverSince to the day before the period), in the one read', async () => {
    const { service, reads } = setup(budget({ categories: [food(500, '2026-03-01'), fun] }), spends);
    const s = await service.summary('b1', 'u1', '2026-06-10');
    expect(reads).toEqual([
      [
        { from: '2026-06-01', to: '2026-06-30' },
        { from: '2026-03-01', to: '2026-05-31' },
      ],
    ]);
    // The budget itself does not roll over: nothing carried at its level.
    expect(s).toMatchObject({ carriedOver: 0, available: 10_000, spent: 170, remaining: 9_830 });
  });

  it('shares the budget rollover\'s range when both start at the first period, and adds one per other start', async () => {
    const b = budget({
      rollover: true,
      categories: [food(500, '2026-01-01'), { id: 'car', name: 'Car', limit: 1_000, rollover: true, rolloverSince: '2026-04-01' }, fun],
    });
    const { service, reads } = setup(b, [...spends, { on: '2026-04-20', categoryId: 'car', amount: 1_300 }]);
    const s = await service.summary('b1', 'u1', '2026-06-10');
    expect(reads).toEqual([
      [
        { from: '2026-06-01', to: '2026-06-30' },
        { from: '2026-01-01', to: '2026-05-31' },
        { from: '2026-04-01', to: '2026-05-31' },
      ],
    ]);
    // Budget: 5 x 10,000 - (900 + 300 + 900 + 450 + 1,000 + 1,300) = 45,150.
    expect(s.carriedOver).toBe(45_150);
    // Food since January: 5 x 500 - (900 + 300 + 900 + 450) = -50. Car since April: 2 x 1,000 - 1,300 = 700.
    expect(s.categories.map((c) => [c.categoryId, c.carriedOver, c.available, c.remaining])).toEqual([
      ['food', -50, 450, 350],
      ['car', 700, 1_700, 1_700],
      ['fun', undefined, undefined, 300],
    ]);
    // Each category's pace is against its available (450 on the 10th of 30 days: 150 expected, 100 spent).
    expect(s.categories[0]!.pace).toMatchObject({ expectedSpent: 150, status: 'under' });
  });
});

describe('weekly and yearly category rollover', () => {
  it('weekly: ISO weeks from the week of rolloverSince', async () => {
    // Created Wednesday 2026-01-07 (first week: Monday 01-05); rollover on since the week of 01-12.
    const b = budget({ period: 'weekly', createdAt: '2026-01-07T08:00:00.000Z', categories: [food(100, '2026-01-12')] });
    const { line } = setup(b, [
      { on: '2026-01-06', categoryId: 'food', amount: 50 }, // before rolloverSince's week
      { on: '2026-01-13', categoryId: 'food', amount: 30 }, // week of 01-12
      { on: '2026-01-25', categoryId: 'food', amount: 150 }, // Sunday: week of 01-19
      { on: '2026-01-31', categoryId: 'food', amount: 20 }, // Saturday: week of 01-26
      { on: '2026-02-03', categoryId: 'food', amount: 40 }, // this week
    ]);
    // Wednesday 2026-02-04, week of 02-02: 3 x 100 - (30 + 150 + 20) = 100.
    expect(await line('2026-02-04')).toMatchObject({ carriedOver: 100, available: 200, spent: 40, remaining: 160 });
    // Week of 01-26: 2 x 100 - 180 = 20.
    expect(await line('2026-01-28')).toMatchObject({ carriedOver: 20, available: 120, spent: 20, remaining: 100 });
  });

  it('yearly: calendar years from the year of rolloverSince', async () => {
    const b = budget({ period: 'yearly', createdAt: '2024-05-05T08:00:00.000Z', categories: [food(1_200, '2025-01-01')] });
    const { line } = setup(b, [
      { on: '2024-12-31', categoryId: 'food', amount: 5_000 }, // before rollover was on
      { on: '2025-03-01', categoryId: 'food', amount: 1_500 },
      { on: '2026-12-31', categoryId: 'food', amount: 1_000 },
      { on: '2027-02-01', categoryId: 'food', amount: 200 },
    ]);
    // 2027: 2 x 1,200 - (1,500 + 1,000) = -100.
    expect(await line('2027-03-01')).toMatchObject({ carriedOver: -100, available: 1_100, spent: 200, remaining: 900 });
    // 2026: 1,200 - 1,500 = -300.
    expect(await line('2026-06-01')).toMatchObject({ carriedOver: -300, available: 900, spent: 1_000, remaining: -100 });
  });
});

describe('exactness', () => {
  it('refuses a category carry past 2^53 - 1 with the summary\'s 400 naming the date', async () => {
    const b = budget({ categories: [food(Number.MAX_SAFE_INTEGER, '2026-01-01')] });
    const { service } = setup(b, []);
    await expect(service.summary('b1', 'u1', '2026-03-10')).rejects.toMatchObject({ status: 400 });
  });
});
