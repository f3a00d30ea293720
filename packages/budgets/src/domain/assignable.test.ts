import { describe, expect, it } from 'vitest';
import { assignedIn, periodsStartingIn, readyToAssign } from './assignable';
import { testBudget } from './test-budget';

// Calendar facts used below, worked out by hand: 1 June 2026 is a Monday, 1 November 2026 and
// 1 February 2026 are Sundays (1 January 2026 is a Thursday).
describe('periodsStartingIn', () => {
  it('a monthly budget: the month itself', () => {
    expect(periodsStartingIn('monthly', '2026-11', '2026-01-01')).toEqual([{ start: '2026-11-01', end: '2026-11-30' }]);
    expect(periodsStartingIn('monthly', '2028-02', '2026-01-01')).toEqual([{ start: '2028-02-01', end: '2028-02-29' }]);
  });

  it('a weekly budget: the ISO weeks whose Monday is in the month (4 or 5)', () => {
    expect(periodsStartingIn('weekly', '2026-06', '2026-01-05')!.map((w) => w.start)).toEqual(['2026-06-01', '2026-06-08', '2026-06-15', '2026-06-22', '2026-06-29']);
    // The week of Sunday 1 November started on 26 October: October's.
    expect(periodsStartingIn('weekly', '2026-11', '2026-01-05')).toEqual([
      { start: '2026-11-02', end: '2026-11-08' },
      { start: '2026-11-09', end: '2026-11-15' },
      { start: '2026-11-16', end: '2026-11-22' },
      { start: '2026-11-23', end: '2026-11-29' },
      { start: '2026-11-30', end: '2026-12-06' },
    ]);
    expect(periodsStartingIn('weekly', '2026-02', '2026-01-05')!.map((w) => w.start)).toEqual(['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23']);
  });

  it("leaves out the periods before the budget's first; a yearly budget has none to give", () => {
    expect(periodsStartingIn('weekly', '2026-11', '2026-11-09')!.map((w) => w.start)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
    expect(periodsStartingIn('monthly', '2025-12', '2026-01-01')).toEqual([]);
    expect(periodsStartingIn('yearly', '2026-01', '2026-01-01')).toBeNull();
  });
});

describe('assignedIn and readyToAssign', () => {
  const budget = testBudget({
    categories: [
      { id: 'a', name: 'Groceries', limit: 10_000 },
      { id: 'b', name: 'Fun' },
      { id: 'c', name: 'Rent', limit: 5_000 },
    ],
    // November: Groceries moved to 12,000 for that month only; Rent was 3,000 before December.
    periodLimits: [{ periodStart: '2026-11-01', categoryId: 'a', limit: 12_000 }],
    limitHistory: [{ before: '2026-12-01', categoryId: 'c', limit: 3_000 }],
  });

  it("sums each category's limit of each period as that period sees it (overrides, limit history)", () => {
    const november = assignedIn(budget, [{ start: '2026-11-01', end: '2026-11-30' }]);
    expect(november).toEqual({ categories: [{ categoryId: 'a', name: 'Groceries', assigned: 12_000n }, { categoryId: 'c', name: 'Rent', assigned: 3_000n }], assigned: 15_000n });
    const december = assignedIn(budget, [{ start: '2026-12-01', end: '2026-12-31' }]);
    expect(december.assigned).toBe(15_000n);
    expect(december.categories.map((c) => c.assigned)).toEqual([10_000n, 5_000n]);
    // No period (a month before the budget): nothing assigned, no line.
    expect(assignedIn(budget, [])).toEqual({ categories: [], assigned: 0n });
  });

  it("a weekly budget's month: every week's limit, once each", () => {
    const weekly = testBudget({ period: 'weekly', categories: [{ id: 'a', name: 'Food', limit: 7_000 }] });
    expect(assignedIn(weekly, periodsStartingIn('weekly', '2026-11', '2026-01-05')!).assigned).toBe(35_000n);
  });

  it('income - assigned, negative when over-assigned; null past 2^53 - 1', () => {
    const november = assignedIn(budget, [{ start: '2026-11-01', end: '2026-11-30' }]);
    expect(readyToAssign('2026-11', 'EUR', 10_000, november)).toEqual({
      month: '2026-11',
      currency: 'EUR',
      income: 10_000,
      assigned: 15_000,
      readyToAssign: -5_000,
      categories: [
        { categoryId: 'a', name: 'Groceries', assigned: 12_000 },
        { categoryId: 'c', name: 'Rent', assigned: 3_000 },
      ],
      overAssigned: true,
    });
    expect(readyToAssign('2026-11', 'EUR', 15_000, november)).toMatchObject({ readyToAssign: 0, overAssigned: false });
    const huge = { categories: [{ categoryId: 'a', name: 'A', assigned: 2n ** 53n }], assigned: 2n ** 53n };
    expect(readyToAssign('2026-11', 'EUR', 0, huge)).toBeNull();
    // The sum fits while income - assigned does not: still refused.
    const edge = { categories: [{ categoryId: 'a', name: 'A', assigned: BigInt(Number.MAX_SAFE_INTEGER) }], assigned: BigInt(Number.MAX_SAFE_INTEGER) };
    expect(readyToAssign('2026-11', 'EUR', 0, edge)).toMatchObject({ readyToAssign: -Number.MAX_SAFE_INTEGER });
  });
});
