import { describe, expect, it } from 'vitest';
import { renamedTags } from './tag-rename';

/** The tags an expense keeps after a tag rename, written by hand. */
describe('renamedTags', () => {
  it('replaces each matching tag in its place, ignoring case and accents', () => {
    expect(renamedTags(['food', 'VACANCÉS', 'x'], ['vacances'], 'trip')).toEqual(['food', 'trip', 'x']);
  });
  it('merges into a `to` the expense has (one left, the first spelling)', () => {
    expect(renamedTags(['Trip', 'vacation'], ['vacation'], 'trip')).toEqual(['Trip']);
    expect(renamedTags(['vacation', 'trip'], ['vacation'], 'trip')).toEqual(['trip']);
  });
  it('removes them with to: null ([] when none is left)', () => {
    expect(renamedTags(['a', 'B'], ['b'], null)).toEqual(['a']);
    expect(renamedTags(['b'], ['B'], null)).toEqual([]);
  });
  it('nothing to write: no match, no tags, or already exactly `to` (a respelling rewrites the others)', () => {
    expect(renamedTags(['a'], ['b'], 'c')).toBeUndefined();
    expect(renamedTags(undefined, ['b'], 'c')).toBeUndefined();
    expect(renamedTags(['Café'], ['cafe'], 'Café')).toBeUndefined();
    expect(renamedTags(['cafe'], ['cafe'], 'Café')).toEqual(['Café']);
  });
});
