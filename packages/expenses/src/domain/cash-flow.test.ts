import { describe, expect, it } from 'vitest';
import { CASH_FLOW_MAX_MONTHS, cashFlowIsExact, cashFlowOf, cashFlowRange, figuresAreExact, figuresOf, monthsBetween, savingsRateBps, shownFigures } from './cash-flow';

describe('savingsRateBps', () => {
  it('is net / income in basis points, exact when it divides', () => {
    expect(savingsRateBps(355000n, 500000n)).toBe(7100n); // 71 %
    expect(savingsRateBps(0n, 100n)).toBe(0n);
    expect(savingsRateBps(100n, 100n)).toBe(10000n); // all of it kept
    expect(savingsRateBps(-150000n, 100000n)).toBe(-15000n); // spent 2.5 x the income
  });

  it('rounds half away from zero, both signs', () => {
    // 1 / 20000 = 0.5 bp -> 1; -0.5 bp -> -1.
    expect(savingsRateBps(1n, 20000n)).toBe(1n);
    expect(savingsRateBps(-1n, 20000n)).toBe(-1n);
    // 5 / 20000 = 2.5 bp -> 3; -2.5 bp -> -3 (not -2 as Math.round would give).
    expect(savingsRateBps(5n, 20000n)).toBe(3n);
    expect(savingsRateBps(-5n, 20000n)).toBe(-3n);
    // Just below and above the half: 2.4999.. -> 2, 2.5000..1 -> 3.
    expect(savingsRateBps(49999n, 200000000n)).toBe(2n);
    expect(savingsRateBps(50001n, 200000000n)).toBe(3n);
    expect(savingsRateBps(-49999n, 200000000n)).toBe(-2n);
    expect(savingsRateBps(-50001n, 200000000n)).toBe(-3n);
    // 199999 / 300000 = 6666.63 bp -> 6667; 1 / 3 = 3333.33 bp -> 3333; -2 / 3 -> -6667.
    expect(savingsRateBps(199999n, 300000n)).toBe(6667n);
    expect(savingsRateBps(1n, 3n)).toBe(3333n);
    expect(savingsRateBps(-2n, 3n)).toBe(-6667n);
  });

  it('is null without income', () => {
    expect(savingsRateBps(-12000n, 0n)).toBeNull();
    expect(savingsRateBps(0n, 0n)).toBeNull();
  });

  it('stays exact past what a double holds', () => {
    // (2^53 + 1) x 10^4 / 1 is no double; BigInt keeps every digit.
    expect(savingsRateBps(9007199254740993n, 1n)).toBe(90071992547409930000n);
  });
});

describe('figuresOf and figuresAreExact', () => {
  it('nets income and spending (a refund-lowered, even negative, spending included)', () => {
    expect(figuresOf(300000n, 100001n)).toEqual({ income: 300000n, spent: 100001n, net: 199999n, savingsRate: 6667n });
    expect(figuresOf(1000n, -500n)).toEqual({ income: 1000n, spent: -500n, net: 1500n, savingsRate: 15000n });
    expect(figuresOf(0n, 12000n)).toEqual({ income: 0n, spent: 12000n, net: -12000n, savingsRate: null });
  });

  it('refuses figures past 2^53 - 1 either way, the rate included', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(figuresAreExact(figuresOf(max, 0n))).toBe(true);
    expect(figuresAreExact(figuresOf(max + 1n, 0n))).toBe(false);
    expect(figuresAreExact(figuresOf(0n, max + 1n))).toBe(false);
    // 1 minor unit of income against 10^12 spent: -10^16 bp, past 2^53 - 1.
    expect(figuresAreExact(figuresOf(1n, 1_000_000_000_000n))).toBe(false);
    expect(figuresAreExact(figuresOf(1n, 100_000_000_000n))).toBe(true);
  });
});

describe('cashFlowRange', () => {
  it('defaults to the 6 months up to the current month, or up to `to`', () => {
    expect(cashFlowRange({}, '2026-02')).toEqual({ from: '2025-09', to: '2026-02' });
    expect(cashFlowRange({ to: '2026-11' }, '2026-02')).toEqual({ from: '2026-06', to: '2026-11' });
    expect(cashFlowRange({ from: '2026-01' }, '2026-02')).toEqual({ from: '2026-01', to: '2026-02' });
  });

  it('starts a default range no earlier than 1900-01, the first month the API accepts', () => {
    expect(cashFlowRange({ to: '1900-02' }, '2026-02')).toEqual({ from: '1900-01', to: '1900-02' });
    expect(cashFlowRange({ to: '1900-06' }, '2026-02')).toEqual({ from: '1900-01', to: '1900-06' });
    expect(cashFlowRange({ to: '1900-07' }, '2026-02')).toEqual({ from: '1900-02', to: '1900-07' });
  });

  it('names query.from when it is after `to` or the range is longer than 24 months', () => {
    expect(cashFlowRange({ from: '2026-03' }, '2026-02')).toMatchObject({ path: 'query.from' });
    expect(cashFlowRange({ from: '2026-11', to: '2026-10' }, '2026-12')).toMatchObject({ path: 'query.from' });
    expect(cashFlowRange({ from: '2024-12', to: '2026-11' }, '2026-11')).toEqual({ from: '2024-12', to: '2026-11' });
    expect(cashFlowRange({ from: '2024-11', to: '2026-11' }, '2026-11')).toMatchObject({ path: 'query.from' });
    expect(monthsBetween('2024-12', '2026-11')).toHaveLength(CASH_FLOW_MAX_MONTHS);
    expect(cashFlowRange({ from: '1900-01', to: '9998-12' }, '2026-11')).toMatchObject({ path: 'query.from' });
  });

  it('lists months across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
  });
});

describe('cashFlowOf (the route\'s and the budgets port\'s one computation)', () => {
  it('lists every month, zeros where nothing was read, and the rate of the sums in total', () => {
    const flow = cashFlowOf(new Map([['2026-01', { income: 300_000n, spent: 100_000n }], ['2026-03', { income: 0n, spent: 50_000n }]]), '2026-01', '2026-03');
    expect(flow.months.map((m) => ({ month: m.month, ...shownFigures(m.figures) }))).toEqual([
      { month: '2026-01', income: 300_000, spent: 100_000, net: 200_000, savingsRate: 6_667 }, // 66.666..% -> 6667
      { month: '2026-02', income: 0, spent: 0, net: 0, savingsRate: null },
      { month: '2026-03', income: 0, spent: 50_000, net: -50_000, savingsRate: null },
    ]);
    // 150,000 / 300,000 = 50 %: not the mean of 6667 and two nulls.
    expect(shownFigures(flow.total)).toEqual({ income: 300_000, spent: 150_000, net: 150_000, savingsRate: 5_000 });
    expect(cashFlowIsExact(flow)).toBe(true);
  });

  it('is not exact when a month or the total passes 2^53 - 1', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    // Each month within the limit, their sum past it.
    expect(cashFlowIsExact(cashFlowOf(new Map([['2026-01', { income: max, spent: 0n }], ['2026-02', { income: 1n, spent: 0n }]]), '2026-01', '2026-02'))).toBe(false);
    expect(cashFlowIsExact(cashFlowOf(new Map([['2026-01', { income: max, spent: 0n }]]), '2026-01', '2026-01'))).toBe(true);
  });
});
