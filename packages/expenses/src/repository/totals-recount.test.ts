import { describe, expect, it } from 'vitest';
import { compareIncome, compareMonth, ExpectedTotals, type MonthFigures } from './totals-recount';

const figures = (shards: Record<number, Record<string, number>>): MonthFigures =>
  new Map(Object.entries(shards).map(([shard, attrs]) => [Number(shard), new Map(Object.entries(attrs))]));

describe('ExpectedTotals', () => {
  it('counts an expense as its write would: the whole amount to total, split parts to their categories, a refund negative, each on its day too', () => {
    const expected = new ExpectedTotals();
    expected.add('E1', { amount: 900, categoryId: null, occurredOn: '2026-10-07', splits: [{ categoryId: 'g', amount: 600 }, { categoryId: null, amount: 300 }] });
    expected.add('E1', { amount: -150, categoryId: 'g', occurredOn: '2026-10-07' });
    expect([...expected.months.keys()]).toEqual(['2026-10']);
    const [figs] = [...expected.months.get('2026-10')!.values()];
    expect(Object.fromEntries(figs!)).toEqual({ total: 750, d07_total: 750, c_g: 450, d07_c_g: 450, uncategorized: 300, d07_uncategorized: 300 });
  });

  it('keeps only the month asked for', () => {
    const expected = new ExpectedTotals('2026-11');
    expected.add('E1', { amount: 5, categoryId: null, occurredOn: '2026-10-07' });
    expected.add('E2', { amount: 7, categoryId: null, occurredOn: '2026-11-01' });
    expect([...expected.months.keys()]).toEqual(['2026-11']);
  });
});

describe('compareMonth', () => {
  it('names a figure whose shards sum wrong once, without a shard, and one whose shards only cancel out per shard', () => {
    const stored = figures({ 0: { total: 110, c_g: 10, d03_total: 60 }, 1: { total: 50, d03_total: 40 } });
    const expected = figures({ 0: { total: 100, c_g: 10, d03_total: 50 }, 1: { total: 50, d03_total: 50 } });
    const { differences, repairs } = compareMonth('2026-10', stored, expected);
    expect(differences).toEqual([
      { month: '2026-10', figure: 'total', stored: 160, expected: 150 },
      { month: '2026-10', shard: 0, figure: 'day 03 total', stored: 60, expected: 50 },
      { month: '2026-10', shard: 1, figure: 'day 03 total', stored: 40, expected: 50 },
    ]);
    expect(repairs).toEqual([
      { shard: 0, figures: [{ attribute: 'total', stored: 110, expected: 100 }, { attribute: 'd03_total', stored: 60, expected: 50 }] },
      { shard: 1, figures: [{ attribute: 'd03_total', stored: 40, expected: 50 }] },
    ]);
  });

  it('an absent stored figure reads 0 but is repaired as absent; a stored figure nothing explains is set to 0', () => {
    const { differences, repairs } = compareMonth('2026-10', figures({ 2: { c_old: 30 } }), figures({ 2: { uncategorized: 30 } }));
    expect(differences).toEqual([
      { month: '2026-10', figure: 'uncategorized', stored: 0, expected: 30 },
      { month: '2026-10', figure: 'category old', stored: 30, expected: 0 },
    ]);
    expect(repairs).toEqual([{ shard: 2, figures: [{ attribute: 'uncategorized', stored: undefined, expected: 30 }, { attribute: 'c_old', stored: 30, expected: 0 }] }]);
  });

  it('equal figures, a stored 0 for an absent one included, make no difference', () => {
    expect(compareMonth('2026-10', figures({ 0: { total: 5, c_x: 0 } }), figures({ 0: { total: 5 } }))).toEqual({ differences: [], repairs: [] });
  });
});

describe('income', () => {
  it("sums each month's entries by the month of receivedOn (only `onlyMonth`'s with one)", () => {
    const all = new ExpectedTotals();
    const october = new ExpectedTotals('2026-10');
    for (const e of [all, october]) {
      e.addIncome('2026-10-01', 2000);
      e.addIncome('2026-10-31', 500);
      e.addIncome('2026-11-01', 700);
    }
    expect([...all.income]).toEqual([['2026-10', 2500], ['2026-11', 700]]);
    expect([...october.income]).toEqual([['2026-10', 2500]]);
  });

  it('compares the stored income, absent as 0, and repairs it conditioned on the value read', () => {
    expect(compareIncome('2026-10', 2500, 2500)).toEqual({});
    expect(compareIncome('2026-10', undefined, undefined)).toEqual({});
    expect(compareIncome('2026-10', 0, undefined)).toEqual({});
    expect(compareIncome('2026-10', 2600, 2500)).toEqual({ difference: { month: '2026-10', figure: 'income', stored: 2600, expected: 2500 }, repair: { stored: 2600, expected: 2500 } });
    expect(compareIncome('2026-10', undefined, 700)).toEqual({ difference: { month: '2026-10', figure: 'income', stored: 0, expected: 700 }, repair: { stored: undefined, expected: 700 } });
    expect(compareIncome('2026-10', 300, undefined)).toEqual({ difference: { month: '2026-10', figure: 'income', stored: 300, expected: 0 }, repair: { stored: 300, expected: 0 } });
  });
});
