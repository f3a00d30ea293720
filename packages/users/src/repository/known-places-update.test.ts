import { describe, expect, it } from 'vitest';
import { knownPlacesClauses, namesIfAny, updateExpression } from './known-places-update';

describe('knownPlacesClauses', () => {
  it('sets and removes entries by map path, each hash behind a name placeholder (base64url is no bare path segment)', () => {
    expect(knownPlacesClauses({ set: { 'A-b_9xyz': 100 }, remove: ['0old'] })).toEqual({
      set: ['knownPlaces.#place0 = :placeSeen0'],
      remove: ['knownPlaces.#place1'],
      names: { '#place0': 'A-b_9xyz', '#place1': '0old' },
      values: { ':placeSeen0': 100 },
    });
  });

  it('the whole map for a profile without one', () => {
    expect(knownPlacesClauses({ whole: { h: 5 } })).toEqual({ set: ['knownPlaces = :places'], remove: [], names: {}, values: { ':places': { h: 5 } } });
  });
});

describe('updateExpression and namesIfAny', () => {
  it('leaves out an empty SET or REMOVE, and an empty names map (DynamoDB refuses both)', () => {
    expect(updateExpression(['a = :a', 'b = :b'], ['c', 'd.#e'])).toBe('SET a = :a, b = :b REMOVE c, d.#e');
    expect(updateExpression(['a = :a'], [])).toBe('SET a = :a');
    expect(updateExpression([], ['c'])).toBe('REMOVE c');
    expect(namesIfAny({})).toEqual({});
    expect(namesIfAny({ '#p': 'x' })).toEqual({ ExpressionAttributeNames: { '#p': 'x' } });
  });
});
