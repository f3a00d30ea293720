import { describe, expect, it } from 'vitest';
import type { Category } from '../model';
import { ceilDiv, ceilMean, limitSuggestions, patchEntry, rawSuggestion, roundUpTo } from './limit-suggestions';

/** Every expected figure below is worked out by hand in the comment next to it. */

describe('ceilDiv and ceilMean', () => {
  it('rounds up, exactly, for either sign', () => {
    expect(ceilDiv(10n, 3n)).toBe(4n); // 3.33 -> 4
    expect(ceilDiv(9n, 3n)).toBe(3n);
    expect(ceilDiv(0n, 7n)).toBe(0n);
    expect(ceilDiv(-10n, 3n)).toBe(-3n); // -3.33 -> -3
    expect(() => ceilDiv(1n, 0n)).toThrow(RangeError);
  });

  it('the mean spent per period, rounded up', () => {
    expect(ceilMean([3_000, 4_500, 6_000])).toBe(4_500n); // 13,500 / 3
    expect(ceilMean([1_000, 0, 1])).toBe(334n); // 1,001 / 3 = 333.67
    expect(ceilMean([0, 0, 0])).toBe(0n);
    expect(ceilMean([-500, 200])).toBe(-150n); // -300 / 2
    // A total past 2^53 is still exact: 12 x (2^53 - 1) / 12.
    expect(ceilMean(Array(12).fill(Number.MAX_SAFE_INTEGER))).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(() => ceilMean([])).toThrow(RangeError);
  });
});

describe('roundUpTo', () => {
  it('rounds UP to a multiple of the step; 0 and negatives give 0', () => {
    expect(roundUpTo(4_501n, 500)).toBe(5_000);
    expect(roundUpTo(4_500n, 500)).toBe(4_500);
    expect(roundUpTo(1n, 100_000)).toBe(100_000);
    expect(roundUpTo(4_501n, 1)).toBe(4_501);
    expect(roundUpTo(0n, 500)).toBe(0);
    expect(roundUpTo(-150n, 1)).toBe(0);
    expect(() => roundUpTo(5n, 0)).toThrow(RangeError);
  });

  it('never past the largest limit PATCH accepts (10^12), as a multiple of the step', () => {
    expect(roundUpTo(1_000_000_000_000n, 1)).toBe(1_000_000_000_000);
    expect(roundUpTo(1_000_000_000_001n, 1)).toBe(1_000_000_000_000);
    // 10^12 is not a multiple of 7: the largest one below it, 142,857,142,857 x 7 = 999,999,999,999.
    expect(roundUpTo(5_000_000_000_000n, 7)).toBe(999_999_999_999);
  });
});

const cat = (c: Partial<Category> & { id: string }): Category => ({ name: c.id.toUpperCase(), ...c });

describe('rawSuggestion', () => {
  const history = { spent: [3_000, 4_500, 6_001], targetLimit: 17_000n };
  it('per basis', () => {
    expect(rawSuggestion('average-spent', cat({ id: 'a' }), history)).toBe(4_501n); // 13,501 / 3 = 4,500.33
    expect(rawSuggestion('last-period-spent', cat({ id: 'a' }), history)).toBe(6_001n);
    expect(rawSuggestion('target', cat({ id: 'a', limit: 1, rollover: true, rolloverSince: '2026-01-01', target: { amount: 9, by: '2027-01-31' } }), history)).toBe(17_000n);
    // No target: the basis does not apply.
    expect(rawSuggestion('target', cat({ id: 'a', limit: 1 }), history)).toBeNull();
  });
});

describe('patchEntry', () => {
  it('keeps everything but the limit, in PATCH shape (no rolloverSince)', () => {
    const saving = cat({ id: 's', name: 'Car', limit: 20_000, group: 'Bills', rollover: true, rolloverSince: '2026-08-01', target: { amount: 120_000, by: '2027-01-31' } });
    expect(patchEntry(saving, 0)).toEqual({ id: 's', name: 'Car', limit: 0, group: 'Bills', rollover: true, target: { amount: 120_000, by: '2027-01-31' } });
    expect(Object.keys(patchEntry(saving, 5))).toEqual(['id', 'name', 'limit', 'group', 'rollover', 'target']);
    expect(patchEntry(cat({ id: 'p', name: 'Pets' }), null)).toEqual({ id: 'p', name: 'Pets' });
  });
});

describe('limitSuggestions', () => {
  const categories: Category[] = [
    cat({ id: 'g', name: 'Groceries', limit: 40_000, group: 'Everyday' }),
    cat({ id: 't', name: 'Transport' }),
    cat({ id: 'p', name: 'Pets' }),
    cat({ id: 'f', name: 'Fun', limit: 5_000 }),
    cat({ id: 'c', name: 'Car', limit: 20_000, rollover: true, rolloverSince: '2026-08-01', target: { amount: 120_000, by: '2027-01-31' } }),
  ];
  const histories = [
    { spent: [42_000, 47_350, 46_920] }, // 136,270 / 3 = 45,423.33
    { spent: [1_000, 0, 2_001] }, // 3,001 / 3 = 1,000.33
    { spent: [0, 0, 0] },
    { spent: [0, 0, 0] },
    { spent: [5_000, 0, 0], targetLimit: 21_250n },
  ];

  it('average-spent, roundTo 1: the ceiled mean; a category without limit or spending keeps none, one with a limit gets 0', () => {
    const got = limitSuggestions(categories, histories, 'average-spent', 1);
    expect(got.categories.map((c) => [c.categoryId, c.limit, c.suggested, c.change, c.unchanged])).toEqual([
      ['g', 40_000, 45_424, 5_424, false],
      ['t', null, 1_001, 1_001, false],
      ['p', null, 0, 0, false],
      ['f', 5_000, 0, -5_000, false],
      ['c', 20_000, 1_667, -18_333, false], // 5,000 / 3 = 1,666.67
    ]);
    expect(got.categories[0]).toEqual({ categoryId: 'g', name: 'Groceries', groupName: 'Everyday', limit: 40_000, suggested: 45_424, change: 5_424, unchanged: false, spent: [42_000, 47_350, 46_920] });
    expect(got.categories[1]).not.toHaveProperty('groupName');
    expect(got.totals).toEqual({ limit: 65_000, suggested: 48_092 }); // 40,000 + 5,000 + 20,000; 45,424 + 1,001 + 1,667
    expect(got.patch.categories).toEqual([
      { id: 'g', name: 'Groceries', limit: 45_424, group: 'Everyday' },
      { id: 't', name: 'Transport', limit: 1_001 },
      { id: 'p', name: 'Pets' },
      { id: 'f', name: 'Fun', limit: 0 },
      { id: 'c', name: 'Car', limit: 1_667, rollover: true, target: { amount: 120_000, by: '2027-01-31' } },
    ]);
  });

  it('roundTo 500 rounds every suggestion up', () => {
    const got = limitSuggestions(categories, histories, 'average-spent', 500);
    expect(got.categories.map((c) => c.suggested)).toEqual([45_500, 1_500, 0, 0, 2_000]);
    expect(got.totals.suggested).toBe(49_000);
  });

  it('last-period-spent takes the last period', () => {
    const got = limitSuggestions(categories, histories, 'last-period-spent', 1);
    expect(got.categories.map((c) => c.suggested)).toEqual([46_920, 2_001, 0, 0, 0]);
    // Car: 0 is its limit (it has one, and rollover needs one).
    expect(got.patch.categories[4]).toEqual({ id: 'c', name: 'Car', limit: 0, rollover: true, target: { amount: 120_000, by: '2027-01-31' } });
  });

  it('target: only the category with a target moves; the others keep their limit, unchanged', () => {
    const got = limitSuggestions(categories, histories, 'target', 1_000);
    expect(got.categories.map((c) => [c.suggested, c.change, c.unchanged])).toEqual([
      [40_000, 0, true],
      [0, 0, true],
      [0, 0, true],
      [5_000, 0, true],
      [22_000, 2_000, false], // 21,250 up to a multiple of 1,000
    ]);
    expect(got.patch.categories.map((c) => c.limit)).toEqual([40_000, undefined, undefined, 5_000, 22_000]);
  });

  it('refunds (negative spending) suggest 0', () => {
    const got = limitSuggestions([cat({ id: 'r', limit: 100 })], [{ spent: [-300, 100] }], 'average-spent', 1);
    expect(got.categories[0]).toMatchObject({ suggested: 0, change: -100 });
  });

  it('no categories: empty lists, zero totals', () => {
    expect(limitSuggestions([], [], 'average-spent', 1)).toEqual({ categories: [], totals: { limit: 0, suggested: 0 }, patch: { categories: [] } });
  });
});

describe('limitSuggestions: hidden categories', () => {
  it('a hidden category gets no suggestion whatever the basis: unchanged, its limit kept, marked hidden; the patch keeps its note and hidden flag', () => {
    const cats = [
      cat({ id: 'h', name: 'Old car', limit: 3_000, note: 'Sold in May', hidden: true }),
      cat({ id: 'n', name: 'Gifts', hidden: true }),
      cat({ id: 'v', name: 'Food', limit: 1_000, note: 'Market' }),
    ];
    const spent = [{ spent: [9_000, 9_000] }, { spent: [400, 600] }, { spent: [2_000, 1_000] }];
    for (const basis of ['average-spent', 'last-period-spent'] as const) {
      const got = limitSuggestions(cats, spent, basis, 1);
      // h: keeps 3,000 (change 0); n: no limit, keeps none (suggested 0); v: 3,000 / 2 = 1,500 or the last period's 1,000.
      expect(got.categories.map((c) => [c.categoryId, c.hidden, c.suggested, c.change, c.unchanged])).toEqual([
        ['h', true, 3_000, 0, true],
        ['n', true, 0, 0, true],
        ['v', undefined, basis === 'average-spent' ? 1_500 : 1_000, basis === 'average-spent' ? 500 : 0, false],
      ]);
      expect(got.categories[2]).not.toHaveProperty('hidden');
      expect(got.patch.categories).toEqual([
        { id: 'h', name: 'Old car', limit: 3_000, note: 'Sold in May', hidden: true },
        { id: 'n', name: 'Gifts', hidden: true },
        { id: 'v', name: 'Food', limit: basis === 'average-spent' ? 1_500 : 1_000, note: 'Market' },
      ]);
    }
    expect(rawSuggestion('average-spent', { hidden: true }, { spent: [100] })).toBeNull();
    expect(rawSuggestion('average-spent', {}, { spent: [100] })).toBe(100n);
  });
});
