import { describe, expect, it } from 'vitest';
import { mergedDescription, reassignPatch } from './category-reassign';

describe('reassignPatch', () => {
  it('files an expense of `from` under `to`, and leaves others alone', () => {
    expect(reassignPatch({ categoryId: 'A' }, 'A', 'B')).toEqual({ categoryId: 'B' });
    expect(reassignPatch({ categoryId: 'B' }, 'A', 'B')).toBeUndefined();
    expect(reassignPatch({ categoryId: 'C' }, 'A', 'B')).toBeUndefined();
    expect(reassignPatch({ categoryId: null }, 'A', 'B')).toBeUndefined();
  });

  it("moves a split expense's parts in `from` to `to` when it has none there, amounts and descriptions kept", () => {
    const splits = [
      { categoryId: 'A', amount: 300, description: 'bread' },
      { categoryId: 'C', amount: 200 },
    ];
    expect(reassignPatch({ categoryId: null, splits }, 'A', 'B')).toEqual({
      splits: [
        { categoryId: 'B', amount: 300, description: 'bread' },
        { categoryId: 'C', amount: 200 },
      ],
    });
    expect(reassignPatch({ categoryId: null, splits }, 'D', 'B')).toBeUndefined();
  });

});

describe('reassignPatch: merging into the part in `to`', () => {
  it('merges the moved parts into the part already in `to`, at the place of the first of them, amounts summed', () => {
    const splits = [
      { categoryId: 'A', amount: 300, description: 'bread' },
      { categoryId: 'B', amount: 200 },
      { categoryId: null, amount: 100 },
      { categoryId: 'A', amount: 50 },
    ];
    // By hand: 300 + 200 + 50 = 550 in B where the first A part was; the uncategorized 100 stays.
    expect(reassignPatch({ categoryId: null, splits }, 'A', 'B')).toEqual({
      splits: [
        { categoryId: 'B', amount: 550, description: 'bread' },
        { categoryId: null, amount: 100 },
      ],
    });
    // The input is not changed.
    expect(splits).toHaveLength(4);
    expect(splits[0]).toEqual({ categoryId: 'A', amount: 300, description: 'bread' });
  });

  it("joins descriptions when both are set: the `to` part's first, then the moved one's; the same text once", () => {
    const splits = [
      { categoryId: 'C', amount: 100, description: 'other' },
      { categoryId: 'A', amount: 300, description: 'snacks' },
      { categoryId: 'B', amount: 200, description: 'fuel' },
    ];
    expect(reassignPatch({ categoryId: null, splits }, 'A', 'B')).toEqual({
      splits: [
        { categoryId: 'C', amount: 100, description: 'other' },
        { categoryId: 'B', amount: 500, description: 'fuel; snacks' },
      ],
    });
    const same = [
      { categoryId: 'A', amount: 1, description: 'x' },
      { categoryId: 'B', amount: 2, description: 'x' },
      { categoryId: 'C', amount: 3 },
    ];
    expect(reassignPatch({ categoryId: null, splits: same }, 'A', 'B')).toEqual({
      splits: [
        { categoryId: 'B', amount: 3, description: 'x' },
        { categoryId: 'C', amount: 3 },
      ],
    });
  });

  it('a merge leaving one part makes a plain expense of `to`; a part description becomes the description only when the expense has none', () => {
    const splits = [
      { categoryId: 'A', amount: 300, description: 'snacks' },
      { categoryId: 'B', amount: 200 },
    ];
    expect(reassignPatch({ categoryId: null, splits }, 'A', 'B')).toEqual({ splits: null, categoryId: 'B', description: 'snacks' });
    expect(reassignPatch({ categoryId: null, splits, description: 'Station' }, 'A', 'B')).toEqual({ splits: null, categoryId: 'B' });
    const bare = [
      { categoryId: 'B', amount: 1 },
      { categoryId: 'A', amount: 2 },
      { categoryId: 'A', amount: 3 },
    ];
    expect(reassignPatch({ categoryId: null, splits: bare }, 'A', 'B')).toEqual({ splits: null, categoryId: 'B' });
  });
});

describe('mergedDescription', () => {
  it('none, one, several distinct in order', () => {
    expect(mergedDescription([])).toBeUndefined();
    expect(mergedDescription([undefined, undefined])).toBeUndefined();
    expect(mergedDescription([undefined, 'b'])).toBe('b');
    expect(mergedDescription(['a', 'b', 'a', 'c'])).toBe('a; b; c');
    // A text holding the separator is still one description.
    expect(mergedDescription(['a; b', 'a'])).toBe('a; b; a');
  });

  it('keeps to 500 characters: a description that would not fit is dropped, never cut', () => {
    const e = 'e'.repeat(490);
    // 490 + 2 + 8 = 500 fits; 490 + 2 + 9 = 501 does not.
    expect(mergedDescription([e, 'm'.repeat(8)])).toBe(`${e}; ${'m'.repeat(8)}`);
    expect(mergedDescription([e, 'm'.repeat(9)])).toBe(e);
    expect(mergedDescription([e, 'm'.repeat(9), 'ok'])).toBe(`${e}; ok`);
  });
});
