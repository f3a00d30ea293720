import { describe, expect, it } from 'vitest';
import type { Budget } from '../model';
import { carriedOver, categoryFigures, isCrossed, summarize, summaryAmountsAreExact, summaryFiguresAreExact } from './summary-math';

const budget = (overrides: Partial<Budget> = {}): Budget => ({
  id: 'b1',
  ownerId: 'u1',
  name: 'Home',
  currency: 'USD',
  period: 'monthly',
  timezone: 'UTC',
  limit: 10_000,
  categories: [
    { id: 'food', name: 'Food', limit: 4_000 },
    { id: 'fun', name: 'Fun' },
  ],
  rollover: false,
  alertThresholds: [100, 50, 80],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

const period = { start: '2026-11-01', end: '2026-11-30' };

describe('summarize', () => {
  it('splits spending by category and computes what remains', () => {
    const s = summarize(budget(), period, { total: 8_500, byCategory: { food: 3_000, fun: 5_000 }, uncategorized: 500 }, 0);
    expect(s).toMatchObject({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      limit: 10_000,
      carriedOver: 0,
      available: 10_000,
      spent: 8_500,
      remaining: 1_500,
      uncategorizedSpent: 500,
    });
    expect(s.categories).toEqual([
      { categoryId: 'food', name: 'Food', limit: 4_000, group: null, spent: 3_000, remaining: 1_000 },
      { categoryId: 'fun', name: 'Fun', limit: null, group: null, spent: 5_000, remaining: null },
    ]);
  });

  it('counts spending in removed categories as uncategorized', () => {
    const s = summarize(budget(), period, { total: 1_200, byCategory: { food: 200, gone: 700 }, uncategorized: 300 }, 0);
    expect(s.uncategorizedSpent).toBe(1_000);
    expect(s.categories.map((c) => c.categoryId)).toEqual(['food', 'fun']);
  });

  it('adds what earlier periods carried over', () => {
    const s = summarize(budget(), period, { total: 4_000, byCategory: {}, uncategorized: 4_000 }, -2_500);
    expect(s.available).toBe(7_500);
    expect(s.remaining).toBe(3_500);
  });

  it('lists thresholds reached, budget-wide and per category limit, in threshold order', () => {
    const s = summarize(budget(), period, { total: 8_000, byCategory: { food: 4_100, fun: 3_900 }, uncategorized: 0 }, 0);
    expect(s.thresholdsCrossed).toEqual([
      { scope: 'budget', categoryId: null, threshold: 50 },
      { scope: 'category', categoryId: 'food', threshold: 50 },
      { scope: 'budget', categoryId: null, threshold: 80 },
      { scope: 'category', categoryId: 'food', threshold: 80 },
      { scope: 'category', categoryId: 'food', threshold: 100 },
    ]);
  });
});

describe('summarize: a hidden category', () => {
  it("marks its line hidden: true and counts its spending everywhere (total, remaining, thresholds), as a shown category's", () => {
    const b = budget({ categories: [{ id: 'food', name: 'Food', limit: 4_000, hidden: true, note: 'Weekly' }, { id: 'fun', name: 'Fun' }] });
    const s = summarize(b, period, { total: 8_500, byCategory: { food: 4_100, fun: 4_000 }, uncategorized: 400 }, 0);
    expect(s.categories).toEqual([
      { categoryId: 'food', name: 'Food', limit: 4_000, group: null, hidden: true, spent: 4_100, remaining: -100 },
      { categoryId: 'fun', name: 'Fun', limit: null, group: null, spent: 4_000, remaining: null },
    ]);
    // 10,000 - 8,500; the hidden category's 4,100 is in the 8,500.
    expect(s.remaining).toBe(1_500);
    // 4,100 of 4,000 crosses 50, 80 and 100 of the hidden category; 8,500 of 10,000 crosses the budget's 50 and 80.
    expect(s.thresholdsCrossed).toEqual([
      { scope: 'budget', categoryId: null, threshold: 50 },
      { scope: 'category', categoryId: 'food', threshold: 50 },
      { scope: 'budget', categoryId: null, threshold: 80 },
      { scope: 'category', categoryId: 'food', threshold: 80 },
      { scope: 'category', categoryId: 'food', threshold: 100 },
    ]);
    // What the forecast, trend periods and reports take of the line keeps the mark, after `group`.
    expect(Object.keys(categoryFigures(s.categories[0]!))).toEqual(['categoryId', 'name', 'limit', 'group', 'hidden', 'spent']);
    expect(categoryFigures(s.categories[1]!)).not.toHaveProperty('hidden');
  });
});

describe('thresholds and carry-over', () => {
  it('crosses exactly at the percentage', () => {
    expect(isCrossed(7_999, 10_000, 80)).toBe(false);
    expect(isCrossed(8_000, 10_000, 80)).toBe(true);
    expect(isCrossed(1, 3, 34)).toBe(false); // 33.3 %
    expect(isCrossed(2, 3, 66)).toBe(true); // 66.7 %
  });

  it('treats a zero limit as crossed by any spending, never by none', () => {
    expect(isCrossed(0, 0, 100)).toBe(false);
    expect(isCrossed(1, 0, 1000)).toBe(true);
  });

  it('stays exact for totals beyond 2^53 / 100', () => {
    const big = 2 ** 52; // spent * 100 would lose precision as a float
    expect(isCrossed(big, big, 100)).toBe(true);
    expect(isCrossed(big - 1, big, 100)).toBe(false);
  });

  it('carries previous periods * limit minus what they spent', () => {
    expect(carriedOver(0, 10_000, 0)).toBe(0);
    expect(carriedOver(3, 10_000, 25_000)).toBe(5_000);
    expect(carriedOver(2, 10_000, 26_000)).toBe(-6_000);
  });

  it('tells when rollover amounts would pass the range of exact JSON numbers', () => {
    const limit = 1_000_000_000_000; // the largest limit the API accepts
    // available = limit + carried: 9,006 earlier periods make 9.007e15 < 2^53 - 1 (9.0072e15)
    expect(summaryAmountsAreExact(9_006, limit, 0, 0)).toBe(true);
    expect(summaryAmountsAreExact(9_007, limit, 0, 0)).toBe(false);
    expect(summaryAmountsAreExact(9_007, limit, 2_000_000_000_000, 0)).toBe(true); // spending brings it back
    expect(summaryAmountsAreExact(0, 0, 0, Number.MAX_SAFE_INTEGER)).toBe(true); // remaining = -(2^53 - 1)
    expect(summaryAmountsAreExact(0, 2, 0, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(summaryAmountsAreExact(1, 0, Number.MAX_SAFE_INTEGER, 1)).toBe(false); // remaining = -(2^53 - 1) - 1
  });
});

describe('summarize: category groups', () => {
  const grouped = budget({
    categories: [
      { id: 'rent', name: 'Rent', limit: 90_000, group: 'Bills' },
      { id: 'food', name: 'Food', limit: 4_000, group: 'Everyday' },
      { id: 'gifts', name: 'Gifts' },
      { id: 'power', name: 'Power', group: 'Bills' },
      { id: 'bus', name: 'Bus', group: 'Everyday', limit: 1_000 },
      { id: 'games', name: 'Games', group: 'Fun' },
    ],
  });

  it("sums each group's lines; the limit of those that have one; removed categories in no group", () => {
    const s = summarize(grouped, period, { total: 99_000, byCategory: { rent: 90_000, power: 3_000, food: 2_500, bus: 1_500, gifts: 1_000, gone: 500 }, uncategorized: 500 }, 0);
    expect(s.categories.map((c) => c.group)).toEqual(['Bills', 'Everyday', null, 'Bills', 'Everyday', 'Fun']);
    expect(s.groups).toEqual([
      { name: 'Bills', categoryIds: ['rent', 'power'], limit: 90_000, spent: 93_000, remaining: -3_000 },
      { name: 'Everyday', categoryIds: ['food', 'bus'], limit: 5_000, spent: 4_000, remaining: 1_000 },
      { name: 'Fun', categoryIds: ['games'], limit: null, spent: 0, remaining: null },
    ]);
    expect(s.uncategorizedSpent).toBe(1_000);
  });

  it('has no groups when no category has one', () => {
    expect(summarize(budget(), period, { total: 0, byCategory: {}, uncategorized: 0 }, 0).groups).toEqual([]);
  });
});

describe('summaryFiguresAreExact', () => {
  it('holds up to 2^53 - 1 of spending; past it (a sum of totals shards, already rounded) it does not, limit - spent safe or not', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(summaryFiguresAreExact(summarize(budget(), period, { total: max, byCategory: { food: max }, uncategorized: 0 }, 0))).toBe(true);
    expect(summaryFiguresAreExact(summarize(budget(), period, { total: 2 ** 53, byCategory: { food: 2 ** 53 }, uncategorized: 0 }, 0))).toBe(false);
    // Only a category (refunds elsewhere keeping the total small), or only the uncategorized line.
    expect(summaryFiguresAreExact(summarize(budget(), period, { total: 5, byCategory: { fun: 2 ** 53, food: -(2 ** 53) + 5 }, uncategorized: 0 }, 0))).toBe(false);
    expect(summaryFiguresAreExact(summarize(budget(), period, { total: 5, byCategory: { fun: -(2 ** 53) + 5 }, uncategorized: 2 ** 53 }, 0))).toBe(false);
  });
});
