import { describe, expect, it } from 'vitest';
import { changesNothing } from './unchanged';

describe('changesNothing', () => {
  const stored = { id: 'a', name: 'Rent', tags: ['home', 'bills'], mapping: { x: 1, y: 'z' }, note: null as string | null, version: 3, updatedAt: 'then' };

  it('ignores version, updatedAt, key order (nested too) and undefined fields', () => {
    expect(changesNothing(stored, { updatedAt: 'now', version: 4, mapping: { y: 'z', x: 1 }, note: null, tags: ['home', 'bills'], name: 'Rent', id: 'a', extra: undefined } as typeof stored)).toBe(true);
  });

  it('counts any other difference: a value, array order, null against absent, a field removed or added', () => {
    const { name: _gone, ...withoutName } = stored;
    for (const other of [
      { ...stored, name: 'rent' },
      { ...stored, tags: ['bills', 'home'] },
      { ...stored, mapping: { x: 1 } },
      { ...stored, note: undefined },
      { ...stored, added: 1 },
      withoutName,
    ]) {
      expect(changesNothing(stored, other as typeof stored), JSON.stringify(other)).toBe(false);
    }
  });

  it('takes other fields to ignore', () => {
    expect(changesNothing({ a: 1, stamp: 1 }, { a: 1, stamp: 2 }, ['stamp'])).toBe(true);
    expect(changesNothing({ a: 1, version: 1 }, { a: 1, version: 2 }, ['stamp'])).toBe(false);
  });
});
