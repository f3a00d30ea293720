import { describe, expect, it } from 'vitest';
import { reassignPatch } from './category-reassign';

describe('reassignPatch', () => {
  it('files an expense of `from` under `to`, and leaves others alone', () => {
    expect(reassignPatch({ categoryId: 'A' }, 'A', 'B')).toEqual({ categoryId: 'B' });
    expect(reassignPatch({ categoryId: 'B' }, 'A', 'B')).toBeUndefined();
    expect(reassignPatch({ categoryId: 'C' }, 'A', 'B')).toBeUndefined();
    expect(reassignPatch({ categoryId: null }, 'A', 'B')).toBeUndefined();
  });

  it("moves a split expense's parts in `from`, keeping amounts, descriptions and a part already in `to` apart", () => {
    const splits = [
      { categoryId: 'A', amount: 300, description: 'bread' },
      { categoryId: 'B', amount: 200 },
      { categoryId: null, amount: 100 },
      { categoryId: 'A', amount: 50 },
    ];
    expect(reassignPatch({ categoryId: null, splits }, 'A', 'B')).toEqual({
      splits: [
        { categoryId: 'B', amount: 300, description: 'bread' },
        { categoryId: 'B', amount: 200 },
        { categoryId: null, amount: 100 },
        { categoryId: 'B', amount: 50 },
      ],
    });
    expect(splits[0]!.categoryId).toBe('A');
    expect(reassignPatch({ categoryId: null, splits }, 'C', 'B')).toBeUndefined();
  });
});
